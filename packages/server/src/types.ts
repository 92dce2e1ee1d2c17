import type {
  BodyInput,
  CavageVerifyOptions,
  CavageVerifyResult,
  ComponentInput,
  HeadersInput,
  HttpSigError,
  NonceStore,
  VerifyOptions,
  VerifyResult,
} from '@httpsig/core';

/** A received request in a framework-neutral shape. */
export interface IncomingRequestInfo {
  readonly method: string;
  /** The request target as on the request line: `/path?query` (or absolute-form). */
  readonly target: string;
  /** Field lines as received; `[name, value]` pairs keep repeated lines apart. */
  readonly headers: HeadersInput;
  /** The raw body bytes as received (not a parsed body), or a stream of them. */
  readonly body?: BodyInput;
  /** The peer address of the connection, for `trustedProxies`. */
  readonly remoteAddress?: string;
  /** Whether the connection itself is TLS. */
  readonly encrypted?: boolean;
  /** HTTP/2 `:authority`, when the runtime keeps it apart from `Host`. */
  readonly authority?: string;
}

/** A policy override for one route: stricter components, another tag, or `skip`. */
export type RouteOverrides = Partial<Omit<VerifierOptions, 'keys' | 'nonceStore' | 'debug'>> & {
  /** Do not verify this route at all (the framework adapters honour it; `verify` itself does not). */
  readonly skip?: boolean;
};

/** What the verifier decided. A failure carries a ready RFC 9457 problem response. */
/** The signature schemes a verifier understands: RFC 9421, and draft-cavage-12 (ActivityPub). */
export type SignatureScheme = 'rfc9421' | 'cavage';

/**
 * Verifying draft-cavage-12 signatures in the server: the core options, with `keys` optional
 * (the verifier's `keys` are used when absent). `mastodonPreset.verify` fits as is.
 */
export type ServerCavageOptions = Partial<CavageVerifyOptions>;

export type VerificationOutcome =
  | {
      readonly ok: true;
      /** Which scheme the request was signed with. */
      readonly scheme: SignatureScheme;
      /**
       * The verified signature. For a cavage signature it is mapped onto the same shape: label
       * `'cavage'`, `components` = the signed headers, `base` = the signing string, `params` =
       * `{ keyid, alg, created, expires }`, and no nonce or tag.
       */
      readonly signature: VerifyResult;
      /** The draft-cavage result as core returned it, when `scheme` is `'cavage'`. */
      readonly cavage?: CavageVerifyResult;
      /** The target URI that was verified (trusted origin + request target), for `;req` when signing the response. */
      readonly targetUri: string;
    }
  | {
      readonly ok: false;
      readonly error: HttpSigError;
      readonly status: number;
      /** `content-type: application/problem+json`, and `accept-signature` for what to sign. */
      readonly headers: Readonly<Record<string, string>>;
      readonly problem: Problem;
    };

/** An RFC 9457 problem document. Nothing secret goes in it. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  /** The stable `ERR_HTTPSIG_…` code. */
  readonly code: string;
  readonly label?: string;
  readonly component?: string;
  readonly parameter?: string;
  /** With `ERR_HTTPSIG_LIMIT_EXCEEDED`: which limit (docs/limits.md). */
  readonly limit?: string;
  /** With `debug`: what the server signed over, to compare with the client's base. */
  readonly debug?: DebugReport;
}

export interface DebugReport {
  /** The signature base the server computed, when the signature could be read. */
  readonly signatureBase?: string;
  /** Each covered component with the value the server saw. */
  readonly components?: readonly { readonly component: string; readonly value: string }[];
  /** The target URI the server reconstructed (scheme and authority included). */
  readonly targetUri: string;
}

export interface VerifierOptions
  extends Omit<VerifyOptions, 'request' | 'requiredComponents' | 'nonceStore' | 'maxAge' | 'clockSkew'> {
  /**
   * Which signature schemes are accepted. A request with `Signature-Input` is verified as
   * RFC 9421; otherwise a `Signature` header or `Authorization: Signature …` is verified as
   * draft-cavage-12 when `'cavage'` is listed. @default ['rfc9421']
   */
  schemes?: readonly SignatureScheme[];
  /**
   * Policy for draft-cavage-12 signatures (required headers, algorithms, `maxAge`, …). Unset
   * `maxAge`, `clockSkew`, `now`, `algorithms` and `maxBodySize` fall back to the options above;
   * `keys` to the verifier's `keys`. Cavage signatures carry no nonce: no replay protection.
   */
  cavage?: ServerCavageOptions;
  /** Components every signature must cover. @default ['@method', '@target-uri'] (content-digest via requireDigest) */
  requiredComponents?: readonly ComponentInput[];
  /** Maximum age of `created`, seconds. @default 300 */
  maxAge?: number;
  /** Allowed clock difference, seconds. @default 5 */
  clockSkew?: number;
  /**
   * Replay protection. @default an in-memory store for this verifier (one process); give a
   * shared store (e.g. Redis) when several instances serve the same API, or `false` for none.
   */
  nonceStore?: NonceStore | false;
  /**
   * The origin the API is served at, e.g. `https://api.example.com` (or several): `@scheme`,
   * `@authority` and `@target-uri` come from it, whatever `Host` or forwarded fields say.
   */
  origin?: string | readonly string[];
  /**
   * Peers whose `Forwarded` / `X-Forwarded-Proto` / `X-Forwarded-Host` are believed: addresses
   * or CIDR ranges (`10.0.0.0/8`, `::1`), or a predicate. Without it forwarded fields are ignored.
   */
  trustedProxies?: readonly string[] | ((address: string) => boolean);
  /** Refuse requests that did not arrive over TLS (directly, or per a trusted proxy). @default false */
  requireTls?: boolean;
  /** An authorization rule on the verified signature; `false` answers 403 `ERR_HTTPSIG_FORBIDDEN`. */
  authorize?: (signature: VerifyResult, request: IncomingRequestInfo) => boolean | Promise<boolean>;
  /**
   * Add the server's signature base and component values to failure responses. Refused when
   * NODE_ENV is `production`, unless `'force'`. @default false
   */
  debug?: boolean | 'force';
  /** Called with every verified signature (for logging and metrics). */
  onVerified?: (signature: VerifyResult, request: IncomingRequestInfo) => void;
  /** Called with every refusal; the error message holds nothing secret. */
  onError?: (error: HttpSigError, request: IncomingRequestInfo) => void;
}
