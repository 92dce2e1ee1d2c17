/**
 * A Fastify API served behind a TLS-terminating reverse proxy. Clients sign
 * `https://api.example.com/…`; the API sees plain HTTP from the proxy, and believes the proxy's
 * `X-Forwarded-Proto` / `X-Forwarded-Host` only because its address is in `trustedProxies`.
 * Fastify's own JSON parser runs after the plugin has verified the bytes it parses.
 */
import { createMemoryNonceStore } from '@httpsig/core';
import { httpSignatures } from '@httpsig/fastify';
import Fastify from 'fastify';

/**
 * @param {object} options
 * @param {import('@httpsig/core').VerifyOptions['keys']} options.keys who may call the API
 * @param {readonly string[]} [options.trustedProxies] addresses or CIDR ranges of the proxies
 * @param {import('@httpsig/core').NonceStore} [options.nonceStore] replay protection
 */
export async function createApp({ keys, trustedProxies, nonceStore = createMemoryNonceStore() }) {
  const app = Fastify();
  await app.register(httpSignatures, {
    keys,
    nonceStore,
    ...(trustedProxies ? { trustedProxies } : {}),
    // The signed @scheme / @target-uri must be https, as the proxy received it.
    requireTls: true,
    requiredComponents: ['@method', '@target-uri'],
  });
  app.post('/orders', async (request, reply) => {
    reply.code(201);
    return { accepted: request.body, by: request.signature?.keyid };
  });
  app.get('/health', { config: { httpSignatures: false } }, async () => ({ status: 'ok' }));
  return app;
}
