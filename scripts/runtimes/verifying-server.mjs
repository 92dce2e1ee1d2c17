/**
 * Starts test-support/verifying-server.ts over the BUILT @httpsig/core (packages/core/dist), for
 * the runtime matrix: esbuild bundles the TypeScript server with `@httpsig/core` pointed at the
 * dist build, so the server that judges every runtime's requests is the published code too. It
 * trusts the RFC 9421 Appendix B.1 public keys, signs /signed-response with test-key-ed25519 and
 * accepts key registration (keys generated inside a runtime).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { packageEntry, packageNodePaths } from './entries.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const keyAlgorithms = {
  'test-key-rsa': 'rsa-v1_5-sha256',
  'test-key-rsa-pss': 'rsa-pss-sha512',
  'test-key-ecc-p256': 'ecdsa-p256-sha256',
  'test-key-ed25519': 'ed25519',
  'test-shared-secret': 'hmac-sha256',
};

export async function startMatrixServer() {
  const outdir = mkdtempSync(join(tmpdir(), 'httpsig-server-'));
  const outfile = join(outdir, 'verifying-server.mjs');
  const coreDist = packageEntry('core');
  await build({
    entryPoints: [join(root, 'test-support/verifying-server.ts')],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    logLevel: 'error',
    alias: { '@httpsig/core': coreDist },
    // structured-headers (core's dependency) resolves beside core.
    nodePaths: packageNodePaths(),
  });
  const core = await import(pathToFileURL(coreDist).href);
  const { startVerifyingServer } = await import(pathToFileURL(outfile).href);
  rmSync(outdir, { recursive: true, force: true });

  const vectors = JSON.parse(
    readFileSync(join(root, 'packages/core/test/vectors/rfc9421-keys.json'), 'utf8'),
  );
  const keys = {};
  let responseKey;
  for (const k of vectors.keys) {
    const alg = keyAlgorithms[k.keyid];
    keys[k.keyid] = await core.importKey(k.publicKeyPem ?? k.secretBase64, { alg, keyid: k.keyid });
    if (k.keyid === 'test-key-ed25519')
      responseKey = await core.importKey(k.privateKeyPem, { alg, keyid: k.keyid });
  }
  const verifying = await startVerifyingServer({ keys, responseKey, allowKeyRegistration: true });
  const quirks = await startFieldBytesServer(core, responseKey);
  return {
    origin: verifying.origin,
    quirksOrigin: quirks.origin,
    close: () => Promise.all([verifying.close(), quirks.close()]),
  };
}

/**
 * Answers every request with a response whose `x-name` field carries the raw bytes C3 A9 (UTF-8
 * for "é"), signed by test-key-ed25519 over `"x-name";bs`: the bytes on the wire are what the
 * signature covers, whatever a runtime decodes them to.
 */
async function startFieldBytesServer(core, key) {
  const value = Buffer.from([0xc3, 0xa9]).toString('latin1');
  const body = 'field bytes';
  const signed = await core.signMessage(
    { status: 200, headers: [['x-name', value]], body },
    {
      key,
      components: ['@status', '"x-name";bs'],
      digest: false,
      params: { created: true, keyid: 'test-key-ed25519' },
    },
  );
  const server = createServer((_req, res) => {
    // Node writes header strings as Latin-1, one byte per character: exactly C3 A9.
    res.writeHead(200, {
      'x-name': value,
      ...signed.headers,
      'access-control-allow-origin': '*',
      'access-control-expose-headers': '*',
    });
    res.end(body);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
