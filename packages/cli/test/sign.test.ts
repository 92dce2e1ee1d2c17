import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  run,
  type SignatureVector,
  signatureVector,
  tempDir,
  toCrlf,
  withoutSignatureFields,
  writeMessage,
  writeTestKeys,
} from './helpers';

const dir = tempDir();
const keys = writeTestKeys(dir);
let counter = 0;
const file = (raw: string | Uint8Array) => writeMessage(dir, `m-${counter++}.http`, raw);

function privateKey(keyid: string, which: 'private' | 'privateJwk' = 'private'): string {
  const files = keys[keyid];
  if (!files) throw new Error(`no key ${keyid}`);
  return files[which];
}

const member = (vector: SignatureVector) => `${vector.label}=${vector.signatureParamsValue}`;

/** The field value of the first line of a field in a raw message. */
function field(raw: string, name: string): string | undefined {
  const line = raw.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line?.slice(name.length + 1).trim();
}

function unsigned(vector: SignatureVector): string {
  // B.4 prints only the signed message; the others print the message before this signature.
  return vector.id === 'B.4' ? withoutSignatureFields(vector.signedMessage.raw) : vector.message.raw;
}

describe('httpsig sign --input', () => {
  it.each(['B.2.5', 'B.2.6', 'B.4', '4.3-proxy_sig'])(
    'reproduces the signed message of deterministic vector %s byte for byte',
    async (id) => {
      const vector = signatureVector(id);
      const result = await run([
        'sign',
        '--key',
        privateKey(vector.keyid),
        '--alg',
        vector.algorithm,
        '--input',
        member(vector),
        file(unsigned(vector)),
      ]);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(field(result.stdout, 'Signature-Input')).toBe(vector.signatureInputHeader);
      expect(field(result.stdout, 'Signature')).toBe(vector.signatureHeader);
      expect(result.stdout).toBe(vector.signedMessage.raw);
    },
  );

  it('keeps CRLF line ends and produces the same signature for a CRLF message', async () => {
    const vector = signatureVector('4.3-proxy_sig');
    const result = await run([
      'sign',
      '--key',
      privateKey(vector.keyid),
      '--alg',
      vector.algorithm,
      '--input',
      member(vector),
      file(toCrlf(vector.message.raw)),
    ]);
    expect(result.stdout).toBe(toCrlf(vector.signedMessage.raw));
  });

  it('signs with a private JWK key file as with the PEM', async () => {
    for (const id of ['B.2.6', 'B.2.5', '4.3-proxy_sig']) {
      const vector = signatureVector(id);
      const result = await run(
        [
          'sign',
          '--key',
          privateKey(vector.keyid, 'privateJwk'),
          '--alg',
          vector.algorithm,
          '--input',
          member(vector),
        ],
        { stdin: unsigned(vector) },
      );
      expect(result.stderr, id).toBe('');
      expect(result.stdout, id).toBe(vector.signedMessage.raw);
    }
  });

  it('adds --keyid after the other parameters when the member has no keyid', async () => {
    const vector = signatureVector('B.2.6');
    const withoutKeyid = member(vector).replace(';keyid="test-key-ed25519"', '');
    const result = await run(
      [
        'sign',
        '--key',
        privateKey(vector.keyid),
        '--alg',
        'ed25519',
        '--keyid',
        'test-key-ed25519',
        '--input',
        withoutKeyid,
      ],
      { stdin: vector.message.raw },
    );
    expect(result.stdout).toBe(vector.signedMessage.raw);
  });

  it('refuses a member whose alg parameter disagrees with --alg (ERR_HTTPSIG_ALGORITHM_MISMATCH)', async () => {
    const vector = signatureVector('4.3-proxy_sig'); // alg="rsa-v1_5-sha256"
    const result = await run(
      ['sign', '--key', privateKey('test-key-rsa-pss'), '--alg', 'rsa-pss-sha512', '--input', member(vector)],
      { stdin: vector.message.raw },
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^ERR_HTTPSIG_ALGORITHM_MISMATCH: /);
  });

  it('signs a response with ;req components of the --request message, and the result verifies', async () => {
    const vector = signatureVector('2.4-reqres-1');
    const request = file(vector.relatedRequest?.raw as string);
    const signed = await run([
      'sign',
      '--key',
      privateKey(vector.keyid),
      '--alg',
      vector.algorithm,
      '--input',
      member(vector),
      '--request',
      request,
      file(vector.message.raw),
    ]);
    expect(signed.stderr).toBe('');
    expect(field(signed.stdout, 'Signature-Input')).toBe(vector.signatureInputHeader);
    const verified = await run([
      'verify',
      '--key',
      keys[vector.keyid]?.public as string,
      '--alg',
      vector.algorithm,
      '--now',
      '1618884479',
      '--request',
      request,
      file(signed.stdout),
    ]);
    expect(verified.stderr).toBe('');
    expect(verified.stdout).toMatch(/^verified reqres keyid="test-key-ecc-p256" alg=ecdsa-p256-sha256 /);
  });
});

describe('httpsig sign --components', () => {
  const ed25519 = ['sign', '--key', privateKey('test-key-ed25519'), '--alg', 'ed25519'];
  const request = 'GET /search?q=a%20b HTTP/1.1\nHost: example.com\nContent-Type: text/plain\n\n';

  it('reproduces B.2.6 from bare component names, --created, --keyid and --no-digest', async () => {
    const vector = signatureVector('B.2.6');
    const result = await run(
      [
        ...ed25519,
        '--no-digest',
        '--components',
        'date,@method, @path @authority  content-type,content-length',
        '--label',
        'sig-b26',
        '--created',
        '1618884473',
        '--keyid',
        'test-key-ed25519',
      ],
      { stdin: vector.message.raw },
    );
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(vector.signedMessage.raw);
  });

  it('writes parameters in the order created, expires, nonce, alg, keyid, tag', async () => {
    const result = await run(
      [
        ...ed25519,
        '--tag',
        'app',
        '--keyid',
        'k1',
        '--with-alg',
        '--nonce',
        'n-1',
        '--expires',
        '1700000300',
        '--created',
        '1700000000',
        '--components',
        '"@method", "@query-param";name="q" Content-Type',
      ],
      { stdin: request },
    );
    expect(result.stderr).toBe('');
    expect(field(result.stdout, 'Signature-Input')).toBe(
      'sig1=("@method" "@query-param";name="q" "content-type");created=1700000000;expires=1700000300;' +
        'nonce="n-1";alg="ed25519";keyid="k1";tag="app"',
    );
  });

  it('sets created to now by default, and leaves it out with --no-created', async () => {
    const before = Math.floor(Date.now() / 1000);
    const now = await run([...ed25519, '--components', '@method'], { stdin: request });
    const after = Math.floor(Date.now() / 1000);
    const created = Number(/;created=(\d+)/.exec(field(now.stdout, 'Signature-Input') ?? '')?.[1]);
    expect(created).toBeGreaterThanOrEqual(before);
    expect(created).toBeLessThanOrEqual(after);

    const none = await run([...ed25519, '--components', '@method', '--no-created', '--keyid', 'k'], {
      stdin: request,
    });
    expect(field(none.stdout, 'Signature-Input')).toBe('sig1=("@method");keyid="k"');
  });

  it('accepts an empty component list (a signature over its parameters only)', async () => {
    const result = await run([...ed25519, '--components', '', '--created', '1'], { stdin: request });
    expect(field(result.stdout, 'Signature-Input')).toBe('sig1=();created=1');
  });

  it('covers ;sf of a field whose structured type the library does not know', async () => {
    const raw = 'GET / HTTP/1.1\nHost: example.com\nExample-Dict:  a=1,    b=2;x=1\n\n';
    const signed = await run([...ed25519, '--components', '"example-dict";sf,"example-dict";key="a"'], {
      stdin: raw,
    });
    expect(signed.stderr).toBe('');
    const verified = await run(
      ['verify', '--key', keys['test-key-ed25519']?.public as string, '--alg', 'ed25519'],
      { stdin: signed.stdout },
    );
    expect(verified.stdout).toMatch(/components="example-dict";sf "example-dict";key="a"\n$/);
  });

  it('round-trips sign → verify for each algorithm with the RFC keys', async () => {
    const pairs = [
      ['test-key-rsa-pss', 'rsa-pss-sha512'],
      ['test-key-rsa', 'rsa-v1_5-sha256'],
      ['test-key-ecc-p256', 'ecdsa-p256-sha256'],
      ['test-key-ed25519', 'ed25519'],
      ['test-shared-secret', 'hmac-sha256'],
    ] as const;
    for (const [keyid, alg] of pairs) {
      const signed = await run(
        [
          'sign',
          '--key',
          privateKey(keyid),
          '--alg',
          alg,
          '--keyid',
          keyid,
          '--components',
          '@method,@target-uri',
        ],
        { stdin: request },
      );
      expect(signed.stderr, alg).toBe('');
      const verified = await run(['verify', '--key', keys[keyid]?.public as string, '--alg', alg], {
        stdin: signed.stdout,
      });
      expect(verified.stdout, alg).toMatch(new RegExp(`^verified sig1 keyid="${keyid}" alg=${alg} `));
    }
  });
});

describe('httpsig sign: the output message', () => {
  const ed25519 = ['sign', '--key', privateKey('test-key-ed25519'), '--alg', 'ed25519', '--created', '1'];

  it('leaves the body bytes untouched (binary, CRLF inside) and digests them', async () => {
    const head = Buffer.from(
      'POST /upload HTTP/1.1\r\nHost: example.com\r\nContent-Length: 8\r\n\r\n',
      'latin1',
    );
    const body = Buffer.from([0x00, 0xff, 0x0d, 0x0a, 0x0d, 0x0a, 0x80, 0x7f]);
    const result = await run([...ed25519, '--components', '@method', file(Buffer.concat([head, body]))]);
    expect(result.stderr).toBe('');
    expect(result.stdoutBytes.subarray(result.stdoutBytes.length - body.length).equals(body)).toBe(true);
    expect(result.stdout).toMatch(/^POST \/upload HTTP\/1\.1\r\nHost: example.com\r\nContent-Length: 8\r\n/);
    const digest = createHash('sha256').update(body).digest('base64');
    expect(result.stdout).toContain(
      `\r\nContent-Digest: sha-256=:${digest}:\r\nSignature-Input: sig1=("@method" "content-digest");created=1\r\n` +
        'Signature: sig1=:',
    );
    expect(result.stdout).toMatch(/\r\nSignature: sig1=:[^\r\n]+:\r\n\r\n/);
  });

  it('keeps field values byte for byte, latin1 included', async () => {
    const raw = 'GET / HTTP/1.1\nHost: example.com\nX-Latin: caf\xe9 \xff\n\n';
    const result = await run([...ed25519, '--components', '@method'], { stdin: raw });
    expect(result.stdout.startsWith('GET / HTTP/1.1\nHost: example.com\nX-Latin: caf\xe9 \xff\n')).toBe(true);
  });

  it('keeps existing signatures and puts all members on the first line of each field', async () => {
    const raw =
      'GET / HTTP/1.1\nHost: example.com\nSignature-Input: a=();created=1\nSignature: a=:AAAA:\n' +
      'Signature-Input: b=();created=2\nSignature: b=:BBBB:\nAccept: */*\n\n';
    const result = await run([...ed25519, '--components', '@method', '--label', 'c'], { stdin: raw });
    expect(result.stderr).toBe('');
    const lines = result.stdout.split('\n');
    expect(lines[2]).toBe('Signature-Input: a=();created=1, b=();created=2, c=("@method");created=1');
    expect(lines[3]).toMatch(/^Signature: a=:AAAA:, b=:BBBB:, c=:[A-Za-z0-9+/=]+:$/);
    expect(lines[4]).toBe('Accept: */*');
    expect(lines).toHaveLength(7);
  });

  it('refuses a label the message already has (exit 1, ERR_HTTPSIG_LABEL_EXISTS), and replaces it with --replace', async () => {
    const vector = signatureVector('B.2.6');
    const args = ['sign', '--key', privateKey(vector.keyid), '--alg', 'ed25519', '--input', member(vector)];
    const refused = await run(args, { stdin: vector.signedMessage.raw });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toMatch(/^ERR_HTTPSIG_LABEL_EXISTS: [^\n]*\n$/);

    const stale = vector.signedMessage.raw.replace(/sig-b26=:[^:]+:/, 'sig-b26=:AAAA:');
    const replaced = await run([...args, '--replace'], { stdin: stale });
    expect(replaced.stderr).toBe('');
    expect(replaced.stdout).toBe(vector.signedMessage.raw);
  });

  it('refuses to sign with a public key (ERR_HTTPSIG_INVALID_KEY)', async () => {
    const result = await run(
      [
        'sign',
        '--key',
        keys['test-key-ed25519']?.public as string,
        '--alg',
        'ed25519',
        '--components',
        '@method',
      ],
      { stdin: 'GET / HTTP/1.1\nHost: example.com\n\n' },
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^ERR_HTTPSIG_INVALID_KEY: /);
  });

  it('reports a missing covered field as an error with its code', async () => {
    const result = await run([...ed25519, '--components', 'content-digest'], {
      stdin: 'GET / HTTP/1.1\nHost: example.com\n\n',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^ERR_HTTPSIG_MISSING_COMPONENT: .*content-digest/);
  });
});

describe('httpsig sign/verify --allow-weak-key', () => {
  it('refuses a 16-byte HMAC secret unless --allow-weak-key is given, for sign and verify alike', async () => {
    const secret = `${dir}/short.secret`;
    writeFileSync(secret, btoa('0123456789abcdef'));
    const message = file('GET /x HTTP/1.1\nHost: example.com\n\n');
    const args = ['--key', secret, '--alg', 'hmac-sha256', '--components', '@method,@path'];

    const refused = await run(['sign', ...args, message]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('ERR_HTTPSIG_INVALID_KEY');

    const signed = await run(['sign', ...args, '--allow-weak-key', message]);
    expect(signed.code).toBe(0);
    const signedFile = file(signed.stdout);
    const verifyArgs = ['verify', '--key', secret, '--alg', 'hmac-sha256', signedFile];
    expect((await run(verifyArgs)).code).toBe(1);
    const verified = await run([...verifyArgs, '--allow-weak-key']);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toMatch(/^verified sig1 /);
  });
});
