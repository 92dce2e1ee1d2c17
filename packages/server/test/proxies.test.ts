/**
 * @authority and @scheme behind proxies: forwarded fields count only from trusted peers, a
 * pinned origin beats everything, and requireTls believes a trusted proxy that says https.
 */
import { generateKey, type HttpSigKey, signMessage } from '@httpsig/core';
import { createVerifier, type IncomingRequestInfo, type VerifierOptions } from '@httpsig/server';
import { beforeAll, describe, expect, it } from 'vitest';

let key: { privateKey: HttpSigKey; publicKey: HttpSigKey };
beforeAll(async () => {
  key = await generateKey('ed25519', { keyid: 'k' });
});

/** A request signed for `signedUrl`, arriving as `info` describes. */
async function arriving(
  signedUrl: string,
  info: Partial<IncomingRequestInfo> & { headers?: [string, string][] },
) {
  const url = new URL(signedUrl);
  const signed = await signMessage(
    { method: 'GET', url: signedUrl, headers: [] },
    {
      key: key.privateKey,
      components: ['@method', '@target-uri', '@authority', '@scheme'],
      params: { created: true, keyid: 'k' },
    },
  );
  return {
    ...info,
    method: 'GET',
    target: `${url.pathname}${url.search}`,
    headers: [
      ...(info.headers ?? []),
      ['signature-input', signed.signatureInput],
      ['signature', signed.signature],
    ],
  } as IncomingRequestInfo;
}

const base = (extra: Partial<VerifierOptions> = {}): VerifierOptions => ({
  keys: { k: key.publicKey },
  nonceStore: false,
  ...extra,
});

describe('forwarded fields', () => {
  const publicUrl = 'https://api.example.com/orders?id=1';
  const viaProxy = (headers: [string, string][], remoteAddress = '10.0.0.2') =>
    arriving(publicUrl, { remoteAddress, encrypted: false, headers: [['Host', 'backend:8080'], ...headers] });

  it('X-Forwarded-Proto/Host from a trusted proxy give the public origin', async () => {
    const verifier = createVerifier(base({ trustedProxies: ['10.0.0.0/8'] }));
    const outcome = await verifier.verify(
      await viaProxy([
        ['X-Forwarded-Proto', 'https'],
        ['X-Forwarded-Host', 'api.example.com'],
      ]),
    );
    expect(outcome.ok).toBe(true);
  });

  it('the same fields from an untrusted peer are ignored', async () => {
    const verifier = createVerifier(base({ trustedProxies: ['10.0.0.0/8'] }));
    const outcome = await verifier.verify(
      await viaProxy(
        [
          ['X-Forwarded-Proto', 'https'],
          ['X-Forwarded-Host', 'api.example.com'],
        ],
        '203.0.113.9',
      ),
    );
    expect(outcome.ok ? 'accepted' : outcome.error.code).toBe('ERR_HTTPSIG_INVALID_SIGNATURE');
  });

  it('without trustedProxies, forwarded fields are never believed', async () => {
    const outcome = await createVerifier(base()).verify(
      await viaProxy([
        ['X-Forwarded-Proto', 'https'],
        ['X-Forwarded-Host', 'api.example.com'],
      ]),
    );
    expect(outcome.ok).toBe(false);
  });

  it('Forwarded (RFC 7239): the element our trusted peer added counts', async () => {
    const verifier = createVerifier(base({ trustedProxies: ['10.0.0.2', '::1'] }));
    const good = await verifier.verify(
      await viaProxy([
        [
          'Forwarded',
          'for=198.51.100.1;proto=http;host=evil.example, for=198.51.100.7;proto=https;host=api.example.com',
        ],
      ]),
    );
    expect(good.ok).toBe(true);
    // An IPv4-mapped IPv6 peer is the same IPv4 address.
    const mapped = await verifier.verify(
      await viaProxy(
        [['Forwarded', 'for=198.51.100.7;proto=https;host="api.example.com"']],
        '::ffff:10.0.0.2',
      ),
    );
    expect(mapped.ok).toBe(true);
  });

  it('a pinned origin wins over Host and forwarded fields', async () => {
    const verifier = createVerifier(base({ origin: 'https://api.example.com' }));
    const outcome = await verifier.verify(
      await viaProxy([['X-Forwarded-Host', 'evil.example']], '203.0.113.9'),
    );
    expect(outcome.ok).toBe(true);
  });

  it('HTTP/2 :authority is the authority when there is no Host', async () => {
    const info = await arriving(publicUrl, { encrypted: true, authority: 'api.example.com' });
    expect((await createVerifier(base()).verify(info)).ok).toBe(true);
  });
});

describe('requireTls', () => {
  it('plain http is refused unless a trusted proxy says https', async () => {
    const verifier = createVerifier(base({ requireTls: true, trustedProxies: ['10.0.0.2'] }));
    const plain = await arriving('http://api.example.com/x', {
      remoteAddress: '203.0.113.9',
      headers: [['Host', 'api.example.com']],
    });
    const refused = await verifier.verify(plain);
    expect(refused.ok ? 'accepted' : refused.error.code).toBe('ERR_HTTPSIG_TLS_REQUIRED');
    const proxied = await arriving('https://api.example.com/x', {
      remoteAddress: '10.0.0.2',
      headers: [
        ['Host', 'api.example.com'],
        ['X-Forwarded-Proto', 'https'],
      ],
    });
    expect((await verifier.verify(proxied)).ok).toBe(true);
  });
});

describe('configuration errors are TypeErrors at creation', () => {
  it('bad origins, proxies and production debug', () => {
    expect(() => createVerifier(base({ origin: 'api.example.com' }))).toThrow(TypeError);
    expect(() => createVerifier(base({ origin: 'https://api.example.com/v1' }))).toThrow(TypeError);
    expect(() => createVerifier(base({ trustedProxies: ['not-an-ip'] }))).toThrow(TypeError);
    const previous = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      expect(() => createVerifier(base({ debug: true }))).toThrow(/production/);
      expect(() => createVerifier(base({ debug: 'force' }))).not.toThrow();
    } finally {
      process.env.NODE_ENV = previous;
    }
  });
});
