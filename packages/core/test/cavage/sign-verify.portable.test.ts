import { beforeAll, describe, expect, it } from 'vitest';
import {
  type Algorithm,
  type CavageVerifyOptions,
  generateKey,
  type HttpSigKey,
  importKey,
  isHttpSigError,
  parseCavageSignature,
  type RequestLike,
  signCavage,
  verifyCavage,
} from '../../src/index';
import { rfcKey } from '../keys/lib/rfc-keys';
import { codeOf } from './lib/fixtures';

const now = 1_700_000_000;
const actor = 'https://mastodon.example/users/alice#main-key';
const activity =
  '{"@context":"https://www.w3.org/ns/activitystreams","type":"Follow","actor":"https://mastodon.example/users/alice"}';

interface Pair {
  privateKey: HttpSigKey;
  publicKey: HttpSigKey;
}

const pairs = {} as Record<Algorithm, Pair>;
let rsaForPss: HttpSigKey;

async function rfcPair(keyid: string, alg: Algorithm): Promise<Pair> {
  const key = rfcKey(keyid);
  if (key.secretBase64 !== undefined) {
    const secret = await importKey(key.secretBase64, { alg });
    return { privateKey: secret, publicKey: secret };
  }
  return {
    privateKey: await importKey(key.privateKeyPem as string, { alg }),
    publicKey: await importKey(key.publicKeyPem as string, { alg }),
  };
}

beforeAll(async () => {
  pairs['rsa-v1_5-sha256'] = await rfcPair('test-key-rsa', 'rsa-v1_5-sha256');
  pairs['rsa-pss-sha512'] = await rfcPair('test-key-rsa-pss', 'rsa-pss-sha512');
  pairs['ecdsa-p256-sha256'] = await rfcPair('test-key-ecc-p256', 'ecdsa-p256-sha256');
  pairs.ed25519 = await rfcPair('test-key-ed25519', 'ed25519');
  pairs['hmac-sha256'] = await rfcPair('test-shared-secret', 'hmac-sha256');
  pairs['ecdsa-p384-sha384'] = await generateKey('ecdsa-p384-sha384');
  // The same RSA public key, bound to RSA-PSS: what the draft means by hs2019 with RSA.
  rsaForPss = await importKey(rfcKey('test-key-rsa').publicKeyPem as string, { alg: 'rsa-pss-sha512' });
});

/** A POST to an inbox shaped like the requests Mastodon sends. */
function inboxPost(extra: [string, string][] = []): RequestLike {
  return {
    method: 'POST',
    url: 'https://social.example/users/bob/inbox',
    headers: [
      ['Host', 'social.example'],
      ['Date', new Date(now * 1000).toUTCString()],
      ['Content-Type', 'application/activity+json'],
      ...extra,
    ],
    body: activity,
  };
}

/** Sign a request and return it with the returned headers added. */
async function signed(
  message: RequestLike,
  key: HttpSigKey,
  options: Partial<Parameters<typeof signCavage>[1]> = {},
): Promise<RequestLike> {
  const result = await signCavage(message, { key, keyId: actor, now, ...options });
  const headers = [...(message.headers as [string, string][])];
  for (const [name, value] of Object.entries(result.headers)) headers.push([name, value]);
  return { ...message, headers };
}

function replaceHeader(message: RequestLike, name: string, value: string | undefined): RequestLike {
  const headers = (message.headers as [string, string][])
    .filter(([n]) => n.toLowerCase() !== name)
    .concat(value === undefined ? [] : [[name, value]]);
  return { ...message, headers };
}

function header(message: RequestLike, name: string): string {
  const found = (message.headers as [string, string][]).find(([n]) => n.toLowerCase() === name);
  if (!found) throw new Error(`no ${name}`);
  return found[1];
}

const verifyWith = (key: HttpSigKey | HttpSigKey[], options: Partial<CavageVerifyOptions> = {}) => ({
  keys: { [actor]: key },
  now,
  ...options,
});

describe('sign → verify round trips', () => {
  const legacyNames: [Algorithm, string][] = [
    ['rsa-v1_5-sha256', 'rsa-sha256'],
    ['hmac-sha256', 'hmac-sha256'],
    ['ecdsa-p256-sha256', 'ecdsa-sha256'],
    ['ed25519', 'ed25519'],
  ];
  for (const [alg, name] of legacyNames) {
    it(`${alg} under its legacy name ${name}`, async () => {
      const { privateKey, publicKey } = pairs[alg];
      const message = await signed(inboxPost(), privateKey);
      const parsed = parseCavageSignature(header(message, 'signature'));
      expect(parsed.algorithm).toBe(name);
      expect(parsed.headers).toEqual(['(request-target)', 'host', 'date', 'digest']);
      const result = await verifyCavage(message, verifyWith(publicKey, { maxAge: 300 }));
      expect(result.algorithm).toBe(alg);
      expect(result.keyId).toBe(actor);
      expect(result.digest?.field).toBe('digest');
    });
  }

  for (const alg of [
    'rsa-v1_5-sha256',
    'rsa-pss-sha512',
    'hmac-sha256',
    'ecdsa-p256-sha256',
    'ecdsa-p384-sha384',
    'ed25519',
  ] as Algorithm[]) {
    it(`${alg} under hs2019 with (created) and (expires)`, async () => {
      const { privateKey, publicKey } = pairs[alg];
      const message = await signed(inboxPost(), privateKey, {
        algorithm: 'hs2019',
        created: true,
        expires: now + 60,
      });
      const parsed = parseCavageSignature(header(message, 'signature'));
      expect(parsed.headers).toEqual([
        '(request-target)',
        '(created)',
        '(expires)',
        'host',
        'date',
        'digest',
      ]);
      const result = await verifyCavage(message, verifyWith(publicKey));
      expect(result.algorithm).toBe(alg);
      expect(result.algorithmParam).toBe('hs2019');
      expect(result.created).toBe(now);
      expect(result.expires).toBe(now + 60);
      // One second past expires: refused.
      expect(await codeOf(verifyCavage(message, verifyWith(publicKey, { now: now + 61 })))).toBe(
        'ERR_HTTPSIG_EXPIRED',
      );
    });
  }

  it('refuses to give a key without a legacy name a legacy algorithm', async () => {
    expect(
      await codeOf(signCavage(inboxPost(), { key: pairs['rsa-pss-sha512'].privateKey, keyId: actor })),
    ).toBe('ERR_HTTPSIG_UNSUPPORTED_ALGORITHM');
  });

  it('refuses (created) with a legacy rsa algorithm when signing', async () => {
    const code = await codeOf(
      signCavage(inboxPost(), {
        key: pairs['rsa-v1_5-sha256'].privateKey,
        keyId: actor,
        headers: ['(request-target)', '(created)'],
      }),
    );
    expect(code).toBe('ERR_HTTPSIG_INVALID_COMPONENT');
  });

  it('adds Date when it is signed and absent, and no Digest without a body', async () => {
    const message: RequestLike = {
      method: 'GET',
      url: 'https://social.example/users/bob',
      headers: { accept: 'application/activity+json' },
    };
    const result = await signCavage(message, { key: pairs.ed25519.privateKey, keyId: actor, now });
    expect(result.headers.date).toBe(new Date(now * 1000).toUTCString());
    expect(result.headers.digest).toBeUndefined();
    expect(result.signedHeaders).toEqual(['(request-target)', 'host', 'date']);
    // Host comes from the URL when the message has none, as fetch would send it.
    expect(result.signingString).toBe(
      `(request-target): get /users/bob\nhost: social.example\ndate: ${result.headers.date}`,
    );
    const verified = await verifyCavage(
      { ...message, headers: { ...(message.headers as Record<string, string>), ...result.headers } },
      verifyWith(pairs.ed25519.publicKey),
    );
    expect(verified.headers).toEqual(['(request-target)', 'host', 'date']);
  });
});

describe('Mastodon-shaped requests (POST inbox, RSA key)', () => {
  it('rsa-sha256 with (request-target) host date digest', async () => {
    const message = await signed(inboxPost(), pairs['rsa-v1_5-sha256'].privateKey);
    const value = header(message, 'signature');
    expect(value).toMatch(
      /^keyId="https:\/\/mastodon\.example\/users\/alice#main-key",algorithm="rsa-sha256",headers="\(request-target\) host date digest",signature="[A-Za-z0-9+/]+={0,2}"$/,
    );
    expect(header(message, 'digest')).toMatch(/^SHA-256=[A-Za-z0-9+/]{43}=$/);
    const result = await verifyCavage(
      message,
      verifyWith(pairs['rsa-v1_5-sha256'].publicKey, { clockSkew: 43200, maxAge: 43200 }),
    );
    expect(result.signingString.split('\n')[0]).toBe('(request-target): post /users/bob/inbox');
  });

  it('hs2019 with a PKCS#1 v1.5 key (deployed) and with RSA-PSS (the draft): the key decides', async () => {
    const resolver = (keyId: string) =>
      keyId === actor ? [rsaForPss, pairs['rsa-v1_5-sha256'].publicKey] : undefined;
    const v15 = await signed(inboxPost(), pairs['rsa-v1_5-sha256'].privateKey, { algorithm: 'hs2019' });
    expect((await verifyCavage(v15, { keys: resolver, now })).algorithm).toBe('rsa-v1_5-sha256');
    const pss = await signed(inboxPost(), pairs['rsa-pss-sha512'].privateKey, { algorithm: 'hs2019' });
    const pssKey = pairs['rsa-pss-sha512'].publicKey;
    expect(
      (await verifyCavage(pss, { keys: () => [pairs['rsa-v1_5-sha256'].publicKey, pssKey], now })).algorithm,
    ).toBe('rsa-pss-sha512');
    // With only the PSS binding, the v1.5 signature does not verify.
    expect(await codeOf(verifyCavage(v15, verifyWith(rsaForPss)))).toBe('ERR_HTTPSIG_INVALID_SIGNATURE');
  });

  it('rsa-sha256 refuses a key bound to another algorithm', async () => {
    const message = await signed(inboxPost(), pairs['rsa-v1_5-sha256'].privateKey);
    expect(await codeOf(verifyCavage(message, verifyWith(rsaForPss)))).toBe('ERR_HTTPSIG_ALGORITHM_MISMATCH');
    expect(
      await codeOf(
        verifyCavage(message, verifyWith(pairs['rsa-v1_5-sha256'].publicKey, { algorithms: ['ed25519'] })),
      ),
    ).toBe('ERR_HTTPSIG_ALGORITHM_MISMATCH');
  });

  it('finds keys by a keyId URL with a fragment, by record or resolver', async () => {
    const message = await signed(inboxPost(), pairs.ed25519.privateKey);
    const seen: string[] = [];
    const result = await verifyCavage(message, {
      now,
      keys: (keyId) => {
        seen.push(keyId);
        // An ActivityPub server fetches the actor document (the URL without its fragment).
        return new URL(keyId).hash === '#main-key' ? pairs.ed25519.publicKey : undefined;
      },
    });
    expect(seen).toEqual([actor]);
    expect(result.keyId).toBe(actor);
    expect(
      await codeOf(
        verifyCavage(message, { now, keys: { [actor.replace('#main-key', '')]: pairs.ed25519.publicKey } }),
      ),
    ).toBe('ERR_HTTPSIG_UNKNOWN_KEY');
  });
});

describe('tampering is refused with the right code', () => {
  let message: RequestLike;
  const key = () => pairs['rsa-v1_5-sha256'].publicKey;

  beforeAll(async () => {
    message = await signed(inboxPost(), pairs['rsa-v1_5-sha256'].privateKey);
  });

  it('accepts the untouched message', async () => {
    expect((await verifyCavage(message, verifyWith(key()))).keyId).toBe(actor);
  });

  const cases: [string, (m: RequestLike) => RequestLike, string][] = [
    ['method', (m) => ({ ...m, method: 'PUT' }), 'ERR_HTTPSIG_INVALID_SIGNATURE'],
    [
      'path',
      (m) => ({ ...m, url: 'https://social.example/users/carol/inbox' }),
      'ERR_HTTPSIG_INVALID_SIGNATURE',
    ],
    [
      'query added',
      (m) => ({ ...m, url: 'https://social.example/users/bob/inbox?x=1' }),
      'ERR_HTTPSIG_INVALID_SIGNATURE',
    ],
    ['host', (m) => replaceHeader(m, 'host', 'evil.example'), 'ERR_HTTPSIG_INVALID_SIGNATURE'],
    [
      'date',
      (m) => replaceHeader(m, 'date', new Date((now - 1) * 1000).toUTCString()),
      'ERR_HTTPSIG_INVALID_SIGNATURE',
    ],
    [
      'digest header',
      (m) => replaceHeader(m, 'digest', 'SHA-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE='),
      'ERR_HTTPSIG_INVALID_SIGNATURE',
    ],
    ['body', (m) => ({ ...m, body: activity.replace('Follow', 'Block') }), 'ERR_HTTPSIG_DIGEST_MISMATCH'],
    ['date removed', (m) => replaceHeader(m, 'date', undefined), 'ERR_HTTPSIG_MISSING_COMPONENT'],
    ['digest removed', (m) => replaceHeader(m, 'digest', undefined), 'ERR_HTTPSIG_MISSING_COMPONENT'],
    ['signature removed', (m) => replaceHeader(m, 'signature', undefined), 'ERR_HTTPSIG_MISSING_SIGNATURE'],
    [
      'signature bytes',
      (m) =>
        replaceHeader(
          m,
          'signature',
          header(m, 'signature').replace(/signature="(.)/, (_, c) => `signature="${c === 'A' ? 'B' : 'A'}`),
        ),
      'ERR_HTTPSIG_INVALID_SIGNATURE',
    ],
    [
      'algorithm renamed',
      (m) => replaceHeader(m, 'signature', header(m, 'signature').replace('rsa-sha256', 'ecdsa-sha256')),
      'ERR_HTTPSIG_ALGORITHM_MISMATCH',
    ],
    [
      'algorithm rsa-sha1',
      (m) => replaceHeader(m, 'signature', header(m, 'signature').replace('rsa-sha256', 'rsa-sha1')),
      'ERR_HTTPSIG_UNSUPPORTED_ALGORITHM',
    ],
    [
      'keyId',
      (m) => replaceHeader(m, 'signature', header(m, 'signature').replace('alice', 'mallory')),
      'ERR_HTTPSIG_UNKNOWN_KEY',
    ],
    [
      'headers list shortened',
      (m) => replaceHeader(m, 'signature', header(m, 'signature').replace(' digest"', '"')),
      'ERR_HTTPSIG_POLICY',
    ],
  ];
  for (const [what, tamper, code] of cases) {
    it(what, async () => {
      expect(await codeOf(verifyCavage(tamper(message), verifyWith(key())))).toBe(code);
    });
  }

  it('checks freshness against the signed Date', async () => {
    expect(await codeOf(verifyCavage(message, verifyWith(key(), { now: now + 301, maxAge: 300 })))).toBe(
      'ERR_HTTPSIG_EXPIRED',
    );
    expect(
      (await verifyCavage(message, verifyWith(key(), { now: now + 301, maxAge: 300, clockSkew: 1 }))).keyId,
    ).toBe(actor);
    expect(await codeOf(verifyCavage(message, verifyWith(key(), { now: now - 10, clockSkew: 5 })))).toBe(
      'ERR_HTTPSIG_NOT_YET_VALID',
    );
    // The Date header is not a date: refused as malformed.
    const bad = await signed(inboxPost(), pairs['rsa-v1_5-sha256'].privateKey);
    expect(await codeOf(verifyCavage(replaceHeader(bad, 'date', 'yesterday'), verifyWith(key())))).toBe(
      'ERR_HTTPSIG_PARSE',
    );
  });

  it('refuses an unsigned timestamp for maxAge', async () => {
    const m = await signed(inboxPost(), pairs['rsa-v1_5-sha256'].privateKey, {
      headers: ['(request-target)', 'host', 'digest'],
    });
    expect(
      await codeOf(verifyCavage(m, verifyWith(key(), { requiredHeaders: ['(request-target)'], maxAge: 60 }))),
    ).toBe('ERR_HTTPSIG_POLICY');
  });

  it('bounds the body read for the digest', async () => {
    expect(await codeOf(verifyCavage(message, verifyWith(key(), { maxBodySize: 10 })))).toBe(
      'ERR_HTTPSIG_BODY_TOO_LARGE',
    );
  });
});

describe('request target with a query', () => {
  it('signs and verifies path?query exactly as on the request line', async () => {
    const base: RequestLike = {
      method: 'GET',
      url: 'https://social.example/outbox?page=true&min_id=1',
      headers: [['Host', 'social.example']],
    };
    const message = await signed(base, pairs.ed25519.privateKey);
    const result = await verifyCavage(message, verifyWith(pairs.ed25519.publicKey));
    expect(result.signingString.split('\n')[0]).toBe('(request-target): get /outbox?page=true&min_id=1');
    // Reordered or dropped query: a different target, refused.
    for (const url of ['https://social.example/outbox?min_id=1&page=true', 'https://social.example/outbox']) {
      expect(await codeOf(verifyCavage({ ...message, url }, verifyWith(pairs.ed25519.publicKey)))).toBe(
        'ERR_HTTPSIG_INVALID_SIGNATURE',
      );
    }
  });

  it('uses an explicit request-line target when given', async () => {
    const base: RequestLike = {
      method: 'OPTIONS',
      url: 'https://social.example/',
      target: '*',
      headers: { host: 'social.example' },
    };
    const result = await signCavage(base, { key: pairs.ed25519.privateKey, keyId: actor, now });
    expect(result.signingString.split('\n')[0]).toBe('(request-target): options *');
  });
});

describe('several signatures and the Authorization form', () => {
  it('verifies the Authorization form and honours form', async () => {
    const message = await signed(inboxPost(), pairs.ed25519.privateKey, { form: 'authorization' });
    expect(header(message, 'authorization')).toMatch(/^Signature keyId="/);
    const result = await verifyCavage(message, verifyWith(pairs.ed25519.publicKey));
    expect(result.form).toBe('authorization');
    expect(
      await codeOf(verifyCavage(message, verifyWith(pairs.ed25519.publicKey, { form: 'signature' }))),
    ).toBe('ERR_HTTPSIG_MISSING_SIGNATURE');
    // Another Authorization scheme is no signature.
    expect(
      await codeOf(
        verifyCavage(
          replaceHeader(message, 'authorization', 'Bearer abc'),
          verifyWith(pairs.ed25519.publicKey),
        ),
      ),
    ).toBe('ERR_HTTPSIG_MISSING_SIGNATURE');
  });

  it('accepts any valid one of several Signature header lines, else reports the first failure', async () => {
    const good = await signed(inboxPost(), pairs.ed25519.privateKey);
    const value = header(good, 'signature');
    const unknown = value.replace('alice', 'mallory');
    const twoLines = replaceHeader(good, 'signature', undefined);
    (twoLines.headers as [string, string][]).push(['Signature', unknown], ['Signature', value]);
    expect((await verifyCavage(twoLines, verifyWith(pairs.ed25519.publicKey))).keyId).toBe(actor);
    const bothBad = replaceHeader(good, 'signature', undefined);
    (bothBad.headers as [string, string][]).push(['Signature', unknown], ['Signature', 'keyId="x"']);
    expect(await codeOf(verifyCavage(bothBad, verifyWith(pairs.ed25519.publicKey)))).toBe(
      'ERR_HTTPSIG_UNKNOWN_KEY',
    );
    const many = replaceHeader(good, 'signature', undefined);
    for (let i = 0; i < 9; i++) (many.headers as [string, string][]).push(['Signature', value]);
    expect(await codeOf(verifyCavage(many, verifyWith(pairs.ed25519.publicKey)))).toBe(
      'ERR_HTTPSIG_LIMIT_EXCEEDED',
    );
  });

  it('fails closed when the key resolver throws', async () => {
    const message = await signed(inboxPost(), pairs.ed25519.privateKey);
    const code = await codeOf(
      verifyCavage(message, {
        now,
        keys: () => {
          throw new Error('actor fetch failed');
        },
      }),
    );
    expect(code).toBe('ERR_HTTPSIG_KEY_UNAVAILABLE');
  });
});

describe('strict parsing of the Signature value', () => {
  const sig = 'c2lnbmF0dXJl';

  it('reads quoted values with escapes, ignores unknown parameters, accepts the Authorization scheme', () => {
    const parsed = parseCavageSignature(
      `Signature keyId="a\\"b", Algorithm="HS2019", foo=bar, headers="Host  DATE", signature="${sig}"`,
    );
    expect(parsed.keyId).toBe('a"b');
    expect(parsed.algorithm).toBe('hs2019');
    expect(parsed.headers).toEqual(['host', 'date']);
    expect(parsed.created).toBeUndefined();
  });

  const bad: [string, string][] = [
    ['empty', ''],
    ['other scheme', `Bearer keyId="a",signature="${sig}"`],
    ['no keyId', `signature="${sig}"`],
    ['no signature', 'keyId="a"'],
    ['duplicate parameter', `keyId="a",keyId="b",signature="${sig}"`],
    ['duplicate parameter, other case', `keyId="a",keyid="b",signature="${sig}"`],
    ['unquoted keyId', `keyId=a,signature="${sig}"`],
    ['unterminated quote', `keyId="a,signature="${sig}`],
    ['missing comma', `keyId="a" signature="${sig}"`],
    ['trailing comma', `keyId="a",signature="${sig}",`],
    ['not base64', 'keyId="a",signature="***"'],
    ['base64url', 'keyId="a",signature="ab-_"'],
    ['created not a number', `keyId="a",created=soon,signature="${sig}"`],
    ['empty headers', `keyId="a",headers=" ",signature="${sig}"`],
    ['repeated header name', `keyId="a",headers="date date",signature="${sig}"`],
    ['line break in a value', `keyId="a\nb",signature="${sig}"`],
    ['no value', `keyId=,signature="${sig}"`],
  ];
  for (const [what, value] of bad) {
    it(`refuses ${what}`, () => {
      let error: unknown;
      try {
        parseCavageSignature(value);
      } catch (caught) {
        error = caught;
      }
      expect(isHttpSigError(error, 'ERR_HTTPSIG_PARSE')).toBe(true);
    });
  }

  it('bounds the size and the headers list', () => {
    expect(() => parseCavageSignature(`keyId="${'a'.repeat(9000)}",signature="${sig}"`)).toThrow(
      /longer than/,
    );
    const names = Array.from({ length: 65 }, (_, i) => `x-h${i}`).join(' ');
    let error: unknown;
    try {
      parseCavageSignature(`keyId="a",headers="${names}",signature="${sig}"`);
    } catch (caught) {
      error = caught;
    }
    expect(isHttpSigError(error, 'ERR_HTTPSIG_LIMIT_EXCEEDED')).toBe(true);
  });

  it('never crashes on arbitrary input: every failure is an HttpSigError', async () => {
    const inputs = [
      '=',
      ',',
      '"',
      'keyId',
      'keyId=""',
      'Signature',
      'Signature ',
      '\\',
      'a=b,c',
      'keyId="a",signature=""',
    ];
    for (const input of inputs) {
      expect(() => parseCavageSignature(input)).toThrow();
      const message: RequestLike = {
        method: 'GET',
        url: 'https://e.example/',
        headers: { signature: input },
      };
      const code = await codeOf(verifyCavage(message, { keys: {}, requiredHeaders: [] }));
      expect(code).toMatch(/^ERR_HTTPSIG_/);
    }
  });
});
