import { describe, expect, it } from 'vitest';
import {
  createdOf,
  run,
  type SignatureVector,
  signatureVector,
  signatureVectors,
  tempDir,
  toCrlf,
  writeMessage,
  writeTestKeys,
} from './helpers';

const dir = tempDir();
const keys = writeTestKeys(dir);

function keyFor(vector: SignatureVector, which: keyof (typeof keys)[string] = 'public'): string {
  const files = keys[vector.keyid];
  if (!files) throw new Error(`no key ${vector.keyid}`);
  return files[which];
}

/** Serialized identifiers the vector's signature covers. */
function componentList(vector: SignatureVector): string[] {
  const inner = vector.signatureParamsValue.slice(1, vector.signatureParamsValue.indexOf(')'));
  return inner === '' ? [] : inner.split(' ');
}

/**
 * Whether the vector is a request with a body its signature does not bind: RFC 9421's examples
 * do not all cover content-digest, which verify requires of requests by default.
 */
function leavesBodyUncovered(vector: SignatureVector): boolean {
  const body = vector.signedMessage.raw.split('\n\n').slice(1).join('\n\n');
  return (
    vector.targetMessageType === 'request' &&
    body !== '' &&
    !componentList(vector).includes('"content-digest"')
  );
}

let counter = 0;
function verifyArgs(vector: SignatureVector, raw = vector.signedMessage.raw): string[] {
  const args = [
    'verify',
    '--key',
    keyFor(vector),
    '--alg',
    vector.algorithm,
    '--label',
    vector.label,
    '--now',
    String(createdOf(vector)),
  ];
  if (leavesBodyUncovered(vector)) args.push('--no-require-digest');
  if (vector.relatedRequest)
    args.push('--request', writeMessage(dir, `req-${counter++}.http`, vector.relatedRequest.raw));
  args.push(writeMessage(dir, `msg-${counter++}.http`, raw));
  return args;
}

describe('httpsig verify', () => {
  it.each(signatureVectors.map((v) => [v.id, v] as const))(
    'accepts the signature of vector %s',
    async (_id, vector) => {
      const result = await run(verifyArgs(vector));
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toBe(
        `verified ${vector.label} keyid="${vector.keyid}" alg=${vector.algorithm} created=${createdOf(vector)}` +
          `${expiresOf(vector)} components=${componentList(vector).join(' ')}\n${digestLineOf(vector)}`,
      );
    },
  );

  it('refuses by default the vectors that leave a request body uncovered (ERR_HTTPSIG_POLICY)', async () => {
    const uncovered = signatureVectors.filter(leavesBodyUncovered);
    expect(uncovered.map((v) => v.id)).toEqual(['B.2.1', 'B.2.5', 'B.2.6', 'B.3']);
    for (const vector of uncovered) {
      const result = await run(verifyArgs(vector).filter((arg) => arg !== '--no-require-digest'));
      expect(result.code, vector.id).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr, vector.id).toMatch(/^ERR_HTTPSIG_POLICY: [^\n]*content-digest[^\n]*\n$/);
    }
  });

  it('prints the verified line of the contract for B.2.6', async () => {
    const vector = signatureVector('B.2.6');
    const result = await run(verifyArgs(vector));
    expect(result.stdout).toBe(
      'verified sig-b26 keyid="test-key-ed25519" alg=ed25519 created=1618884473 ' +
        'components="date" "@method" "@path" "@authority" "content-type" "content-length"\n',
    );
  });

  it('prints a digest line after the verified line when the body was checked (B.2.3)', async () => {
    const vector = signatureVector('B.2.3');
    const result = await run(verifyArgs(vector));
    expect(result.stdout).toBe(
      'verified sig-b23 keyid="test-key-rsa-pss" alg=rsa-pss-sha512 created=1618884473 ' +
        'components="date" "@method" "@path" "@query" "@authority" "content-type" "content-digest" ' +
        '"content-length"\ndigest: content-digest (sha-512)\n',
    );
  });

  it('checks the body against a covered Content-Digest (ERR_HTTPSIG_DIGEST_MISMATCH)', async () => {
    const vector = signatureVector('B.2.3');
    const tampered = vector.signedMessage.raw.replace('{"hello": "world"}', '{"hello": "World"}');
    const result = await run(verifyArgs(vector, tampered));
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^ERR_HTTPSIG_DIGEST_MISMATCH: [^\n]*\n$/);
  });

  it('picks the only signature when --label is not given, and reads stdin', async () => {
    const vector = signatureVector('B.2.5');
    const result = await run(
      [
        'verify',
        '--key',
        keyFor(vector),
        '--alg',
        vector.algorithm,
        '--now',
        String(createdOf(vector)),
        '--no-require-digest',
      ],
      { stdin: vector.signedMessage.raw },
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^verified sig-b25 /);
  });

  it('accepts a CRLF message', async () => {
    const vector = signatureVector('B.2.3');
    const result = await run(verifyArgs(vector, toCrlf(vector.signedMessage.raw)));
    expect(result.code).toBe(0);
  });

  it('uses the public half of a private PEM or JWK key file', async () => {
    for (const id of ['B.2.6', 'B.2.4', '4.3-proxy_sig']) {
      const vector = signatureVector(id);
      for (const which of ['private', 'privateJwk', 'publicJwk'] as const) {
        const args = verifyArgs(vector);
        args[2] = keyFor(vector, which);
        const result = await run(args);
        expect(result.stderr, `${id} with ${which}`).toBe('');
        expect(result.code).toBe(0);
      }
    }
  });

  it('accepts the shared secret as an oct JWK', async () => {
    const vector = signatureVector('B.2.5');
    const args = verifyArgs(vector);
    args[2] = keyFor(vector, 'privateJwk');
    expect((await run(args)).code).toBe(0);
  });

  it('refuses a tampered message: exit 1, ERR_HTTPSIG_INVALID_SIGNATURE on one stderr line', async () => {
    const vector = signatureVector('B.2.6');
    const tampered = vector.signedMessage.raw.replace('Content-Length: 18', 'Content-Length: 19');
    const result = await run(verifyArgs(vector, tampered));
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^ERR_HTTPSIG_INVALID_SIGNATURE: [^\n]+\n$/);
  });

  it('refuses a tampered signature value', async () => {
    const vector = signatureVector('B.2.5');
    const tampered = vector.signedMessage.raw.replace('pxcQw6G3', 'pxcQw6G4');
    const result = await run(verifyArgs(vector, tampered));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^ERR_HTTPSIG_INVALID_SIGNATURE: /);
  });

  it('refuses a signature checked with the wrong key', async () => {
    const vector = signatureVector('B.2.6');
    const args = verifyArgs(vector);
    args[2] = keys['test-key-ecc-p256']?.public as string;
    args[4] = 'ecdsa-p256-sha256';
    const result = await run(args);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^ERR_HTTPSIG_INVALID_SIGNATURE: /);
  });

  it('accepts the B.4 transformations that keep the covered components and refuses the others', async () => {
    const vector = signatureVector('B.4');
    for (const transformed of vector.transformations ?? []) {
      const result = await run(verifyArgs(vector, transformed.raw));
      expect(result.code, transformed.description).toBe(transformed.expectedValid ? 0 : 1);
    }
  });

  it('needs --label when the message carries several signatures (ERR_HTTPSIG_POLICY)', async () => {
    const vector = signatureVector('4.3-proxy_sig');
    const args = verifyArgs(vector).filter((a, i, all) => a !== '--label' && all[i - 1] !== '--label');
    const result = await run(args);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^ERR_HTTPSIG_POLICY: .*sig1, proxy_sig.*--label/);
  });

  it('checks expires against --now', async () => {
    const vector = signatureVector('4.3-proxy_sig'); // expires=1618884540
    const args = verifyArgs(vector);
    args[args.indexOf('--now') + 1] = '1618884541';
    const late = await run(args);
    expect(late.code).toBe(1);
    expect(late.stderr).toMatch(/^ERR_HTTPSIG_EXPIRED: /);
    args[args.indexOf('--now') + 1] = '1618884540';
    expect((await run(args)).code).toBe(0);
  });

  it('checks expires against the clock when --now is not given', async () => {
    const vector = signatureVector('4.3-proxy_sig');
    const args = verifyArgs(vector);
    args.splice(args.indexOf('--now'), 2);
    const result = await run(args);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^ERR_HTTPSIG_EXPIRED: /);
  });

  it('refuses a signature older than --max-age', async () => {
    const vector = signatureVector('B.2.6');
    const args = verifyArgs(vector);
    args[args.indexOf('--now') + 1] = String(createdOf(vector) + 301);
    const old = await run([...args.slice(0, -1), '--max-age', '300', ...args.slice(-1)]);
    expect(old.code).toBe(1);
    expect(old.stderr).toMatch(/^ERR_HTTPSIG_EXPIRED: /);
    const fresh = await run([...args.slice(0, -1), '--max-age', '301', ...args.slice(-1)]);
    expect(fresh.code).toBe(0);
  });

  it('refuses a signature whose alg parameter disagrees with --alg', async () => {
    const vector = signatureVector('4.3-proxy_sig'); // alg="rsa-v1_5-sha256"
    const args = verifyArgs(vector);
    args[2] = keys['test-key-rsa-pss']?.public as string;
    args[4] = 'rsa-pss-sha512';
    const result = await run(args);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^ERR_HTTPSIG_ALGORITHM_MISMATCH: /);
  });

  it('uses the key whatever the keyid, but --keyid must match when given', async () => {
    const vector = signatureVector('B.2.6');
    const matching = verifyArgs(vector);
    matching.splice(1, 0, '--keyid', 'test-key-ed25519');
    expect((await run(matching)).code).toBe(0);
    const other = verifyArgs(vector);
    other.splice(1, 0, '--keyid', 'someone-else');
    const result = await run(other);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^ERR_HTTPSIG_UNKNOWN_KEY: /);
  });

  it('enforces --require: the covered components must include the listed ones', async () => {
    const vector = signatureVector('B.2.6');
    const args = verifyArgs(vector);
    const covered = await run([
      ...args.slice(0, -1),
      '--require',
      '@method, @authority "date"',
      ...args.slice(-1),
    ]);
    expect(covered.code).toBe(0);
    const missing = await run([
      ...args.slice(0, -1),
      '--require',
      '@method,content-digest',
      ...args.slice(-1),
    ]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^ERR_HTTPSIG_[A-Z_]+: /);
  });

  it('enforces --tag', async () => {
    const vector = signatureVector('B.2.2'); // tag="header-example"
    const args = verifyArgs(vector);
    const good = await run([...args.slice(0, -1), '--tag', 'header-example', ...args.slice(-1)]);
    expect(good.stdout).toMatch(/ tag="header-example" /);
    const bad = await run([...args.slice(0, -1), '--tag', 'other', ...args.slice(-1)]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^ERR_HTTPSIG_[A-Z_]+: /);
  });

  it('reports ERR_HTTPSIG_MISSING_SIGNATURE for an unsigned message or an absent label', async () => {
    const vector = signatureVector('B.2.6');
    const unsigned = await run(verifyArgs(vector, vector.message.raw));
    expect(unsigned.code).toBe(1);
    expect(unsigned.stderr).toMatch(/^ERR_HTTPSIG_MISSING_SIGNATURE: /);
    const args = verifyArgs(vector);
    args[args.indexOf('--label') + 1] = 'sig9';
    const absent = await run(args);
    expect(absent.code).toBe(1);
    expect(absent.stderr).toMatch(/^ERR_HTTPSIG_MISSING_SIGNATURE: .*sig-b26/);
  });

  it('reports a missing key file as ERR_HTTPSIG_CLI_IO', async () => {
    const vector = signatureVector('B.2.6');
    const args = verifyArgs(vector);
    args[2] = `${dir}/no-such-key.pem`;
    const result = await run(args);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^ERR_HTTPSIG_CLI_IO: .*no-such-key\.pem/);
  });

  it('reports a key of another type than --alg needs as ERR_HTTPSIG_ALGORITHM_MISMATCH', async () => {
    const vector = signatureVector('B.2.6');
    const args = verifyArgs(vector);
    args[4] = 'ecdsa-p256-sha256';
    const result = await run(args);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^ERR_HTTPSIG_ALGORITHM_MISMATCH: /);
  });
});

/** The digest line verify prints when the signature covers content-digest: the field's algorithms. */
function digestLineOf(vector: SignatureVector): string {
  if (!componentList(vector).includes('"content-digest"')) return '';
  const line = vector.signedMessage.raw.split('\n').find((l) => /^content-digest:/i.test(l)) ?? '';
  const algorithms = line
    .slice(line.indexOf(':') + 1)
    .split(',')
    .map((member) => member.trim().split('=')[0]);
  return `digest: content-digest (${algorithms.join(', ')})\n`;
}

/** The optional words of the verified line: expires and tag, when the signature has them. */
function expiresOf(vector: SignatureVector): string {
  const param = (name: string) => vector.signatureParameters.find((p) => p.name === name)?.value;
  const expires = param('expires');
  const tag = param('tag');
  return (expires === undefined ? '' : ` expires=${expires}`) + (tag === undefined ? '' : ` tag="${tag}"`);
}
