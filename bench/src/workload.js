/**
 * The benchmark workload: the RFC 9421 Appendix B.2 test request, signed over six components
 * with `created`, `keyid` and `alg`, and one fresh key pair per algorithm.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';

export const algorithms = [
  'ed25519',
  'ecdsa-p256-sha256',
  'rsa-pss-sha512',
  'rsa-v1_5-sha256',
  'hmac-sha256',
];

export const components = [
  '@method',
  '@authority',
  '@path',
  'content-digest',
  'content-type',
  'content-length',
];

export const created = 1618884473;
export const label = 'sig1';
export const keyid = 'bench-key';

export const body = '{"hello": "world"}';
export const url = 'https://example.com/foo?param=Value&Pet=dog';
export const fields = {
  host: 'example.com',
  date: 'Tue, 20 Apr 2021 02:07:55 GMT',
  'content-type': 'application/json',
  'content-digest':
    'sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:',
  'content-length': '18',
};

/** The message as a plain object, without its body (signing does not read it: digest is given). */
export function requestWithout(extra = {}) {
  return { method: 'POST', url, headers: { ...fields, ...extra } };
}

/** The signature base every contender must produce (RFC 9421 §2.5), built by hand. */
export function expectedBase(alg) {
  const params = `("@method" "@authority" "@path" "content-digest" "content-type" "content-length");created=${created};keyid="${keyid}";alg="${alg}"`;
  return [
    '"@method": POST',
    '"@authority": example.com',
    '"@path": /foo',
    `"content-digest": ${fields['content-digest']}`,
    `"content-type": ${fields['content-type']}`,
    `"content-length": ${fields['content-length']}`,
    `"@signature-params": ${params}`,
  ].join('\n');
}

export function signatureParamsValue(alg) {
  return expectedBase(alg).split('\n').at(-1).slice('"@signature-params": '.length);
}

/** PEM (or raw secret) material for one algorithm, shared by every contender. */
export function keyMaterial(alg) {
  if (alg === 'hmac-sha256') return { secret: randomBytes(64) };
  const [type, options] =
    alg === 'ed25519'
      ? ['ed25519', {}]
      : alg === 'ecdsa-p256-sha256'
        ? ['ec', { namedCurve: 'P-256' }]
        : ['rsa', { modulusLength: 2048 }];
  const pair = generateKeyPairSync(type, {
    ...options,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return { privatePem: pair.privateKey, publicPem: pair.publicKey };
}
