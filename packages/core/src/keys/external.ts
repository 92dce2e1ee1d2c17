/**
 * Keys held elsewhere (KMS, HSM, remote signer): the library hands the callbacks the signature
 * base and checks what comes back, so a misbehaving signer fails loudly instead of emitting junk.
 */
import { resolveAlgorithm } from '../algorithms/registry';
import { HttpSigError } from '../errors';
import { toBytes } from '../internal/bytes';
import type { Bytes, ExternalKeyOptions, HttpSigKey } from './types';

export function createExternalKey(options: ExternalKeyOptions): HttpSigKey {
  if (typeof options !== 'object' || options === null || typeof options.alg !== 'string') {
    throw new TypeError('createExternalKey: options.alg is required');
  }
  const { sign: signCallback, verify: verifyCallback, keyid } = options;
  if (signCallback !== undefined && typeof signCallback !== 'function') {
    throw new TypeError('createExternalKey: options.sign must be a function');
  }
  if (verifyCallback !== undefined && typeof verifyCallback !== 'function') {
    throw new TypeError('createExternalKey: options.verify must be a function');
  }
  if (signCallback === undefined && verifyCallback === undefined) {
    throw new TypeError('createExternalKey: pass a sign callback, a verify callback or both');
  }
  if (keyid !== undefined && typeof keyid !== 'string') {
    throw new TypeError('createExternalKey: options.keyid must be a string');
  }
  const entry = resolveAlgorithm(options.alg);
  const expectedLength = entry.signatureLength;

  return Object.freeze({
    alg: entry.name,
    ...(keyid === undefined ? {} : { keyid }),
    type: 'external',
    canSign: signCallback !== undefined,
    canVerify: verifyCallback !== undefined,
    async sign(data: Bytes): Promise<Bytes> {
      if (signCallback === undefined) {
        throw new HttpSigError('ERR_HTTPSIG_INVALID_KEY', 'This external key has no sign callback');
      }
      let result: unknown;
      try {
        result = await signCallback(data);
      } catch (error) {
        throw new HttpSigError('ERR_HTTPSIG_INVALID_KEY', `The external ${entry.name} signer failed`, {
          cause: error,
        });
      }
      const signature = asBytes(result);
      if (signature === undefined) {
        throw new HttpSigError(
          'ERR_HTTPSIG_INVALID_KEY',
          'The external signer must return a Uint8Array or ArrayBuffer',
        );
      }
      if (expectedLength !== undefined && signature.length !== expectedLength) {
        // KMS APIs commonly return DER-encoded ECDSA signatures, which RFC 9421 does not allow.
        const hint = entry.family === 'ec' ? ' (ECDSA signatures must be raw r‖s, not DER)' : '';
        throw new HttpSigError(
          'ERR_HTTPSIG_INVALID_KEY',
          `The external signer returned ${signature.length} bytes; ${entry.name} signatures have ${expectedLength}${hint}`,
        );
      }
      return signature;
    },
    async verify(data: Bytes, signature: Bytes): Promise<boolean> {
      if (verifyCallback === undefined) {
        throw new HttpSigError('ERR_HTTPSIG_INVALID_KEY', 'This external key has no verify callback');
      }
      if (expectedLength !== undefined && signature.length !== expectedLength) return false;
      try {
        return (await verifyCallback(data, signature)) === true;
      } catch {
        // A verifier that cannot decide has not confirmed the signature.
        return false;
      }
    },
  });
}

function asBytes(value: unknown): Bytes | undefined {
  if (value instanceof Uint8Array) return toBytes(value);
  if (Object.prototype.toString.call(value) === '[object ArrayBuffer]') {
    return new Uint8Array((value as ArrayBuffer).slice(0));
  }
  return undefined;
}
