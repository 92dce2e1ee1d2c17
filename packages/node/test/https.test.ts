/**
 * node:https and undici over TLS, against a verifying HTTPS server on 127.0.0.1 with a
 * certificate made for this run by the openssl CLI (skipped where openssl is missing).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyMessage } from '@httpsig/core';
import { createSigningInterceptor, signedRequest } from '@httpsig/node';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ClientKeys, clientKeys, closeServer, listen, rawPairs, readBytes } from './lib/support';

function selfSignedCertificate(): { key: string; cert: string } | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'httpsig-node-tls-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    return {
      key: readFileSync(join(dir, 'key.pem'), 'utf8'),
      cert: readFileSync(join(dir, 'cert.pem'), 'utf8'),
    };
  } catch {
    return undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const tls = selfSignedCertificate();
let keys: ClientKeys;
let server: Server;
let origin: string;

beforeAll(async () => {
  if (!tls) return;
  keys = await clientKeys();
  server = createServer(tls, async (req, res) => {
    const body = await readBytes(req);
    try {
      const verified = await verifyMessage(
        { method: req.method ?? '', url: `${origin}${req.url}`, headers: rawPairs(req.rawHeaders), body },
        { keys: { 'client-1': keys.publicKey }, requiredComponents: ['@method', '@target-uri'] },
      );
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ verified: true, base: verified.base, body: body.toString('utf8') }));
    } catch (error) {
      res.writeHead(401).end(String(error));
    }
  });
  origin = `https://127.0.0.1:${await listen(server)}`;
});
afterAll(async () => {
  if (tls) await closeServer(server);
});

describe.skipIf(!tls)('https', () => {
  it('signedRequest picks node:https for an https URL and signs the https target URI', async () => {
    const response = await signedRequest(`${origin}/secure?x=1`, {
      method: 'POST',
      body: 'over tls',
      ca: tls?.cert,
      signing: { key: keys.privateKey },
    });
    expect(response.statusCode).toBe(200);
    const result = JSON.parse((await readBytes(response)).toString()) as { base: string; body: string };
    expect(result.base).toContain(`"@target-uri": ${origin}/secure?x=1`);
    expect(result.body).toBe('over tls');
  });

  it('an undici Agent with the CA, composed with the interceptor', async () => {
    const agent = new Agent({ connect: { ca: tls?.cert } }).compose(
      createSigningInterceptor({ key: keys.privateKey }),
    );
    try {
      const response = await request(`${origin}/undici`, { dispatcher: agent, method: 'PUT', body: 'u' });
      expect(response.statusCode).toBe(200);
      const result = (await response.body.json()) as { base: string };
      expect(result.base).toContain(`"@target-uri": ${origin}/undici`);
    } finally {
      await agent.close();
    }
  });
});
