/** Field lines of a message, keyed by lower-case name, in the order they were given. */
import type { HeadersInput } from './types';

/** name → the raw values of its field lines, in order. */
export type FieldLines = ReadonlyMap<string, readonly string[]>;

function isHeaders(value: unknown): value is Headers {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Headers).get === 'function' &&
    typeof (value as Headers).forEach === 'function' &&
    typeof (value as Headers).has === 'function'
  );
}

function add(lines: Map<string, string[]>, name: string, value: string): void {
  const key = name.toLowerCase();
  const existing = lines.get(key);
  if (existing) existing.push(value);
  else lines.set(key, [value]);
}

/** Collect field lines from any accepted headers shape. */
export function collectFieldLines(input: HeadersInput | undefined): FieldLines {
  const lines = new Map<string, string[]>();
  if (input === undefined || input === null) return lines;
  if (isHeaders(input)) {
    // Headers joins repeated lines with ", " already; Set-Cookie is the one field it keeps apart.
    input.forEach((value, name) => {
      if (name === 'set-cookie' && typeof input.getSetCookie === 'function') return;
      add(lines, name, value);
    });
    if (typeof input.getSetCookie === 'function') {
      for (const cookie of input.getSetCookie()) add(lines, 'set-cookie', cookie);
    }
    return lines;
  }
  if (typeof (input as Iterable<unknown>)[Symbol.iterator] === 'function') {
    for (const pair of input as Iterable<readonly [string, string]>) {
      if (!Array.isArray(pair) || pair.length !== 2) {
        throw new TypeError('headers pairs must be [name, value] arrays');
      }
      add(lines, String(pair[0]), String(pair[1]));
    }
    return lines;
  }
  for (const [name, value] of Object.entries(input as Record<string, unknown>)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) for (const v of value) add(lines, name, String(v));
    else add(lines, name, String(value));
  }
  return lines;
}

/** RFC 9421 §2.1: trim each line, replace obs-fold with one space. */
export function normalizeFieldLine(value: string): string {
  return isNormalized(value) ? value : normalizeFieldLineLinear(value);
}

function isBlank(c: number): boolean {
  return c === 0x20 || c === 0x09;
}

/**
 * RFC 9421 §2.1 for one field line: trim, and replace each obs-fold with one space. Written as
 * a single pass rather than with regular expressions, whose backtracking on long runs of spaces
 * costs time quadratic in the line length: these fields come from untrusted senders.
 */
function normalizeFieldLineLinear(value: string): string {
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

/** No surrounding whitespace and no line break: the common case, checked without regular expressions. */
function isNormalized(value: string): boolean {
  const last = value.length - 1;
  if (last < 0) return true;
  const first = value.charCodeAt(0);
  const end = value.charCodeAt(last);
  if (first === 0x20 || first === 0x09 || end === 0x20 || end === 0x09) return false;
  return !value.includes('\n');
}

/** RFC 9421 §2.1: the normalized lines of a field joined with ", ". */
export function combineFieldLines(values: readonly string[]): string {
  if (values.length === 1) return normalizeFieldLine(values[0] as string);
  return values.map(normalizeFieldLine).join(', ');
}
