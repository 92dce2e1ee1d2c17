/**
 * The Fastify plugin. Verification runs in `preParsing`, which Fastify runs for every request
 * (with or without a body) after `onRequest` and before any content-type parser: the raw bytes
 * are read there once (bounded), verified with the headers, and only then handed to the parsers,
 * so neither a parser nor a handler ever sees an unverified body. A request that carries no
 * signature is refused before a byte of its body is read.
 */
import type { IncomingMessage } from 'node:http';
import { defaultMaxBodySize, isHttpSigError } from '@httpsig/core';
import { createVerifier, type RouteOverrides, refusalFor, type Verifier } from '@httpsig/server';
import { hasContent, incomingRequestInfo, replayBody } from '@httpsig/server/node';
import type {
  FastifyPluginCallback,
  FastifyReply,
  FastifyRequest,
  preParsingHookHandler,
  RequestPayload,
} from 'fastify';
import fp from 'fastify-plugin';
import { bodyTooLarge, payloadStream, readPayload } from './payload';
import { sendRefusal } from './refuse';
import { responseSigningHook } from './response-signing';
import { checkRouteConfig, routeOverrides, routeSignsResponses } from './route-policy';
import type { HttpSignaturesOptions } from './types';

/** Verify one request; resolves with the payload for the parsers, or `undefined` once refused. */
async function verifyRequest(
  verifier: Verifier,
  request: FastifyRequest,
  reply: FastifyReply,
  payload: RequestPayload,
  overrides: RouteOverrides,
): Promise<RequestPayload | undefined> {
  const raw = request.raw as IncomingMessage;
  const declared = hasContent(raw);

  // Without a signature nothing can verify: refuse before reading the body.
  // A draft-cavage signature (no Signature-Input) covers the body through Digest: read it first.
  const schemes = overrides.schemes ?? verifier.options.schemes ?? ['rfc9421'];
  const cavageSigned =
    schemes.includes('cavage') &&
    raw.headers['signature-input'] === undefined &&
    (raw.headers.signature !== undefined || /^\s*signature[ \t]/i.test(raw.headers.authorization ?? ''));
  if (
    !cavageSigned &&
    (raw.headers['signature-input'] === undefined || raw.headers.signature === undefined)
  ) {
    const outcome = await verifier.verify(incomingRequestInfo(raw, undefined), overrides);
    if (!outcome.ok) {
      sendRefusal(reply, outcome, declared);
      return undefined;
    }
  }

  const limit = Math.min(
    request.routeOptions.bodyLimit ?? Number.POSITIVE_INFINITY,
    overrides.maxBodySize ?? verifier.options.maxBodySize ?? defaultMaxBodySize,
  );
  let bytes: Uint8Array;
  try {
    if (Number(raw.headers['content-length']) > limit) throw bodyTooLarge(limit);
    bytes = await readPayload(payload, limit);
  } catch (error) {
    if (!isHttpSigError(error, 'ERR_HTTPSIG_BODY_TOO_LARGE')) throw error;
    (overrides.onError ?? verifier.options.onError)?.(error, incomingRequestInfo(raw, undefined));
    sendRefusal(reply, refusalFor(error), true);
    return undefined;
  }

  const body = bytes.length > 0 || declared ? bytes : undefined;
  const outcome = await verifier.verify(incomingRequestInfo(raw, body), overrides);
  if (!outcome.ok) {
    sendRefusal(reply, outcome, false);
    return undefined;
  }
  request.signature = outcome.signature;
  // Parsers that read `request.raw` themselves (@fastify/multipart) get the verified bytes too.
  if (body !== undefined) replayBody(raw, bytes);
  return payloadStream(bytes);
}

const plugin: FastifyPluginCallback<HttpSignaturesOptions> = (fastify, options, done) => {
  const {
    global = true,
    signResponses,
    // Fastify's own register options are not verifier options.
    prefix: _prefix,
    logLevel: _logLevel,
    logSerializers: _logSerializers,
    ...verifierOptions
  } = options as HttpSignaturesOptions & Record<'prefix' | 'logLevel' | 'logSerializers', unknown>;
  let verifier: Verifier;
  try {
    verifier = createVerifier(verifierOptions);
  } catch (error) {
    // A misconfiguration fails `register` (and `ready`), not the first request.
    done(error as Error);
    return;
  }

  if (!fastify.hasRequestDecorator('signature')) fastify.decorateRequest('signature', null);

  fastify.addHook('onRoute', (route) => {
    checkRouteConfig(route.config?.httpSignatures, `${String(route.method)} ${route.url}`);
  });

  const preParsing: preParsingHookHandler = (request, reply, payload, next) => {
    const overrides = routeOverrides(request.routeOptions.config.httpSignatures, global);
    if (overrides === undefined) {
      next(null, payload);
      return;
    }
    // Callback style: once refused, `next` is never called, so nothing after this hook runs.
    verifyRequest(verifier, request, reply, payload, overrides).then(
      (verified) => {
        if (verified !== undefined) next(null, verified);
      },
      (error: Error) => next(error),
    );
  };
  fastify.addHook('preParsing', preParsing);

  if (signResponses !== undefined) {
    fastify.addHook(
      'onSend',
      responseSigningHook(signResponses, verifierOptions.origin, (request) =>
        routeSignsResponses(request.routeOptions.config.httpSignatures),
      ),
    );
  }
  done();
};

/** The `httpSignatures` Fastify plugin: `fastify.register(httpSignatures, options)`. */
export const httpSignatures = fp(plugin, { fastify: '5.x', name: '@httpsig/fastify' });
