/** The value(s) of one covered component in a message (RFC 9421 §2.1, §2.2, §2.4). */
import type { FieldTypeOptions, StructuredFieldType } from '../base/types';
import { HttpSigError } from '../errors';
import { base64Encode, encodeByteString } from '../internal/bytes';
import { combineFieldLines } from '../message/fields';
import type { NormalizedMessage, NormalizedRequest } from '../message/normalize';
import {
  type Dictionary,
  type Item,
  type List,
  parseDictionary,
  parseItem,
  parseList,
  serializeDictionary,
  serializeItem,
  serializeList,
  serializeMember,
} from '../sfv/index';
import type { ComponentIdentifier } from './identifier';
import { queryParamValues } from './query-param';
import { knownFieldTypes } from './structured-types';

const requestDerived = new Set([
  '@method',
  '@target-uri',
  '@authority',
  '@scheme',
  '@request-target',
  '@path',
  '@query',
  '@query-param',
]);

function invalid(id: ComponentIdentifier, message: string, cause?: unknown): HttpSigError {
  return new HttpSigError('ERR_HTTPSIG_INVALID_COMPONENT', message, {
    component: id.serialized,
    ...(cause === undefined ? {} : { cause }),
  });
}

function missing(id: ComponentIdentifier, message: string): HttpSigError {
  return new HttpSigError('ERR_HTTPSIG_MISSING_COMPONENT', message, { component: id.serialized });
}

/**
 * The component's values: one per signature base line (several only for a repeated
 * `@query-param`). Throws `ERR_HTTPSIG_INVALID_COMPONENT` or `ERR_HTTPSIG_MISSING_COMPONENT`.
 */
export function componentValues(
  id: ComponentIdentifier,
  message: NormalizedMessage,
  options: FieldTypeOptions,
): string[] {
  let source: NormalizedMessage = message;
  if (id.params.has('req')) {
    if (message.kind === 'request') {
      throw invalid(id, 'The req parameter is not allowed in a signature over a request');
    }
    if (!message.request) throw missing(id, 'The component needs the related request, which was not given');
    source = message.request;
  }
  return id.name.startsWith('@') ? derivedValues(id, source) : [fieldValue(id, source, options)];
}

function derivedValues(id: ComponentIdentifier, message: NormalizedMessage): string[] {
  for (const param of id.params.keys()) {
    if (param !== 'req' && !(param === 'name' && id.name === '@query-param')) {
      throw invalid(id, `The ${param} parameter is not allowed on a derived component`);
    }
  }
  if (id.name === '@status') {
    if (message.kind !== 'response') throw invalid(id, 'The @status component is only defined for responses');
    return [String(message.status)];
  }
  if (!requestDerived.has(id.name)) {
    throw invalid(
      id,
      id.name === '@signature-params' ? '@signature-params cannot be covered' : 'Unknown derived component',
    );
  }
  if (message.kind !== 'request') {
    throw invalid(id, 'Request components in a response signature need the req parameter');
  }
  return requestValue(id, message);
}

function requestValue(id: ComponentIdentifier, request: NormalizedRequest): string[] {
  const { uri } = request;
  switch (id.name) {
    case '@method':
      return [request.method];
    case '@target-uri':
      return [`${uri.scheme}://${uri.authority}${uri.path}${uri.query === undefined ? '' : `?${uri.query}`}`];
    case '@authority':
      return [uri.authority];
    case '@scheme':
      return [uri.scheme];
    case '@request-target':
      return [request.target ?? `${uri.path}${uri.query === undefined ? '' : `?${uri.query}`}`];
    case '@path':
      return [uri.path];
    case '@query':
      return [`?${uri.query ?? ''}`];
    default: {
      const name = id.params.get('name');
      if (typeof name !== 'string') throw invalid(id, '@query-param needs a name parameter');
      const values = queryParamValues(uri.query, name);
      if (values.length === 0) throw missing(id, 'The query parameter is not in the request');
      return values;
    }
  }
}

function fieldValue(id: ComponentIdentifier, message: NormalizedMessage, options: FieldTypeOptions): string {
  if (id.params.has('name')) throw invalid(id, 'The name parameter is only allowed on @query-param');
  const bs = id.params.has('bs');
  if (bs && (id.params.has('sf') || id.params.has('key'))) {
    throw invalid(id, 'The bs parameter cannot be combined with sf or key');
  }
  const table = id.params.has('tr') ? message.trailers : message.fields;
  const lines = table?.get(id.name);
  if (!lines || lines.length === 0) {
    throw missing(
      id,
      id.params.has('tr') ? 'The trailer field is not in the message' : 'The field is not in the message',
    );
  }
  if (bs)
    return lines
      .map((line) => `:${base64Encode(encodeByteString(line.replace(/^[ \t]+|[ \t]+$/g, '')))}:`)
      .join(', ');
  const combined = combineFieldLines(lines);
  const key = id.params.get('key');
  if (typeof key === 'string') return dictionaryMember(id, combined, key);
  if (id.params.has('sf')) return reserialize(id, combined, options);
  return combined;
}

function dictionaryMember(id: ComponentIdentifier, value: string, key: string): string {
  let dictionary: Dictionary;
  try {
    dictionary = parseDictionary(value, id.name);
  } catch (error) {
    throw invalid(id, 'The key parameter needs a field that is a structured dictionary', error);
  }
  const member = dictionary.get(key);
  if (member === undefined) throw missing(id, 'The dictionary has no member with that key');
  return serializeMember(member);
}

const parsers: Record<StructuredFieldType, (value: string, field: string) => Dictionary | List | Item> = {
  dictionary: parseDictionary,
  list: parseList,
  item: parseItem,
};

function serialize(type: StructuredFieldType, parsed: Dictionary | List | Item): string {
  if (type === 'dictionary') return serializeDictionary(parsed as Dictionary);
  if (type === 'list') return serializeList(parsed as List);
  return serializeItem(parsed as Item);
}

function reserialize(id: ComponentIdentifier, value: string, options: FieldTypeOptions): string {
  const declared = options.fieldTypes?.[id.name] ?? knownFieldTypes[id.name];
  const candidates: StructuredFieldType[] = declared
    ? [declared]
    : options.unknownFieldType === 'auto'
      ? ['dictionary', 'list', 'item']
      : [];
  if (candidates.length === 0) {
    throw invalid(id, 'The structured type of this field is unknown; declare it in fieldTypes');
  }
  let lastError: unknown;
  for (const type of candidates) {
    try {
      return serialize(type, parsers[type](value, id.name));
    } catch (error) {
      lastError = error;
    }
  }
  throw invalid(id, 'The field is not a valid structured field of its type', lastError);
}
