/** `httpsig fetch`: send one signed request through a client adapter, like curl with signing. */
import { parseArgs } from 'node:util';
import { isHttpSigError, verifyMessage } from '@httpsig/core';
import {
  bodyOptions,
  commonOptions,
  keyOptions,
  parseAlgorithm,
  parseByteCount,
  parseChoice,
  parseComponentList,
  parseDigestAlgorithm,
  parseLabel,
  requireOption,
  withUsage,
} from '../args';
import { CliError, UsageError } from '../errors';
import { clientNames, clients } from '../fetch/clients';
import { writeResponse } from '../fetch/print-response';
import type { ClientSigning, OutgoingRequest } from '../fetch/types';
import { type CliIO, readBytes } from '../io';
import { loadKey } from '../keys/load-key';

export const fetchUsage = `Usage: httpsig fetch URL --key FILE --alg ALG [--keyid ID] [--client ${clientNames.join('|')}]
                    [-X METHOD] [-H 'Name: value']... [-d DATA | --data-file FILE]
                    [--components LIST] [--digest sha-256|sha-512 | --no-digest] [--tag T] [--label L]
                    [--format rfc9421|cavage|double-knock]
                    [--verify-response-key FILE --verify-response-alg ALG [--verify-response-components LIST]]

Send one request, signed by the chosen client adapter exactly as that client stack sends it, and
print the response: status line, header fields and body. Exit 0 on a 2xx answer.

Options:
  --client NAME      the client stack: ${clientNames.join(', ')} (default fetch)
  --key FILE         private key: PEM, JWK, or for hmac-sha256 the base64 secret (or an oct JWK)
  --alg ALG          the signature algorithm the key is used with
  --keyid ID         keyid parameter (default: the JWK's kid, if any)
  -X, --method M     request method (default GET, or POST with a body)
  -H, --header H     a request header field 'Name: value' (repeatable)
  -d, --data DATA    the request body, as given
  --data-file FILE   the request body, from a file
  --components LIST  covered components (default @method, @target-uri, content-type when present;
                     content-digest is added for a body)
  --digest ALG       Content-Digest algorithm for the body: sha-256 (default) or sha-512
  --no-digest        add no Content-Digest
  --tag T            tag parameter
  --format F         rfc9421 (default), cavage (a draft-cavage-12 Signature header, as ActivityPub
                     servers expect), or double-knock (RFC 9421 first, cavage once on a refusal;
                     not with --client undici)
  --label L          signature label (default sig1)
  --max-body-size N  refuse bodies over N bytes (default 10 MiB)
  --verify-response-key FILE    verify the response signature with this (public) key
  --verify-response-alg ALG     its algorithm
  --verify-response-components LIST
                     components the response signature must cover (default @status)
  --allow-weak-key   accept RSA keys under 2048 bits and HMAC secrets under 32 bytes
  -h, --help         show this help
`;

export async function fetchCommand(argv: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = withUsage('fetch', () =>
    parseArgs({
      args: [...argv],
      options: {
        ...commonOptions,
        ...keyOptions,
        ...bodyOptions,
        client: { type: 'string' },
        method: { type: 'string', short: 'X' },
        header: { type: 'string', short: 'H', multiple: true },
        data: { type: 'string', short: 'd' },
        'data-file': { type: 'string' },
        components: { type: 'string' },
        digest: { type: 'string' },
        'no-digest': { type: 'boolean' },
        tag: { type: 'string' },
        label: { type: 'string' },
        format: { type: 'string' },
        'verify-response-key': { type: 'string' },
        'verify-response-alg': { type: 'string' },
        'verify-response-components': { type: 'string' },
      },
      allowPositionals: true,
      strict: true,
    }),
  );
  if (values.help) {
    io.stdout.write(fetchUsage);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('Give exactly one URL', 'fetch');
  const url = parseUrl(positionals[0] as string);
  const clientName = values.client ?? 'fetch';
  const client = clients[clientName];
  if (!client)
    throw new UsageError(`Unknown client "${clientName}"; use one of: ${clientNames.join(', ')}`, 'fetch');
  const alg = parseAlgorithm('fetch', requireOption('fetch', values.alg, '--alg'));
  if (values.data !== undefined && values['data-file'] !== undefined) {
    throw new UsageError('Give --data or --data-file, not both', 'fetch');
  }
  if (values.digest !== undefined && values['no-digest']) {
    throw new UsageError('Give --digest or --no-digest, not both', 'fetch');
  }
  const verifyKeyFile = values['verify-response-key'];
  if ((verifyKeyFile === undefined) !== (values['verify-response-alg'] === undefined)) {
    throw new UsageError('--verify-response-key and --verify-response-alg go together', 'fetch');
  }

  const body =
    values.data !== undefined
      ? new TextEncoder().encode(values.data)
      : values['data-file'] !== undefined
        ? new Uint8Array(await readBytes(io, values['data-file'], 'data file'))
        : undefined;
  const request: OutgoingRequest = {
    url,
    method: (values.method ?? (body === undefined ? 'GET' : 'POST')).toUpperCase(),
    headers: (values.header ?? []).map(parseHeader),
    body,
  };

  const key = await loadKey(io, requireOption('fetch', values.key, '--key'), {
    alg,
    purpose: 'sign',
    allowWeakKey: values['allow-weak-key'] === true,
    ...(values.keyid === undefined ? {} : { keyid: values.keyid }),
  });
  const maxBodySize = parseByteCount('fetch', values['max-body-size'], '--max-body-size');
  const scheme = parseScheme(values.format, clientName);
  const signing: ClientSigning = {
    ...(scheme === 'rfc9421' ? {} : { scheme }),
    key,
    ...(values.components === undefined
      ? {}
      : { components: parseComponentList('fetch', values.components, '--components') }),
    ...(values['no-digest'] ? { digest: false as const } : {}),
    ...(values.digest === undefined
      ? {}
      : { digest: parseDigestAlgorithm('fetch', values.digest, '--digest') }),
    ...(values.tag === undefined ? {} : { tag: values.tag }),
    ...(values.label === undefined ? {} : { label: parseLabel('fetch', values.label, '--label') }),
    ...(maxBodySize === undefined ? {} : { maxBodySize }),
  };

  const exchange = await client(request, signing).catch((error: unknown) => {
    if (isHttpSigError(error) || error instanceof CliError) throw error;
    throw new CliError('ERR_HTTPSIG_CLI_NETWORK', `Cannot ${request.method} ${url}: ${describe(error)}`, {
      cause: error,
    });
  });
  writeResponse(io.stdout, exchange);

  if (verifyKeyFile !== undefined) {
    const responseAlg = parseAlgorithm('fetch', values['verify-response-alg'] as string);
    const responseKey = await loadKey(io, verifyKeyFile, { alg: responseAlg, purpose: 'verify' });
    const components = values['verify-response-components'];
    const verified = await verifyMessage(
      { status: exchange.status, headers: exchange.headers, body: exchange.body },
      {
        keys: () => responseKey,
        algorithms: [responseAlg],
        requiredComponents:
          components === undefined
            ? ['@status']
            : parseComponentList('fetch', components, '--verify-response-components'),
        request: { method: request.method, url, headers: exchange.sentHeaders },
      },
    );
    io.stderr.write(`response signature ${verified.label} verified (${verified.components.join(' ')})\n`);
  }
  if (exchange.status < 200 || exchange.status > 299) {
    throw new CliError(
      'ERR_HTTPSIG_CLI_HTTP_STATUS',
      `The server answered ${exchange.status} ${exchange.statusText}`.trim(),
    );
  }
  return 0;
}

/** `--format`: every client signs draft-cavage; undici's interceptor cannot send a request twice. */
function parseScheme(value: string | undefined, client: string): 'rfc9421' | 'cavage' | 'double-knock' {
  const scheme = parseChoice('fetch', '--format', value, ['rfc9421', 'cavage', 'double-knock'], 'rfc9421');
  if (scheme === 'double-knock' && client === 'undici') {
    throw new UsageError('--format double-knock is not available with --client undici', 'fetch');
  }
  return scheme;
}

function parseUrl(value: string): string {
  try {
    const url = new URL(value);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url.href;
  } catch {
    // reported below
  }
  throw new UsageError(`"${value}" is not an http or https URL`, 'fetch');
}

function parseHeader(line: string): [string, string] {
  const colon = line.indexOf(':');
  const name = colon === -1 ? '' : line.slice(0, colon).trim();
  if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name)) {
    throw new UsageError(`-H "${line}" is not a header field 'Name: value'`, 'fetch');
  }
  return [name, line.slice(colon + 1).trim()];
}

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}
