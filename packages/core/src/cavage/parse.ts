/**
 * Parsing the draft-cavage-http-signatures-12 `Signature` header value (also the parameters of
 * `Authorization: Signature …`). Strict: quoted strings, no duplicates, bounded size.
 */
import { HttpSigError } from '../errors';
import { base64Decode } from '../internal/bytes';
import type { Bytes } from '../keys/types';

/** The parameters of one draft-cavage signature. */
export interface CavageSignatureParams {
  readonly keyId: string;
  /** The `algorithm` parameter as sent (lower case), e.g. `rsa-sha256`, `hs2019`; undefined when absent. */
  readonly algorithm: string | undefined;
  /** The `headers` list, lower case, in order; undefined when the parameter is absent. */
  readonly headers: readonly string[] | undefined;
  /** The `signature` parameter (base64). */
  readonly signature: string;
  /** The decoded signature bytes. */
  readonly signatureBytes: Bytes;
  /** `created` as a number, and as the text sent (the signing string uses the text). */
  readonly created: number | undefined;
  readonly createdText: string | undefined;
  readonly expires: number | undefined;
  readonly expiresText: string | undefined;
}

export interface ParseCavageOptions {
  /** Longest accepted value, in characters. @default 8192 */
  maxLength?: number;
}

const field = 'signature';
const tokenPattern = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** The most names a `headers` parameter may list. */
const maxHeaders = 64;

function parseError(message: string, offset?: number): HttpSigError {
  return new HttpSigError('ERR_HTTPSIG_PARSE', message, offset === undefined ? { field } : { field, offset });
}

/** Read `name=value` pairs separated by commas (with optional whitespace). */
function readPairs(text: string, start: number): Map<string, { value: string; quoted: boolean }> {
  const pairs = new Map<string, { value: string; quoted: boolean }>();
  let i = start;
  const skipWs = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
  };
  skipWs();
  if (i >= text.length) throw parseError('The Signature value has no parameters');
  while (i < text.length) {
    skipWs();
    const nameStart = i;
    while (i < text.length && /[!#$%&'*+\-.^_`|~0-9A-Za-z]/.test(text[i] as string)) i++;
    const name = text.slice(nameStart, i);
    if (name === '' || text[i] !== '=') throw parseError('Expected a parameter name followed by "="', i);
    i++;
    let value: string;
    let quoted = false;
    if (text[i] === '"') {
      quoted = true;
      i++;
      let out = '';
      let closed = false;
      while (i < text.length) {
        const c = text[i] as string;
        if (c === '\\') {
          const next = text[i + 1];
          if (next === undefined) break;
          out += next;
          i += 2;
          continue;
        }
        if (c === '"') {
          closed = true;
          i++;
          break;
        }
        // Control characters never belong in a parameter (they could forge signing-string lines).
        if (c.charCodeAt(0) < 0x20 && c !== '\t') throw parseError('Control character in a quoted string', i);
        out += c;
        i++;
      }
      if (!closed) throw parseError('Unterminated quoted string', i);
      value = out;
    } else {
      const valueStart = i;
      while (i < text.length && /[!#$%&'*+\-.^_`|~0-9A-Za-z]/.test(text[i] as string)) i++;
      value = text.slice(valueStart, i);
      if (value === '') throw parseError(`The ${name} parameter has no value`, i);
    }
    const key = name.toLowerCase();
    if (pairs.has(key)) throw parseError(`The ${name} parameter appears twice`, nameStart);
    pairs.set(key, { value, quoted });
    skipWs();
    if (i >= text.length) break;
    if (text[i] !== ',') throw parseError('Expected "," between parameters', i);
    i++;
    skipWs();
    if (i >= text.length) throw parseError('Trailing "," after the last parameter', i);
  }
  return pairs;
}

function timestamp(name: string, text: string | undefined, allowFraction: boolean): number | undefined {
  if (text === undefined) return undefined;
  const pattern = allowFraction ? /^\d{1,12}(\.\d{1,9})?$/ : /^\d{1,12}$/;
  if (!pattern.test(text)) throw parseError(`The ${name} parameter must be a Unix timestamp`);
  return Number(text);
}

/**
 * Parse a draft-cavage `Signature` header value, or an `Authorization` value with the
 * `Signature` scheme. Unknown parameters are ignored; a malformed value, a duplicate parameter or
 * a missing `keyId`/`signature` throws `ERR_HTTPSIG_PARSE`; a value over `maxLength` throws
 * `ERR_HTTPSIG_LIMIT_EXCEEDED`.
 */
export function parseCavageSignature(value: string, options: ParseCavageOptions = {}): CavageSignatureParams {
  if (typeof value !== 'string') throw new TypeError('the Signature value must be a string');
  const maxLength = options.maxLength ?? 8192;
  if (value.length > maxLength) {
    throw new HttpSigError('ERR_HTTPSIG_LIMIT_EXCEEDED', `The Signature value is longer than ${maxLength}`, {
      field,
    });
  }
  const text = value.trim();
  // `Signature keyId=…` (Authorization form): a leading token followed by whitespace, not "=".
  const scheme = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+)[ \t]+/.exec(text);
  let start = 0;
  if (scheme) {
    if ((scheme[1] as string).toLowerCase() !== 'signature')
      throw parseError('The scheme is not "Signature"');
    start = scheme[0].length;
  }
  const pairs = readPairs(text, start);
  const get = (name: string, mustQuote: boolean): string | undefined => {
    const pair = pairs.get(name);
    if (pair === undefined) return undefined;
    if (mustQuote && !pair.quoted) throw parseError(`The ${name} parameter must be a quoted string`);
    return pair.value;
  };
  const keyId = get('keyid', true);
  const signature = get('signature', true);
  if (keyId === undefined || keyId === '') throw parseError('The Signature value has no keyId');
  if (signature === undefined || signature === '') throw parseError('The Signature value has no signature');
  const signatureBytes = /[-_]/.test(signature) ? undefined : base64Decode(signature);
  if (signatureBytes === undefined || signatureBytes.byteLength === 0) {
    throw parseError('The signature parameter is not base64');
  }
  const algorithmText = get('algorithm', true);
  if (algorithmText !== undefined && !tokenPattern.test(algorithmText)) {
    throw parseError('The algorithm parameter is not a token');
  }
  const headersText = get('headers', true);
  let headers: string[] | undefined;
  if (headersText !== undefined) {
    headers = headersText
      .trim()
      .split(/[ \t]+/)
      .filter((name) => name !== '')
      .map((name) => name.toLowerCase());
    if (headers.length === 0) throw parseError('The headers parameter is empty');
    if (headers.length > maxHeaders) {
      throw new HttpSigError(
        'ERR_HTTPSIG_LIMIT_EXCEEDED',
        `The headers parameter lists more than ${maxHeaders}`,
        {
          field,
          parameter: 'headers',
        },
      );
    }
    if (new Set(headers).size !== headers.length)
      throw parseError('The headers parameter lists a name twice');
  }
  // The draft prints created/expires without quotes; quoted numbers are tolerated.
  const createdText = get('created', false);
  const expiresText = get('expires', false);
  return Object.freeze({
    keyId,
    algorithm: algorithmText?.toLowerCase(),
    headers: headers === undefined ? undefined : Object.freeze(headers),
    signature,
    signatureBytes,
    created: timestamp('created', createdText, false),
    createdText,
    expires: timestamp('expires', expiresText, true),
    expiresText,
  });
}

/** Quote a parameter value for a Signature header. */
export function quoteParam(value: string): string {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) throw new TypeError('parameter values must not contain control characters');
  }
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}
