/**
 * A raw HTTP/1.1 message (as a file or on stdin) → its parts, with byte offsets so the writer
 * can change field lines and leave every other byte alone.
 *
 * The head is read as latin1 (one char per byte), so field values round-trip exactly and string
 * indexes are byte offsets. Line ends may be CRLF or LF. Obs-fold continuation lines stay part of
 * the raw field value; the library replaces each fold with one space.
 */
import type { RequestLike, ResponseLike } from '@httpsig/core';
import { CliError } from '../errors';

/** One field line (plus its obs-fold continuation lines) as it appears in the message. */
export interface RawFieldLine {
  /** The field name as written. */
  readonly name: string;
  /** Everything after the colon, continuation lines included with their line ends. */
  readonly value: string;
  /** Byte offset of the line's first byte. */
  readonly start: number;
  /** Byte offset just past the line end of its last physical line. */
  readonly end: number;
  /** The line end of its last physical line: CRLF, LF, or empty at the end of the input. */
  readonly eol: string;
}

/** The start line as it appears in the message. */
export interface RawStartLine {
  readonly text: string;
  readonly start: number;
  readonly end: number;
  readonly eol: string;
}

interface ParsedMessageBase {
  /** The whole input. */
  readonly raw: Uint8Array;
  /** CRLF when the message uses CRLF line ends, else LF. */
  readonly lineEnding: '\r\n' | '\n';
  readonly startLine: RawStartLine;
  /** The header section's field lines, in order. */
  readonly fields: readonly RawFieldLine[];
  /** Byte offset of the empty line that ends the header section (input length when absent). */
  readonly headerEnd: number;
  /** Byte offset of the first body byte (input length when there is no body). */
  readonly bodyStart: number;
  /** The body bytes exactly as they follow the header section. */
  readonly body: Uint8Array;
  /** The content: the body, de-chunked when `Transfer-Encoding` ends in `chunked`. */
  readonly content: Uint8Array;
  /** Whether the body was chunked. */
  readonly chunked: boolean;
  /** Trailer fields after the last chunk, when chunked. */
  readonly trailers: readonly RawFieldLine[] | undefined;
}

export interface ParsedRequest extends ParsedMessageBase {
  readonly kind: 'request';
  readonly method: string;
  /** The request-target exactly as on the request line. */
  readonly target: string;
  readonly version: string | undefined;
}

export interface ParsedResponse extends ParsedMessageBase {
  readonly kind: 'response';
  readonly status: number;
  readonly reason: string;
  readonly version: string;
}

export type ParsedHttpMessage = ParsedRequest | ParsedResponse;

const tokenPattern = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const versionPattern = /^HTTP\/\d(?:\.\d)?$/;
const statusLinePattern = /^(HTTP\/\d(?:\.\d)?) (\d{3})(?: (.*))?$/;

function inputError(message: string): CliError {
  return new CliError('ERR_HTTPSIG_CLI_INPUT', message);
}

interface Line {
  readonly text: string;
  readonly start: number;
  /** Offset just past the line end. */
  readonly next: number;
  readonly eol: string;
}

function readLine(text: string, pos: number): Line | undefined {
  if (pos >= text.length) return undefined;
  const lf = text.indexOf('\n', pos);
  if (lf < 0) return { text: text.slice(pos), start: pos, next: text.length, eol: '' };
  const cr = lf > pos && text.charCodeAt(lf - 1) === 13;
  return { text: text.slice(pos, cr ? lf - 1 : lf), start: pos, next: lf + 1, eol: cr ? '\r\n' : '\n' };
}

interface FieldSection {
  readonly fields: RawFieldLine[];
  /** Offset of the terminating empty line, or the input length. */
  readonly end: number;
  /** Offset just past the terminating empty line, or the input length. */
  readonly next: number;
}

/** Field lines from `pos` up to an empty line or the end of the input. */
function readFieldSection(text: string, pos: number, section: 'header' | 'trailer'): FieldSection {
  const fields: RawFieldLine[] = [];
  let line = readLine(text, pos);
  while (line !== undefined && line.text !== '') {
    const first = line;
    // Only needed for error messages; counting is linear in the offset.
    const lineNumber = () => text.slice(0, first.start).split('\n').length;
    if (first.text.startsWith(' ') || first.text.startsWith('\t')) {
      throw inputError(`Line ${lineNumber()}: a ${section} section cannot start with a continuation line`);
    }
    const colon = first.text.indexOf(':');
    const name = colon < 0 ? '' : first.text.slice(0, colon);
    if (!tokenPattern.test(name)) {
      throw inputError(`Line ${lineNumber()}: not a valid ${section} field line (expected "Name: value")`);
    }
    let value = first.text.slice(colon + 1);
    let last = first;
    line = readLine(text, first.next);
    // obs-fold: lines starting with SP or HTAB continue the field above.
    while (line !== undefined && (line.text.startsWith(' ') || line.text.startsWith('\t'))) {
      value += last.eol + line.text;
      last = line;
      line = readLine(text, line.next);
    }
    fields.push({ name, value, start: first.start, end: last.next, eol: last.eol });
  }
  if (line === undefined) return { fields, end: text.length, next: text.length };
  return { fields, end: line.start, next: line.next };
}

function isChunked(fields: readonly RawFieldLine[]): boolean {
  const codings = fields
    .filter((f) => f.name.toLowerCase() === 'transfer-encoding')
    .flatMap((f) => f.value.split(','))
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '');
  return codings.at(-1) === 'chunked';
}

/** Decode a chunked body starting at `pos`: the content and the trailer fields. */
function dechunk(
  raw: Uint8Array,
  text: string,
  pos: number,
): { content: Uint8Array; trailers: RawFieldLine[] } {
  const chunks: Uint8Array[] = [];
  for (;;) {
    const line = readLine(text, pos);
    if (line === undefined) throw inputError('Chunked body ends before the last chunk (a "0" size line)');
    const sizeText = (line.text.split(';')[0] ?? '').trim();
    if (!/^[0-9a-fA-F]{1,12}$/.test(sizeText)) {
      throw inputError(`Bad chunk size line at byte ${line.start}: expected a hexadecimal size`);
    }
    const size = Number.parseInt(sizeText, 16);
    pos = line.next;
    if (size === 0) {
      const trailers = readFieldSection(text, pos, 'trailer');
      const length = chunks.reduce((sum, c) => sum + c.length, 0);
      const content = new Uint8Array(length);
      let offset = 0;
      for (const chunk of chunks) {
        content.set(chunk, offset);
        offset += chunk.length;
      }
      return { content, trailers: trailers.fields };
    }
    if (pos + size > raw.length) throw inputError(`Chunk at byte ${line.start} is cut short`);
    chunks.push(raw.subarray(pos, pos + size));
    pos += size;
    if (text.startsWith('\r\n', pos)) pos += 2;
    else if (text.startsWith('\n', pos)) pos += 1;
    else throw inputError(`Chunk data at byte ${pos - size} is not followed by a line end`);
  }
}

/** Parse a raw HTTP/1.1 request or response. Malformed input throws `ERR_HTTPSIG_CLI_INPUT`. */
export function parseHttpMessage(input: Uint8Array): ParsedHttpMessage {
  const raw = input;
  const text = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('latin1');

  // RFC 9112 §2.2: empty lines before the start line are ignored.
  let line = readLine(text, 0);
  while (line !== undefined && line.text === '') line = readLine(text, line.next);
  if (line === undefined) throw inputError('The message is empty');
  const startLine: RawStartLine = { text: line.text, start: line.start, end: line.next, eol: line.eol };
  const lineEnding = line.eol === '\r\n' ? '\r\n' : '\n';

  const section = readFieldSection(text, line.next, 'header');
  const chunked = isChunked(section.fields);
  const body = raw.subarray(section.next);
  let content = body;
  let trailers: RawFieldLine[] | undefined;
  if (chunked) ({ content, trailers } = dechunk(raw, text, section.next));

  const base = {
    raw,
    lineEnding,
    startLine,
    fields: section.fields,
    headerEnd: section.end,
    bodyStart: section.next,
    body,
    content,
    chunked,
    trailers,
  } as const;

  const status = statusLinePattern.exec(startLine.text);
  if (status) {
    return {
      kind: 'response',
      ...base,
      version: status[1] as string,
      status: Number(status[2]),
      reason: status[3] ?? '',
    };
  }
  const parts = startLine.text.trim().split(/[ \t]+/);
  const [method = '', target = '', version] = parts;
  if (parts.length < 2 || parts.length > 3 || !tokenPattern.test(method)) {
    throw inputError(
      `Line 1 is neither a request line ("METHOD target HTTP/1.1") nor a status line ("HTTP/1.1 200 OK")`,
    );
  }
  if (version !== undefined && !versionPattern.test(version)) {
    throw inputError(`Line 1: "${version}" is not an HTTP version such as HTTP/1.1`);
  }
  return { kind: 'request', ...base, method, target, version };
}

/** Options for turning a parsed message into the library's message shape. */
export interface ToCoreMessageOptions {
  /** The scheme of the connection, for origin-, authority- and asterisk-form targets. @default 'https' */
  scheme?: 'https' | 'http';
  /** For a response: the request it answers (for `;req` components). */
  request?: RequestLike;
}

const absoluteFormPattern = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?#]*(?:[/?#].*)?$/;
const authorityPattern = /^(?:\[[^\]\s/?#@]*\]|[^\s/?#@[\]:]+)(?::\d*)?$/;
const authorityFormPattern = /^(?:\[[^\]\s/?#@]*\]|[^\s/?#@[\]:]+):\d+$/;

function fieldPairs(fields: readonly RawFieldLine[]): [string, string][] {
  return fields.map((f) => [f.name, f.value]);
}

function hostOf(message: ParsedRequest): string {
  const hosts = message.fields.filter((f) => f.name.toLowerCase() === 'host');
  if (hosts.length === 0) {
    throw inputError(
      'The request has no Host field and no absolute-form target, so its target URI is unknown',
    );
  }
  if (hosts.length > 1) throw inputError('The request has more than one Host field');
  const host = (hosts[0] as RawFieldLine).value.trim();
  if (!authorityPattern.test(host)) throw inputError(`The Host field "${host}" is not a valid host[:port]`);
  return host;
}

/** The target URI and, when not origin-form, the request-target as sent (RFC 9112 §3.2). */
export function requestTargetUri(
  message: ParsedRequest,
  scheme: 'https' | 'http',
): { url: string; target: string | undefined } {
  const target = message.target;
  if (absoluteFormPattern.test(target)) {
    return { url: target, target };
  }
  const host = hostOf(message);
  if (target.startsWith('/')) return { url: `${scheme}://${host}${target}`, target: undefined };
  if (target === '*') return { url: `${scheme}://${host}`, target };
  if (authorityFormPattern.test(target)) return { url: `${scheme}://${target}`, target };
  throw inputError(`Unsupported request target "${target}"`);
}

/** The parsed message as the library takes it: a plain request or response object. */
export function toCoreMessage(message: ParsedRequest, options?: ToCoreMessageOptions): RequestLike;
export function toCoreMessage(message: ParsedResponse, options?: ToCoreMessageOptions): ResponseLike;
export function toCoreMessage(
  message: ParsedHttpMessage,
  options?: ToCoreMessageOptions,
): RequestLike | ResponseLike;
export function toCoreMessage(
  message: ParsedHttpMessage,
  options: ToCoreMessageOptions = {},
): RequestLike | ResponseLike {
  const headers = fieldPairs(message.fields);
  const extra = {
    ...(message.trailers === undefined ? {} : { trailers: fieldPairs(message.trailers) }),
    ...(message.content.length === 0 ? {} : { body: message.content }),
  };
  if (message.kind === 'request') {
    const { url, target } = requestTargetUri(message, options.scheme ?? 'https');
    return {
      method: message.method,
      url,
      headers,
      ...(target === undefined ? {} : { target }),
      ...extra,
    };
  }
  return {
    status: message.status,
    headers,
    ...extra,
    ...(options.request === undefined ? {} : { request: options.request }),
  };
}
