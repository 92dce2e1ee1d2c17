import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { run, tempDir, toCrlf, writeMessage, writeTestKeys } from './helpers';

const dir = tempDir();
const keys = writeTestKeys(dir);
let counter = 0;
const file = (raw: string | Uint8Array) => writeMessage(dir, `c-${counter++}.http`, raw);

const cavageVectors = JSON.parse(
  readFileSync(new URL('../../core/test/vectors/cavage12-vectors.json', import.meta.url), 'utf8'),
) as {
  key: { publicKeyPem: string; privateKeyPem: string };
  request: { raw: string };
  tests: { id: string; signingString: string; signatureHeader?: string; authorizationHeader: string }[];
};
const vectorKey = writeMessage(dir, 'cavage-test.pub', `${cavageVectors.key.publicKeyPem}\n`);
const vectorTest = (id: string) => {
  const found = cavageVectors.tests.find((t) => t.id === id);
  if (found === undefined) throw new Error(`no test ${id}`);
  return found;
};

const post = toCrlf(
  'POST /foo?param=value&pet=dog HTTP/1.1\nHost: example.com\nContent-Type: application/json\nContent-Length: 18\n\n',
).concat('{"hello": "world"}');

const rsa = { private: keys['test-key-rsa']?.private ?? '', public: keys['test-key-rsa']?.public ?? '' };
const ed = {
  private: keys['test-key-ed25519']?.private ?? '',
  public: keys['test-key-ed25519']?.public ?? '',
};

function field(raw: string, name: string): string | undefined {
  const line = raw.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line?.slice(name.length + 1).trim();
}

async function signed(extra: string[] = [], key = rsa.private, alg = 'rsa-v1_5-sha256') {
  const result = await run([
    'sign',
    '--format',
    'cavage',
    '--key',
    key,
    '--alg',
    alg,
    '--keyid',
    'k1',
    ...extra,
    file(post),
  ]);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return result.stdout;
}

describe('httpsig sign/verify --format cavage', () => {
  it('signs with rsa-sha256, adding Date and Digest, and verifies', async () => {
    const out = await signed();
    expect(field(out, 'Digest')).toBe('SHA-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=');
    expect(field(out, 'Date')).toMatch(/GMT$/);
    expect(field(out, 'Signature')).toMatch(
      /^keyId="k1",algorithm="rsa-sha256",headers="\(request-target\) host date digest",signature="/,
    );
    // The body and the other lines stay as they were.
    expect(out.startsWith('POST /foo?param=value&pet=dog HTTP/1.1\r\nHost: example.com\r\n')).toBe(true);
    expect(out.endsWith('\r\n\r\n{"hello": "world"}')).toBe(true);
    const result = await run([
      'verify',
      '--format',
      'cavage',
      '--key',
      rsa.public,
      '--alg',
      'rsa-v1_5-sha256',
      file(out),
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      'verified cavage keyId="k1" algorithm=rsa-sha256 alg=rsa-v1_5-sha256 form=signature headers="(request-target) host date digest"\ndigest: digest (sha-256)\n',
    );
  });

  it('signs with ed25519 as Authorization: Signature with hs2019 and created', async () => {
    const out = await signed(
      [
        '--hs2019',
        '--authorization',
        '--created',
        'now',
        '--headers',
        '(request-target) (created) host digest',
      ],
      ed.private,
      'ed25519',
    );
    expect(field(out, 'Signature')).toBeUndefined();
    expect(field(out, 'Date')).toBeUndefined();
    expect(field(out, 'Authorization')).toMatch(
      /^Signature keyId="k1",algorithm="hs2019",created=\d+,headers=/,
    );
    const result = await run([
      'verify',
      '--format',
      'cavage',
      '--key',
      ed.public,
      '--alg',
      'ed25519',
      '--keyid',
      'k1',
      '--require',
      '(request-target),host,digest',
      '--max-age',
      '60',
      file(out),
    ]);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(
      /^verified cavage keyId="k1" algorithm=hs2019 alg=ed25519 created=\d+ form=authorization /,
    );
  });

  it('reports a tampered body as a digest mismatch', async () => {
    const out = await signed();
    const result = await run([
      'verify',
      '--format',
      'cavage',
      '--key',
      rsa.public,
      '--alg',
      'rsa-v1_5-sha256',
      file(out.replace('"world"', '"WORLD"')),
    ]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^ERR_HTTPSIG_DIGEST_MISMATCH: /);
  });

  it('reports a tampered header as an invalid signature', async () => {
    const out = await signed();
    const result = await run([
      'verify',
      '--format',
      'cavage',
      '--key',
      rsa.public,
      '--alg',
      'rsa-v1_5-sha256',
      file(out.replace('Host: example.com', 'Host: example.org')),
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^ERR_HTTPSIG_INVALID_SIGNATURE: /);
  });

  it('refuses a signature whose keyId is not --keyid', async () => {
    const out = await signed();
    const result = await run([
      'verify',
      '--format',
      'cavage',
      '--key',
      rsa.public,
      '--alg',
      'rsa-v1_5-sha256',
      '--keyid',
      'other',
      file(out),
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^ERR_HTTPSIG_UNKNOWN_KEY: /);
  });

  it('enforces --require', async () => {
    const out = await signed(['--headers', 'host date digest']);
    const result = await run([
      'verify',
      '--format',
      'cavage',
      '--key',
      rsa.public,
      '--alg',
      'rsa-v1_5-sha256',
      file(out),
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^ERR_HTTPSIG_POLICY: .*\(request-target\)/);
  });
});

describe('httpsig base --format cavage', () => {
  it('prints the signing string of the signature on the message', async () => {
    const out = await signed(['--headers', '(request-target) host digest']);
    const result = await run(['base', '--format', 'cavage', file(out)]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      '(request-target): post /foo?param=value&pet=dog\nhost: example.com\ndigest: SHA-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=\n',
    );
  });

  it('prints the signing strings of Appendix C.1 (default headers date) and C.2', async () => {
    for (const [id, extra] of [
      ['C.1', ['--default-headers', 'date']],
      ['C.2', []],
    ] as const) {
      const t = vectorTest(id);
      const message = toCrlf(cavageVectors.request.raw).replace(
        'Content-Length: 18\r\n',
        `Content-Length: 18\r\nAuthorization: ${t.authorizationHeader}\r\n`,
      );
      const result = await run(['base', '--format', 'cavage', ...extra, file(message)]);
      expect(result.stderr).toBe('');
      expect(result.stdout).toBe(`${t.signingString}\n`);
    }
  });
});

describe('draft-cavage-12 Appendix C through the CLI', () => {
  const verifyVector = (id: string, header: 'Signature' | 'Authorization', extra: string[]) => {
    const t = vectorTest(id);
    const value = header === 'Signature' ? t.signatureHeader : t.authorizationHeader;
    const message = toCrlf(cavageVectors.request.raw).replace(
      'Content-Length: 18\r\n',
      `Content-Length: 18\r\n${header}: ${value}\r\n`,
    );
    // The Appendix C key is 1024-bit, below the default minimum.
    return run([
      'verify',
      '--format',
      'cavage',
      '--key',
      vectorKey,
      '--alg',
      'rsa-v1_5-sha256',
      '--allow-weak-key',
      ...extra,
      file(message),
    ]);
  };

  it('verifies C.1 with the draft default headers "date"', async () => {
    const result = await verifyVector('C.1', 'Signature', ['--default-headers', 'date', '--require', 'date']);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(
      'verified cavage keyId="Test" algorithm=rsa-sha256 alg=rsa-v1_5-sha256 form=signature headers="date"\n',
    );
  });

  it('verifies C.2 (Authorization) and refuses it once a signed header changes', async () => {
    const extra = ['--require', '(request-target) host date'];
    const ok = await verifyVector('C.2', 'Authorization', extra);
    expect(ok.stderr).toBe('');
    expect(ok.stdout).toBe(
      'verified cavage keyId="Test" algorithm=rsa-sha256 alg=rsa-v1_5-sha256 form=authorization headers="(request-target) host date"\n',
    );
    const defaults = await verifyVector('C.2', 'Authorization', []);
    // The request has a body, so by default its digest must be signed: C.2 does not.
    expect(defaults.stderr).toMatch(/^ERR_HTTPSIG_POLICY: .*digest/);
    const t = vectorTest('C.2');
    const tampered = toCrlf(cavageVectors.request.raw)
      .replace('Sun, 05 Jan 2014', 'Mon, 06 Jan 2014')
      .replace('Content-Length: 18\r\n', `Content-Length: 18\r\nAuthorization: ${t.authorizationHeader}\r\n`);
    const bad = await run([
      'verify',
      '--format',
      'cavage',
      '--key',
      vectorKey,
      '--alg',
      'rsa-v1_5-sha256',
      '--allow-weak-key',
      ...extra,
      file(tampered),
    ]);
    expect(bad.stderr).toMatch(/^ERR_HTTPSIG_INVALID_SIGNATURE: /);
  });
});

describe('--format usage errors', () => {
  it.each([
    [
      ['sign', '--format', 'cavage', '--components', '@method'],
      '--components cannot be used with --format cavage',
    ],
    [['sign', '--format', 'cavage', '--no-digest'], '--no-digest cannot be used with --format cavage'],
    [
      ['sign', '--components', '@method', '--headers', 'host'],
      '--headers cannot be used with --format rfc9421',
    ],
    [['sign', '--components', '@method', '--hs2019'], '--hs2019 cannot be used with --format rfc9421'],
    [['sign', '--format', 'jws'], '--format must be rfc9421 or cavage'],
    [['verify', '--format', 'cavage', '--label', 'sig1'], '--label cannot be used with --format cavage'],
    [['verify', '--default-headers', 'date'], '--default-headers cannot be used with --format rfc9421'],
    [['base', '--format', 'cavage', '--label', 'sig1'], '--label cannot be used with --format cavage'],
    [['base', '--default-headers', 'date', '--label', 'sig1'], '--default-headers cannot be used'],
  ])('%j exits 2', async (argv, message) => {
    const keyArgs =
      argv[0] === 'base' ? [] : ['--key', rsa.private, '--alg', 'rsa-v1_5-sha256', '--keyid', 'k'];
    const result = await run([...argv, ...keyArgs, file(post)]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/ERR_HTTPSIG_CLI_USAGE/);
    expect(result.stderr).toContain(message);
  });

  it('refuses to sign a response', async () => {
    const result = await run([
      'sign',
      '--format',
      'cavage',
      '--key',
      rsa.private,
      '--alg',
      'rsa-v1_5-sha256',
      '--keyid',
      'k',
      file(toCrlf('HTTP/1.1 200 OK\nContent-Length: 0\n\n')),
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^ERR_HTTPSIG_CLI_INPUT: /);
  });
});
