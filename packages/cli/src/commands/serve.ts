/** `httpsig serve`: a verifying echo server for integrators to point their client at. */
import { parseArgs } from 'node:util';
import { mastodonPreset } from '@httpsig/core';
import { createJwksResolver } from '@httpsig/keys';
import type { VerifierOptions } from '@httpsig/server';
import {
  bodyOptions,
  commonOptions,
  keyOptions,
  parseAlgorithm,
  parseByteCount,
  parseChoice,
  parseComponentList,
  requireOption,
  withUsage,
} from '../args';
import { UsageError } from '../errors';
import type { CliIO } from '../io';
import { loadKey } from '../keys/load-key';
import { frameworkNames, servers } from '../serve/servers';
import { openNonceStore } from '../serve/stores';
import { healthPath } from '../serve/types';

export const serveUsage = `Usage: httpsig serve (--key FILE --alg ALG --keyid ID | --jwks URL) [--framework ${frameworkNames.join('|')}]
                    [--port PORT] [--host HOST] [--require LIST] [--max-age S] [--tag T]
                    [--nonce required|optional|forbidden] [--nonce-store memory|redis://HOST:PORT]
                    [--schemes rfc9421,cavage] [--preset mastodon] [--origin URL] [--debug]

Run a server that verifies every request with the chosen framework integration and answers
200 with JSON { "verified": { label, keyid, alg, components, params }, "method", "path", "body" },
or the 401/400 problem+json a real API would send. GET ${healthPath} answers 200 unsigned.
Prints "listening on URL" once ready; stops on SIGINT or SIGTERM.

Options:
  --framework NAME   ${frameworkNames.join(', ')} (default web)
  --port PORT        port to listen on (default 8080; 0 picks a free one)
  --host HOST        address to listen on (default 127.0.0.1)
  --key FILE         the client's public key (or the HMAC secret): PEM, JWK or base64 secret
  --alg ALG          its algorithm
  --keyid ID         the keyid it is found under
  --jwks URL         trust the keys of this JWK Set instead (fetched, cached, refetched for a
                     new kid; an operator's URL, so http and private addresses are allowed)
  --require LIST     components every signature must cover (default @method,@target-uri;
                     content-digest is required for bodies)
  --max-age S        maximum age of created, seconds (default 300)
  --tag T            required tag parameter
  --nonce POLICY     required (default), optional or forbidden
  --nonce-store S    where nonces are remembered: memory (default), or redis://HOST:PORT to
                     share them between several servers (Redis down → 503, fail closed)
  --schemes LIST     signature schemes accepted: rfc9421 (default) and/or cavage (draft-cavage-12,
                     as ActivityPub servers send; RFC 9421 is preferred when both are present)
  --preset mastodon  verify cavage signatures as Mastodon does (Date within 12 h, RSA or ed25519)
  --origin URL       the public origin to verify @authority/@target-uri against
  --max-body-size N  largest body accepted, bytes (default 10 MiB)
  --debug            add the server's signature base to refusals
  --allow-weak-key   accept RSA keys under 2048 bits and HMAC secrets under 32 bytes
  -h, --help         show this help
`;

export async function serve(argv: readonly string[], io: CliIO): Promise<number> {
  const { values } = withUsage('serve', () =>
    parseArgs({
      args: [...argv],
      options: {
        ...commonOptions,
        ...keyOptions,
        ...bodyOptions,
        framework: { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        require: { type: 'string' },
        'max-age': { type: 'string' },
        tag: { type: 'string' },
        nonce: { type: 'string' },
        'nonce-store': { type: 'string' },
        jwks: { type: 'string' },
        schemes: { type: 'string' },
        preset: { type: 'string' },
        origin: { type: 'string' },
        debug: { type: 'boolean' },
      },
      allowPositionals: false,
      strict: true,
    }),
  );
  if (values.help) {
    io.stdout.write(serveUsage);
    return 0;
  }
  const frameworkName = values.framework ?? 'web';
  const start = servers[frameworkName];
  if (!start) {
    throw new UsageError(
      `Unknown framework "${frameworkName}"; use one of: ${frameworkNames.join(', ')}`,
      'serve',
    );
  }
  const port = parsePort(values.port);
  const nonce = parseChoice(
    'serve',
    '--nonce',
    values.nonce,
    ['required', 'optional', 'forbidden'],
    'required',
  );
  const maxAge =
    values['max-age'] === undefined ? undefined : parseByteCount('serve', values['max-age'], '--max-age');
  const maxBodySize = parseByteCount('serve', values['max-body-size'], '--max-body-size');
  const trust = await trustedKeys(values, io);
  const policy: VerifierOptions = {
    ...trust,
    ...schemeOptions(values.schemes, values.preset),
    nonce,
    ...(nonce === 'forbidden' ? { nonceStore: false as const } : {}),
    ...(values.require === undefined
      ? {}
      : { requiredComponents: parseComponentList('serve', values.require, '--require') }),
    ...(maxAge === undefined ? {} : { maxAge }),
    ...(values.tag === undefined ? {} : { tag: values.tag }),
    ...(values.origin === undefined ? {} : { origin: values.origin }),
    ...(maxBodySize === undefined ? {} : { maxBodySize }),
    // Explicitly asked for on the command line: allowed whatever NODE_ENV says.
    ...(values.debug ? { debug: 'force' as const } : {}),
  };

  const nonceStore = await openNonceStore(
    nonce === 'forbidden' ? undefined : values['nonce-store'],
    (error) => {
      io.stderr.write(`nonce store: ${error instanceof Error ? error.message : String(error)}\n`);
    },
  );
  try {
    const verifier = nonceStore.store ? { ...policy, nonceStore: nonceStore.store } : policy;
    const server = await start({ host: values.host ?? '127.0.0.1', port, verifier });
    io.stdout.write(`listening on ${server.url} (${frameworkName})\n`);
    await aborted(io.signal);
    await server.close();
  } finally {
    await nonceStore.close();
  }
  return 0;
}

/** `--schemes` and `--preset`: which signature schemes are accepted, and how cavage is checked. */
function schemeOptions(
  schemes: string | undefined,
  preset: string | undefined,
): Pick<VerifierOptions, 'schemes' | 'cavage'> {
  if (preset !== undefined) parseChoice('serve', '--preset', preset, ['mastodon'], 'mastodon');
  const list = (schemes ?? (preset ? 'rfc9421,cavage' : 'rfc9421')).split(',').map((s) => s.trim());
  for (const scheme of list) {
    if (scheme !== 'rfc9421' && scheme !== 'cavage') {
      throw new UsageError(`--schemes takes rfc9421 and/or cavage, got "${scheme}"`, 'serve');
    }
  }
  return {
    schemes: list as ('rfc9421' | 'cavage')[],
    ...(preset === 'mastodon' ? { cavage: mastodonPreset.verify } : {}),
  };
}

/** The keys to trust: one key file, or a JWK Set URL. */
async function trustedKeys(
  values: { key?: string; alg?: string; keyid?: string; jwks?: string; 'allow-weak-key'?: boolean },
  io: CliIO,
): Promise<Pick<VerifierOptions, 'keys' | 'algorithms'>> {
  if (values.jwks !== undefined) {
    if (values.key !== undefined || values.keyid !== undefined) {
      throw new UsageError('Give --jwks or --key/--keyid, not both', 'serve');
    }
    let url: URL;
    try {
      url = new URL(values.jwks);
    } catch {
      throw new UsageError(`--jwks "${values.jwks}" is not a URL`, 'serve');
    }
    const keys = createJwksResolver({ url: url.href, allowHttp: true, allowPrivateNetworks: true });
    return values.alg === undefined ? { keys } : { keys, algorithms: [parseAlgorithm('serve', values.alg)] };
  }
  const alg = parseAlgorithm('serve', requireOption('serve', values.alg, '--alg'));
  const keyid = requireOption('serve', values.keyid, '--keyid');
  const key = await loadKey(io, requireOption('serve', values.key, '--key'), {
    alg,
    purpose: 'verify',
    keyid,
    allowWeakKey: values['allow-weak-key'] === true,
  });
  return { keys: { [keyid]: key }, algorithms: [alg] };
}

/** Resolves when `signal` aborts; without a signal, never (the server runs until the process ends). */
function aborted(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) resolve();
    else signal?.addEventListener('abort', () => resolve(), { once: true });
  });
}

function parsePort(value: string | undefined): number {
  if (value === undefined) return 8080;
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65535) {
    throw new UsageError(`--port must be a port number, got "${value}"`, 'serve');
  }
  return Number(value);
}
