/** Installing signing on an existing axios instance. */
import { createSchemeSigner } from '@httpsig/core';
import type { AxiosInstance } from 'axios';
import { bodyOptions, isSigningAdapter, signingAdapter } from './adapter';
import type { AxiosSigningOptions } from './types';

const installed = new WeakSet<object>();

/**
 * Sign every request `instance` sends, and return it. A request interceptor wraps the adapter
 * the request would use (the instance default or a per-request `adapter`); the signing itself
 * happens in that adapter, on the request exactly as it goes out.
 */
export function withSignatures<T extends AxiosInstance>(instance: T, options: AxiosSigningOptions): T {
  if (installed.has(instance)) {
    throw new TypeError('withSignatures was already called on this axios instance');
  }
  const signer = createSchemeSigner(options);
  const body = bodyOptions(options);
  instance.interceptors.request.use(
    (config) => {
      if (!isSigningAdapter(config.adapter)) config.adapter = signingAdapter(signer, body, config.adapter);
      return config;
    },
    undefined,
    // Synchronous: it adds no tick, and axios keeps dispatching synchronously when the others are too.
    { synchronous: true },
  );
  installed.add(instance);
  return instance;
}
