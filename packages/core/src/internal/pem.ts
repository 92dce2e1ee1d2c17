/**
 * PEM armour (RFC 7468): one labelled base64 block around DER. Decoding is strict about
 * structure (exactly one block, matching labels, base64 body) but tolerant of CRLF line ends,
 * indentation and surrounding whitespace. Errors describe the problem, never the content.
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

export function decodePem(text: string): PemBlock {
  const blocks = text.split('-----BEGIN ').length - 1;
  if (blocks === 0) throw invalid('no "-----BEGIN" line');
  if (blocks > 1) throw invalid(`found ${blocks} PEM blocks; pass exactly one key`);
  const lines = text
    .split(/\r\n|\r|\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
  const first = lines[0] ?? '';
  const last = lines[lines.length - 1] ?? '';
  const begin = BEGIN_LINE.exec(first);
  if (begin === null) {
    throw invalid(first.startsWith('-----BEGIN ') ? 'bad BEGIN line' : 'text before the BEGIN line');
  }
  const end = END_LINE.exec(last);
  if (end === null || lines.length < 2) {
    throw invalid(text.includes('-----END ') ? 'bad END line or text after it' : 'missing END line');
  }
  const label = begin[1] as string;
  if (end[1] !== label) throw invalid(`BEGIN ${label} does not match END ${end[1]}`);
  const body = lines.slice(1, -1);
  // RFC 1421 headers (Proc-Type, DEK-Info) mark legacy encrypted keys, which WebCrypto cannot read.
  if (body.some((line) => line.includes(':'))) {
    throw invalid('encrypted or header-carrying PEM is not supported; decrypt the key first');
  }
  const base64 = body.join('');
  if (base64 === '') throw invalid('empty body');
  const der = BASE64_BODY.test(base64) ? base64Decode(base64) : undefined;
  if (der === undefined) throw invalid('the body is not valid base64');
  return { label, der };
}

/** Armour DER with the given label, in 64-character lines, ending with a newline. */
export function encodePem(label: string, der: Uint8Array): string {
  const base64 = base64Encode(der);
  const lines: string[] = [];
  for (let i = 0; i < base64.length; i += 64) lines.push(base64.slice(i, i + 64));
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
