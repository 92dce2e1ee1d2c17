/**
 * The framework-neutral verifier every server adapter uses: it rebuilds the target URI from a
 * trusted origin, verifies under the policy (digest, age, replay), applies the authorization
 * rule, and turns any refusal into an RFC 9457 problem with an `Accept-Signature` hint.
 */
import {
  type CavageVerifyOptions,
  type CavageVerifyResult,
  collectFieldLines,
  createMemoryNonceStore,
  HttpSigError,
  isHttpSigError,
  type NonceStore,
  type RequestLike,
  type SignatureParams,
  type VerifyOptions,
  type VerifyResult,
  verifyCavage,
  verifyMessage,
} from '@httpsig/core';
import { acceptSignatureHint } from './accept-hint';
import { cavageDebugReport, debugReport } from './debug';
import { compilePinnedOrigins, type OriginPolicy, resolveOrigin } from './origin';
import { problemFor } from './problem';
import { compileProxyTrust } from './trusted-proxies';
import type {
  IncomingRequestInfo,
  RouteOverrides,
  SignatureScheme,
  VerificationOutcome,
  VerifierOptions,
} from './types';

export interface Verifier {
  /** Verify one request; never throws for a bad request, only for a misconfiguration or a bug. */
  verify(request: IncomingRequestInfo, overrides?: RouteOverrides): Promise<VerificationOutcome>;
  /**
   * The target URI the verifier checks `@target-uri` against (trusted origin + request target),
   * e.g. for `;req` components when signing the response. Throws `HttpSigError` like `verify`.
   */
  targetUri(request: IncomingRequestInfo, overrides?: RouteOverrides): string;
  /** The options the verifier was created with (a route's overrides go on top). */
  readonly options: Readonly<VerifierOptions>;
}

function debugAllowed(debug: boolean | 'force' | undefined): boolean {
  if (debug === 'force') return true;
  if (!debug) return false;
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  if (env?.NODE_ENV === 'production') {
    throw new TypeError(
      "debug is refused when NODE_ENV is production (it reveals signature bases); use debug: 'force'",
    );
  }
  return true;
}

/** The request as core verifies it: the target on the request line under the trusted origin. */
function messageFor(request: IncomingRequestInfo, origin: string): RequestLike {
  const { target } = request;
  const originForm = target.startsWith('/');
  const url = originForm
    ? `${origin}${target}`
    : target === '*'
      ? `${origin}/`
      : `${origin}${new URL(target).pathname}${new URL(target).search}`;
  return {
    method: request.method,
    url,
    headers: request.headers,
    ...(request.body === undefined ? {} : { body: request.body }),
    ...(originForm ? {} : { target }),
  };
}

/** Whether the request has content: non-empty body bytes, Content-Length above 0, or Transfer-Encoding. */
function carriesContent(
  request: IncomingRequestInfo,
  fields: ReadonlyMap<string, readonly string[]>,
): boolean {
  const length = fields.get('content-length')?.[0]?.trim();
  if (fields.has('transfer-encoding') || (length !== undefined && length !== '0')) return true;
  const { body } = request;
  if (body === undefined || body === null) return false;
  return !(body instanceof Uint8Array || typeof body === 'string') || body.length > 0;
}

/**
 * Which scheme verifies this request: RFC 9421 whenever `Signature-Input` is present (it wins
 * over a cavage signature on the same request), else cavage when a `Signature` or
 * `Authorization: Signature` field is there and cavage is allowed.
 */
function schemeFor(
  fields: ReadonlyMap<string, readonly string[]>,
  schemes: readonly SignatureScheme[],
): SignatureScheme {
  const rfc = schemes.includes('rfc9421');
  const cavage = schemes.includes('cavage');
  if (!cavage) return 'rfc9421';
  if (rfc && fields.has('signature-input')) return 'rfc9421';
  const hasCavage =
    fields.has('signature') ||
    (fields.get('authorization') ?? []).some((value) => /^\s*signature[ \t]/i.test(value));
  // Without any signature, refuse under RFC 9421 when it is allowed: its error and hint are the main ones.
  return hasCavage || !rfc ? 'cavage' : 'rfc9421';
}

/** The verifier's keys in the shape verifyCavage wants: a record works as is, a resolver is wrapped. */
function cavageKeys(keys: VerifierOptions['keys']): CavageVerifyOptions['keys'] {
  if (typeof keys !== 'function') return keys;
  return (keyId, params, context) => {
    const mapped: SignatureParams = { keyid: keyId };
    if (params.algorithm !== undefined) mapped.alg = params.algorithm;
    if (params.created !== undefined) mapped.created = params.created;
    if (params.expires !== undefined) mapped.expires = params.expires;
    return keys(keyId, mapped, { label: 'cavage', message: context.message });
  };
}

/** A cavage result in the VerifyResult shape adapters and `authorize` already know. */
function asVerifyResult(result: CavageVerifyResult): VerifyResult {
  const params: SignatureParams = { keyid: result.keyId };
  if (result.algorithmParam !== undefined) params.alg = result.algorithmParam;
  if (result.created !== undefined) params.created = result.created;
  if (result.expires !== undefined) params.expires = result.expires;
  const signature = {
    label: 'cavage',
    keyid: result.keyId,
    alg: result.algorithm,
    key: result.key,
    params: Object.freeze(params),
    components: result.headers,
    created: result.created,
    expires: result.expires,
    nonce: undefined,
    tag: undefined,
    base: result.signingString,
    digests: Object.freeze(result.digest === undefined ? [] : [result.digest]),
  };
  return Object.freeze({ ...signature, signatures: Object.freeze([Object.freeze(signature)]) });
}

export function createVerifier(options: VerifierOptions): Verifier {
  if (!options || typeof options !== 'object' || options.keys === undefined) {
    throw new TypeError('createVerifier needs options with keys (a record or a resolver)');
  }
  const debug = debugAllowed(options.debug);
  const nonceStore: NonceStore | undefined =
    options.nonceStore === false ? undefined : (options.nonceStore ?? createMemoryNonceStore());
  const originPolicy: OriginPolicy = {
    pinned: compilePinnedOrigins(options.origin),
    trusted: compileProxyTrust(options.trustedProxies),
    requireTls: options.requireTls === true,
  };

  /** A route may pin another origin, trust other proxies or require TLS. */
  function originPolicyFor(overrides: RouteOverrides): OriginPolicy {
    const { origin, trustedProxies, requireTls } = overrides;
    if (origin === undefined && trustedProxies === undefined && requireTls === undefined) return originPolicy;
    return {
      pinned: origin === undefined ? originPolicy.pinned : compilePinnedOrigins(origin),
      trusted: trustedProxies === undefined ? originPolicy.trusted : compileProxyTrust(trustedProxies),
      requireTls: requireTls ?? originPolicy.requireTls,
    };
  }

  function targetUri(request: IncomingRequestInfo, overrides: RouteOverrides = {}): string {
    const fields = collectFieldLines(request.headers);
    return String(messageFor(request, resolveOrigin(request, fields, originPolicyFor(overrides))).url);
  }

  async function verify(
    request: IncomingRequestInfo,
    overrides: RouteOverrides = {},
  ): Promise<VerificationOutcome> {
    const policy = { ...options, ...overrides };
    const fields = collectFieldLines(request.headers);
    const scheme = schemeFor(fields, policy.schemes ?? ['rfc9421']);
    let message: RequestLike | undefined;
    try {
      message = messageFor(request, resolveOrigin(request, fields, originPolicyFor(overrides)));
      const accepted = policy.schemes ?? ['rfc9421'];
      if (scheme === 'cavage' && !accepted.includes('rfc9421') && fields.has('signature-input')) {
        // Say so plainly rather than fail to parse an RFC 9421 Signature as a cavage one.
        throw new HttpSigError(
          'ERR_HTTPSIG_POLICY',
          'This server accepts draft-cavage signatures only, not RFC 9421 (Signature-Input)',
        );
      }
      const {
        origin: _origin,
        trustedProxies: _trusted,
        requireTls: _tls,
        authorize,
        debug: _debug,
        onVerified,
        onError: _onError,
        skip: _skip,
        nonceStore: _store,
        schemes: _schemes,
        cavage: cavagePolicy,
        ...core
      } = policy as VerifierOptions & RouteOverrides;
      let signature: VerifyResult;
      let cavage: CavageVerifyResult | undefined;
      if (scheme === 'cavage') {
        // No nonce in draft-cavage: replay protection is the age limit alone.
        const given = cavagePolicy ?? {};
        const cavageOptions: CavageVerifyOptions = {
          ...given,
          keys: given.keys ?? cavageKeys(options.keys),
          maxAge: given.maxAge ?? policy.maxAge ?? 300,
          clockSkew: given.clockSkew ?? policy.clockSkew ?? 5,
          ...((given.now ?? policy.now) === undefined ? {} : { now: given.now ?? policy.now }),
          ...((given.algorithms ?? policy.algorithms) === undefined
            ? {}
            : { algorithms: given.algorithms ?? policy.algorithms }),
          ...((given.maxBodySize ?? policy.maxBodySize) === undefined
            ? {}
            : { maxBodySize: given.maxBodySize ?? policy.maxBodySize }),
        };
        cavage = await verifyCavage(message, cavageOptions);
        signature = asVerifyResult(cavage);
      } else {
        const verifyOptions: VerifyOptions = {
          ...core,
          keys: options.keys,
          requiredComponents: policy.requiredComponents ?? ['@method', '@target-uri'],
          maxAge: policy.maxAge ?? 300,
          clockSkew: policy.clockSkew ?? 5,
          ...(nonceStore === undefined ? {} : { nonceStore }),
        };
        signature = await verifyMessage(message, verifyOptions);
      }
      if (authorize && !(await authorize(signature, request))) {
        throw new HttpSigError(
          'ERR_HTTPSIG_FORBIDDEN',
          'The signature is valid but this request is not allowed for its key',
          {
            label: signature.label,
          },
        );
      }
      onVerified?.(signature, request);
      return {
        ok: true,
        scheme,
        signature,
        ...(cavage === undefined ? {} : { cavage }),
        targetUri: String(message.url),
      };
    } catch (error) {
      if (!isHttpSigError(error)) throw error;
      policy.onError?.(error, request);
      const problem = problemFor(
        error,
        debug && message
          ? scheme === 'cavage'
            ? cavageDebugReport(message, fields, policy.cavage?.defaultHeaders)
            : debugReport(message, fields, error.label)
          : undefined,
      );
      const headers: Record<string, string> = { 'content-type': 'application/problem+json' };
      // The Accept-Signature hint describes an RFC 9421 signature: only where one is accepted.
      if (problem.status === 401 && (policy.schemes ?? ['rfc9421']).includes('rfc9421')) {
        headers['accept-signature'] = acceptSignatureHint({
          components: policy.requiredComponents ?? ['@method', '@target-uri'],
          tag: policy.tag,
          nonce: nonceStore !== undefined && policy.nonce !== 'optional' && policy.nonce !== 'forbidden',
          // Only a request with content can cover content-digest; a GET could not fulfil it.
          digest: policy.requireDigest !== false && carriesContent(request, fields),
          expires: policy.requireExpires === true,
        });
      }
      return { ok: false, error, status: problem.status, headers, problem };
    }
  }

  return { verify, targetUri, options };
}
