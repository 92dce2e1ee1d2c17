/** The `fetch` client: @httpsig/fetch around the runtime's global fetch. */
import { createSignedFetch } from '@httpsig/fetch';
import type { SigningClient } from './types';

export const fetchClient: SigningClient = async (request, signing) => {
  let sent: Request | undefined;
  // Keep the request the adapter sends: its signature fields are what `;req` components cover.
  const recordingFetch = (input: RequestInfo | URL, init?: RequestInit) => {
    sent = new Request(input, init);
    return fetch(sent);
  };
  const signedFetch = createSignedFetch({ ...signing, fetch: recordingFetch, resignRedirects: false });
  const response = await signedFetch(request.url, {
    method: request.method,
    headers: request.headers.map(([name, value]): [string, string] => [name, value]),
    redirect: 'manual',
    ...(request.body === undefined ? {} : { body: request.body as Uint8Array<ArrayBuffer> }),
  });
  return {
    status: response.status,
    statusText: response.statusText,
    headers: [...response.headers],
    body: new Uint8Array(await response.arrayBuffer()),
    sentHeaders: [...(sent?.headers ?? [])],
  };
};
