/**
 * Double-knock for axios: whether a response refuses the signature scheme, and the request made
 * replayable so that the second knock sends the same bytes.
 */
import { isProblemType, refusesScheme } from '@httpsig/core';
import axios, { type AxiosResponse, type InternalAxiosRequestConfig } from 'axios';
import { type AdapterKind, sendsBody } from './adapter-kind';
import { toArrayBuffer } from './body';
import { outgoingHeaders } from './headers';
import { type BodyOptions, readBodyInto } from './sign-config';

/** What an adapter call came to: a response, and the error when validateStatus refused it. */
export interface Outcome {
  readonly response?: AxiosResponse;
  readonly error?: unknown;
}

export async function settle(sending: Promise<AxiosResponse>): Promise<Outcome> {
  try {
    return { response: await sending };
  } catch (error) {
    if (axios.isAxiosError(error) && error.response) return { response: error.response, error };
    return { error };
  }
}

export function unwrap(outcome: Outcome): AxiosResponse {
  if (outcome.error !== undefined) throw outcome.error;
  return outcome.response as AxiosResponse;
}

/** The response body as a problem object, when it is JSON (adapters hand it over untransformed). */
function problemOf(response: AxiosResponse): unknown {
  const type = response.headers?.['content-type'];
  if (!isProblemType(typeof type === 'string' ? type : undefined)) return undefined;
  const { data } = response;
  try {
    if (typeof data === 'string') return JSON.parse(data);
    if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) {
      return JSON.parse(new TextDecoder().decode(data as ArrayBuffer));
    }
  } catch {
    return undefined;
  }
  return typeof data === 'object' ? data : undefined;
}

/** Whether the server refused the scheme (never true for a transport error without a response). */
export function outcomeRefusesScheme(outcome: Outcome): boolean {
  const { response } = outcome;
  return response !== undefined && refusesScheme(response.status, problemOf(response));
}

/** A response not handed back: a stream must not stay open. */
export function discardResponse(outcome: Outcome): void {
  (outcome.response?.data as { destroy?: () => void } | null | undefined)?.destroy?.();
}

/** The request with its body read into bytes once, so that it can be sent twice. */
export async function replayable(
  config: InternalAxiosRequestConfig,
  kind: AdapterKind,
  options: BodyOptions,
): Promise<InternalAxiosRequestConfig> {
  const { data } = config;
  const method = (config.method ?? 'get').toUpperCase();
  if (data === undefined || data === null || !sendsBody(kind, method)) return config;
  const headers = outgoingHeaders(config.headers);
  const bytes = await readBodyInto(headers, data, options);
  return { ...config, headers, data: toArrayBuffer(bytes) };
}
