/**
 * Serializing a new signature's `@signature-params` value and its `Signature-Input` /
 * `Signature` members by string concatenation. Signing does this once per message, and the
 * generic structured-field serializer (structured-headers) costs several microseconds for it —
 * more than an HMAC. Only the shapes a signer produces take this path (component identifiers
 * already serialized, integer/string/boolean parameters); anything else goes through
 * structured-headers, so the output is byte-for-byte the same either way.
 */
import type { SignatureParams } from '../base/types';
import type { ComponentIdentifier } from '../components/identifier';
import { type BareItem, type InnerList, serializeInnerList } from '../sfv/index';
import { base64Encode } from './bytes';

/** RFC 9651 §3.3.1: integers have at most 15 digits. */
const maxInteger = 999_999_999_999_999;
const keyPattern = /^[a-z*][a-z0-9_\-.*]*$/;
const printableAscii = /^[\x20-\x7e]*$/;
const escapable = /["\\]/g;

function fastParameter(name: string, value: BareItem): string | undefined {
  if (!keyPattern.test(name)) return undefined;
  if (value === true) return `;${name}`;
  if (value === false) return `;${name}=?0`;
  if (typeof value === 'number') {
    return Number.isInteger(value) && Math.abs(value) <= maxInteger ? `;${name}=${value}` : undefined;
  }
  if (typeof value === 'string' && printableAscii.test(value)) {
    return `;${name}="${value.replace(escapable, (c) => `\\${c}`)}"`;
  }
  return undefined;
}

const integerParams = new Set(['created', 'expires']);
const stringParams = new Set(['nonce', 'alg', 'keyid', 'tag']);

function serializedComponents(components: readonly ComponentIdentifier[]): string {
  let out = '(';
  for (let i = 0; i < components.length; i++) {
    const { serialized } = components[i] as ComponentIdentifier;
    out += i === 0 ? serialized : ` ${serialized}`;
  }
  return `${out})`;
}

/**
 * `@signature-params` straight from the caller's ordered parameters, or undefined when any
 * parameter is one that `paramsToMap` would refuse or that needs the generic serializer: the
 * caller then takes that path, which throws the same errors as before.
 */
export function serializeNewSignatureParams(
  components: readonly ComponentIdentifier[],
  params: Readonly<SignatureParams>,
): string | undefined {
  let out = serializedComponents(components);
  for (const name in params) {
    if (!Object.hasOwn(params, name)) continue;
    const value = params[name];
    if (value === undefined) continue;
    if (
      integerParams.has(name)
        ? typeof value !== 'number'
        : stringParams.has(name) && typeof value !== 'string'
    ) {
      return undefined;
    }
    const serialized = fastParameter(name, value);
    if (serialized === undefined) return undefined;
    out += serialized;
  }
  return out;
}

/**
 * The serialized Inner List of covered components and parameters. `value` is the same list as
 * structured data; it is serialized by structured-headers when a parameter is of another shape.
 */
export function serializeSignatureParams(
  components: readonly ComponentIdentifier[],
  value: InnerList,
): string {
  let out = serializedComponents(components);
  for (const [name, parameter] of value[1]) {
    const serialized = fastParameter(name, parameter);
    if (serialized === undefined) return serializeInnerList(value);
    out += serialized;
  }
  return out;
}

/** The `Signature` member `label=:base64:` (a Byte Sequence, RFC 9651 §3.3.5). */
export function serializeSignatureMember(label: string, signature: Uint8Array): string {
  return `${label}=:${base64Encode(signature)}:`;
}
