/** Set header fields in a raw message, leaving every other byte (and the body) as it was. */
import type { ParsedHttpMessage, RawFieldLine } from './parse-message';

interface Edit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/**
 * Give each named field one line with the new value. The first existing line of the field is
 * replaced in place (keeping its name's spelling and its line end) and later lines of the same
 * field are dropped, since the new value is the complete field value. Absent fields are appended
 * after the last header line, with the message's own line ends. Values must be latin1 text.
 */
export function setFields(
  message: ParsedHttpMessage,
  fields: ReadonlyArray<readonly [name: string, value: string]>,
): Uint8Array {
  const edits: Edit[] = [];
  const appended: string[] = [];
  for (const [name, value] of fields) {
    const lines = message.fields.filter((f) => f.name.toLowerCase() === name.toLowerCase());
    const [first, ...later] = lines;
    if (first === undefined) {
      appended.push(`${name}: ${value}`);
      continue;
    }
    edits.push({ start: first.start, end: first.end, text: `${first.name}: ${value}${first.eol}` });
    for (const line of later) edits.push({ start: line.start, end: line.end, text: '' });
  }
  if (appended.length > 0) edits.push(appendEdit(message, appended));

  edits.sort((a, b) => a.start - b.start);
  const raw = message.raw;
  const parts: Uint8Array[] = [];
  let pos = 0;
  for (const edit of edits) {
    parts.push(raw.subarray(pos, edit.start), Buffer.from(edit.text, 'latin1'));
    pos = edit.end;
  }
  parts.push(raw.subarray(pos));
  return Buffer.concat(parts);
}

/** Insert lines right after the last header line (or the start line when there is none). */
function appendEdit(message: ParsedHttpMessage, lines: readonly string[]): Edit {
  const anchor: Pick<RawFieldLine, 'end' | 'eol'> = message.fields.at(-1) ?? message.startLine;
  const eol = message.lineEnding;
  // A head that ends without a line end keeps ending without one.
  const text = anchor.eol === '' ? eol + lines.join(eol) : lines.map((line) => line + eol).join('');
  return { start: anchor.end, end: anchor.end, text };
}

/** A lower-case field name as it is usually written: `content-digest` → `Content-Digest`. */
export function fieldName(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_, dash: string, letter: string) => dash + letter.toUpperCase());
}
