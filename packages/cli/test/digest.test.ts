import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { defaultMaxBodySize } from '@httpsig/core';
import { describe, expect, it } from 'vitest';
import { main } from '../src/index';
import { run, tempDir, writeMessage } from './helpers';

const dir = tempDir();

// RFC 9530 Appendix D: the 18-byte body {"hello": "world"}.
const hello = '{"hello": "world"}';
const helloSha256 = 'sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:';
const helloSha512 =
  'sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:';
const emptySha256 = 'sha-256=:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=:';
const helloFile = writeMessage(dir, 'hello.json', hello);

describe('httpsig digest', () => {
  it.each([
    ['sha-256', [], helloSha256],
    ['sha-256', ['--alg', 'sha-256'], helloSha256],
    ['sha-512', ['--alg', 'sha-512'], helloSha512],
  ])('prints the RFC 9530 %s value of stdin and of a file (%j)', async (_alg, flags, expected) => {
    const fromStdin = await run(['digest', ...flags], { stdin: hello });
    expect(fromStdin.stderr).toBe('');
    expect(fromStdin.code).toBe(0);
    expect(fromStdin.stdout).toBe(`${expected}\n`);

    const fromFile = await run(['digest', ...flags, helloFile]);
    expect(fromFile.stderr).toBe('');
    expect(fromFile.stdout).toBe(`${expected}\n`);

    expect((await run(['digest', ...flags, '-'], { stdin: hello })).stdout).toBe(`${expected}\n`);
  });

  it('prints the digest of empty content for an empty input', async () => {
    const result = await run(['digest'], { stdin: '' });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${emptySha256}\n`);
    expect((await run(['digest', writeMessage(dir, 'empty', '')])).stdout).toBe(`${emptySha256}\n`);
  });

  it('gives both members for --alg twice or a comma-separated list, in the order given', async () => {
    for (const flags of [
      ['--alg', 'sha-256', '--alg', 'sha-512'],
      ['--alg', 'sha-256,sha-512'],
      ['--alg', 'sha-256, sha-512', '--alg', 'sha-256'],
    ]) {
      const result = await run(['digest', ...flags, helloFile]);
      expect(result.stdout, flags.join(' ')).toBe(`${helloSha256}, ${helloSha512}\n`);
    }
    const reversed = await run(['digest', '--alg', 'sha-512,sha-256', helloFile]);
    expect(reversed.stdout).toBe(`${helloSha512}, ${helloSha256}\n`);
  });

  it('hashes the bytes exactly as given, not as text', async () => {
    const bytes = Buffer.from([0x00, 0xff, 0x0d, 0x0a, 0xe9, 0x80]);
    const expected = `sha-512=:${createHash('sha512').update(bytes).digest('base64')}:\n`;
    expect((await run(['digest', '--alg', 'sha-512'], { stdin: bytes })).stdout).toBe(expected);
    expect((await run(['digest', '--alg', 'sha-512', writeMessage(dir, 'bytes.bin', bytes)])).stdout).toBe(
      expected,
    );
  });

  it('reads a stdin stream chunk by chunk', async () => {
    const chunks = ['{"hel', 'lo": ', '', '"world"}'].map((text) => Buffer.from(text, 'latin1'));
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    const code = await main(['digest'], {
      stdin: Readable.from(chunks),
      stdout: { write: (chunk) => stdout.push(Buffer.from(chunk)) },
      stderr: { write: (chunk) => stderr.push(Buffer.from(chunk)) },
    });
    expect(Buffer.concat(stderr).toString()).toBe('');
    expect(code).toBe(0);
    expect(Buffer.concat(stdout).toString()).toBe(`${helloSha256}\n`);
  });

  it('refuses input over --max-body-size with ERR_HTTPSIG_BODY_TOO_LARGE (exit 1)', async () => {
    const over = await run(['digest', '--max-body-size', '17', helloFile]);
    expect(over.code).toBe(1);
    expect(over.stdout).toBe('');
    expect(over.stderr).toMatch(/^ERR_HTTPSIG_BODY_TOO_LARGE: [^\n]*17[^\n]*\n$/);

    const overStdin = await run(['digest', '--max-body-size', '17'], { stdin: hello });
    expect(overStdin.code).toBe(1);
    expect(overStdin.stderr).toMatch(/^ERR_HTTPSIG_BODY_TOO_LARGE: /);

    const exact = await run(['digest', '--max-body-size', '18', helloFile]);
    expect(exact.stdout).toBe(`${helloSha256}\n`);
  });

  it(`refuses a file over the default limit (${defaultMaxBodySize} bytes) unless --max-body-size allows it`, async () => {
    const big = Buffer.alloc(defaultMaxBodySize + 1, 0x61);
    const path = join(dir, 'big.bin');
    writeFileSync(path, big);
    const refused = await run(['digest', path]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^ERR_HTTPSIG_BODY_TOO_LARGE: /);

    const allowed = await run(['digest', '--max-body-size', String(big.length), path]);
    expect(allowed.stderr).toBe('');
    expect(allowed.stdout).toBe(`sha-256=:${createHash('sha256').update(big).digest('base64')}:\n`);
  });

  it('--verify checks a value against the input', async () => {
    const both = `${helloSha512}, ${helloSha256}`;
    const good = await run(['digest', '--verify', both, helloFile]);
    expect(good.stderr).toBe('');
    expect(good.code).toBe(0);
    expect(good.stdout).toBe('verified content-digest (sha-512, sha-256)\n');

    const bad = await run(['digest', '--verify', helloSha256], { stdin: `${hello} ` });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/^ERR_HTTPSIG_DIGEST_MISMATCH: [^\n]*content-digest[^\n]*\n$/);

    const empty = await run(['digest', '--verify', emptySha256], { stdin: '' });
    expect(empty.stdout).toBe('verified content-digest (sha-256)\n');
  });

  it('--repr names Repr-Digest: the same value, checked under that field name', async () => {
    expect((await run(['digest', '--repr', helloFile])).stdout).toBe(`${helloSha256}\n`);
    const good = await run(['digest', '--repr', '--verify', helloSha256, helloFile]);
    expect(good.stdout).toBe('verified repr-digest (sha-256)\n');
    const bad = await run(['digest', '--repr', '--verify', helloSha256], { stdin: '' });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^ERR_HTTPSIG_DIGEST_MISMATCH: [^\n]*repr-digest/);
  });

  it('--verify refuses a value with only deprecated or unknown algorithms', async () => {
    const insecure = await run(['digest', '--verify', 'md5=:AAAA:', helloFile]);
    expect(insecure.code).toBe(1);
    expect(insecure.stderr).toMatch(/^ERR_HTTPSIG_INSECURE_DIGEST: /);
    const unknown = await run(['digest', '--verify', 'sha-3000=:AAAA:', helloFile]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^ERR_HTTPSIG_UNSUPPORTED_DIGEST: /);
  });

  it('reports a missing file or a directory as ERR_HTTPSIG_CLI_IO', async () => {
    const missing = await run(['digest', join(dir, 'missing.json')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^ERR_HTTPSIG_CLI_IO: [^\n]*missing\.json[^\n]*no such file[^\n]*\n$/);
    const directory = await run(['digest', dir]);
    expect(directory.code).toBe(1);
    expect(directory.stderr).toMatch(/^ERR_HTTPSIG_CLI_IO: [^\n]*is a directory\n$/);
  });

  it('resolves FILE against the working directory', async () => {
    const result = await run(['digest', 'hello.json'], { cwd: dir });
    expect(result.stdout).toBe(`${helloSha256}\n`);
  });
});
