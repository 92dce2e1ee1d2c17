/**
 * Misskey- and GoToSocial-shaped draft-cavage requests for the framework verifiers' tests: inbox
 * deliveries (POST with a Digest) and actor/collection fetches (GET, no body), each built two
 * ways: with our signCavage, and by hand (signing string assembled here, signed with node:crypto).
 *
 * The shapes follow what those servers send:
 * - Misskey (ApRequestCreator): signs `(request-target) date host digest` for a POST and
 *   `(request-target) date host accept` for a GET, `algorithm="rsa-sha256"`, keyId
 *   `https://host/users/<id>#main-key`, Date from `toUTCString()`, the request-target from the
 *   URL path only (no query), and `Content-Type: application/activity+json`.
 * - GoToSocial (go-fed/httpsig): signs `(request-target) host date digest` for a POST and
 *   `(request-target) host date` for a GET, announces `algorithm="hs2019"` while signing with
 *   RSA-SHA256, keyId `https://host/users/<name>/main-key`, Date in Go's http.TimeFormat, and
 *   the request-target from `URL.RequestURI()` (path and query).
 */
import { createHash, generateKeyPairSync, sign as nodeSign } from 'node:crypto';
import { type HttpSigKey, importKey, signCavage } from '@httpsig/core';

export type ShapeName = 'misskey-post' | 'misskey-get' | 'gotosocial-post' | 'gotosocial-get';

export interface FediverseShape {
  readonly name: ShapeName;
  readonly keyId: string;
  readonly method: 'GET' | 'POST';
  /** The path (and query) on the receiving server. */
  readonly path: string;
  /** The signed headers, in the order the server signs them. */
  readonly signedHeaders: readonly string[];
  /** The `algorithm` parameter the server sends. */
  readonly algorithm: 'rsa-sha256' | 'hs2019';
  /** Whether the query string is part of `(request-target)`. */
  readonly queryInTarget: boolean;
  /** Headers sent besides Host, Date, Digest and Signature. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

export const misskeyKeyId = 'https://misskey.example/users/9m2kq1x0ab#main-key';
export const gotosocialKeyId = 'https://gts.example/users/carol/main-key';

const activityJson = 'application/activity+json';
const misskeyAccept =
  'application/activity+json, application/ld+json; profile="https://www.w3.org/ns/activitystreams"';

export const misskeyLike = JSON.stringify({
  '@context': ['https://www.w3.org/ns/activitystreams', 'https://w3id.org/security/v1'],
  type: 'Like',
  id: 'https://misskey.example/likes/9m2kq9zz01',
  actor: 'https://misskey.example/users/9m2kq1x0ab',
  object: 'https://social.example/users/bob/statuses/1',
  _misskey_reaction: '👍',
});

export const gotosocialCreate = JSON.stringify({
  '@context': 'https://www.w3.org/ns/activitystreams',
  type: 'Create',
  id: 'https://gts.example/users/carol/statuses/01HXYZ/activity',
  actor: 'https://gts.example/users/carol',
  object: { type: 'Note', content: '<p>hello bob</p>', to: 'https://social.example/users/bob' },
});

export const shapes: readonly FediverseShape[] = Object.freeze<FediverseShape[]>([
  {
    name: 'misskey-post',
    keyId: misskeyKeyId,
    method: 'POST',
    path: '/users/bob/inbox',
    signedHeaders: ['(request-target)', 'date', 'host', 'digest'],
    algorithm: 'rsa-sha256',
    queryInTarget: false,
    headers: { 'content-type': activityJson, 'user-agent': 'Misskey/2024.11.0 (https://misskey.example)' },
    body: misskeyLike,
  },
  {
    name: 'misskey-get',
    keyId: misskeyKeyId,
    method: 'GET',
    path: '/users/bob',
    signedHeaders: ['(request-target)', 'date', 'host', 'accept'],
    algorithm: 'rsa-sha256',
    queryInTarget: false,
    headers: { accept: misskeyAccept, 'user-agent': 'Misskey/2024.11.0 (https://misskey.example)' },
  },
  {
    name: 'gotosocial-post',
    keyId: gotosocialKeyId,
    method: 'POST',
    path: '/users/bob/inbox',
    signedHeaders: ['(request-target)', 'host', 'date', 'digest'],
    algorithm: 'hs2019',
    queryInTarget: true,
    headers: {
      'content-type': activityJson,
      accept: activityJson,
      'user-agent': 'gotosocial/0.17.0 (+https://gts.example)',
    },
    body: gotosocialCreate,
  },
  {
    name: 'gotosocial-get',
    keyId: gotosocialKeyId,
    method: 'GET',
    path: '/users/bob/outbox?page=true',
    signedHeaders: ['(request-target)', 'host', 'date'],
    algorithm: 'hs2019',
    queryInTarget: true,
    headers: { accept: activityJson, 'user-agent': 'gotosocial/0.17.0 (+https://gts.example)' },
  },
]);

/**
 * A Misskey GET of a collection page: Misskey leaves the query out of `(request-target)`, so this
 * verifies only where path-only request targets are accepted (`acceptPathOnlyRequestTarget`).
 */
export const misskeyPageFetch: FediverseShape = Object.freeze({
  ...(shapes[1] as FediverseShape),
  path: '/users/bob/outbox?page=true',
});

export interface FediverseKeys {
  /** Our key objects, by keyId (the public ones go to the verifier). */
  readonly privateKeys: Readonly<Record<string, HttpSigKey>>;
  readonly publicKeys: Readonly<Record<string, HttpSigKey>>;
  /** The same private keys as PKCS#8 PEM, for the hand-built signatures. */
  readonly privatePems: Readonly<Record<string, string>>;
}

/** One RSA-2048 key pair per sending server (both sign with RSASSA-PKCS1-v1_5 SHA-256). */
export async function fediverseKeys(): Promise<FediverseKeys> {
  const privateKeys: Record<string, HttpSigKey> = {};
  const publicKeys: Record<string, HttpSigKey> = {};
  const privatePems: Record<string, string> = {};
  for (const keyId of [misskeyKeyId, gotosocialKeyId]) {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const privatePem = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const publicPem = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    privatePems[keyId] = privatePem;
    privateKeys[keyId] = await importKey(privatePem, { alg: 'rsa-v1_5-sha256', keyid: keyId });
    publicKeys[keyId] = await importKey(publicPem, { alg: 'rsa-v1_5-sha256', keyid: keyId });
  }
  return { privateKeys, publicKeys, privatePems };
}

/** The headers to send for `shape` to `url` (built by hand, with node:crypto). */
export function signByHand(shape: FediverseShape, url: string, privatePem: string): Record<string, string> {
  const target = new URL(url);
  const now = new Date();
  const values: Record<string, string> = {
    ...shape.headers,
    host: target.host,
    // Go's http.TimeFormat and toUTCString both give IMF-fixdate.
    date: now.toUTCString(),
  };
  if (shape.body !== undefined) {
    values.digest = `SHA-256=${createHash('sha256').update(shape.body).digest('base64')}`;
  }
  const path = shape.queryInTarget ? `${target.pathname}${target.search}` : target.pathname;
  const lines = shape.signedHeaders.map((name) =>
    name === '(request-target)'
      ? `(request-target): ${shape.method.toLowerCase()} ${path}`
      : `${name}: ${values[name]}`,
  );
  const signature = nodeSign('sha256', Buffer.from(lines.join('\n')), privatePem).toString('base64');
  values.signature = `keyId="${shape.keyId}",algorithm="${shape.algorithm}",headers="${shape.signedHeaders.join(' ')}",signature="${signature}"`;
  // fetch derives Host from the URL itself.
  const { host: _host, ...sent } = values;
  return sent;
}

/** The headers to send for `shape` to `url`, signed with signCavage in the shape's form. */
export async function signWithLibrary(
  shape: FediverseShape,
  url: string,
  privateKey: HttpSigKey,
): Promise<Record<string, string>> {
  const headers = { ...shape.headers };
  const result = await signCavage(
    { method: shape.method, url, headers, ...(shape.body === undefined ? {} : { body: shape.body }) },
    {
      key: privateKey,
      keyId: shape.keyId,
      headers: shape.signedHeaders,
      algorithm: shape.algorithm === 'hs2019' ? 'hs2019' : 'legacy',
    },
  );
  return { ...headers, ...result.headers };
}
