/**
 * `httpsig fetch` against a real verifying server on 127.0.0.1, through every client stack:
 * the request verifies there, the response is printed as a raw message, and exit codes say
 * whether the answer was 2xx.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVerifyingServer, type VerifyingServer } from '../../../test-support/verifying-server';
import { loadTestKeys } from '../../core/test/conformance/lib/messages';
import { clientNames } from '../src/fetch/clients';
import { run, tempDir, writeMessage, writeTestKeys } from './helpers';

const dir = tempDir();
const keyFiles = writeTestKeys(dir);
const ed = keyFiles['test-key-ed25519'];
let server: VerifyingServer;

beforeAll(async () => {
  const keys = await loadTestKeys();
  server = await startVerifyingServer({ keys: keys.public, responseKey: keys.private['test-key-ecc-p256'] });
});
afterAll(() => server.close());

const signing = ['--key', ed?.private ?? '', '--alg', 'ed25519', '--keyid', 'test-key-ed25519'];

function verdictOf(stdout: string): {
  verified: boolean;
  components?: string[];
  bodyBase64?: string;
  params?: object;
} {
  return JSON.parse(stdout.slice(stdout.indexOf('\r\n\r\n') + 4));
}

describe.each(clientNames)('--client %s', (client) => {
  it('POSTs a JSON body that the server verifies, and prints the response', async () => {
    const result = await run([
      'fetch',
      server.url('/orders?q=caf\u00e9 au lait'),
      '--client',
      client,
      ...signing,
      '-H',
      'Content-Type: application/json',
      '-d',
      '{"amount":10}',
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(result.stdout).toMatch(/\r\ncontent-type: application\/json\r\n/i);
    const verdict = verdictOf(result.stdout);
    expect(verdict.verified).toBe(true);
    expect(verdict.components).toEqual(['"@method"', '"@target-uri"', '"content-type"', '"content-digest"']);
    expect(Buffer.from(verdict.bodyBase64 ?? '', 'base64').toString()).toBe('{"amount":10}');
  });

  it('sends a --data-file body with --digest sha-512, --tag and chosen components', async () => {
    const file = writeMessage(dir, `body-${client}.bin`, new Uint8Array([0, 1, 2, 255]));
    const result = await run([
      'fetch',
      server.url('/upload'),
      '--client',
      client,
      ...signing,
      '-X',
      'put',
      '--data-file',
      file,
      '--digest',
      'sha-512',
      '--tag',
      'cli',
      '--components',
      '@method,@authority,@path,@target-uri',
    ]);
    expect(result.code).toBe(0);
    const verdict = verdictOf(result.stdout);
    expect(verdict).toMatchObject({ verified: true, params: { tag: 'cli' } });
    expect(verdict.components).toContain('"content-digest"');
  });

  it('verifies the signed response with --verify-response-key', async () => {
    const result = await run([
      'fetch',
      server.url('/signed-response'),
      '--client',
      client,
      ...signing,
      '--verify-response-key',
      keyFiles['test-key-ecc-p256']?.public ?? '',
      '--verify-response-alg',
      'ecdsa-p256-sha256',
      '--verify-response-components',
      '@status,"@method";req,"@target-uri";req,content-digest',
    ]);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^response signature sig1 verified/);
  });

  it('exits 1 with ERR_HTTPSIG_CLI_HTTP_STATUS on a 401, after printing it', async () => {
    const result = await run([
      'fetch',
      server.url('/x'),
      '--client',
      client,
      ...signing,
      '--no-digest',
      '-d',
      'body',
    ]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^HTTP\/1\.1 401/);
    expect(verdictOf(result.stdout)).toMatchObject({ verified: false, code: 'ERR_HTTPSIG_POLICY' });
    expect(result.stderr).toMatch(/^ERR_HTTPSIG_CLI_HTTP_STATUS: The server answered 401/);
  });
});

describe('failures', () => {
  it('a server that is not there → ERR_HTTPSIG_CLI_NETWORK', async () => {
    const result = await run(['fetch', 'http://127.0.0.1:9/', ...signing]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^ERR_HTTPSIG_CLI_NETWORK: /);
  });

  it('usage errors exit 2', async () => {
    for (const argv of [
      ['fetch', ...signing],
      ['fetch', 'ftp://x/', ...signing],
      ['fetch', server.url('/'), ...signing, '--client', 'curl'],
      ['fetch', server.url('/'), ...signing, '-H', 'no colon'],
      ['fetch', server.url('/'), ...signing, '--digest', 'md5'],
      ['fetch', server.url('/'), ...signing, '--verify-response-alg', 'ed25519'],
    ]) {
      const result = await run(argv);
      expect(result.code, argv.join(' ')).toBe(2);
      expect(result.stderr).toMatch(/^ERR_HTTPSIG_CLI_USAGE: /);
    }
  });

  it('a body over --max-body-size is refused before sending', async () => {
    const before = server.received.length;
    const result = await run(['fetch', server.url('/'), ...signing, '-d', '12345', '--max-body-size', '4']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^ERR_HTTPSIG_BODY_TOO_LARGE: /);
    expect(server.received.length).toBe(before);
  });
});
