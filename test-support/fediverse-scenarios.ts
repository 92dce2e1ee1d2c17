/**
 * The Misskey/GoToSocial scenarios every framework verifier runs: each shape signed by signCavage
 * and by hand is accepted; altered ones are refused with the matching error code. A framework
 * test supplies a running app that verifies with `schemes: ['rfc9421', 'cavage']` and answers
 * POST /users/bob/inbox, GET /users/bob and GET /users/bob/outbox with
 * `{ keyid, label, components, type }` (`type` from the parsed JSON body, when there is one).
 */
import { type CavageVerifyOptions, type HttpSigKey, mastodonPreset } from '@httpsig/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FediverseKeys,
  type FediverseShape,
  fediverseKeys,
  gotosocialKeyId,
  misskeyKeyId,
  misskeyPageFetch,
  shapes,
  signByHand,
  signWithLibrary,
} from './fediverse-deliveries';

export interface RunningApp {
  url(path: string): string;
  close(): Promise<void> | void;
}

export interface VerifierSettings {
  readonly keys: Readonly<Record<string, HttpSigKey>>;
  readonly schemes: ['rfc9421', 'cavage'];
  readonly cavage: Readonly<Omit<CavageVerifyOptions, 'keys'>>;
}

export function fediverseShapeScenarios(
  start: (settings: VerifierSettings) => Promise<RunningApp>,
  problemCode: (response: Response) => Promise<string>,
): void {
  let keys: FediverseKeys;
  let app: RunningApp;

  beforeAll(async () => {
    keys = await fediverseKeys();
    app = await start({
      keys: keys.publicKeys,
      schemes: ['rfc9421', 'cavage'],
      cavage: mastodonPreset.verify,
    });
  });

  afterAll(() => app?.close());

  const ways: [string, (shape: FediverseShape, url: string) => Promise<Record<string, string>>][] = [
    ['signCavage', (shape, url) => signWithLibrary(shape, url, keys.privateKeys[shape.keyId] as HttpSigKey)],
    [
      'a hand-built signature',
      async (shape, url) => signByHand(shape, url, keys.privatePems[shape.keyId] as string),
    ],
  ];

  const send = (shape: FediverseShape, url: string, headers: Record<string, string>, body = shape.body) =>
    fetch(url, { method: shape.method, headers, ...(body === undefined ? {} : { body }) });

  for (const shape of shapes) {
    describe(shape.name, () => {
      for (const [way, sign] of ways) {
        it(`accepts ${way}`, async () => {
          const url = app.url(shape.path);
          const res = await send(shape, url, await sign(shape, url));
          expect(res.status).toBe(200);
          expect(await res.json()).toEqual({
            keyid: shape.keyId,
            label: 'cavage',
            components: [...shape.signedHeaders],
            type: shape.body === undefined ? null : JSON.parse(shape.body).type,
          });
        });

        it(`refuses ${way} signed for another actor's key with ERR_HTTPSIG_INVALID_SIGNATURE`, async () => {
          const url = app.url(shape.path);
          const headers = await sign(shape, url);
          const other = shape.keyId === misskeyKeyId ? gotosocialKeyId : misskeyKeyId;
          headers.signature = (headers.signature as string).replace(shape.keyId, other);
          const res = await send(shape, url, headers);
          expect(res.status).toBe(401);
          expect(await problemCode(res)).toBe('ERR_HTTPSIG_INVALID_SIGNATURE');
        });

        if (shape.body !== undefined) {
          it(`refuses ${way} with a changed body with ERR_HTTPSIG_DIGEST_MISMATCH`, async () => {
            const url = app.url(shape.path);
            const headers = await sign(shape, url);
            const res = await send(shape, url, headers, (shape.body as string).replace('bob', 'eve'));
            expect(res.status).toBe(400);
            expect(await problemCode(res)).toBe('ERR_HTTPSIG_DIGEST_MISMATCH');
          });
        } else if (shape.queryInTarget) {
          it(`refuses ${way} sent with another query with ERR_HTTPSIG_INVALID_SIGNATURE`, async () => {
            const headers = await sign(shape, app.url(shape.path));
            const res = await send(shape, app.url(shape.path.replace('page=true', 'page=false')), headers);
            expect(res.status).toBe(401);
            expect(await problemCode(res)).toBe('ERR_HTTPSIG_INVALID_SIGNATURE');
          });
        } else {
          it(`refuses ${way} with a changed Accept with ERR_HTTPSIG_INVALID_SIGNATURE`, async () => {
            const url = app.url(shape.path);
            const headers = await sign(shape, url);
            const res = await send(shape, url, { ...headers, accept: 'application/json' });
            expect(res.status).toBe(401);
            expect(await problemCode(res)).toBe('ERR_HTTPSIG_INVALID_SIGNATURE');
          });
        }
      }
    });
  }

  describe('a Misskey GET with a query (signed over the path alone)', () => {
    let lenient: RunningApp;

    beforeAll(async () => {
      lenient = await start({
        keys: keys.publicKeys,
        schemes: ['rfc9421', 'cavage'],
        cavage: { ...mastodonPreset.verify, acceptPathOnlyRequestTarget: true },
      });
    });

    afterAll(() => lenient?.close());

    const handSigned = (url: string) =>
      signByHand(misskeyPageFetch, url, keys.privatePems[misskeyKeyId] as string);

    it('is refused by default with ERR_HTTPSIG_INVALID_SIGNATURE', async () => {
      const url = app.url(misskeyPageFetch.path);
      const res = await send(misskeyPageFetch, url, handSigned(url));
      expect(res.status).toBe(401);
      expect(await problemCode(res)).toBe('ERR_HTTPSIG_INVALID_SIGNATURE');
    });

    it('is accepted with acceptPathOnlyRequestTarget', async () => {
      const url = lenient.url(misskeyPageFetch.path);
      const res = await send(misskeyPageFetch, url, handSigned(url));
      expect(res.status).toBe(200);
      expect((await res.json()).keyid).toBe(misskeyKeyId);
    });

    it('still refuses it with acceptPathOnlyRequestTarget when the path changed', async () => {
      const headers = handSigned(lenient.url(misskeyPageFetch.path));
      const res = await send(misskeyPageFetch, lenient.url('/users/bob?page=true'), headers);
      expect(res.status).toBe(401);
      expect(await problemCode(res)).toBe('ERR_HTTPSIG_INVALID_SIGNATURE');
    });
  });

  it('refuses a GoToSocial-shaped POST that leaves out digest with ERR_HTTPSIG_POLICY', async () => {
    const shape = shapes.find((s) => s.name === 'gotosocial-post') as FediverseShape;
    const withoutDigest = { ...shape, signedHeaders: ['(request-target)', 'host', 'date'] };
    const url = app.url(shape.path);
    const res = await send(
      shape,
      url,
      signByHand(withoutDigest, url, keys.privatePems[shape.keyId] as string),
    );
    expect(res.status).toBe(401);
    expect(await problemCode(res)).toBe('ERR_HTTPSIG_POLICY');
  });
}
