/** The signature base (RFC 9421 §2.5). */
import type { ComponentIdentifier } from '../components/identifier';
import { componentValues } from '../components/values';
import { HttpSigError } from '../errors';
import { encodeByteString } from '../internal/bytes';
import type { Bytes } from '../keys/types';
import type { NormalizedMessage } from '../message/normalize';
import type { FieldTypeOptions } from './types';

/** Characters a base line may not contain: they would forge extra lines. */
const forbidden = /[\x00-\x08\x0a-\x1f\x7f]/;

/**
 * Build the base: one line per covered component value, then `"@signature-params"`.
 * `signatureParams` is the serialized Inner List with its parameters.
 */
export function buildSignatureBase(
  message: NormalizedMessage,
  components: readonly ComponentIdentifier[],
  signatureParams: string,
  options: FieldTypeOptions,
): string {
  const seen = new Set<string>();
  let base = '';
  for (const id of components) {
    if (seen.has(id.serialized)) {
      throw new HttpSigError('ERR_HTTPSIG_INVALID_COMPONENT', 'A component is covered twice', {
        component: id.serialized,
      });
    }
    seen.add(id.serialized);
    for (const value of componentValues(id, message, options)) {
      if (forbidden.test(value)) {
        throw new HttpSigError(
          'ERR_HTTPSIG_INVALID_COMPONENT',
          'The component value contains control characters; cover it with the bs parameter',
          { component: id.serialized },
        );
      }
      base += `${id.serialized}: ${value}\n`;
    }
  }
  return `${base}"@signature-params": ${signatureParams}`;
}

/** The bytes that are signed: the base as an HTTP byte string (see `encodeByteString`). */
export function encodeSignatureBase(base: string): Bytes {
  return encodeByteString(base);
}
