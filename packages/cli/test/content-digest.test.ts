/** sign and verify bind the body through Content-Digest (RFC 9530). */
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { type RunResult, run, tempDir, writeMessage, writeTestKeys } from './helpers';

const dir = tempDir();
const keys = writeTestKeys(dir);
const privateKey = keys['test-key-ed25519']?.private as string;
const publicKey = keys['test-key-ed25519']?.public as string;

const sign = ['sign', '--key', privateKey, '--alg', 'ed25519', '--created', '1'];
const verify = ['verify', '--key', publicKey, '--alg', 'ed25519'];

const body = '{"hello": "world"}';
const post =
  'POST /items HTTP/1.1\r\nHost: example.com\r\nContent-Type: application/json\r\n' +
  `Content-Length: ${body.length}\r\n\r\n${body}`;
const get = 'GET /items HTTP/1.1\r\nHost: example.com\r\n\r\n';

const sha = (algorithm: 'sha256' | 'sha512', data: string) =>
  createHash(algorithm).update(Buffer.from(data, 'latin1')).digest('base64');

/** Every value of a field in a raw message. */
function fieldValues(raw: string, name: string): string[] {
  const head = raw.split(/\r?\n\r?\n/)[0] ?? '';
  return head
    .split(/\r?\n/)
    .filter((line) => line.toLowerCase().startsWith(`${name.toLowerCase()}:`))
    .map((line) => line.slice(name.length + 1).trim());
}

describe('httpsig sign: Content-Digest', () => {
  it('adds a covered sha-256 Content-Digest to a message with a body by default', async () => {
    const signed = await run([...sign, '--components', '@method,@path,content-type'], { stdin: post });
    expect(signed.stderr).toBe('');
    expect(signed.code).toBe(0);
    expect(fieldValues(signed.stdout, 'Content-Digest')).toEqual([`sha-256=:${sha('sha256', body)}:`]);
    expect(fieldValues(signed.stdout, 'Signature-Input')).toEqual([
      'sig1=("@method" "@path" "content-type" "content-digest");created=1',
    ]);
    // The digest goes after the existing fields and before the signature fields; the body stays.
    expect(signed.stdout).toMatch(
      /^POST \/items HTTP\/1\.1\r\nHost: example\.com\r\nContent-Type: application\/json\r\nContent-Length: 18\r\nContent-Digest: [^\r\n]+\r\nSignature-Input: [^\r\n]+\r\nSignature: [^\r\n]+\r\n\r\n\{"hello": "world"\}$/,
    );

    const verified = await run(verify, { stdin: signed.stdout });
    expect(verified.stderr).toBe('');
    expect(verified.code).toBe(0);
    expect(verified.stdout).toBe(
      'verified sig1 alg=ed25519 created=1 components="@method" "@path" "content-type" "content-digest"\n' +
        'digest: content-digest (sha-256)\n',
    );
  });

  it('adds no Content-Digest to a GET without a body, unless --digest asks for one', async () => {
    const plain = await run([...sign, '--components', '@method,@path'], { stdin: get });
    expect(plain.stderr).toBe('');
    expect(fieldValues(plain.stdout, 'Content-Digest')).toEqual([]);
    expect(fieldValues(plain.stdout, 'Signature-Input')).toEqual(['sig1=("@method" "@path");created=1']);
    const verified = await run(verify, { stdin: plain.stdout });
    expect(verified.stdout).toBe('verified sig1 alg=ed25519 created=1 components="@method" "@path"\n');

    const empty = await run([...sign, '--components', '@method,@path', '--digest', 'sha-256'], {
      stdin: get,
    });
    expect(fieldValues(empty.stdout, 'Content-Digest')).toEqual([`sha-256=:${sha('sha256', '')}:`]);
    expect(fieldValues(empty.stdout, 'Signature-Input')).toEqual([
      'sig1=("@method" "@path" "content-digest");created=1',
    ]);
    const emptyVerified = await run(verify, { stdin: empty.stdout });
    expect(emptyVerified.stdout).toMatch(/\ndigest: content-digest \(sha-256\)\n$/);
  });

  it('treats Content-Length: 0 without body bytes as no body', async () => {
    const raw = 'POST /ping HTTP/1.1\nHost: example.com\nContent-Length: 0\n\n';
    const signed = await run([...sign, '--components', '@method'], { stdin: raw });
    expect(fieldValues(signed.stdout, 'Content-Digest')).toEqual([]);
    expect((await run(verify, { stdin: signed.stdout })).code).toBe(0);
  });

  describe('--digest sha-512, then verify', () => {
    let signed: RunResult;
    beforeAll(async () => {
      signed = await run([...sign, '--components', '@method,content-type', '--digest', 'sha-512'], {
        stdin: post,
      });
    });

    it('adds a sha-512 digest and verifies', async () => {
      expect(signed.stderr).toBe('');
      expect(fieldValues(signed.stdout, 'Content-Digest')).toEqual([`sha-512=:${sha('sha512', body)}:`]);
      const verified = await run(verify, { stdin: signed.stdout });
      expect(verified.stderr).toBe('');
      expect(verified.code).toBe(0);
      expect(verified.stdout).toMatch(
        /^verified sig1 [^\n]*"content-digest"\ndigest: content-digest \(sha-512\)\n$/,
      );
    });

    it('refuses a body with one byte changed (ERR_HTTPSIG_DIGEST_MISMATCH)', async () => {
      const altered = signed.stdout.replace('"world"}', '"worle"}');
      expect(altered).not.toBe(signed.stdout);
      const result = await run(verify, { stdin: altered });
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/^ERR_HTTPSIG_DIGEST_MISMATCH: [^\n]*\n$/);
    });

    it('refuses a changed covered header (ERR_HTTPSIG_INVALID_SIGNATURE)', async () => {
      const altered = signed.stdout.replace('Content-Type: application/json', 'Content-Type: text/plain');
      expect(altered).not.toBe(signed.stdout);
      const result = await run(verify, { stdin: altered });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^ERR_HTTPSIG_INVALID_SIGNATURE: [^\n]*\n$/);
    });

    it('refuses a Content-Digest replaced to match a new body (ERR_HTTPSIG_INVALID_SIGNATURE)', async () => {
      const other = '{"hello": "there"}';
      const altered = signed.stdout
        .replace(body, other)
        .replace(`sha-512=:${sha('sha512', body)}:`, `sha-512=:${sha('sha512', other)}:`);
      const result = await run(verify, { stdin: altered });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^ERR_HTTPSIG_INVALID_SIGNATURE: /);
    });

    it('refuses a body over verify --max-body-size (ERR_HTTPSIG_BODY_TOO_LARGE)', async () => {
      const result = await run([...verify, '--max-body-size', String(body.length - 1)], {
        stdin: signed.stdout,
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^ERR_HTTPSIG_BODY_TOO_LARGE: /);
      const fits = await run([...verify, '--max-body-size', String(body.length)], { stdin: signed.stdout });
      expect(fits.code).toBe(0);
    });
  });

  it('--no-digest leaves the body unbound: verify refuses it unless --no-require-digest', async () => {
    const signed = await run([...sign, '--components', '@method,@path', '--no-digest'], { stdin: post });
    expect(signed.stderr).toBe('');
    expect(fieldValues(signed.stdout, 'Content-Digest')).toEqual([]);
    expect(fieldValues(signed.stdout, 'Signature-Input')).toEqual(['sig1=("@method" "@path");created=1']);

    const refused = await run(verify, { stdin: signed.stdout });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toMatch(/^ERR_HTTPSIG_POLICY: [^\n]*content-digest[^\n]*\n$/);

    const accepted = await run([...verify, '--no-require-digest'], { stdin: signed.stdout });
    expect(accepted.stderr).toBe('');
    expect(accepted.code).toBe(0);
    expect(accepted.stdout).toBe('verified sig1 alg=ed25519 created=1 components="@method" "@path"\n');
  });

  it('checks and covers a Content-Digest the message already has, and refuses a wrong one', async () => {
    const withDigest = post.replace(
      '\r\n\r\n',
      `\r\nContent-Digest: sha-512=:${sha('sha512', body)}:\r\n\r\n`,
    );
    const signed = await run([...sign, '--components', '@method'], { stdin: withDigest });
    expect(signed.stderr).toBe('');
    expect(fieldValues(signed.stdout, 'Content-Digest')).toEqual([`sha-512=:${sha('sha512', body)}:`]);
    expect(fieldValues(signed.stdout, 'Signature-Input')).toEqual([
      'sig1=("@method" "content-digest");created=1',
    ]);

    const wrong = withDigest.replace(body, '{"hello": "World"}');
    const refused = await run([...sign, '--components', '@method'], { stdin: wrong });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toMatch(/^ERR_HTTPSIG_DIGEST_MISMATCH: /);
  });

  it('digests the content of a chunked body, not its framing', async () => {
    const chunked =
      'POST /items HTTP/1.1\nHost: example.com\nTransfer-Encoding: chunked\n\n' +
      '7\n{"hello\nb\n": "world"}\n0\n\n';
    const signed = await run([...sign, '--components', '@method'], { stdin: chunked });
    expect(signed.stderr).toBe('');
    expect(fieldValues(signed.stdout, 'Content-Digest')).toEqual([`sha-256=:${sha('sha256', body)}:`]);
    expect(signed.stdout.endsWith('7\n{"hello\nb\n": "world"}\n0\n\n')).toBe(true);
    const verified = await run(verify, { stdin: signed.stdout });
    expect(verified.stderr).toBe('');
    expect(verified.code).toBe(0);
  });

  it('refuses a body over sign --max-body-size (ERR_HTTPSIG_BODY_TOO_LARGE)', async () => {
    const refused = await run([...sign, '--components', '@method', '--max-body-size', '17'], { stdin: post });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toMatch(/^ERR_HTTPSIG_BODY_TOO_LARGE: /);
    const fits = await run([...sign, '--components', '@method', '--max-body-size', '18'], { stdin: post });
    expect(fits.code).toBe(0);
  });
});

describe('httpsig sign --input: the member says what is covered', () => {
  it('adds no digest when the member does not cover content-digest, even for a body', async () => {
    const signed = await run([...sign.slice(0, 5), '--input', 'sig1=("@method");created=1'], {
      stdin: post,
    });
    expect(signed.stderr).toBe('');
    expect(fieldValues(signed.stdout, 'Content-Digest')).toEqual([]);
    expect(fieldValues(signed.stdout, 'Signature-Input')).toEqual(['sig1=("@method");created=1']);
  });

  it('adds the digest a member covering content-digest needs, with the --digest algorithm', async () => {
    const member = 'sig1=("@method" "content-digest");created=1';
    const signed = await run([...sign.slice(0, 5), '--input', member], { stdin: post });
    expect(signed.stderr).toBe('');
    expect(fieldValues(signed.stdout, 'Content-Digest')).toEqual([`sha-256=:${sha('sha256', body)}:`]);
    expect(fieldValues(signed.stdout, 'Signature-Input')).toEqual([member]);

    const sha512 = await run([...sign.slice(0, 5), '--input', member, '--digest', 'sha-512'], {
      stdin: post,
    });
    expect(fieldValues(sha512.stdout, 'Content-Digest')).toEqual([`sha-512=:${sha('sha512', body)}:`]);
    expect(fieldValues(sha512.stdout, 'Signature-Input')).toEqual([member]);
    expect((await run(verify, { stdin: sha512.stdout })).stdout).toMatch(
      /\ndigest: content-digest \(sha-512\)\n$/,
    );
  });

  it("does not take a response's content-digest;req (the request's digest) for its own", async () => {
    const requestDigest = `sha-256=:${sha('sha256', body)}:`;
    const request = writeMessage(
      dir,
      'request.http',
      post.replace('\r\n\r\n', `\r\nContent-Digest: ${requestDigest}\r\n\r\n`),
    );
    const response = 'HTTP/1.1 200 OK\nContent-Type: text/plain\n\nok';
    const member = 'sig1=("@status" "content-digest";req);created=1';
    const signed = await run([...sign.slice(0, 5), '--input', member, '--request', request], {
      stdin: response,
    });
    expect(signed.stderr).toBe('');
    expect(fieldValues(signed.stdout, 'Content-Digest')).toEqual([]);
    expect(fieldValues(signed.stdout, 'Signature-Input')).toEqual([member]);

    const refused = await run(
      [...sign.slice(0, 5), '--input', member, '--request', request, '--digest', 'sha-256'],
      { stdin: response },
    );
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^ERR_HTTPSIG_CLI_USAGE: --digest needs the --input member/);
  });
});
