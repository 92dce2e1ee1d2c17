/**
 * acceptPathOnlyRequestTarget: a `(request-target)` signed over the path without the query (as
 * Misskey signs) verifies only when the option is on, and only when everything else matches.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createCavageSigningString,
  generateKey,
  type HttpSigKey,
  type RequestLike,
  signCavage,
  verifyCavage,
} from '../../src/index';
import { codeOf } from './lib/fixtures';

const now = 1_700_000_000;
const keyId = 'https://misskey.example/users/9m2kq1x0ab#main-key';
const headersSigned = ['(request-target)', 'date', 'host', 'accept'];

let pair: { privateKey: HttpSigKey; publicKey: HttpSigKey };
beforeAll(async () => {
  pair = await generateKey('rsa-v1_5-sha256');
});

const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));

/** A GET of `url` whose signature covers `signedUrl`'s path (no query), as Misskey signs. */
async function pathOnlySigned(url: string, signedUrl = url): Promise<RequestLike> {
  const headers = {
    accept: 'application/activity+json',
    date: new Date(now * 1000).toUTCString(),
    host: new URL(url).host,
  };
  const withoutQuery = new URL(signedUrl);
  withoutQuery.search = '';
  const signingString = createCavageSigningString(
    { method: 'GET', url: withoutQuery.href, headers },
    headersSigned,
  );
  const signature = toBase64(await pair.privateKey.sign(new TextEncoder().encode(signingString)));
  return {
    method: 'GET',
    url,
    headers: {
      ...headers,
      signature: `keyId="${keyId}",algorithm="rsa-sha256",headers="${headersSigned.join(' ')}",signature="${signature}"`,
    },
  };
}

const verify = (message: RequestLike, acceptPathOnlyRequestTarget?: boolean) =>
  verifyCavage(message, {
    keys: { [keyId]: pair.publicKey },
    now,
    ...(acceptPathOnlyRequestTarget === undefined ? {} : { acceptPathOnlyRequestTarget }),
  });

describe('acceptPathOnlyRequestTarget', () => {
  const url = 'https://social.example/users/bob/outbox?page=true';

  it('is off by default: a path-only signature over a URL with a query fails', async () => {
    expect(await codeOf(verify(await pathOnlySigned(url)))).toBe('ERR_HTTPSIG_INVALID_SIGNATURE');
    expect(await codeOf(verify(await pathOnlySigned(url), false))).toBe('ERR_HTTPSIG_INVALID_SIGNATURE');
  });

  it('accepts it when on, and reports the signing string that verified', async () => {
    const result = await verify(await pathOnlySigned(url), true);
    expect(result.signingString.split('\n')[0]).toBe('(request-target): get /users/bob/outbox');
    expect(result.queryCovered).toBe(false);
  });

  it('still checks the path', async () => {
    const message = await pathOnlySigned(url, 'https://social.example/users/eve/outbox?page=true');
    expect(await codeOf(verify(message, true))).toBe('ERR_HTTPSIG_INVALID_SIGNATURE');
  });

  it('still verifies full request targets first', async () => {
    const message: RequestLike = { method: 'GET', url, headers: { accept: 'application/activity+json' } };
    const signed = await signCavage(message, { key: pair.privateKey, keyId, now, headers: headersSigned });
    const result = await verify(
      { ...message, headers: { ...(message.headers as Record<string, string>), ...signed.headers } },
      true,
    );
    expect(result.signingString.split('\n')[0]).toBe('(request-target): get /users/bob/outbox?page=true');
    expect(result.queryCovered).toBe(true);
  });
});
