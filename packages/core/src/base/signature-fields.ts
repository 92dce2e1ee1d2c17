/** The Signature-Input and Signature dictionaries a message already carries. */
import { normalizeFieldLine } from '../message/fields';
import type { NormalizedMessage } from '../message/normalize';
import { type Dictionary, parseDictionary } from '../sfv/index';
import { parseByteSequenceMembers, parseSignatureInputMembers } from '../sfv/signature-members';

export interface SignatureFields {
  readonly input: Dictionary;
  readonly signature: Dictionary;
  /**
   * Label → the `@signature-params` value, when the fast parser read `Signature-Input`; else
   * undefined and each member is serialized from `input`.
   */
  readonly signatureParams?: ReadonlyMap<string, string> | undefined;
}

function fieldValue(message: NormalizedMessage, name: string): string | undefined {
  const lines = message.fields.get(name);
  if (!lines || lines.length === 0) return undefined;
  return lines.length === 1
    ? normalizeFieldLine(lines[0] as string)
    : lines.map(normalizeFieldLine).join(', ');
}

/**
 * Both fields: the common shape through the fast parser (sfv/signature-members.ts), anything
 * else, and so every error, through structured-headers.
 */
export function readSignatureFields(message: NormalizedMessage): SignatureFields {
  const inputValue = fieldValue(message, 'signature-input');
  const fast = inputValue === undefined ? undefined : parseSignatureInputMembers(inputValue);
  const input =
    inputValue === undefined
      ? new Map()
      : (fast?.dictionary ?? parseDictionary(inputValue, 'signature-input'));
  const signatureValue = fieldValue(message, 'signature');
  const signature =
    signatureValue === undefined
      ? new Map()
      : (parseByteSequenceMembers(signatureValue) ?? parseDictionary(signatureValue, 'signature'));
  return { input, signature, signatureParams: fast?.signatureParams };
}
