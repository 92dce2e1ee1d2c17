/** What the tests share in Node and in Chromium: the verifying server's answer and axios set-up. */
import type { AxiosResponse } from 'axios';
import { expect } from 'vitest';

/** The verifying server's JSON answer. */
export interface Verdict {
  verified: boolean;
  code?: string;
  message?: string;
  method?: string;
  url?: string;
  keyid?: string;
  label?: string;
  components?: string[];
  params?: Record<string, unknown>;
  digests?: { field: string; algorithms: string[] }[];
  bodyBase64?: string;
}

/** The server's verdict, asserting that it verified the request. */
export function verified(response: AxiosResponse<Verdict>): Verdict {
  expect(response.data).toMatchObject({ verified: true });
  expect(response.status).toBe(200);
  return response.data;
}

/** The bytes the server received, from its verdict. */
export function receivedBody(verdict: Verdict): Uint8Array {
  return Uint8Array.from(atob(verdict.bodyBase64 ?? ''), (c) => c.charCodeAt(0));
}

export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
export const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

/** Never reject on a status: the tests read 401 answers too. */
export const anyStatus = { validateStatus: () => true } as const;
