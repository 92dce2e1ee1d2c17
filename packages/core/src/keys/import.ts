/**
 * Key import: PEM, DER, JWK, base64 secrets and CryptoKeys become an `HttpSigKey` bound to one
 * algorithm. Material is checked against the algorithm's registry entry before WebCrypto sees it
 * (key type, curve, RSASSA-PSS restriction) and its strength after (RSA modulus, HMAC length).
 * This module dispatches on the form of the material; each form is parsed in its own module.
 */
import { type AlgorithmEntry, resolveAlgorithm } from '../algorithms/registry';
import { toBytes } from '../internal/bytes';
import { looksLikePem } from '../internal/pem';
import { fromCryptoKey, isCryptoKey } from './crypto-key-import';
import { parseJwkJson, prepareJwk, publicJwk } from './jwk-import';
import { invalidKey } from './key-errors';
import { createHttpSigKey, resolveProvider } from './key-factory';
import { prepareDer, preparePem } from './pem-der-import';
import { checkUse, type Prepared } from './prepared-material';
import { decodeSecret, prepareSecret } from './secret-import';
import { derivePublicKey, subtleImport } from './subtle-import';
import type { Bytes, CryptoProvider, HttpSigKey, ImportKeyOptions, KeyMaterial } from './types';

// No real key comes near this; the cap keeps hostile input cheap to refuse.
const MAX_MATERIAL_LENGTH = 64 * 1024;

/**
 * Import key material for one algorithm. See `KeyMaterial` for the accepted forms. Throws
 * `ERR_HTTPSIG_INVALID_KEY` for unusable material, `ERR_HTTPSIG_ALGORITHM_MISMATCH` for a key of
 * another kind than `options.alg` needs, `ERR_HTTPSIG_UNSUPPORTED_ALGORITHM` for an unknown alg.
 */
export async function importKey(material: KeyMaterial, options: ImportKeyOptions): Promise<HttpSigKey> {
  if (typeof options !== 'object' || options === null || typeof options.alg !== 'string') {
    throw new TypeError('importKey: options.alg is required (a key is never bound to a guessed algorithm)');
  }
  const { use, keyid } = options;
  if (use !== undefined && use !== 'private' && use !== 'public') {
    throw new TypeError("importKey: options.use must be 'private' or 'public'");
  }
  if (keyid !== undefined && typeof keyid !== 'string')
    throw new TypeError('importKey: options.keyid must be a string');
  const entry = resolveAlgorithm(options.alg);
  const provider = resolveProvider(options.crypto);

  let cryptoKey: CryptoKey;
  let kid: string | undefined;
  if (isCryptoKey(material)) {
    cryptoKey = await fromCryptoKey(material, entry, use, provider);
  } else {
    const prepared = prepareMaterial(material, entry);
    if (prepared.format === 'jwk') kid = prepared.kid;
    cryptoKey = await importPrepared(prepared, entry, use, options.extractable === true, provider);
  }
  checkStrength(cryptoKey, entry, options.allowWeakKey === true);
  return createHttpSigKey(cryptoKey, entry, keyid ?? kid, provider);
}

async function importPrepared(
  prepared: Prepared,
  entry: AlgorithmEntry,
  use: 'private' | 'public' | undefined,
  extractable: boolean,
  provider: CryptoProvider,
): Promise<CryptoKey> {
  checkUse(prepared.type, use, entry);
  if (use === 'public' && prepared.type === 'private') {
    if (prepared.format === 'jwk') {
      return subtleImport(
        { format: 'jwk', data: publicJwk(prepared.data), type: 'public' },
        entry,
        true,
        provider,
      );
    }
    // The private key is extractable only inside this call, long enough to read its public half.
    const temporary = await subtleImport(prepared, entry, true, provider);
    return derivePublicKey(temporary, entry, provider);
  }
  // Public keys are always extractable: they are not secret, and exporting them is common.
  return subtleImport(prepared, entry, prepared.type === 'public' || extractable, provider);
}

function checkStrength(key: CryptoKey, entry: AlgorithmEntry, allowWeak: boolean): void {
  if (entry.minKeyBits === undefined || allowWeak) return;
  const algorithm = key.algorithm as { modulusLength?: unknown; length?: unknown };
  // RSA keys report their modulus size, HMAC keys their secret size, both in bits.
  const bits =
    typeof algorithm.modulusLength === 'number'
      ? algorithm.modulusLength
      : typeof algorithm.length === 'number'
        ? algorithm.length
        : undefined;
  if (bits === undefined) throw invalidKey(`Cannot tell the size of the ${entry.name} key`);
  if (bits < entry.minKeyBits) {
    throw invalidKey(
      `The ${entry.name} key has ${bits} bits, below the minimum of ${entry.minKeyBits}; pass allowWeakKey to accept it`,
    );
  }
}

// ---- Material dispatch ----

function prepareMaterial(material: unknown, entry: AlgorithmEntry): Prepared {
  if (typeof material === 'string') return prepareText(material, entry);
  const bytes = byteSource(material);
  if (bytes !== undefined) {
    if (bytes.length > MAX_MATERIAL_LENGTH) throw invalidKey('The key material is too large');
    return entry.symmetric ? prepareSecret(bytes) : prepareDer(bytes, entry);
  }
  if (typeof material === 'object' && material !== null && !Array.isArray(material)) {
    return prepareJwk(material as Record<string, unknown>, entry);
  }
  throw new TypeError('importKey: key material must be PEM or JWK text, bytes, a JWK object or a CryptoKey');
}

function byteSource(material: unknown): Bytes | undefined {
  if (ArrayBuffer.isView(material)) return toBytes(material);
  // By tag rather than instanceof, so buffers from another realm are recognised too.
  if (Object.prototype.toString.call(material) === '[object ArrayBuffer]') {
    return new Uint8Array((material as ArrayBuffer).slice(0));
  }
  return undefined;
}

function prepareText(text: string, entry: AlgorithmEntry): Prepared {
  if (text.length > MAX_MATERIAL_LENGTH) throw invalidKey('The key material is too large');
  const trimmed = text.trim();
  if (trimmed === '') throw invalidKey('The key material is empty');
  if (looksLikePem(trimmed)) {
    if (entry.symmetric)
      throw invalidKey(`${entry.name} needs a shared secret (base64, bytes or a JWK), not PEM`);
    return preparePem(trimmed, entry);
  }
  if (trimmed.startsWith('{')) return prepareJwk(parseJwkJson(trimmed), entry);
  if (entry.symmetric) return prepareSecret(decodeSecret(trimmed));
  throw invalidKey(`Key text for ${entry.name} must be PEM or JWK JSON`);
}
