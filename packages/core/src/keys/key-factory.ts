/**
 * The single factory that wraps a CryptoKey as an `HttpSigKey`, and the WebCrypto provider each
 * key is bound to: which one to use, which one a key was made with, and how its failures map.
 */
import type { AlgorithmEntry } from '../algorithms/registry';
import { HttpSigError } from '../errors';
import { invalidKey } from './key-errors';
import { type NodeOperations, nodeOperations } from './node-operations';
import type { Bytes, CryptoProvider, HttpSigKey } from './types';

export function resolveProvider(crypto: CryptoProvider | undefined): CryptoProvider {
  const provider = crypto ?? (globalThis.crypto as CryptoProvider | undefined);
  if (provider?.subtle === undefined) {
    throw new HttpSigError(
      'ERR_HTTPSIG_UNSUPPORTED_ALGORITHM',
      'No WebCrypto implementation is available; pass one as options.crypto',
    );
  }
  return provider;
}

/** Map a WebCrypto failure: a missing algorithm is UNSUPPORTED, anything else is the key's fault. */
export function cryptoFailure(error: unknown, entry: AlgorithmEntry, action: string): HttpSigError {
  if (error instanceof HttpSigError) return error;
  if (isUnsupported(error)) {
    return new HttpSigError(
      'ERR_HTTPSIG_UNSUPPORTED_ALGORITHM',
      `This runtime's WebCrypto does not support ${entry.name}`,
      { parameter: 'alg', cause: error },
    );
  }
  return new HttpSigError('ERR_HTTPSIG_INVALID_KEY', `${action} failed for ${entry.name}`, { cause: error });
}

function isUnsupported(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { name, message } = error as { name?: unknown; message?: unknown };
  // Standard runtimes throw NotSupportedError; @peculiar/webcrypto throws "Unrecognized name".
  return (
    name === 'NotSupportedError' ||
    (typeof message === 'string' && /^unrecognized (algorithm )?name/i.test(message))
  );
}

// ---- The HttpSigKey factory ----

const providers = new WeakMap<HttpSigKey, CryptoProvider>();

/** The provider a key was made with, so exports use the same implementation as the key. */
export function providerOf(key: HttpSigKey): CryptoProvider {
  return providers.get(key) ?? resolveProvider(undefined);
}

/** Wrap a CryptoKey as an `HttpSigKey` for `entry`. Every WebCrypto-backed key is built here. */
export function createHttpSigKey(
  cryptoKey: CryptoKey,
  entry: AlgorithmEntry,
  keyid: string | undefined,
  provider: CryptoProvider,
): HttpSigKey {
  const { subtle } = provider;
  const type = cryptoKey.type;
  const canSign = type !== 'public' && cryptoKey.usages.includes('sign');
  const canVerify = type !== 'private' && cryptoKey.usages.includes('verify');
  // The Node path (keys/node-operations), made on first use and kept; null where there is none.
  let operations: NodeOperations | null | undefined;
  const native = (): NodeOperations | undefined => {
    if (operations === undefined) operations = nodeOperations(cryptoKey, entry, provider) ?? null;
    return operations ?? undefined;
  };
  const key: HttpSigKey = Object.freeze({
    alg: entry.name,
    ...(keyid === undefined ? {} : { keyid }),
    type,
    canSign,
    canVerify,
    cryptoKey,
    async sign(data: Bytes): Promise<Bytes> {
      if (!canSign) throw invalidKey(`This ${type} key cannot sign`);
      try {
        const node = native();
        if (node !== undefined) return node.sign(data);
        return new Uint8Array(await subtle.sign(entry.signParams, cryptoKey, data));
      } catch (error) {
        throw cryptoFailure(error, entry, 'Signing');
      }
    },
    async verify(data: Bytes, signature: Bytes): Promise<boolean> {
      if (!canVerify) throw invalidKey(`This ${type} key cannot verify; use its public key`);
      // A wrong length can never verify; some engines throw on it instead of returning false.
      if (entry.signatureLength !== undefined && signature.length !== entry.signatureLength) return false;
      try {
        const node = native();
        if (node !== undefined) return node.verify(data, signature);
        return await subtle.verify(entry.signParams, cryptoKey, signature, data);
      } catch {
        return false;
      }
    },
  });
  providers.set(key, provider);
  return key;
}
