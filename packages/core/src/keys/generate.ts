/**
 * Key generation with the provider's WebCrypto. Asymmetric pairs come from `generateKey`;
 * HMAC secrets are 32 random bytes from `getRandomValues`, imported like any other secret.
 */
import { type Algorithm, resolveAlgorithm } from '../algorithms/registry';
import { HttpSigError } from '../errors';
import { importKey } from './import';
import { createHttpSigKey, cryptoFailure, resolveProvider } from './key-factory';
import type { GeneratedKeyPair, GenerateKeyOptions } from './types';

const DEFAULT_MODULUS_LENGTH = 2048;
// Beyond this WebCrypto engines refuse or take minutes; nobody needs it for HTTP signatures.
const MAX_MODULUS_LENGTH = 16384;
const HMAC_SECRET_BYTES = 32;

/** Generate a key pair for `alg`. For `hmac-sha256` both halves are the same secret key. */
export async function generateKey(
  alg: Algorithm,
  options: GenerateKeyOptions = {},
): Promise<GeneratedKeyPair> {
  if (typeof alg !== 'string') throw new TypeError('generateKey: alg is required');
  if (typeof options !== 'object' || options === null)
    throw new TypeError('generateKey: options must be an object');
  const { keyid } = options;
  if (keyid !== undefined && typeof keyid !== 'string')
    throw new TypeError('generateKey: options.keyid must be a string');
  const entry = resolveAlgorithm(alg);
  const provider = resolveProvider(options.crypto);
  const extractable = options.extractable === true;

  if (entry.symmetric) {
    const length = Math.max(HMAC_SECRET_BYTES, (entry.minKeyBits ?? 0) / 8);
    const secret = provider.getRandomValues(new Uint8Array(length));
    const key = await importKey(secret, { alg: entry.name, keyid, extractable, crypto: provider });
    // importKey copied the bytes; do not leave a second copy of the secret around.
    secret.fill(0);
    return Object.freeze({ privateKey: key, publicKey: key });
  }

  const params =
    entry.family === 'rsa'
      ? {
          ...entry.importParams,
          modulusLength: modulusLength(options.modulusLength, entry.minKeyBits ?? DEFAULT_MODULUS_LENGTH),
          publicExponent: new Uint8Array([1, 0, 1]),
        }
      : entry.importParams;
  let pair: CryptoKeyPair;
  try {
    pair = (await provider.subtle.generateKey(params, extractable, ['sign', 'verify'])) as CryptoKeyPair;
  } catch (error) {
    throw cryptoFailure(error, entry, 'Generating a key');
  }
  return Object.freeze({
    privateKey: createHttpSigKey(pair.privateKey, entry, keyid, provider),
    publicKey: createHttpSigKey(pair.publicKey, entry, keyid, provider),
  });
}

function modulusLength(requested: number | undefined, minimum: number): number {
  const bits = requested ?? DEFAULT_MODULUS_LENGTH;
  if (!Number.isInteger(bits) || bits % 8 !== 0 || bits <= 0 || bits > MAX_MODULUS_LENGTH) {
    throw new TypeError(`generateKey: modulusLength must be a multiple of 8 up to ${MAX_MODULUS_LENGTH}`);
  }
  if (bits < minimum) {
    throw new HttpSigError(
      'ERR_HTTPSIG_INVALID_KEY',
      `An RSA modulus of ${bits} bits is below the minimum of ${minimum}`,
    );
  }
  return bits;
}
