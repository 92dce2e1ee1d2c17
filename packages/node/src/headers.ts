/**
 * Header fields in the shapes node:http and undici take, as the `[name, value]` lines that go on
 * the wire, so that the signature covers exactly what is sent.
 */

export type HeaderLine = [name: string, value: string];

/** Fields a new signature replaces: stale values would be refused or would mislead (as @httpsig/fetch). */
export const replacedFields: ReadonlySet<string> = new Set([
  'signature',
  'signature-input',
  'content-digest',
]);

/** A name or value as undici and node:http accept it: text, a number, `null` (empty) or raw latin1 bytes. */
function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null) return '';
  if (value instanceof Uint8Array) return Buffer.from(value).toString('latin1');
  return String(value);
}

function push(lines: HeaderLine[], name: unknown, value: unknown): void {
  if (value === undefined) return;
  // A list is one field line per value, as both clients send it.
  if (Array.isArray(value)) for (const item of value) lines.push([text(name), text(item)]);
  else lines.push([text(name), text(value)]);
}

/**
 * The lines of any header input: a record of value or values, a flat `[name, value, …]` array
 * (node:http raw headers, undici), an array of pairs, or an iterable of pairs (`Headers`, `Map`).
 */
export function headerLines(headers: unknown): HeaderLine[] {
  const lines: HeaderLine[] = [];
  if (headers === undefined || headers === null) return lines;
  if (typeof headers !== 'object') throw new TypeError('headers must be an object or an array');
  if (Array.isArray(headers)) {
    if (headers.length > 0 && Array.isArray(headers[0])) {
      for (const pair of headers as unknown[][]) push(lines, pair[0], pair[1]);
    } else {
      if (headers.length % 2 !== 0) throw new TypeError('a flat headers array must have an even length');
      for (let i = 0; i < headers.length; i += 2) push(lines, headers[i], headers[i + 1]);
    }
    return lines;
  }
  if (typeof (headers as Iterable<unknown>)[Symbol.iterator] === 'function') {
    for (const pair of headers as Iterable<unknown>) {
      if (!Array.isArray(pair) || pair.length !== 2)
        throw new TypeError('headers must be [name, value] pairs');
      push(lines, pair[0], pair[1]);
    }
    return lines;
  }
  for (const [name, value] of Object.entries(headers)) push(lines, name, value);
  return lines;
}

/** The value of the first line named `name` (lower case), if any. */
export function firstValue(lines: readonly HeaderLine[], name: string): string | undefined {
  return lines.find(([key]) => key.toLowerCase() === name)?.[1];
}

/** The lines without those a new signature replaces. */
export function withoutReplaced(lines: readonly HeaderLine[]): HeaderLine[] {
  return lines.filter(([name]) => !replacedFields.has(name.toLowerCase()));
}

/**
 * Group lines by name (the first spelling seen wins) into a record of value or values, the shape
 * every undici dispatcher and interceptor reads.
 */
export function headerRecord(lines: readonly HeaderLine[]): Record<string, string | string[]> {
  const names = new Map<string, string>();
  const record: Record<string, string | string[]> = {};
  for (const [name, value] of lines) {
    const key = names.get(name.toLowerCase()) ?? name;
    names.set(name.toLowerCase(), key);
    const existing = record[key];
    if (existing === undefined) record[key] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else record[key] = [existing, value];
  }
  return record;
}
