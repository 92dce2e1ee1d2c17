/**
 * Prepared material handed to `SubtleCrypto.importKey` with the usages its type allows, and the
 * public half of a private key read back through WebCrypto.
 */
import type { AlgorithmEntry } from '../algorithms/registry';
import { publicJwk } from './jwk-import';
import { cryptoFailure } from './key-factory';
import type { MaterialType, Prepared } from './prepared-material';
import type { CryptoProvider } from './types';

const USAGES: Readonly<Record<MaterialType, KeyUsage[]>> = {
  private: ['sign'],
  public: ['verify'],
  secret: ['sign', 'verify'],
};

export async function subtleImport(
  prepared: Prepared,
  entry: AlgorithmEntry,
  extractable: boolean,
  provider: CryptoProvider,
): Promise<CryptoKey> {
  const usages = USAGES[prepared.type];
  try {
    if (prepared.format === 'jwk') {
      return await provider.subtle.importKey('jwk', prepared.data, entry.importParams, extractable, usages);
    }
    return await provider.subtle.importKey(
      prepared.format,
      prepared.data,
      entry.importParams,
      extractable,
      usages,
    );
  } catch (error) {
    throw cryptoFailure(error, entry, `Importing the ${prepared.type} key`);
  }
}

/** The public half of an extractable private CryptoKey, read from its JWK (exportable everywhere). */
export async function derivePublicKey(
  privateKey: CryptoKey,
  entry: AlgorithmEntry,
  provider: CryptoProvider,
): Promise<CryptoKey> {
  let jwk: JsonWebKey;
  try {
    jwk = await provider.subtle.exportKey('jwk', privateKey);
  } catch (error) {
    throw cryptoFailure(error, entry, 'Reading the public half of the private key');
  }
  return subtleImport({ format: 'jwk', data: publicJwk(jwk), type: 'public' }, entry, true, provider);
}
