/**
 * A bounded, hand-written parser for the shape nearly every `Signature-Input` and `Signature`
 * field has: members `label=("name" …);key=value…` and `label=:base64:` (the latter also the
 * shape of `Content-Digest`). Verifying parses both
 * fields on every request, and structured-headers plus re-serializing the inner list cost most
 * of a verification's own work (docs/performance.md), so this path is measured, not preferred.
 *
 * It accepts a strict subset of RFC 9651 and yields exactly what structured-headers yields for
 * it (the same Maps, strings, numbers and ArrayBuffers), plus the canonical serialization of
 * each inner list. Anything outside the subset (escapes, tokens, booleans, decimals, item
 * parameters, duplicate keys, non-canonical base64…) returns undefined, and the caller falls
 * back to structured-headers, so results and errors stay those of the library.
 */
import { base64Decode } from '../internal/bytes';
import type { BareItem, Dictionary, InnerList, Item } from './index';

const SP = 0x20;
const HTAB = 0x09;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;

function isKeyStart(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || c === 0x2a; // a-z *
}

function isKeyChar(c: number): boolean {
  // a-z 0-9 _ - . *
  return (
    (c >= 0x61 && c <= 0x7a) ||
    (c >= 0x30 && c <= 0x39) ||
    c === 0x5f ||
    c === 0x2d ||
    c === 0x2e ||
    c === 0x2a
  );
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** One pass over `input`; `pos` moves forward only, so the work is linear in the input length. */
class Cursor {
  pos = 0;
  constructor(readonly input: string) {}

  get eof(): boolean {
    return this.pos >= this.input.length;
  }

  peek(): number {
    return this.input.charCodeAt(this.pos);
  }

  skipSpaces(): void {
    while (this.peek() === SP) this.pos++;
  }

  skipOws(): void {
    let c = this.peek();
    while (c === SP || c === HTAB) c = this.input.charCodeAt(++this.pos);
  }

  /** A key, or undefined when none starts here. */
  key(): string | undefined {
    const start = this.pos;
    if (!isKeyStart(this.peek())) return undefined;
    this.pos++;
    while (isKeyChar(this.peek())) this.pos++;
    return this.input.slice(start, this.pos);
  }

  /** A string without escapes, or undefined. */
  string(): string | undefined {
    if (this.peek() !== QUOTE) return undefined;
    const start = ++this.pos;
    for (;;) {
      const c = this.peek();
      if (c === QUOTE) break;
      // An escape, a non-printable character or the end: leave it to the library.
      if (c === BACKSLASH || !(c >= 0x20 && c <= 0x7e)) return undefined;
      this.pos++;
    }
    const text = this.input.slice(start, this.pos);
    this.pos++;
    return text;
  }

  /** An integer written canonically (no leading zero, no `-0`), as text, or undefined. */
  integerText(): string | undefined {
    const start = this.pos;
    if (this.peek() === 0x2d) this.pos++;
    const digitsStart = this.pos;
    while (isDigit(this.peek())) this.pos++;
    const digits = this.pos - digitsStart;
    if (digits === 0 || digits > 15) return undefined;
    if (this.input.charCodeAt(digitsStart) === 0x30 && (digits > 1 || digitsStart > start)) return undefined;
    // A decimal point makes it a decimal: not in the subset.
    if (this.peek() === 0x2e) return undefined;
    return this.input.slice(start, this.pos);
  }

  /**
   * Parameters `;key=value` whose values are strings or integers, appended to `text` in their
   * canonical form. Undefined for anything else (bare keys, duplicates, other types).
   */
  parameters(): { params: Map<string, BareItem>; text: string } | undefined {
    const params = new Map<string, BareItem>();
    let text = '';
    while (this.peek() === 0x3b /* ; */) {
      this.pos++;
      this.skipSpaces();
      const key = this.key();
      if (key === undefined || params.has(key) || this.peek() !== 0x3d /* = */) return undefined;
      this.pos++;
      if (this.peek() === QUOTE) {
        const value = this.string();
        if (value === undefined) return undefined;
        params.set(key, value);
        text += `;${key}="${value}"`;
      } else {
        const value = this.integerText();
        if (value === undefined) return undefined;
        params.set(key, Number.parseInt(value, 10));
        text += `;${key}=${value}`;
      }
    }
    return { params, text };
  }

  /** An inner list of plain strings with its parameters and its serialization, or undefined. */
  innerList(): { list: InnerList; serialized: string } | undefined {
    if (this.peek() !== 0x28 /* ( */) return undefined;
    this.pos++;
    const items: Item[] = [];
    let text = '(';
    for (;;) {
      this.skipSpaces();
      if (this.eof) return undefined;
      if (this.peek() === 0x29 /* ) */) break;
      const name = this.string();
      if (name === undefined) return undefined;
      // Item parameters (`;sf`, `;key=…`) are left to the library.
      const next = this.peek();
      if (next !== SP && next !== 0x29) return undefined;
      text += items.length === 0 ? `"${name}"` : ` "${name}"`;
      items.push([name, new Map()]);
    }
    this.pos++;
    const parameters = this.parameters();
    if (parameters === undefined) return undefined;
    return { list: [items, parameters.params], serialized: `${text})${parameters.text}` };
  }

  /** A byte sequence in canonical base64 without parameters, or undefined. */
  byteSequence(): ArrayBuffer | undefined {
    if (this.peek() !== COLON) return undefined;
    const end = this.input.indexOf(':', this.pos + 1);
    if (end < 0) return undefined;
    const text = this.input.slice(this.pos + 1, end);
    // Only padded standard base64 here: what atob in the library decodes to the same bytes.
    if (text.length % 4 !== 0 || /[-_]/.test(text)) return undefined;
    const bytes = base64Decode(text);
    if (bytes === undefined) return undefined;
    this.pos = end + 1;
    if (this.peek() === 0x3b) return undefined;
    return bytes.buffer;
  }
}

/**
 * A dictionary whose members all have the form `value` reads; undefined when the input is
 * outside the subset (the caller then uses structured-headers).
 */
function parseMembers(
  input: string,
  value: (cursor: Cursor, key: string) => Item | InnerList | undefined,
): Dictionary | undefined {
  const cursor = new Cursor(input);
  const dictionary: Dictionary = new Map();
  cursor.skipSpaces();
  while (!cursor.eof) {
    const key = cursor.key();
    if (key === undefined || dictionary.has(key) || cursor.peek() !== 0x3d /* = */) return undefined;
    cursor.pos++;
    const member = value(cursor, key);
    if (member === undefined) return undefined;
    dictionary.set(key, member);
    cursor.skipOws();
    if (cursor.eof) return dictionary;
    if (cursor.peek() !== 0x2c /* , */) return undefined;
    cursor.pos++;
    cursor.skipOws();
    if (cursor.eof) return undefined;
  }
  return dictionary;
}

export interface SignatureInputMembers {
  /** What structured-headers' `parseDictionary` gives for the same input. */
  readonly dictionary: Dictionary;
  /** Label → `serializeInnerList(member)`: the `@signature-params` value. */
  readonly signatureParams: ReadonlyMap<string, string>;
}

/** `Signature-Input` in the common shape, or undefined. */
export function parseSignatureInputMembers(input: string): SignatureInputMembers | undefined {
  const signatureParams = new Map<string, string>();
  const dictionary = parseMembers(input, (cursor, key) => {
    const member = cursor.innerList();
    if (member === undefined) return undefined;
    signatureParams.set(key, member.serialized);
    return member.list;
  });
  return dictionary === undefined ? undefined : { dictionary, signatureParams };
}

/**
 * A dictionary of byte sequences without parameters (`Signature`, `Content-Digest`) in the
 * common shape, or undefined.
 */
export function parseByteSequenceMembers(input: string): Dictionary | undefined {
  return parseMembers(input, (cursor): Item | undefined => {
    const bytes = cursor.byteSequence();
    return bytes === undefined ? undefined : [bytes, new Map()];
  });
}
