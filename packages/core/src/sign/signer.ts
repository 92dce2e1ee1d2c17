/**
 * A reusable signer with the defaults a client wants, shared by every client adapter so that
 * fetch, axios and Node sign the same way: `created` now, an optional lifetime and nonce, the
 * key's keyid, and components that bind the method, the whole target URI, the content type and
 * (through `Content-Digest`) the body.
 */

import { fulfilAcceptSignature } from '../accept/accept-signature';
import type { Algorithm } from '../algorithms/registry';
import type { ComponentInput, SignatureParamsInput } from '../base/types';
import type { DigestAlgorithm } from '../digest/algorithms';
import { currentTime } from '../internal/clock';
import { createExternalKey } from '../keys/external';
import type { Bytes, HttpSigKey } from '../keys/types';
import { hasBody } from '../message/body';
import { collectFieldLines } from '../message/fields';
import type { HttpMessage, RequestLike } from '../message/types';
import { signMessage } from './sign';
import type { SignOptions, SignResult } from './types';

export interface SignerOptions {
  /** The signing key. Or give `sign` (+ `alg`) for a signer callback (KMS, HSM, remote). */
  key?: HttpSigKey;
  /** A signer callback: receives the signature base bytes, returns the signature bytes. */
  sign?: (data: Bytes) => Promise<Uint8Array> | Uint8Array;
  /** The algorithm of the `sign` callback. */
  alg?: Algorithm;
  /** The keyid parameter. @default the key's keyid */
  keyid?: string;
  /**
   * Covered components, or a function of the message that returns them.
   * @default `@method`, `@target-uri`, and `content-type` when present (plus `content-digest`,
   * added for any body)
   */
  components?: readonly ComponentInput[] | ((message: HttpMessage) => readonly ComponentInput[]);
  /** The signature label. @default 'sig1' */
  label?: string;
  /** Add the `created` parameter (now). @default true */
  created?: boolean;
  /** Add `expires` = created + this many seconds. */
  expiresIn?: number;
  /**
   * The `nonce`: `true` for 16 random bytes (base64url), a generator, or `false` for none. A
   * nonce lets servers refuse replays; `@httpsig/server` verifiers require one by default.
   * @default true
   */
  nonce?: boolean | (() => string);
  /** The `tag` parameter, e.g. `web-bot-auth`. */
  tag?: string;
  /** Add the `alg` parameter. @default false (RFC 9421 §7.3.6: the key determines it) */
  includeAlg?: boolean;
  /** The digest algorithm for bodies, or `false` for none. @default 'sha-256' */
  digest?: DigestAlgorithm | false;
  /** Largest body, in bytes, read for the digest. @default 10 MiB */
  maxBodySize?: number;
  /** The clock, in Unix seconds. @default Date.now() / 1000 */
  now?: number | (() => number);
}

/** Signs one message with fixed options; `request` is the related request when signing a response. */
export interface Signer {
  (message: HttpMessage, context?: { request?: HttpMessage }): Promise<SignResult>;
  /** The signing key (a WebCrypto key or an external one). */
  readonly key: HttpSigKey;
  /**
   * Sign exactly what an `Accept-Signature` field asks for (RFC 9421 §5), with this signer's key,
   * digest and clock: the requested label, components and parameters.
   */
  fulfil(message: HttpMessage, acceptSignature: string, options?: { label?: string }): Promise<SignResult>;
}

function signingKey(options: SignerOptions): HttpSigKey {
  if (options.key !== undefined) {
    if (options.sign !== undefined) throw new TypeError('give key or sign, not both');
    return options.key;
  }
  if (typeof options.sign !== 'function' || options.alg === undefined) {
    throw new TypeError('a signer needs key, or a sign callback and its alg');
  }
  return createExternalKey({
    alg: options.alg,
    sign: options.sign,
    ...(options.keyid === undefined ? {} : { keyid: options.keyid }),
  });
}

/** Whether signing this body sets a Content-Type (as fetch would): form data, or a typed Blob. */
function bodyImpliesContentType(body: unknown): boolean {
  if (body instanceof URLSearchParams) return true;
  if (typeof FormData !== 'undefined' && body instanceof FormData) return true;
  return typeof Blob !== 'undefined' && body instanceof Blob && body.type !== '';
}

/**
 * The default components for a message: `@method` and `@target-uri` (`@status` for a
 * response), and `content-type` when the message has one or its body will give it one.
 */
export function defaultComponents(
  message: HttpMessage,
  options: { digest?: DigestAlgorithm | false } = {},
): ComponentInput[] {
  const components: ComponentInput[] =
    typeof (message as RequestLike).method === 'string' ? ['@method', '@target-uri'] : ['@status'];
  const implied = options.digest !== false && bodyImpliesContentType((message as RequestLike).body);
  if (collectFieldLines(message.headers).has('content-type') || implied) components.push('content-type');
  return components;
}

export function createSigner(options: SignerOptions): Signer {
  if (typeof options !== 'object' || options === null) throw new TypeError('createSigner needs options');
  const key = signingKey(options);
  const { expiresIn, nonce } = options;
  if (expiresIn !== undefined && (!Number.isInteger(expiresIn) || expiresIn <= 0)) {
    throw new TypeError('expiresIn must be a positive integer number of seconds');
  }
  if (nonce !== undefined && typeof nonce !== 'boolean' && typeof nonce !== 'function') {
    throw new TypeError('nonce must be a boolean or a generator function');
  }
  const keyid = options.keyid ?? key.keyid;
  const bodyOptions = {
    ...(options.digest === undefined ? {} : { digest: options.digest }),
    ...(options.maxBodySize === undefined ? {} : { maxBodySize: options.maxBodySize }),
    ...(options.now === undefined ? {} : { now: options.now }),
  };

  const sign = (message: HttpMessage, context?: { request?: HttpMessage }): Promise<SignResult> => {
    const now = currentTime(options.now);
    const params: SignatureParamsInput = {};
    if (options.created !== false) params.created = now;
    if (expiresIn !== undefined) params.expires = now + expiresIn;
    if (nonce === undefined || nonce === true) params.nonce = true;
    else if (typeof nonce === 'function') params.nonce = nonce();
    if (options.includeAlg) params.alg = key.alg;
    if (keyid !== undefined) params.keyid = keyid;
    if (options.tag !== undefined) params.tag = options.tag;

    const components =
      typeof options.components === 'function'
        ? options.components(message)
        : (options.components ?? defaultComponents(message, { digest: options.digest ?? 'sha-256' }));
    const signOptions: SignOptions = {
      key,
      components,
      params,
      ...bodyOptions,
      // The algorithm applies to bodies: a request without one gets no digest of empty content.
      ...(options.digest !== undefined && options.digest !== false && !hasBody(message)
        ? { digest: false }
        : {}),
      ...(options.label === undefined ? {} : { label: options.label }),
      ...(context?.request === undefined ? {} : { request: context.request }),
    };
    return signMessage(message, signOptions);
  };
  const fulfil: Signer['fulfil'] = (message, acceptSignature, fulfilOptions) =>
    fulfilAcceptSignature(message, acceptSignature, {
      key: keyid === key.keyid ? key : { ...key, keyid },
      ...bodyOptions,
      ...(fulfilOptions?.label === undefined ? {} : { label: fulfilOptions.label }),
      ...(expiresIn === undefined ? {} : { expiresIn }),
    });
  return Object.assign(sign, { key, fulfil });
}
