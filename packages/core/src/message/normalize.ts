/** One internal view of every accepted message shape. */
import { collectFieldLines, type FieldLines } from './fields';
import { parseTargetUri, type TargetUri } from './target-uri';
import type { HttpMessage, RequestLike, ResponseLike } from './types';

export interface NormalizedRequest {
  readonly kind: 'request';
  readonly method: string;
  readonly uri: TargetUri;
  /** The request-target as sent, when it is not origin-form. */
  readonly target: string | undefined;
  readonly fields: FieldLines;
  readonly trailers: FieldLines | undefined;
}

export interface NormalizedResponse {
  readonly kind: 'response';
  readonly status: number;
  readonly fields: FieldLines;
  readonly trailers: FieldLines | undefined;
  /** The related request, for `;req` components. */
  readonly request: NormalizedRequest | undefined;
}

export type NormalizedMessage = NormalizedRequest | NormalizedResponse;

function isRequestShape(message: HttpMessage): message is Request | RequestLike {
  return typeof (message as RequestLike).method === 'string';
}

function isResponseShape(message: HttpMessage): message is Response | ResponseLike {
  return typeof (message as ResponseLike).status === 'number' && !isRequestShape(message);
}

export function normalizeRequest(message: Request | RequestLike): NormalizedRequest {
  const plain = message as RequestLike;
  return {
    kind: 'request',
    method: message.method,
    uri: parseTargetUri(message.url),
    target: typeof plain.target === 'string' ? plain.target : undefined,
    fields: collectFieldLines(message.headers),
    trailers: plain.trailers === undefined ? undefined : collectFieldLines(plain.trailers),
  };
}

/**
 * Normalize a message. `related` is the request a response answers (the `request` option wins
 * over the message's own `request` property).
 */
export function normalizeMessage(message: HttpMessage, related?: HttpMessage): NormalizedMessage {
  if (message === null || typeof message !== 'object') {
    throw new TypeError('message must be a Request, a Response or a plain message object');
  }
  if (isRequestShape(message)) return normalizeRequest(message);
  if (!isResponseShape(message)) {
    throw new TypeError('message must have a method and url (request) or a status (response)');
  }
  const plain = message as ResponseLike;
  const relatedRequest = related ?? plain.request;
  let request: NormalizedRequest | undefined;
  if (relatedRequest !== undefined) {
    if (!isRequestShape(relatedRequest)) throw new TypeError('the related request must be a request');
    request = normalizeRequest(relatedRequest);
  }
  return {
    kind: 'response',
    status: message.status,
    fields: collectFieldLines(message.headers),
    trailers: plain.trailers === undefined ? undefined : collectFieldLines(plain.trailers),
    request,
  };
}
