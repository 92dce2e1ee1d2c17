/** The `http` client: @httpsig/node's signedRequest over node:http / node:https. */
import { signedRequest } from '@httpsig/node';
import type { SigningClient } from './types';

export const httpClient: SigningClient = async (request, signing) => {
  const headers: Record<string, string[]> = {};
  for (const [name, value] of request.headers) {
    const values = headers[name] ?? [];
    values.push(value);
    headers[name] = values;
  }
  const response = await signedRequest(request.url, {
    method: request.method,
    headers,
    signing,
    ...(request.body === undefined ? {} : { body: request.body }),
  });
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  // The ClientRequest that carried the signature; node:http links it from the response.
  const sent = (response as unknown as { req: { getHeaders(): Record<string, unknown> } }).req.getHeaders();
  return {
    status: response.statusCode ?? 0,
    statusText: response.statusMessage ?? '',
    headers: rawPairs(response.rawHeaders),
    body: new Uint8Array(Buffer.concat(chunks)),
    sentHeaders: Object.entries(sent).flatMap(([name, value]) =>
      (Array.isArray(value) ? value : [value]).map((v): [string, string] => [name, String(v)]),
    ),
  };
};

export function rawPairs(raw: readonly string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([raw[i] as string, raw[i + 1] as string]);
  return out;
}
