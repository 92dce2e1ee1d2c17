/**
 * ECDSA signature encodings in draft-cavage signatures. WebCrypto signs and verifies IEEE P1363
 * (`r || s`, each padded to the curve size); older cavage libraries (joyent `http-signature`
 * through sshpk, Node's `crypto.sign` default, OpenSSL) send ASN.1 DER `SEQUENCE { r, s }`.
 * The DER reader is the core one (`internal/der`), which refuses non-minimal or trailing bytes.
 */
import type { Algorithm } from '../algorithms/registry';
import { encodeInteger, encodeSequence, parseDer, readUnsignedInteger, sequence } from '../internal/der';
import type { Bytes } from '../keys/types';

/** How a cavage ECDSA signature is encoded on the wire. */
export type EcdsaSignatureEncoding = 'der' | 'p1363';

/** Bytes of one of r and s for the ECDSA algorithms, by curve. */
const scalarSize: Partial<Record<Algorithm, number>> = Object.freeze({
  'ecdsa-p256-sha256': 32,
  'ecdsa-p384-sha384': 48,
});

/** The size of r (and of s) for an ECDSA algorithm; undefined for every other algorithm. */
export function ecdsaScalarSize(alg: Algorithm): number | undefined {
  return scalarSize[alg];
}

/**
 * A DER `Ecdsa-Sig-Value` as P1363 for a curve whose scalars take `size` bytes, or undefined when
 * the bytes are not exactly such a DER structure (then they are not DER: the caller treats them as
 * a failed signature). Never throws.
 */
export function ecdsaDerToP1363(signature: Bytes, size: number): Bytes | undefined {
  // SEQUENCE header (2–3 bytes) + two INTEGER headers; anything shorter or much longer is not DER.
  if (signature.length < 8 || signature.length > 2 * size + 16 || signature[0] !== 0x30) return undefined;
  let r: Bytes;
  let s: Bytes;
  try {
    const [first, second] = sequence(parseDer(signature), 'ECDSA signature', 2);
    r = readUnsignedInteger(first, 'ECDSA signature r');
    s = readUnsignedInteger(second, 'ECDSA signature s');
  } catch {
    return undefined;
  }
  if (r.length > size || s.length > size) return undefined;
  const out = new Uint8Array(2 * size);
  out.set(r, size - r.length);
  out.set(s, 2 * size - s.length);
  return out;
}

/** A P1363 `r || s` signature as DER; undefined when its length is odd or zero. */
export function ecdsaP1363ToDer(signature: Uint8Array): Bytes | undefined {
  if (signature.length === 0 || signature.length % 2 !== 0) return undefined;
  const half = signature.length / 2;
  return encodeSequence(encodeInteger(signature.subarray(0, half)), encodeInteger(signature.subarray(half)));
}

/**
 * The forms to try when verifying `signature` with a key of `alg`: the bytes as sent, then, for an
 * ECDSA key and bytes that parse as DER, their P1363 form. A P1363 value could in principle also
 * parse as DER, so the bytes as sent always come first.
 */
export function ecdsaVerifyForms(alg: Algorithm, signature: Bytes): Bytes[] {
  const size = ecdsaScalarSize(alg);
  if (size === undefined) return [signature];
  const converted = ecdsaDerToP1363(signature, size);
  return converted === undefined ? [signature] : [signature, converted];
}

/** Re-encode a WebCrypto ECDSA signature for the wire (`'p1363'` returns it unchanged). */
export function encodeEcdsaSignature(signature: Uint8Array, encoding: EcdsaSignatureEncoding): Uint8Array {
  if (encoding === 'p1363') return signature;
  return ecdsaP1363ToDer(signature) ?? signature;
}
