/** The `axios` client: @httpsig/axios on a fresh instance with axios's own adapter for Node. */
import { withSignatures } from '@httpsig/axios';
import axios from 'axios';
import type { SigningClient } from './types';

function pairs(headers: unknown): [string, string][] {
  const out: [string, string][] = [];
  for (const [name, value] of Object.entries((headers ?? {}) as Record<string, unknown>)) {
    if (value === undefined || value === null) continue;
    for (const item of Array.isArray(value) ? value : [value]) out.push([name, String(item)]);
  }
  return out;
}

export const axiosClient: SigningClient = async (request, signing) => {
  const instance = withSignatures(axios.create(), signing);
  const response = await instance.request<ArrayBuffer>({
    url: request.url,
    method: request.method,
    headers: Object.fromEntries(request.headers),
    ...(request.body === undefined ? {} : { data: request.body }),
    responseType: 'arraybuffer',
    maxRedirects: 0,
    // Every status is an answer to print, not an exception.
    validateStatus: () => true,
    decompress: true,
  });
  const sent = (
    response.request as { getHeaders?: () => Record<string, unknown> } | undefined
  )?.getHeaders?.();
  return {
    status: response.status,
    statusText: response.statusText,
    headers: pairs(response.headers),
    body: new Uint8Array(response.data),
    sentHeaders: pairs(sent ?? response.config.headers),
  };
};
