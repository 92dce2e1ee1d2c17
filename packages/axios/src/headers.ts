/** The request header fields, copied so that signing never changes the caller's config. */
import axios, { type AxiosHeaders, type InternalAxiosRequestConfig } from 'axios';

/**
 * Fields a new signature replaces. A re-sent config (a retry) still carries the previous
 * signature, which would clash with the new one or describe another body.
 */
const staleFields = ['signature', 'signature-input', 'content-digest'];

/**
 * A copy of the headers with each field on one line. Adapters disagree on header arrays (Node
 * sends one line per value but joins Cookie with `; `, browsers join with `,`): joining them
 * here makes the signed value and the sent value the same everywhere.
 */
export function outgoingHeaders(headers: InternalAxiosRequestConfig['headers']): AxiosHeaders {
  const copy = new axios.AxiosHeaders(headers);
  for (const name of staleFields) copy.delete(name);
  for (const [name, value] of Object.entries(copy.toJSON())) {
    if (Array.isArray(value)) copy.set(name, value.join(name.toLowerCase() === 'cookie' ? '; ' : ', '));
  }
  return copy;
}

/** The fields as the signer reads them: name → value, for every field that is sent. */
export function signedFields(headers: AxiosHeaders): Record<string, string> {
  const fields: Record<string, string> = {};
  // toJSON leaves out the fields axios does not send (undefined, null, false).
  for (const [name, value] of Object.entries(headers.toJSON(true))) fields[name] = String(value);
  return fields;
}
