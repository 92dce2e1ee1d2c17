/**
 * A minimal DER reader and writer: just enough ASN.1 for key containers (PKCS#1, PKCS#8, SEC1, SPKI).
 * Reading never recurses on its own and checks every length against the bytes that remain, so
 * hostile input ends in `ERR_HTTPSIG_INVALID_KEY`, never in a crash, a huge allocation or a hang.
 */
import { HttpSigError } from '../errors';
import type { Bytes } from '../keys/types';
import { concatBytes } from './bytes';

export const Tag = Object.freeze({
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  null: 0x05,
  oid: 0x06,
  sequence: 0x30,
});

/** The tag of a context-specific element `[n]`; key containers only use the constructed form. */
export function contextTag(n: number, constructed = true): number {
  return 0x80 | (constructed ? 0x20 : 0) | n;
}

export interface DerElement {
  readonly tag: number;
  /** The content octets (a view into the input). */
  readonly value: Bytes;
  /** The whole encoding: tag, length and content (a view into the input). */
  readonly raw: Bytes;
}

// Four length octets allow 4 GiB, far beyond any key; more is either hostile or not DER.
const MAX_LENGTH_OCTETS = 4;
// An OID arc above 2^53 cannot be represented exactly; no key OID comes near it.
const MAX_OID_ARC_OCTETS = 7;

function malformed(reason: string): HttpSigError {
  return new HttpSigError('ERR_HTTPSIG_INVALID_KEY', `Malformed DER key data: ${reason}`);
}

/** Read the element that starts at `offset`, and the offset just after it. */
function readAt(bytes: Bytes, offset: number): { element: DerElement; end: number } {
  if (bytes.length - offset < 2) throw malformed('truncated element header');
  const tag = bytes[offset] as number;
  // High tag numbers (0x1f) never occur in key structures.
  if ((tag & 0x1f) === 0x1f) throw malformed('unsupported tag');
  let length = bytes[offset + 1] as number;
  let pos = offset + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0) throw malformed('indefinite length (BER, not DER)');
    if (count > MAX_LENGTH_OCTETS) throw malformed('length too large');
    if (bytes.length - pos < count) throw malformed('truncated length');
    if (bytes[pos] === 0) throw malformed('non-minimal length');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + (bytes[pos + i] as number);
    pos += count;
    if (length < 0x80) throw malformed('non-minimal length');
  }
  if (length > bytes.length - pos) throw malformed('length exceeds the data');
  const end = pos + length;
  return { element: { tag, value: bytes.subarray(pos, end), raw: bytes.subarray(offset, end) }, end };
}

/** Parse `bytes` as exactly one DER element (trailing bytes are refused). */
export function parseDer(bytes: Bytes): DerElement {
  const { element, end } = readAt(bytes, 0);
  if (end !== bytes.length) throw malformed('trailing bytes after the structure');
  return element;
}

/** The elements inside a constructed element (one level only). */
export function children(element: DerElement): DerElement[] {
  if ((element.tag & 0x20) === 0) throw malformed('expected a constructed element');
  const out: DerElement[] = [];
  let offset = 0;
  // Each element takes at least two bytes, so the loop ends after value.length / 2 steps.
  while (offset < element.value.length) {
    const { element: child, end } = readAt(element.value, offset);
    out.push(child);
    offset = end;
  }
  return out;
}

/** The children of a SEQUENCE, checking the tag and the number of children. */
export function sequence(
  element: DerElement | undefined,
  what: string,
  min: number,
  max = min,
): DerElement[] {
  expectTag(element, Tag.sequence, what);
  const items = children(element);
  if (items.length < min || items.length > max) throw malformed(`unexpected shape of ${what}`);
  return items;
}

export function expectTag(
  element: DerElement | undefined,
  tag: number,
  what: string,
): asserts element is DerElement {
  if (element === undefined || element.tag !== tag) throw malformed(`expected ${what}`);
}

/** A non-negative INTEGER as big-endian magnitude bytes, without the sign octet. */
export function readUnsignedInteger(element: DerElement | undefined, what: string): Bytes {
  expectTag(element, Tag.integer, what);
  const v = element.value;
  const first = v[0];
  if (first === undefined) throw malformed(`empty INTEGER in ${what}`);
  if (first & 0x80) throw malformed(`negative INTEGER in ${what}`);
  if (v.length > 1 && first === 0 && ((v[1] as number) & 0x80) === 0) {
    throw malformed(`non-minimal INTEGER in ${what}`);
  }
  return first === 0 && v.length > 1 ? v.subarray(1) : v;
}

/** A small non-negative INTEGER (versions), as a number. */
export function readSmallInteger(element: DerElement | undefined, what: string): number {
  const magnitude = readUnsignedInteger(element, what);
  if (magnitude.length > 4) throw malformed(`INTEGER too large in ${what}`);
  let n = 0;
  for (const b of magnitude) n = n * 256 + b;
  return n;
}

/** An OBJECT IDENTIFIER in dotted form. */
export function readOid(element: DerElement | undefined, what: string): string {
  expectTag(element, Tag.oid, what);
  const v = element.value;
  if (v.length === 0 || v.length > 64) throw malformed(`bad OBJECT IDENTIFIER in ${what}`);
  const arcs: number[] = [];
  let arc = 0;
  let octets = 0;
  for (const b of v) {
    // A leading 0x80 would be a non-minimal arc encoding.
    if (octets === 0 && b === 0x80) throw malformed(`non-minimal OBJECT IDENTIFIER in ${what}`);
    if (++octets > MAX_OID_ARC_OCTETS) throw malformed(`OBJECT IDENTIFIER arc too large in ${what}`);
    arc = arc * 128 + (b & 0x7f);
    if ((b & 0x80) === 0) {
      arcs.push(arc);
      arc = 0;
      octets = 0;
    }
  }
  if (octets !== 0) throw malformed(`truncated OBJECT IDENTIFIER in ${what}`);
  const head = arcs[0] as number;
  const first = head < 40 ? 0 : head < 80 ? 1 : 2;
  return [first, head - first * 40, ...arcs.slice(1)].join('.');
}

/** The content of a BIT STRING that holds whole bytes (as keys always do). */
export function readBitString(element: DerElement | undefined, what: string): Bytes {
  expectTag(element, Tag.bitString, what);
  if (element.value[0] !== 0) throw malformed(`BIT STRING with unused bits in ${what}`);
  return element.value.subarray(1);
}

export function readOctetString(element: DerElement | undefined, what: string): Bytes {
  expectTag(element, Tag.octetString, what);
  return element.value;
}

export function isNull(element: DerElement | undefined): boolean {
  return element !== undefined && element.tag === Tag.null && element.value.length === 0;
}

// ---- Writing ----

function encodeLength(length: number): Uint8Array {
  if (length < 0x80) return Uint8Array.of(length);
  const octets: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) octets.unshift(n % 256);
  return Uint8Array.of(0x80 | octets.length, ...octets);
}

/** One element with the given tag around the concatenated contents. */
export function encodeElement(tag: number, ...contents: Uint8Array[]): Bytes {
  const content = concatBytes(contents);
  return concatBytes([Uint8Array.of(tag), encodeLength(content.length), content]);
}

export function encodeSequence(...items: Uint8Array[]): Bytes {
  return encodeElement(Tag.sequence, ...items);
}

/** A non-negative INTEGER from a small number or from big-endian magnitude bytes. */
export function encodeInteger(value: number | Uint8Array): Bytes {
  let bytes: Uint8Array;
  if (typeof value === 'number') {
    const octets: number[] = [];
    for (let n = value; n > 0; n = Math.floor(n / 256)) octets.unshift(n % 256);
    bytes = Uint8Array.from(octets);
  } else {
    let start = 0;
    while (start < value.length - 1 && value[start] === 0) start++;
    bytes = value.subarray(start);
  }
  if (bytes.length === 0) bytes = Uint8Array.of(0);
  // A set high bit would read as negative: prefix a zero octet.
  if ((bytes[0] as number) & 0x80) bytes = concatBytes([Uint8Array.of(0), bytes]);
  return encodeElement(Tag.integer, bytes);
}

export function encodeOctetString(bytes: Uint8Array): Bytes {
  return encodeElement(Tag.octetString, bytes);
}

export function encodeBitString(bytes: Uint8Array): Bytes {
  return encodeElement(Tag.bitString, Uint8Array.of(0), bytes);
}

export function encodeNull(): Bytes {
  return encodeElement(Tag.null);
}

export function encodeOid(dotted: string): Bytes {
  const parts = dotted.split('.').map(Number);
  const [first = 0, second = 0, ...rest] = parts;
  const octets: number[] = [];
  for (const arc of [first * 40 + second, ...rest]) {
    const group: number[] = [arc % 128];
    for (let n = Math.floor(arc / 128); n > 0; n = Math.floor(n / 128)) group.unshift(0x80 | (n % 128));
    octets.push(...group);
  }
  return encodeElement(Tag.oid, Uint8Array.from(octets));
}
