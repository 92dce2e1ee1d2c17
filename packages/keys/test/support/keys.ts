/** Keys and signed requests for the resolver tests. */
import {
  type Algorithm,
  exportKey,
  generateKey,
  HttpSigError,
  type HttpSigKey,
  type RequestLike,
  type SignatureParamsInput,
  signMessage,
} from '@httpsig/core';

export interface TestKey {
  readonly privateKey: HttpSigKey;
  readonly publicKey: HttpSigKey;
  /** The public JWK, with `kid` when the key has a keyid. */
  readonly jwk: JsonWebKey & { kid?: string };
}

export async function testKey(alg: Algorithm, keyid?: string): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKey(alg, keyid === undefined ? {} : { keyid });
  return { privateKey, publicKey, jwk: await exportKey(publicKey, 'jwk') };
}

export const NOW = 1_750_000_000;

/** A GET request signed with `key`, covering @method, @authority and @path (plus `extra`). */
export async function signedRequest(
  key: HttpSigKey,
  params: SignatureParamsInput,
  options: { headers?: Record<string, string>; components?: string[]; label?: string } = {},
): Promise<RequestLike & { headers: Record<string, string> }> {
  const message = { method: 'GET', url: 'https://api.example/items', headers: { ...options.headers } };
  const signed = await signMessage(message, {
    key,
    components: ['@method', '@authority', '@path', ...(options.components ?? [])],
    params: { created: NOW, ...params },
    ...(options.label === undefined ? {} : { label: options.label }),
    now: NOW,
  });
  return { ...message, headers: { ...message.headers, ...signed.headers } };
}

/** The error code a promise rejects with (undefined when it resolves). */
export async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof HttpSigError) return error.code;
    throw error;
  }
  return undefined;
}

/** The HttpSigError a promise rejects with. */
export async function errorOf(promise: Promise<unknown>): Promise<HttpSigError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof HttpSigError) return error;
    throw error;
  }
  throw new Error('expected the promise to reject');
}
