/** The draft-cavage-12 vectors and keys, typed for the cavage tests. Web APIs only. */
import { type HttpSigErrorCode, isHttpSigError } from '../../../src/errors';
import type { RequestLike } from '../../../src/message/types';
import vectorFile from '../../vectors/cavage12-vectors.json';

export interface ParsedRequest {
  method: string;
  requestTarget: string;
  headers: [string, string][];
  body?: string;
  authority: string;
}

export interface CavageTest {
  id: string;
  signingString: string;
  authorizationHeader: string;
  signatureHeader?: string;
  keyId: string;
  algorithm: string;
  headersParam: string | null;
  signatureBase64: string;
  params: { created?: number; expires?: number };
}

export interface SigningStringExample {
  id: string;
  message: { parsed: ParsedRequest };
  headersParam: string;
  createdParam?: number;
  expiresParam?: number;
  header?: string;
  signingString: string;
  signingStringPrinted: string;
}

export const vectors = vectorFile as unknown as {
  key: { keyId: string; publicKeyPem: string; privateKeyPem: string };
  request: { parsed: ParsedRequest };
  tests: CavageTest[];
  signingStringExamples: SigningStringExample[];
};

/** A plain request object for a parsed vector request (headers kept as separate lines). */
export function toRequest(parsed: ParsedRequest): RequestLike {
  return {
    method: parsed.method,
    url: `https://${parsed.authority}${parsed.requestTarget}`,
    headers: parsed.headers.map(([name, value]) => [name, value] as [string, string]),
    ...(parsed.body === undefined ? {} : { body: parsed.body }),
  };
}

export function test(id: string): CavageTest {
  const found = vectors.tests.find((t) => t.id === id);
  if (found === undefined) throw new Error(`no test ${id}`);
  return found;
}

export function example(id: string): SigningStringExample {
  const found = vectors.signingStringExamples.find((t) => t.id === id);
  if (found === undefined) throw new Error(`no example ${id}`);
  return found;
}

/** Await `promise` and return the HttpSigError code it rejects with (failing if it resolves). */
export async function codeOf(promise: Promise<unknown>): Promise<HttpSigErrorCode> {
  try {
    await promise;
  } catch (error) {
    if (isHttpSigError(error)) return error.code;
    throw error;
  }
  throw new Error('expected a rejection, but it resolved');
}

/** The value of the `signature` parameter of a Signature/Authorization value. */
export function signatureParam(value: string): string {
  const match = /signature="([^"]*)"/.exec(value);
  if (!match) throw new Error('no signature parameter');
  return match[1] as string;
}
