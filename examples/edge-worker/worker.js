/**
 * A Web-standard API for workerd (Cloudflare Workers): a Hono app whose `POST /orders` runs only
 * for requests signed by a known client. Only `fetch`, `Request`, `Response` and WebCrypto are
 * used, so it runs without any Node compatibility flag. Configuration comes from bindings:
 * `API_ORIGIN` (the origin clients sign for) and `CLIENT_KEYS` (a JWK Set of client public keys).
 */
import { importKey } from '@httpsig/core';
import { checkRequest, createVerifier } from '@httpsig/server';
import { Hono } from 'hono';

/** @typedef {{ API_ORIGIN: string, CLIENT_KEYS: string }} Bindings */
/** @typedef {{ Bindings: Bindings, Variables: { keyid: string | undefined } }} Env */

/**
 * One verifier per isolate, made on the first request from the bindings. Its in-memory replay
 * store covers this isolate only: bind a shared NonceStore (e.g. on a Durable Object) when
 * replays must be caught across isolates.
 * @type {Promise<import('@httpsig/server').Verifier> | undefined}
 */
let verifier;

/** @param {Bindings} env */
async function verifierFor(env) {
  verifier ??= (async () => {
    /** @type {{ keys: (JsonWebKey & { kid: string })[] }} */
    const jwks = JSON.parse(env.CLIENT_KEYS);
    /** @type {Record<string, import('@httpsig/core').HttpSigKey>} */
    const keys = {};
    for (const jwk of jwks.keys) keys[jwk.kid] = await importKey(jwk, { alg: 'ed25519', keyid: jwk.kid });
    return createVerifier({ keys, origin: env.API_ORIGIN, requiredComponents: ['@method', '@target-uri'] });
  })();
  return verifier;
}

/** @type {Hono<Env>} */
const app = new Hono();

app.use('/orders', async (c, next) => {
  const check = await checkRequest(c.req.raw, await verifierFor(c.env));
  if (!check.ok) return check.response;
  c.set('keyid', check.signature.keyid);
  await next();
});
app.post('/orders', async (c) => c.json({ accepted: await c.req.json(), by: c.get('keyid') }, 201));
app.get('/health', (c) => c.json({ status: 'ok' }));

export default app;
