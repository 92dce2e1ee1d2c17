import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { algorithms } from '@httpsig/core';
import { describe, expect, it } from 'vitest';
import { run, tempDir } from './helpers';

const dir = tempDir();
const message =
  'POST /items?x=1 HTTP/1.1\r\nHost: api.example.com\r\nContent-Type: application/json\r\n\r\n{}';
const mode = (path: string) => statSync(path).mode & 0o777;

describe('httpsig keygen', () => {
  it.each(algorithms.filter((alg) => alg !== 'hmac-sha256'))(
    'writes %s PEM and JWK files, private ones 0600, and the keys sign and verify via the CLI',
    async (alg) => {
      const prefix = join(dir, alg);
      const result = await run(['keygen', '--alg', alg, '--out', prefix]);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const paths = [`${prefix}.key`, `${prefix}.jwk.json`, `${prefix}.pub`, `${prefix}.pub.jwk.json`];
      expect(result.stdout.trim().split('\n').sort()).toEqual([...paths].sort());

      expect(mode(`${prefix}.key`)).toBe(0o600);
      expect(mode(`${prefix}.jwk.json`)).toBe(0o600);
      expect(readFileSync(`${prefix}.key`, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----\n[\s\S]+\n$/);
      expect(readFileSync(`${prefix}.pub`, 'utf8')).toMatch(/^-----BEGIN PUBLIC KEY-----\n[\s\S]+\n$/);
      const privateJwk = JSON.parse(readFileSync(`${prefix}.jwk.json`, 'utf8'));
      const publicJwk = JSON.parse(readFileSync(`${prefix}.pub.jwk.json`, 'utf8'));
      expect(privateJwk.d).toEqual(expect.any(String));
      expect(publicJwk.d).toBeUndefined();
      // The private key material never reaches stdout.
      expect(result.stdout).not.toContain(privateJwk.d);

      for (const [signKey, verifyKey] of [
        [`${prefix}.key`, `${prefix}.pub`],
        [`${prefix}.jwk.json`, `${prefix}.pub.jwk.json`],
        [`${prefix}.key`, `${prefix}.key`],
      ] as const) {
        const signed = await run(
          ['sign', '--key', signKey, '--alg', alg, '--components', '@method,@path,content-type'],
          {
            stdin: message,
          },
        );
        expect(signed.stderr).toBe('');
        const verified = await run(['verify', '--key', verifyKey, '--alg', alg], { stdin: signed.stdout });
        expect(verified.stderr).toBe('');
        expect(verified.stdout).toMatch(new RegExp(`^verified sig1 alg=${alg} created=\\d+ components=`));
      }
    },
  );

  it('writes an hmac-sha256 base64 secret and an oct JWK, both 0600, and no public files', async () => {
    const prefix = join(dir, 'hmac');
    const result = await run(['keygen', '--alg', 'hmac-sha256', '--out', prefix]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${prefix}.key\n${prefix}.jwk.json\n`);
    expect(existsSync(`${prefix}.pub`)).toBe(false);
    expect(existsSync(`${prefix}.pub.jwk.json`)).toBe(false);
    expect(mode(`${prefix}.key`)).toBe(0o600);
    expect(mode(`${prefix}.jwk.json`)).toBe(0o600);
    const secret = readFileSync(`${prefix}.key`, 'utf8');
    expect(secret).toMatch(/^[A-Za-z0-9+/]+=*\n$/);
    expect(Buffer.from(secret.trim(), 'base64').length).toBeGreaterThanOrEqual(32);
    const jwk = JSON.parse(readFileSync(`${prefix}.jwk.json`, 'utf8'));
    expect(jwk.kty).toBe('oct');
    expect(Buffer.from(jwk.k, 'base64url').equals(Buffer.from(secret.trim(), 'base64'))).toBe(true);
    expect(result.stdout).not.toContain(secret.trim());

    for (const keyFile of [`${prefix}.key`, `${prefix}.jwk.json`]) {
      const signed = await run(
        ['sign', '--key', keyFile, '--alg', 'hmac-sha256', '--components', '@method'],
        {
          stdin: message,
        },
      );
      const verified = await run(['verify', '--key', `${prefix}.key`, '--alg', 'hmac-sha256'], {
        stdin: signed.stdout,
      });
      expect(verified.stdout).toMatch(/^verified sig1 alg=hmac-sha256 /);
    }
  });

  it('puts --keyid into the JWK files as kid, which then names the key when signing', async () => {
    const prefix = join(dir, 'with-kid');
    await run(['keygen', '--alg', 'ed25519', '--out', prefix, '--keyid', 'my-key']);
    expect(JSON.parse(readFileSync(`${prefix}.jwk.json`, 'utf8')).kid).toBe('my-key');
    expect(JSON.parse(readFileSync(`${prefix}.pub.jwk.json`, 'utf8')).kid).toBe('my-key');
    const signed = await run(
      [
        'sign',
        '--key',
        `${prefix}.jwk.json`,
        '--alg',
        'ed25519',
        '--components',
        '@method',
        '--created',
        '5',
      ],
      { stdin: message },
    );
    // The message has a body, so its Content-Digest is covered too.
    expect(signed.stdout).toContain(
      'Signature-Input: sig1=("@method" "content-digest");created=5;keyid="my-key"\r\n',
    );
  });

  it('refuses to overwrite existing files unless --force, which recreates them 0600', async () => {
    const prefix = join(dir, 'existing');
    writeFileSync(`${prefix}.key`, 'old');
    chmodSync(`${prefix}.key`, 0o644);

    const refused = await run(['keygen', '--alg', 'ed25519', '--out', prefix]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^ERR_HTTPSIG_CLI_EXISTS: .*existing\.key.*--force/);
    expect(readFileSync(`${prefix}.key`, 'utf8')).toBe('old');
    expect(existsSync(`${prefix}.pub`)).toBe(false);

    const forced = await run(['keygen', '--alg', 'ed25519', '--out', prefix, '--force']);
    expect(forced.code).toBe(0);
    expect(readFileSync(`${prefix}.key`, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(mode(`${prefix}.key`)).toBe(0o600);
  });

  it('resolves --out against the working directory and prints the paths as given', async () => {
    const result = await run(['keygen', '--alg', 'ecdsa-p384-sha384', '--out', 'relative'], { cwd: dir });
    expect(result.stdout).toBe('relative.key\nrelative.jwk.json\nrelative.pub\nrelative.pub.jwk.json\n');
    expect(existsSync(join(dir, 'relative.pub'))).toBe(true);
  });

  it('reports a missing output directory as ERR_HTTPSIG_CLI_IO', async () => {
    const result = await run(['keygen', '--alg', 'ed25519', '--out', join(dir, 'no-such-dir', 'k')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^ERR_HTTPSIG_CLI_IO: /);
  });
});
