import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, tempDir, writeMessage, writeTestKeys } from './helpers';

const dir = tempDir();
const keys = writeTestKeys(dir);
const key = keys['test-key-ed25519']?.private as string;
const message = 'GET / HTTP/1.1\nHost: example.com\n\n';

describe('usage errors exit 2 with ERR_HTTPSIG_CLI_USAGE and the usage on stderr', () => {
  it.each([
    ['no command', []],
    ['an unknown command', ['frobnicate']],
    ['an unknown flag', ['sign', '--key', key, '--alg', 'ed25519', '--components', '@method', '--frob']],
    ['a missing --key', ['sign', '--alg', 'ed25519', '--components', '@method']],
    ['a missing --alg', ['verify', '--key', key]],
    ['an unknown --alg', ['sign', '--key', key, '--alg', 'ed448', '--components', '@method']],
    ['a flag without its value', ['sign', '--key', key, '--alg']],
    [
      'a non-numeric --created',
      ['sign', '--key', key, '--alg', 'ed25519', '--components', '@method', '--created', 'yesterday'],
    ],
    [
      'a negative --expires',
      ['sign', '--key', key, '--alg', 'ed25519', '--components', '@method', '--expires', '-5'],
    ],
    [
      '--created with --no-created',
      ['sign', '--key', key, '--alg', 'ed25519', '--components', '@method', '--created', '1', '--no-created'],
    ],
    ['neither --input nor --components', ['sign', '--key', key, '--alg', 'ed25519']],
    [
      'both --input and --components',
      ['sign', '--key', key, '--alg', 'ed25519', '--components', '@method', '--input', 'a=()'],
    ],
    ['--input with --label', ['sign', '--key', key, '--alg', 'ed25519', '--input', 'a=()', '--label', 'b']],
    ['--input with two members', ['sign', '--key', key, '--alg', 'ed25519', '--input', 'a=(), b=()']],
    [
      'an invalid --label',
      ['sign', '--key', key, '--alg', 'ed25519', '--components', '@method', '--label', 'Sig 1'],
    ],
    [
      'an unterminated quote in --components',
      ['sign', '--key', key, '--alg', 'ed25519', '--components', '"@method'],
    ],
    ['junk after a component', ['sign', '--key', key, '--alg', 'ed25519', '--components', '"@method"x']],
    ['a bad --scheme', ['base', '--label', 'a', '--scheme', 'ftp']],
    ['base without --label or --input', ['base']],
    ['base with both --label and --input', ['base', '--label', 'a', '--input', 'a=()']],
    ['two message files', ['base', '--label', 'a', 'one.http', 'two.http']],
    ['a non-numeric --now', ['verify', '--key', key, '--alg', 'ed25519', '--now', 'soon']],
    ['keygen without --out', ['keygen', '--alg', 'ed25519']],
    ['keygen with an extra argument', ['keygen', '--alg', 'ed25519', '--out', join(dir, 'x'), 'extra']],
    ['digest with an unknown --alg', ['digest', '--alg', 'md5']],
    ['digest with an empty --alg item', ['digest', '--alg', 'sha-256,']],
    ['digest with a negative --max-body-size', ['digest', '--max-body-size', '-1']],
    ['digest with a non-numeric --max-body-size', ['digest', '--max-body-size', '10M']],
    ['digest with --alg and --verify', ['digest', '--alg', 'sha-256', '--verify', 'sha-256=:AA==:']],
    ['digest with two files', ['digest', 'one', 'two']],
    [
      'sign with an unknown --digest',
      ['sign', '--key', key, '--alg', 'ed25519', '--components', '@method', '--digest', 'sha-1'],
    ],
    [
      'sign with --digest and --no-digest',
      [
        'sign',
        '--key',
        key,
        '--alg',
        'ed25519',
        '--components',
        '@method',
        '--digest',
        'sha-256',
        '--no-digest',
      ],
    ],
    [
      'sign --digest with a member that does not cover content-digest',
      ['sign', '--key', key, '--alg', 'ed25519', '--input', 'a=("@method")', '--digest', 'sha-256'],
    ],
    [
      'sign with a bad --max-body-size',
      ['sign', '--key', key, '--alg', 'ed25519', '--components', '@method', '--max-body-size', '1.5'],
    ],
    [
      'verify with a bad --max-body-size',
      ['verify', '--key', key, '--alg', 'ed25519', '--max-body-size', 'x'],
    ],
  ])('for %s', async (_case, argv) => {
    const result = await run(argv, { stdin: message });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^ERR_HTTPSIG_CLI_USAGE: [^\n]+\n\nUsage: httpsig/);
  });

  it('names the digest algorithms for a bad --alg or --digest', async () => {
    const digest = await run(['digest', '--alg', 'sha-1']);
    expect(digest.stderr).toMatch(
      /^ERR_HTTPSIG_CLI_USAGE: [^\n]*"sha-1"[^\n]*sha-256, sha-512\n\nUsage: httpsig digest /,
    );
    const sign = await run(
      ['sign', '--key', key, '--alg', 'ed25519', '--components', '@method', '--digest', 'md5'],
      {
        stdin: message,
      },
    );
    expect(sign.stderr).toMatch(
      /^ERR_HTTPSIG_CLI_USAGE: [^\n]*"md5" for --digest[^\n]*\n\nUsage: httpsig sign /,
    );
  });

  it('shows the command usage for a command-level error', async () => {
    const result = await run(['verify', '--alg', 'ed25519']);
    expect(result.stderr).toContain('Missing required option --key');
    expect(result.stderr).toContain('Usage: httpsig verify');
  });
});

describe('help', () => {
  it.each([['--help'], ['-h'], ['help']])('%s prints the overview to stdout and exits 0', async (flag) => {
    const result = await run([flag]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^Usage: httpsig <command>/);
    for (const command of ['keygen', 'sign', 'verify', 'base', 'digest'])
      expect(result.stdout).toContain(command);
  });

  it.each(['keygen', 'sign', 'verify', 'base', 'digest'])(
    '%s --help prints its usage to stdout and exits 0',
    async (command) => {
      const result = await run([command, '--help']);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(new RegExp(`^Usage: httpsig ${command} `));
      const viaHelp = await run(['help', command]);
      expect(viaHelp.stdout).toBe(result.stdout);
    },
  );
});

describe('runtime failures exit 1 with one ERR_HTTPSIG_… line and no stack trace', () => {
  it('for a message file that does not exist', async () => {
    const result = await run(['base', '--label', 'a', join(dir, 'missing.http')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^ERR_HTTPSIG_CLI_IO: [^\n]*missing\.http[^\n]*\n$/);
  });

  it('for a malformed message', async () => {
    const result = await run(['base', '--label', 'a'], { stdin: 'not http\n\n' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^ERR_HTTPSIG_CLI_INPUT: [^\n]*\n$/);
  });

  it('for a key file that is not a key', async () => {
    const result = await run(
      [
        'sign',
        '--key',
        join(dir, 'test-key-ed25519.pub'),
        '--alg',
        'rsa-pss-sha512',
        '--components',
        '@method',
      ],
      {
        stdin: message,
      },
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^ERR_HTTPSIG_[A-Z_]+: [^\n]*\n$/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('for a key file with broken JSON', async () => {
    writeFileSync(join(dir, 'broken.json'), '{"kty": "OKP",');
    const result = await run(['verify', '--key', join(dir, 'broken.json'), '--alg', 'ed25519'], {
      stdin: message,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^ERR_HTTPSIG_CLI_INPUT: [^\n]*broken\.json[^\n]*\n$/);
  });

  it('for a --request that is a response', async () => {
    const response = writeMessage(dir, 'response.http', 'HTTP/1.1 200 OK\nContent-Type: text/plain\n\nok');
    const result = await run(['base', '--input', 's=("@status")', '--request', response, response]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^ERR_HTTPSIG_CLI_INPUT: .*response/);
  });
});
