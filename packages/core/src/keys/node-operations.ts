/**
 * The Node path for WebCrypto keys: the same sign/verify operations through synchronous
 * `node:crypto` on a `KeyObject` made once from the CryptoKey. In Node, `SubtleCrypto.sign`
 * hops to the libuv thread pool and back for every call (about 25–30 µs), more than an Ed25519
 * signature costs; `crypto.sign` on the calling thread does not. The KeyObject stays inside
 * the closure, so a non-extractable key is no more exportable than before.
 * Used only when the key was made by Node's own WebCrypto; any other provider keeps WebCrypto.
 */
import type { AlgorithmEntry } from '../algorithms/registry';
import {
  type NodeCryptoModule,
  type NodeSignKeyInput,
  nodeCrypto,
  nodeMajorVersion,
} from '../internal/node-crypto';
import type { Bytes, CryptoProvider } from './types';

export interface NodeOperations {
  sign(data: Bytes): Bytes;
  verify(data: Bytes, signature: Bytes): boolean;
}

/**
 * Synchronous operations for `cryptoKey`, or undefined when the runtime is not Node or the key
 * does not come from Node's WebCrypto (e.g. `@peculiar/webcrypto`, a wrapped provider).
 */
export function nodeOperations(
  cryptoKey: CryptoKey,
  entry: AlgorithmEntry,
  provider: CryptoProvider,
): NodeOperations | undefined {
  const node = nodeCrypto();
  if (node === undefined || provider.subtle !== node.webcrypto.subtle) return undefined;
  // Node 24 deprecates KeyObject.from on a non-extractable CryptoKey (DEP0204, a warning on every
  // process): such keys stay on WebCrypto there.
  if (!cryptoKey.extractable && nodeMajorVersion() >= 24) return undefined;
  let keyObject: NodeSignKeyInput['key'];
  try {
    keyObject = node.KeyObject.from(cryptoKey);
  } catch {
    return undefined;
  }
  return entry.symmetric
    ? hmacOperations(node, keyObject, entry)
    : signatureOperations(node, keyObject, entry);
}

function hmacOperations(
  node: NodeCryptoModule,
  keyObject: NodeSignKeyInput['key'],
  entry: AlgorithmEntry,
): NodeOperations {
  const digest = entry.node.digest as string;
  const mac = (data: Bytes): Uint8Array => node.createHmac(digest, keyObject).update(data).digest();
  return {
    sign: (data) => ownBytes(mac(data)),
    // Constant time, as SubtleCrypto.verify is for HMAC.
    verify: (data, signature) => {
      const expected = mac(data);
      return expected.length === signature.length && node.timingSafeEqual(expected, signature);
    },
  };
}

function signatureOperations(
  node: NodeCryptoModule,
  keyObject: NodeSignKeyInput['key'],
  entry: AlgorithmEntry,
): NodeOperations {
  const { digest, pssSaltLength, dsaEncoding } = entry.node;
  const key: NodeSignKeyInput['key'] | NodeSignKeyInput =
    pssSaltLength !== undefined
      ? { key: keyObject, padding: node.constants.RSA_PKCS1_PSS_PADDING, saltLength: pssSaltLength }
      : dsaEncoding !== undefined
        ? { key: keyObject, dsaEncoding }
        : keyObject;
  return {
    sign: (data) => ownBytes(node.sign(digest, data, key)),
    verify: (data, signature) => node.verify(digest, data, key, signature),
  };
}

/** A plain Uint8Array over its own ArrayBuffer, as WebCrypto returns (never a pooled Buffer view). */
function ownBytes(bytes: Uint8Array): Bytes {
  if (
    bytes.byteOffset === 0 &&
    bytes.byteLength === bytes.buffer.byteLength &&
    bytes.buffer instanceof ArrayBuffer
  ) {
    return new Uint8Array(bytes.buffer as ArrayBuffer);
  }
  return new Uint8Array(bytes) as Bytes;
}
