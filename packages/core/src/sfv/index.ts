/**
 * Structured Field Values (RFC 9651) through the `structured-headers` library, with its errors
 * turned into `ERR_HTTPSIG_PARSE` carrying the field name and the offset.
 */
import {
  type BareItem,
  type Dictionary,
  type InnerList,
  type Item,
  isInnerList,
  type List,
  type Parameters,
  serializeDictionary,
  serializeInnerList,
  serializeItem,
  serializeList,
  parseDictionary as sfParseDictionary,
  parseItem as sfParseItem,
  parseList as sfParseList,
  Token,
} from 'structured-headers';
import { HttpSigError } from '../errors';

export type { BareItem, Dictionary, InnerList, Item, List, Parameters };
export { isInnerList, serializeDictionary, serializeInnerList, serializeItem, serializeList, Token };

function parseWith<T>(parse: (input: string) => T, input: string, field: string): T {
  try {
    return parse(input);
  } catch (error) {
    const offset = /at offset (\d+)/.exec(String((error as Error)?.message))?.[1];
    const where = offset === undefined ? '' : ` at offset ${offset}`;
    throw new HttpSigError('ERR_HTTPSIG_PARSE', `Malformed ${field} field${where}`, {
      field,
      ...(offset === undefined ? {} : { offset: Number(offset) }),
      cause: error,
    });
  }
}

export function parseDictionary(input: string, field: string): Dictionary {
  return parseWith(sfParseDictionary, input, field);
}

export function parseList(input: string, field: string): List {
  return parseWith(sfParseList, input, field);
}

export function parseItem(input: string, field: string): Item {
  return parseWith(sfParseItem, input, field);
}

/** Serialize a dictionary member value: an Item or an Inner List. */
export function serializeMember(member: Item | InnerList): string {
  return isInnerList(member) ? serializeInnerList(member) : serializeItem(member);
}
