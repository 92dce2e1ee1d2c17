/**
 * Binding the body when signing: compute `Content-Digest` over the exact bytes that will be sent
 * and cover it. A digest the message already carries is checked, never trusted.
 */
import { type ComponentIdentifier, identifierFromInput } from '../components/identifier';
import { assertDigestAlgorithm, type DigestAlgorithm } from '../digest/algorithms';
import { collectBody, resolveBody, resolveMaxBodySize } from '../digest/body';
import { compareDigests, verifiableDigests } from '../digest/digest';
import { parseDigestField, selectDigestAlgorithm, serializeDigestField } from '../digest/fields';
import { digestBytes } from '../digest/hash';
import type { Bytes } from '../keys/types';
import { hasBody, isFetchMessage, messageBody } from '../message/body';
import { combineFieldLines } from '../message/fields';
import type { NormalizedMessage } from '../message/normalize';
import type { HttpMessage } from '../message/types';
import type { SignOptions } from './types';

export interface BodyBinding {
  readonly message: NormalizedMessage;
  readonly components: readonly ComponentIdentifier[];
  /** Fields the caller must add to the message (lower-case names). */
  readonly headers: Readonly<Record<string, string>>;
  /** The bytes to send, when the body could only be read once (a stream) or had to be serialized (FormData). */
  readonly body: Bytes | undefined;
}

/** The `Want-Content-Digest` of the request a response answers; a malformed one is ignored. */
function wantedAlgorithm(message: NormalizedMessage): DigestAlgorithm | undefined {
  const want = message.kind === 'response' ? message.request?.fields.get('want-content-digest') : undefined;
  if (!want) return undefined;
  try {
    return selectDigestAlgorithm(combineFieldLines(want));
  } catch {
    return undefined;
  }
}

/** Whether `bindBody` has anything to do: a digest was asked for, or the message has a body. */
export function needsBodyBinding(message: HttpMessage, options: SignOptions): boolean {
  if (options.digest === false) return false;
  return options.digest !== undefined || hasBody(message);
}

export async function bindBody(
  message: HttpMessage,
  normalized: NormalizedMessage,
  components: readonly ComponentIdentifier[],
  options: SignOptions,
): Promise<BodyBinding | undefined> {
  const choice = options.digest;
  if (choice === false || !needsBodyBinding(message, options)) return undefined;
  if (choice !== undefined) assertDigestAlgorithm(choice);

  const input = messageBody(message);
  const source = resolveBody(input, 'sign');
  // The digest goes in a header, before the body: the whole body is needed first.
  const bytes = await collectBody(source, resolveMaxBodySize(options));
  const fields = new Map(normalized.fields);
  const headers: Record<string, string> = {};
  // A caller's Content-Type stands, except over FormData: only our boundary parses these bytes.
  const binding = source.kind === 'stream' && source.contentTypeBinding === true;
  if (source.contentType !== undefined && (binding || !fields.has('content-type'))) {
    fields.set('content-type', [source.contentType]);
    headers['content-type'] = source.contentType;
  }

  const existing = fields.get('content-digest');
  if (existing) {
    const expected = verifiableDigests(parseDigestField(combineFieldLines(existing)), 'content-digest');
    compareDigests(expected, await digestBytes(bytes, [...expected.keys()]), 'content-digest');
  } else {
    const algorithm = choice ?? wantedAlgorithm(normalized) ?? 'sha-256';
    const value = serializeDigestField(await digestBytes(bytes, [algorithm]));
    fields.set('content-digest', [value]);
    headers['content-digest'] = value;
  }

  // The header field the digest was added to; a trailer (`;tr`) or the request's (`;req`) is another one.
  const covered = components.some(
    (id) => id.name === 'content-digest' && !id.params.has('req') && !id.params.has('tr'),
  );
  return {
    message: { ...normalized, fields },
    components: covered ? components : [...components, identifierFromInput('content-digest')],
    headers,
    // A fetch message's body was read through a clone: the message itself can still be sent.
    body: source.kind === 'stream' && source.readOnce && !isFetchMessage(message) ? bytes : undefined,
  };
}
