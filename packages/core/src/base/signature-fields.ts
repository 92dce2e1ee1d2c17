/** The Signature-Input and Signature dictionaries a message already carries. */
import type { NormalizedMessage } from '../message/normalize';
import { type Dictionary, parseDictionary } from '../sfv/index';

export interface SignatureFields {
  readonly input: Dictionary;
  readonly signature: Dictionary;
}

function isBlank(c: number): boolean {
  return c === 0x20 || c === 0x09;
}

/**
 * RFC 9421 §2.1 for one field line: trim, and replace each obs-fold with one space. Written as
 * a single pass rather than with regular expressions, whose backtracking on long runs of spaces
 * costs time quadratic in the line length: these fields come from untrusted senders.
 */
export function normalizeFieldLineLinear(value: string): string {
  const unfolded = value.includes('\n') ? replaceFolds(value) : value;
  let start = 0;
  let end = unfolded.length;
  while (start < end && isBlank(unfolded.charCodeAt(start))) start++;
  while (end > start && isBlank(unfolded.charCodeAt(end - 1))) end--;
  return unfolded.slice(start, end);
}

/** Each obs-fold, `[ \t]* CR? LF [ \t]+`, becomes one space; a line end without blanks after it stays. */
function replaceFolds(value: string): string {
  let out = '';
  let i = 0;
  for (let newline = value.indexOf('\n'); newline >= 0; newline = value.indexOf('\n', newline + 1)) {
    let after = newline + 1;
    while (after < value.length && isBlank(value.charCodeAt(after))) after++;
    if (after === newline + 1) continue;
    let before = newline;
    if (before > i && value.charCodeAt(before - 1) === 0x0d) before--;
    while (before > i && isBlank(value.charCodeAt(before - 1))) before--;
    out += `${value.slice(i, before)} `;
    i = after;
    newline = after - 1;
  }
  return out + value.slice(i);
}

function readField(message: NormalizedMessage, name: string): Dictionary {
  const lines = message.fields.get(name);
  if (!lines || lines.length === 0) return new Map();
  return parseDictionary(lines.map(normalizeFieldLineLinear).join(', '), name);
}

export function readSignatureFields(message: NormalizedMessage): SignatureFields {
  return { input: readField(message, 'signature-input'), signature: readField(message, 'signature') };
}
