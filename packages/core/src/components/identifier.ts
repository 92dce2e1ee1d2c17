/** Component identifiers (RFC 9421 §2): a name plus ordered parameters, and their serialization. */

import type { ComponentInput } from '../base/types';
import { HttpSigError } from '../errors';
import { type BareItem, type Item, parseItem, serializeItem } from '../sfv/index';

export interface ComponentIdentifier {
  readonly name: string;
  /** Parameters in the order they were written. */
  readonly params: ReadonlyMap<string, BareItem>;
  /** The identifier as it appears in `Signature-Input` and in the signature base, e.g. `"@query-param";name="q"`. */
  readonly serialized: string;
}

const booleanParams = new Set(['sf', 'bs', 'req', 'tr']);
const stringParams = new Set(['key', 'name']);
const fieldNamePattern = /^[!#$%&'*+\-.^_`|~0-9a-z]+$/;
const derivedNamePattern = /^@[a-z0-9-]+$/;

function invalid(message: string, component: string, cause?: unknown): HttpSigError {
  return new HttpSigError('ERR_HTTPSIG_INVALID_COMPONENT', message, {
    component,
    ...(cause === undefined ? {} : { cause }),
  });
}

/** Build and validate an identifier from a parsed name and parameters. */
export function createIdentifier(name: string, params: ReadonlyMap<string, BareItem>): ComponentIdentifier {
  // The common case, without the serializer: a valid name needs no escaping.
  if (params.size === 0 && (name.startsWith('@') ? derivedNamePattern : fieldNamePattern).test(name)) {
    return { name, params, serialized: `"${name}"` };
  }
  let serialized: string;
  try {
    serialized = serializeItem([name, params as Map<string, BareItem>]);
  } catch (error) {
    throw invalid('Component identifier cannot be serialized', shorten(name), error);
  }
  if (name.startsWith('@')) {
    if (!derivedNamePattern.test(name)) throw invalid('Malformed derived component name', serialized);
  } else if (!fieldNamePattern.test(name)) {
    throw invalid('Component name must be a lower-case HTTP field name or a derived component', serialized);
  }
  for (const [param, value] of params) {
    if (booleanParams.has(param)) {
      if (value !== true)
        throw invalid(`Component parameter ${param} must be a bare boolean true`, serialized);
    } else if (stringParams.has(param)) {
      if (typeof value !== 'string')
        throw invalid(`Component parameter ${param} must be a string`, serialized);
    } else {
      throw invalid(`Unknown component parameter ${JSON.stringify(shorten(param))}`, serialized);
    }
  }
  return { name, params, serialized };
}

/** An identifier from an Inner List member of `Signature-Input` or `Accept-Signature`. */
export function identifierFromItem(item: Item): ComponentIdentifier {
  const [value, params] = item;
  if (typeof value !== 'string') {
    throw new HttpSigError('ERR_HTTPSIG_PARSE', 'Covered components must be strings', {
      field: 'signature-input',
    });
  }
  return createIdentifier(value, params);
}

/** An identifier from what a caller wrote (see `ComponentInput`). */
export function identifierFromInput(input: ComponentInput): ComponentIdentifier {
  if (typeof input === 'string') {
    const text = input.trim();
    if (text.startsWith('"')) return identifierFromItem(parseComponentText(text));
    const semicolon = text.indexOf(';');
    if (semicolon < 0) return createIdentifier(text.toLowerCase(), new Map());
    const name = text.slice(0, semicolon).toLowerCase();
    return identifierFromItem(parseComponentText(`${JSON.stringify(name)}${text.slice(semicolon)}`));
  }
  if (typeof input !== 'object' || input === null || typeof input.name !== 'string') {
    throw new TypeError('A component must be a string or an object with a name');
  }
  const params = new Map<string, BareItem>();
  for (const [param, value] of Object.entries(input)) {
    if (param === 'name' || value === undefined || value === false) continue;
    // The object's `name` is the component name, so the @query-param name is spelled `queryName`.
    params.set(param === 'queryName' ? 'name' : param, value as BareItem);
  }
  return createIdentifier(input.name, params);
}

function parseComponentText(text: string): Item {
  try {
    return parseItem(text, 'component identifier');
  } catch (error) {
    throw invalid('Malformed component identifier', shorten(text), error);
  }
}

function shorten(text: string): string {
  return text.length > 64 ? `${text.slice(0, 64)}…` : text;
}
