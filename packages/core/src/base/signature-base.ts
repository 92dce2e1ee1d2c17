/** The signature base (RFC 9421 §2.5). */
import type { ComponentIdentifier } from '../components/identifier';
import { componentValues } from '../components/values';
import { HttpSigError } from '../errors';
import { utf8Encode } from '../internal/bytes';
import type { Bytes } from '../keys/types';
import type { NormalizedMessage } from '../message/normalize';
import type { FieldTypeOptions } from './types';

/**
 * RFC 9421 §2.5: the base is ASCII. Control characters other than HTAB would also let a value
 * forge extra base lines.
 */
const baseSafe = /^[\t\x20-\x7e]*$/;

function isBaseSafe(value: string): boolean {
  return baseSafe.test(value);
}

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
      if (!isBaseSafe(value)) {
        throw new HttpSigError(
          'ERR_HTTPSIG_INVALID_COMPONENT',
          'The component value contains non-ASCII or control characters; cover it with the bs parameter',
          { component: id.serialized },
        );
      }
      base += `${id.serialized}: ${value}\n`;
    }
  }
  return `${base}"@signature-params": ${signatureParams}`;
}

/** The bytes that are signed. Component values are checked to be ASCII, so UTF-8 is ASCII here. */
export function encodeSignatureBase(base: string): Bytes {
  return utf8Encode(base);
}
