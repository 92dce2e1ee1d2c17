/** The Signature-Input and Signature dictionaries a message already carries. */
import { normalizeFieldLine } from '../message/fields';
import type { NormalizedMessage } from '../message/normalize';
import { type Dictionary, parseDictionary } from '../sfv/index';

export interface SignatureFields {
  readonly input: Dictionary;
  readonly signature: Dictionary;
}

function readField(message: NormalizedMessage, name: string): Dictionary {
  const lines = message.fields.get(name);
  if (!lines || lines.length === 0) return new Map();
  return parseDictionary(lines.map(normalizeFieldLine).join(', '), name);
}

export function readSignatureFields(message: NormalizedMessage): SignatureFields {
  return { input: readField(message, 'signature-input'), signature: readField(message, 'signature') };
}
