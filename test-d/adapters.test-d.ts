/**
 * Type tests of the adapters' public API (fetch, server, express, koa, fastify, axios), checked
 * against the built declarations: option types exported under their names, results narrowed.
 */

import { withSignatures } from '@httpsig/axios';
import type { HttpSigError, SignerOptions, VerifyOptions, VerifyResult } from '@httpsig/core';
import { type VerifierOptions, verifySignatures } from '@httpsig/express';
import { type HttpSignaturesOptions, httpSignatures } from '@httpsig/fastify';
import { createSignedFetch, type Fetch, responseSignature, type SignedFetchOptions } from '@httpsig/fetch';
import { type KoaVerifierOptions, verifySignatures as koaVerifySignatures } from '@httpsig/koa';
import { checkRequest, createVerifier, type Verifier } from '@httpsig/server';
import { expectTypeOf } from 'expect-type';

// fetch: options are the named type (signer options plus fetch's own), the result is a fetch.
expectTypeOf(createSignedFetch).parameter(0).toEqualTypeOf<SignedFetchOptions>();
expectTypeOf<SignedFetchOptions>().toExtend<SignerOptions>();
expectTypeOf<SignedFetchOptions['verifyResponse']>().toEqualTypeOf<VerifyOptions | undefined>();
expectTypeOf(createSignedFetch).returns.toEqualTypeOf<Fetch>();
expectTypeOf(responseSignature).returns.toEqualTypeOf<VerifyResult | undefined>();

// server: checkRequest narrows on `ok`.
expectTypeOf(createVerifier).returns.toEqualTypeOf<Verifier>();
expectTypeOf(checkRequest).parameter(1).toEqualTypeOf<VerifierOptions | Verifier>();
declare const request: Request;
declare const options: VerifierOptions;
const result = await checkRequest(request, options);
if (result.ok) {
  expectTypeOf(result.signature).toEqualTypeOf<VerifyResult>();
  // @ts-expect-error: an accepted request has no refusal response.
  void result.response;
} else {
  expectTypeOf(result.response).toEqualTypeOf<Response>();
  expectTypeOf(result.error).toEqualTypeOf<HttpSigError>();
  expectTypeOf(result.status).toBeNumber();
}

// Framework adapters take their named option types.
expectTypeOf(verifySignatures).parameter(0).toExtend<VerifierOptions>();
expectTypeOf(koaVerifySignatures).parameter(0).toEqualTypeOf<KoaVerifierOptions>();
expectTypeOf<HttpSignaturesOptions>().toExtend<VerifierOptions>();
expectTypeOf(httpSignatures).not.toBeAny();
expectTypeOf(withSignatures).not.toBeAny();
