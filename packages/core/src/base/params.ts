/** Signature parameters (RFC 9421 §2.3): between ordered objects and structured-field parameters. */
import { HttpSigError } from '../errors';
import type { BareItem, Parameters } from '../sfv/index';
import { Token } from '../sfv/index';
import type { SignatureParams } from './types';

const integerParams = new Set(['created', 'expires']);
const stringParams = new Set(['nonce', 'alg', 'keyid', 'tag']);

/** Parameters for serialization, from an ordered object. Undefined values are left out. */
export function paramsToMap(params: Readonly<SignatureParams>): Map<string, BareItem> {
  const map = new Map<string, BareItem>();
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined) continue;
    if (!/^[a-z*][a-z0-9_\-.*]*$/.test(name))
      throw new TypeError(`Invalid signature parameter name ${JSON.stringify(name)}`);
    if (integerParams.has(name) && !Number.isSafeInteger(value)) {
      throw new TypeError(`The ${name} parameter must be an integer number of seconds`);
    }
    if (stringParams.has(name) && typeof value !== 'string') {
      throw new TypeError(`The ${name} parameter must be a string`);
    }
    if (typeof value === 'string' && !/^[\x20-\x7e]*$/.test(value)) {
      throw new TypeError(`The ${name} parameter must be printable ASCII`);
    }
    map.set(name, value);
  }
  return map;
}

/**
 * An ordered object from parsed parameters, checking the types RFC 9421 gives the registered
 * ones; a wrongly typed registered parameter is a parse error.
 */
export function paramsFromMap(map: Parameters, field = 'signature-input'): SignatureParams {
  const params: SignatureParams = {};
  for (const [name, raw] of map) {
    const value = raw instanceof Token ? raw.toString() : raw;
    if (integerParams.has(name) && !Number.isSafeInteger(value)) {
      throw new HttpSigError('ERR_HTTPSIG_PARSE', `The ${name} parameter must be an integer`, {
        field,
        parameter: name,
      });
    }
    if (stringParams.has(name) && typeof raw !== 'string') {
      throw new HttpSigError('ERR_HTTPSIG_PARSE', `The ${name} parameter must be a string`, {
        field,
        parameter: name,
      });
    }
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      throw new HttpSigError('ERR_HTTPSIG_PARSE', `The ${name} parameter has an unsupported type`, {
        field,
        parameter: name,
      });
    }
    params[name] = value;
  }
  return params;
}
