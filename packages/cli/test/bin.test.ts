/**
 * The built binary, run as a user would. Needs `pnpm build` (core first, then the CLI). Outside CI
 * the tests are skipped when the build output is missing; in CI (which builds first) they must run.
 */
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createdOf, signatureVector, tempDir, writeMessage, writeTestKeys } from './helpers';

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const coreBuild = fileURLToPath(new URL('../../core/dist/index.js', import.meta.url));
const built = existsSync(bin) && existsSync(coreBuild);
if (!built && process.env.CI === 'true')
  throw new Error('The CLI build output is missing: run pnpm build first');

function httpsig(args: string[], input?: string) {
  const result = spawnSync(process.execPath, [bin, ...args], {
    input: input === undefined ? undefined : Buffer.from(input, 'latin1'),
    encoding: 'latin1',
    timeout: 30_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe.skipIf(!built)('the built httpsig binary (dist/bin.js)', () => {
  const dir = tempDir();
  const keys = writeTestKeys(dir);
  const vector = signatureVector('B.2.6');
  const key = keys[vector.keyid];

  it('starts with a node shebang and is executable as a module', () => {
    expect(statSync(bin).isFile()).toBe(true);
    expect(httpsig(['--help']).stdout).toMatch(/^Usage: httpsig <command>/);
  });

  // B.2.6 signs a request body without covering content-digest, as RFC 9421's examples may.
  const verifyB26 = [
    'verify',
    '--key',
    key?.public as string,
    '--alg',
    'ed25519',
    '--now',
    String(createdOf(vector)),
    '--no-require-digest',
  ];

  it('verifies a vector from stdin with exit 0 and a "verified" line', () => {
    const result = httpsig(verifyB26, vector.signedMessage.raw);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^verified sig-b26 keyid="test-key-ed25519" alg=ed25519 created=1618884473 /,
    );
  });

  it('signs a file byte for byte like the RFC', () => {
    const result = httpsig([
      'sign',
      '--key',
      key?.private as string,
      '--alg',
      'ed25519',
      '--input',
      `${vector.label}=${vector.signatureParamsValue}`,
      writeMessage(dir, 'b26.http', vector.message.raw),
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(vector.signedMessage.raw);
  });

  it('exits 1 with one error line for a tampered message, and 2 for a usage error', () => {
    const tampered = httpsig(verifyB26, vector.signedMessage.raw.replace('POST', 'PUT'));
    expect(tampered.code).toBe(1);
    expect(tampered.stderr).toMatch(/^ERR_HTTPSIG_INVALID_SIGNATURE: [^\n]*\n$/);
    const usage = httpsig(['sign', '--nope']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/^ERR_HTTPSIG_CLI_USAGE: /);
  });

  it('prints the Content-Digest value of stdin, streamed by the real process', () => {
    const result = httpsig(['digest', '--alg', 'sha-512'], '{"hello": "world"}');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      'sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:\n',
    );
    // Several pipe reads' worth of bytes arrive in many chunks.
    const large = randomBytes(3 * 1024 * 1024 + 7);
    const streamed = httpsig(['digest'], large.toString('latin1'));
    expect(streamed.stdout).toBe(`sha-256=:${createHash('sha256').update(large).digest('base64')}:\n`);
  });
});
