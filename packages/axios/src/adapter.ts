/**
 * The signing adapter: it runs where axios hands the finished request to its transport, after
 * baseURL, params, transformRequest and the default headers are applied, signs that request and
 * passes it on to the adapter that sends it.
 */
import { createSchemeSigner, type SchemeSigner, type SignatureScheme } from '@httpsig/core';
import axios, { type AxiosAdapter, type AxiosRequestConfig, type InternalAxiosRequestConfig } from 'axios';
import { adapterKind } from './adapter-kind';
import { followsRedirects, sendFollowingRedirects } from './follow';
import { discardResponse, outcomeRefusesScheme, replayable, settle, unwrap } from './knock';
import { type BodyOptions, signRequestConfig } from './sign-config';
import { wireTargetUri } from './target-uri';
import type { AxiosSigningOptions } from './types';

/** The adapters (by name or function) axios accepts in `config.adapter`. */
export type BaseAdapter = AxiosRequestConfig['adapter'];

const signingAdapters = new WeakSet<object>();

/** Whether `adapter` already signs (a re-sent config keeps the adapter it was given). */
export function isSigningAdapter(adapter: unknown): boolean {
  return typeof adapter === 'function' && signingAdapters.has(adapter);
}

/** The body options as they are now: the signer, too, keeps the options it was created with. */
export function bodyOptions(options: AxiosSigningOptions): BodyOptions {
  return { digest: options.digest, maxBodySize: options.maxBodySize };
}

/** A signing adapter over `base`, resolved per request like axios resolves `config.adapter`. */
export function signingAdapter(schemes: SchemeSigner, options: BodyOptions, base: BaseAdapter): AxiosAdapter {
  const adapter: AxiosAdapter = async (config) => {
    const transport = axios.getAdapter(base ?? axios.defaults.adapter, config);
    const kind = adapterKind(transport);
    const send = (request: InternalAxiosRequestConfig, scheme: SignatureScheme) => {
      // A signing failure rejects this promise, and so the request's, with the HttpSigError itself.
      const sign = (hop: InternalAxiosRequestConfig) =>
        signRequestConfig(hop, (message) => schemes.sign(scheme, message), kind, options);
      // Node's http adapter would replay the signature to each redirect target: follow them here.
      if (kind === 'http' && followsRedirects(request))
        return sendFollowingRedirects(request, sign, transport);
      return sign(request).then(transport);
    };
    const origin = new URL(wireTargetUri(config, kind)).origin;
    const scheme = schemes.first(origin);
    const retry = schemes.retry(scheme);
    if (retry === undefined) return send(config, scheme);

    // Double-knock: the body is read once, so that a second knock sends the same bytes.
    const request = await replayable(config, kind, options);
    let outcome = await settle(send(request, scheme));
    let accepted = scheme;
    if (outcomeRefusesScheme(outcome)) {
      discardResponse(outcome);
      accepted = retry;
      outcome = await settle(send(request, retry));
    }
    if (outcome.response !== undefined && !outcomeRefusesScheme(outcome)) schemes.learn(origin, accepted);
    return unwrap(outcome);
  };
  signingAdapters.add(adapter);
  return adapter;
}

/**
 * An adapter that signs every request and sends it with `baseAdapter` (a name such as `'fetch'`,
 * an adapter function, or a list; default: axios's default adapters). Options are checked here.
 */
export function createSigningAdapter(options: AxiosSigningOptions, baseAdapter?: BaseAdapter): AxiosAdapter {
  return signingAdapter(createSchemeSigner(options), bodyOptions(options), baseAdapter);
}
