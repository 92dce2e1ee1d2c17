/** The draft-cavage-12 signing string (§2.3): `name: value` lines joined by LF, no trailing LF. */
import { HttpSigError } from '../errors';
import { combineFieldLines, type FieldLines } from '../message/fields';
import { type NormalizedRequest, normalizeMessage } from '../message/normalize';
import type { HttpMessage } from '../message/types';

export interface CavageSigningParams {
  /** The `algorithm` parameter. `(created)`/`(expires)` are refused with names starting `rsa`, `hmac`, `ecdsa`. */
  algorithm?: string;
  /** The `created` parameter (the text sent, or a number). */
  created?: number | string;
  expires?: number | string;
}

const tokenPattern = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** The request target as on the request line: origin-form path?query unless `target` says otherwise. */
export function requestTarget(request: NormalizedRequest): string {
  if (request.target !== undefined) return request.target;
  return request.uri.query === undefined ? request.uri.path : `${request.uri.path}?${request.uri.query}`;
}

function invalid(name: string, message: string): HttpSigError {
  return new HttpSigError('ERR_HTTPSIG_INVALID_COMPONENT', message, { component: name });
}

function missing(name: string, message: string): HttpSigError {
  return new HttpSigError('ERR_HTTPSIG_MISSING_COMPONENT', message, { component: name });
}

function timestampLine(
  name: '(created)' | '(expires)',
  value: number | string | undefined,
  algorithm: string | undefined,
): string {
  // §2.3 step 4.1: these pseudo-headers with an rsa/hmac/ecdsa algorithm name MUST be an error.
  if (algorithm !== undefined && /^(rsa|hmac|ecdsa)/i.test(algorithm)) {
    throw invalid(name, `${name} cannot be signed with algorithm ${algorithm}; use hs2019`);
  }
  if (value === undefined) throw missing(name, `${name} is covered but the parameter is absent`);
  const text = String(value);
  if (!/^\d{1,12}(\.\d{1,9})?$/.test(text)) throw invalid(name, `${name} must be a Unix timestamp`);
  return `${name}: ${text}`;
}

/** Build the signing string over already-collected fields; `host` falls back to the URL's authority. */
export function signingStringFromFields(
  request: NormalizedRequest | undefined,
  fields: FieldLines,
  headers: readonly string[],
  params: CavageSigningParams,
): string {
  if (headers.length === 0) throw new TypeError('headers must name at least one header');
  const lines: string[] = [];
  for (const raw of headers) {
    const name = raw.toLowerCase();
    if (name === '(request-target)') {
      if (request === undefined) throw invalid(name, '(request-target) needs a request');
      lines.push(`${name}: ${request.method.toLowerCase()} ${requestTarget(request)}`);
    } else if (name === '(created)') {
      lines.push(timestampLine(name, params.created, params.algorithm));
    } else if (name === '(expires)') {
      lines.push(timestampLine(name, params.expires, params.algorithm));
    } else {
      if (!tokenPattern.test(name)) throw invalid(name, 'The headers list names an invalid header');
      const values = fields.get(name);
      let value: string;
      if (values !== undefined && values.length > 0) value = combineFieldLines(values);
      // fetch() sets Host from the URL and a Request object does not show it.
      else if (name === 'host' && request !== undefined) value = request.uri.authority;
      else throw missing(name, `The covered header ${name} is absent from the message`);
      // A bare line break left in a value would forge an extra signing-string line.
      if (/[\r\n]/.test(value)) throw invalid(name, `The ${name} header contains a line break`);
      lines.push(`${name}: ${value}`);
    }
  }
  return lines.join('\n');
}

/**
 * The draft-cavage-12 signing string of a message for the given `headers` list and parameters.
 * Throws `ERR_HTTPSIG_MISSING_COMPONENT` for an absent header or parameter and
 * `ERR_HTTPSIG_INVALID_COMPONENT` for a malformed name or a pseudo-header the algorithm forbids.
 */
export function createCavageSigningString(
  message: HttpMessage,
  headers: readonly string[],
  params: CavageSigningParams = {},
): string {
  const normalized = normalizeMessage(message);
  return signingStringFromFields(
    normalized.kind === 'request' ? normalized : undefined,
    normalized.fields,
    headers,
    params,
  );
}
