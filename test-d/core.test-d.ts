/**
 * Type tests of @httpsig/core's public API, checked against the built declarations (the shape
 * that is published): `pnpm test:types` after `pnpm build`. A failing expectation is a compile error.
 */
import {
  type Algorithm,
  createDigestField,
  type DigestAlgorithm,
  exportKey,
  type GeneratedKeyPair,
  type GenerateKeyOptions,
  generateKey,
  type HttpSigError,
  type HttpSigErrorCode,
  type HttpSigKey,
  httpStatusForError,
  type ImportKeyOptions,
  importKey,
  isHttpSigError,
  type KeyMaterial,
  type RequestLike,
  type ResponseLike,
  type SignOptions,
  type SignResult,
  signMessage,
  type VerifyOptions,
  type VerifyResult,
  verifyMessage,
} from '@httpsig/core';
import { expectTypeOf } from 'expect-type';

// Option types are exported under their names and are exactly what the functions take.
expectTypeOf(signMessage).parameter(1).toEqualTypeOf<SignOptions>();
expectTypeOf(verifyMessage).parameter(1).toEqualTypeOf<VerifyOptions>();
expectTypeOf(importKey).parameter(0).toEqualTypeOf<KeyMaterial>();
expectTypeOf(importKey).parameter(1).toEqualTypeOf<ImportKeyOptions>();
expectTypeOf(generateKey).parameter(0).toEqualTypeOf<Algorithm>();
expectTypeOf(generateKey).parameter(1).toEqualTypeOf<GenerateKeyOptions | undefined>();
expectTypeOf(signMessage).parameter(0).toExtend<RequestLike | ResponseLike>();

// Results are the named result types, not `any` or `unknown`.
expectTypeOf(signMessage).returns.resolves.toEqualTypeOf<SignResult>();
expectTypeOf(verifyMessage).returns.resolves.toEqualTypeOf<VerifyResult>();
expectTypeOf(generateKey).returns.resolves.toEqualTypeOf<GeneratedKeyPair>();
expectTypeOf<GeneratedKeyPair['privateKey']>().toEqualTypeOf<HttpSigKey>();
expectTypeOf<VerifyResult['keyid']>().not.toBeAny();
expectTypeOf<SignResult['headers']>().toEqualTypeOf<Readonly<Record<string, string>>>();
expectTypeOf(createDigestField).returns.resolves.toBeString();

// exportKey narrows its result by format.
declare const key: HttpSigKey;
expectTypeOf(exportKey(key, 'pem')).resolves.toBeString();
expectTypeOf(exportKey(key, 'raw')).resolves.toEqualTypeOf<Uint8Array<ArrayBuffer>>();
expectTypeOf(exportKey(key, 'jwk')).resolves.toExtend<JsonWebKey>();
expectTypeOf(exportKey(key, 'jwk')).resolves.not.toBeString();

// Algorithms and digest algorithms are closed unions of names.
expectTypeOf<'ed25519'>().toExtend<Algorithm>();
expectTypeOf<'ecdsa-p384-sha384'>().toExtend<Algorithm>();
expectTypeOf<'rsa-sha256'>().not.toExtend<Algorithm>();
expectTypeOf<string>().not.toExtend<Algorithm>();
expectTypeOf<DigestAlgorithm>().toEqualTypeOf<'sha-256' | 'sha-512'>();
// @ts-expect-error: an unknown algorithm name is a compile error.
generateKey('rsa-sha1');

// HttpSigError codes form a union of string literals: a typo is a compile error, every code has
// an HTTP status, and isHttpSigError narrows an unknown value.
expectTypeOf<HttpSigError['code']>().toEqualTypeOf<HttpSigErrorCode>();
expectTypeOf<string>().not.toExtend<HttpSigErrorCode>();
expectTypeOf<
  | 'ERR_HTTPSIG_MISSING_SIGNATURE'
  | 'ERR_HTTPSIG_INVALID_SIGNATURE'
  | 'ERR_HTTPSIG_UNKNOWN_KEY'
  | 'ERR_HTTPSIG_EXPIRED'
  | 'ERR_HTTPSIG_NOT_YET_VALID'
  | 'ERR_HTTPSIG_MISSING_COMPONENT'
  | 'ERR_HTTPSIG_INVALID_COMPONENT'
  | 'ERR_HTTPSIG_POLICY'
  | 'ERR_HTTPSIG_PARSE'
  | 'ERR_HTTPSIG_UNSUPPORTED_ALGORITHM'
  | 'ERR_HTTPSIG_ALGORITHM_MISMATCH'
  | 'ERR_HTTPSIG_INVALID_KEY'
  | 'ERR_HTTPSIG_DIGEST_MISMATCH'
  | 'ERR_HTTPSIG_INSECURE_DIGEST'
  | 'ERR_HTTPSIG_UNSUPPORTED_DIGEST'
  | 'ERR_HTTPSIG_BODY_TOO_LARGE'
  | 'ERR_HTTPSIG_REPLAY'
>().toExtend<HttpSigErrorCode>();
expectTypeOf(httpStatusForError).toEqualTypeOf<Readonly<Record<HttpSigErrorCode, number>>>();
// @ts-expect-error: not a code.
isHttpSigError(new Error('x'), 'ERR_HTTPSIG_MISSPELLED');

declare const caught: unknown;
if (isHttpSigError(caught)) {
  expectTypeOf(caught).toEqualTypeOf<HttpSigError>();
  expectTypeOf(caught.code).toEqualTypeOf<HttpSigErrorCode>();
}

/** A switch over every code compiles only when it is exhaustive over the union. */
export function statusText(code: HttpSigErrorCode): string {
  switch (code) {
    case 'ERR_HTTPSIG_REPLAY':
      return 'replayed';
    default: {
      const other: Exclude<HttpSigErrorCode, 'ERR_HTTPSIG_REPLAY'> = code;
      return other;
    }
  }
}
