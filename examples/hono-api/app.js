/**
 * A Hono API whose routes only run for signed requests. The same app runs on Cloudflare
 * Workers, Deno, Bun and Node: @httpsig/server works on the Web-standard Request.
 */
import { checkRequest, signResponse } from '@httpsig/server';
import { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';

/** @typedef {{ Variables: { signature: import('@httpsig/core').VerifyResult } }} Env */

/**
 * @param {{ keys: Record<string, import('@httpsig/core').HttpSigKey>, serverKey: import('@httpsig/core').HttpSigKey, origin?: string }} options
 */
export function createApp({ keys, serverKey, origin }) {
  // One options object for the app's lifetime: it holds the replay store.
  const signatures = { keys, ...(origin ? { origin } : {}), requiredComponents: ['@method', '@target-uri'] };
  const responseSigning = { key: serverKey };

  /**
   * Refuse unsigned, tampered, expired or replayed requests before the route runs.
   * @type {import('hono').MiddlewareHandler<Env>}
   */
  const verified = createMiddleware(async (c, next) => {
    const check = await checkRequest(c.req.raw, signatures);
    if (!check.ok) return check.response;
    c.set('signature', check.signature);
    await next();
    // Sign what the route answered, bound to the request it answers.
    c.res = await signResponse(c.res, c.req.raw, responseSigning);
  });

  /** @type {Hono<Env>} */
  const app = new Hono();
  app.get('/health', (c) => c.json({ status: 'ok' }));
  app.post('/orders', verified, async (c) => {
    const order = await c.req.json();
    return c.json({ accepted: order, by: c.get('signature').keyid }, 201);
  });
  return app;
}
