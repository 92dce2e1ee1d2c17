/**
 * A Koa API whose callers are looked up in a client registry: the key resolver imports each
 * client's registered public key, and an authorization rule checks what that client may do.
 * `verifySignatures` runs before `bodyParser()`, which then parses exactly the verified bytes.
 */

import { createMemoryNonceStore, importKey } from '@httpsig/core';
import { verifySignatures } from '@httpsig/koa';
import { bodyParser } from '@koa/bodyparser';
import Koa from 'koa';

/**
 * A registered API client.
 * @typedef {object} Client
 * @property {string} publicKey SPKI PEM
 * @property {import('@httpsig/core').Algorithm} alg the algorithm the key was registered for
 * @property {readonly ('read' | 'write')[]} scopes
 * @property {boolean} active suspended clients are unknown to the API
 */

/**
 * A key resolver over the registry. Keys are imported once per keyid; a suspended client
 * resolves to nothing, which the verifier refuses as `ERR_HTTPSIG_UNKNOWN_KEY`.
 * @param {ReadonlyMap<string, Client>} registry
 * @returns {import('@httpsig/core').KeyResolver}
 */
export function registryKeys(registry) {
  /** @type {Map<string, Promise<import('@httpsig/core').HttpSigKey>>} */
  const imported = new Map();
  return (keyid) => {
    const client = keyid === undefined ? undefined : registry.get(keyid);
    if (keyid === undefined || !client?.active) return undefined;
    let key = imported.get(keyid);
    if (!key) {
      key = importKey(client.publicKey, { alg: client.alg, keyid });
      imported.set(keyid, key);
    }
    return key;
  };
}

/**
 * @param {object} options
 * @param {ReadonlyMap<string, Client>} options.registry
 * @param {import('@httpsig/core').NonceStore} [options.nonceStore]
 */
export function createApp({ registry, nonceStore = createMemoryNonceStore() }) {
  const app = new Koa();
  app.use(
    verifySignatures({
      keys: registryKeys(registry),
      nonceStore,
      requiredComponents: ['@method', '@target-uri'],
      // Writes need the write scope; a valid signature without it gets 403 ERR_HTTPSIG_FORBIDDEN.
      authorize: (signature, request) => {
        const scopes = registry.get(signature.keyid ?? '')?.scopes ?? [];
        return request.method === 'GET' ? scopes.includes('read') : scopes.includes('write');
      },
    }),
  );
  app.use(bodyParser());
  app.use(async (ctx) => {
    if (ctx.method === 'POST' && ctx.path === '/orders') {
      ctx.status = 201;
      ctx.body = { accepted: ctx.request.body, by: ctx.state.signature?.keyid };
    } else if (ctx.method === 'GET' && ctx.path === '/orders') {
      ctx.body = { orders: [], by: ctx.state.signature?.keyid };
    }
  });
  return app;
}
