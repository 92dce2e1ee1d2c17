/**
 * PEM armour (RFC 7468): labelled base64 blocks around DER. Decoding is strict about each
 * block (matching labels, base64 body) but tolerant of CRLF line ends, indentation and text
 * around the blocks. Errors describe the problem, never the content.
 */
import { HttpSigError } from '../errors';
import type { Bytes } from '../keys/types';
import { base64Decode, base64Encode } from './bytes';

export interface PemBlock {
  /** The label between `BEGIN ` and the dashes, e.g. `PRIVATE KEY`. */
  readonly label: string;
  readonly der: Bytes;
}

// RFC 7468 labelchar, minus the hyphen (no key label uses one), so matching stays linear.
const BEGIN_LINE = /^-----BEGIN ([\x21-\x2c\x2e-\x7e ]{1,64})-----$/;
const END_LINE = /^-----END ([\x21-\x2c\x2e-\x7e ]{1,64})-----$/;
const BASE64_BODY = /^[A-Za-z0-9+/]*={0,2}$/;

function invalid(reason: string): HttpSigError {
  return new HttpSigError('ERR_HTTPSIG_INVALID_KEY', `Malformed PEM: ${reason}`);
}

/** Whether text is meant as PEM (it carries a BEGIN line), as opposed to JWK JSON or base64. */
export function looksLikePem(text: string): boolean {
  return text.includes('-----BEGIN ');
}

/**
 * The one key block of a PEM text. Explanatory text around blocks is ignored (RFC 7468 §2), and so
 * is an `EC PARAMETERS` block, which `openssl ecparam -genkey` writes before the key.
 */
export function decodePem(text: string): PemBlock {
  const lines = text
    .split(/\r\n|\r|\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
  const blocks: PemBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (!line.startsWith('-----BEGIN ')) continue;
    const begin = BEGIN_LINE.exec(line);
    if (begin === null) throw invalid('bad BEGIN line');
    const label = begin[1] as string;
    const close = lines.findIndex((l, j) => j > i && l.startsWith('-----'));
    if (close < 0) throw invalid('missing END line');
    const end = END_LINE.exec(lines[close] as string);
    if (end === null) throw invalid('bad END line');
    if (end[1] !== label) throw invalid(`BEGIN ${label} does not match END ${end[1]}`);
    if (label !== 'EC PARAMETERS') blocks.push({ label, der: decodeBody(lines.slice(i + 1, close)) });
    i = close;
  }
  if (blocks.length === 0) throw invalid('no "-----BEGIN" line');
  if (blocks.length > 1) throw invalid(`found ${blocks.length} PEM blocks; pass exactly one key`);
  return blocks[0] as PemBlock;
}

function decodeBody(body: readonly string[]): Bytes {
  // RFC 1421 headers (Proc-Type, DEK-Info) mark legacy encrypted keys, which WebCrypto cannot read.
  if (body.some((line) => line.includes(':'))) {
    throw invalid('encrypted or header-carrying PEM is not supported; decrypt the key first');
  }
  const base64 = body.join('');
  if (base64 === '') throw invalid('empty body');
  const der = BASE64_BODY.test(base64) ? base64Decode(base64) : undefined;
  if (der === undefined) throw invalid('the body is not valid base64');
  return der;
}

/** Armour DER with the given label, in 64-character lines, ending with a newline. */
export function encodePem(label: string, der: Uint8Array): string {
  const base64 = base64Encode(der);
  const lines: string[] = [];
  for (let i = 0; i < base64.length; i += 64) lines.push(base64.slice(i, i + 64));
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
