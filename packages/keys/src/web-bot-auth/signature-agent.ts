/**
 * Which agent a signature speaks for: the `Signature-Agent` member the signature covers
 * (draft-meunier-web-bot-auth-architecture / draft-ietf-webbotauth-httpsig-protocol).
 *
 * The field is a Dictionary of https origins, e.g. `sig1="https://agent.example"`; the member a
 * signature names is found through its covered `"signature-agent";key="…"` component (the member
 * key need not equal the signature label). The older form, a single String, is accepted too and
 * is covered by a plain `"signature-agent"` component. A verifier must not attribute a signature
 * to a member it does not cover, so an uncovered member is refused unless `requireCovered` is off.
 */
import {
  collectFieldLines,
  type HeadersInput,
  type HttpMessage,
  HttpSigError,
  parseSignatureInput,
} from '@httpsig/core';
import {
  type Dictionary,
  type InnerList,
  type Item,
  isInnerList,
  parseDictionary,
  parseItem,
  Token,
} from 'structured-headers';
import { unknownKey } from '../errors';

export const DIRECTORY_PATH = '/.well-known/http-message-signatures-directory';

export interface SignatureAgent {
  /** The agent's origin, e.g. `https://agent.example`. */
  readonly origin: string;
  /** Its key directory, `<origin>/.well-known/http-message-signatures-directory`. */
  readonly directory: URL;
}

function fieldValue(message: HttpMessage, name: string): string | undefined {
  const lines = collectFieldLines((message as { headers?: HeadersInput }).headers).get(name);
  return lines === undefined ? undefined : lines.map((line) => line.trim()).join(', ');
}

/** The Signature-Agent members the signature `label` covers: named keys, or the whole field. */
function coveredMembers(message: HttpMessage, label: string): { whole: boolean; keys: Set<string> } {
  const covered = { whole: false, keys: new Set<string>() };
  const input = fieldValue(message, 'signature-input');
  const member = input === undefined ? undefined : parseSignatureInput(input).find((m) => m.label === label);
  for (const component of member?.components ?? []) {
    const [name, params] = parseItem(component);
    if (name !== 'signature-agent') continue;
    const key = params.get('key');
    if (key === undefined) covered.whole = true;
    else if (typeof key === 'string') covered.keys.add(key);
  }
  return covered;
}

function parseFailure(label: string, cause: unknown): HttpSigError {
  return new HttpSigError('ERR_HTTPSIG_PARSE', 'The Signature-Agent field cannot be parsed', {
    field: 'signature-agent',
    label,
    cause,
  });
}

/** The agent the signature `label` names. Throws `ERR_HTTPSIG_UNKNOWN_KEY` when there is none to use. */
export function signatureAgentFor(
  message: HttpMessage,
  label: string,
  requireCovered: boolean,
): SignatureAgent {
  const value = fieldValue(message, 'signature-agent');
  if (value === undefined || value === '')
    throw unknownKey('The request has no Signature-Agent field', { label });
  let covered: ReturnType<typeof coveredMembers>;
  try {
    covered = coveredMembers(message, label);
  } catch (error) {
    if (error instanceof HttpSigError) throw error;
    throw parseFailure(label, error);
  }

  // A String Item starts with a double quote; a Dictionary member key never does.
  if (value.startsWith('"')) {
    let item: Item;
    try {
      item = parseItem(value);
    } catch (error) {
      throw parseFailure(label, error);
    }
    if (requireCovered && !covered.whole) {
      throw unknownKey('The signature does not cover the Signature-Agent field', { label });
    }
    if (typeof item[0] !== 'string') throw unknownKey('The Signature-Agent field is not a string', { label });
    return agentFromUrl(item[0], label);
  }

  let members: Dictionary;
  try {
    members = parseDictionary(value);
  } catch (error) {
    throw parseFailure(label, error);
  }
  const name = chooseMember(members, covered, label, requireCovered);
  const member = members.get(name) as Item | InnerList;
  if (isInnerList(member) || typeof member[0] !== 'string') {
    throw unknownKey('The Signature-Agent member is not a string', { label });
  }
  const type = member[1].get('type');
  // The draft: a member whose discovery type the verifier does not support is ignored.
  if (type !== undefined && !(type instanceof Token && type.toString() === 'directory')) {
    throw unknownKey('The Signature-Agent member uses a discovery type other than "directory"', { label });
  }
  return agentFromUrl(member[0], label);
}

function chooseMember(
  members: Dictionary,
  covered: { whole: boolean; keys: ReadonlySet<string> },
  label: string,
  requireCovered: boolean,
): string {
  const candidates = [...members.keys()].filter((name) => covered.whole || covered.keys.has(name));
  if (candidates.includes(label)) return label;
  const [only] = candidates;
  if (only !== undefined && candidates.length === 1) return only;
  if (candidates.length > 1) {
    throw unknownKey('The signature covers several Signature-Agent members; none is keyed by its label', {
      label,
    });
  }
  if (requireCovered) throw unknownKey('The signature does not cover its Signature-Agent member', { label });
  if (members.has(label)) return label;
  const [single] = members.keys();
  if (single !== undefined && members.size === 1) return single;
  throw unknownKey('The Signature-Agent field has no member for this signature', { label });
}

/**
 * The agent at `value`, which must be an origin (an empty path, `/`, or the directory's own path
 * is accepted). The https requirement itself is enforced by the fetch guard.
 */
export function agentFromUrl(value: string, label?: string): SignatureAgent {
  const details = label === undefined ? {} : { label };
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw unknownKey('The Signature-Agent value is not a URL', details);
  }
  const pathOk = url.pathname === '/' || url.pathname === '' || url.pathname === DIRECTORY_PATH;
  if (!pathOk || url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    throw unknownKey('The Signature-Agent value is not an origin', details);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw unknownKey('The Signature-Agent value is not an https origin', details);
  }
  return { origin: url.origin, directory: new URL(DIRECTORY_PATH, url.origin) };
}
