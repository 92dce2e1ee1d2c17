/**
 * Sign one request as the adapter will send it: the final URL, the final header fields and the
 * final body bytes. The config handed on carries the signature fields and exactly those bytes.
 */
import type { Bytes, HttpMessage, SchemeSignResult } from '@httpsig/core';
import type { AxiosHeaders, InternalAxiosRequestConfig } from 'axios';
import { type AdapterKind, sendsBody } from './adapter-kind';
import { isStreamBody, readOutgoingBody, toArrayBuffer } from './body';
import { outgoingHeaders, signedFields } from './headers';
import { wireTargetUri } from './target-uri';
import type { AxiosSigningOptions } from './types';

/** The options that decide how the body is read. */
export type BodyOptions = Pick<AxiosSigningOptions, 'digest' | 'maxBodySize'>;

/** Read the body into the bytes to send, setting the Content-Type those bytes need. */
export async function readBodyInto(
  headers: AxiosHeaders,
  data: unknown,
  options: BodyOptions,
): Promise<Bytes> {
  const body = await readOutgoingBody(data, options.maxBodySize);
  if (body.contentType !== undefined) headers.set('Content-Type', body.contentType);
  else if (body.defaultContentType !== undefined && !headers.has('content-type')) {
    headers.set('Content-Type', body.defaultContentType);
  }
  return body.bytes;
}

/** Signs one message in the scheme chosen for it. */
export type SignMessage = (message: HttpMessage) => Promise<SchemeSignResult>;

export async function signRequestConfig(
  config: InternalAxiosRequestConfig,
  sign: SignMessage,
  kind: AdapterKind,
  options: BodyOptions,
): Promise<InternalAxiosRequestConfig> {
  const method = (config.method ?? 'get').toUpperCase();
  const url = wireTargetUri(config, kind);
  const headers = outgoingHeaders(config.headers);
  let data: unknown = sendsBody(kind, method) ? config.data : undefined;
  let bytes: Bytes | undefined;

  if (data === undefined || data === null) {
    // The xhr adapter drops Content-Type when there is no body: it must not be signed either.
    if (kind === 'xhr' && data === undefined) headers.delete('content-type');
  } else if (!(options.digest === false && isStreamBody(data))) {
    // Without a digest the signature does not cover the body, so a stream is sent unread.
    bytes = await readBodyInto(headers, data, options);
    data = toArrayBuffer(bytes);
  }

  const signed = await sign({
    method,
    url,
    headers: signedFields(headers),
    ...(bytes === undefined ? {} : { body: bytes }),
  });
  for (const [name, value] of Object.entries(signed.headers)) headers.set(name, value);
  // A stream left unread for an RFC 9421 signature without digest was read for a cavage Digest.
  if (signed.body !== undefined) data = toArrayBuffer(signed.body);
  return { ...config, headers, data };
}
