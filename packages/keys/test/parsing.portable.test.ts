import { describe, expect, it } from 'vitest';
import { isPublicAddress, parseIPv6 } from '../src/http/address';
import { freshnessLifetime, parseCacheControl } from '../src/http/cache-lifetime';
import { checkUrl, type UrlPolicy } from '../src/http/url-guard';
import { jwkAlgorithms } from '../src/jwk/algorithm';

describe('IP address classification', () => {
  it.each([
    ['8.8.8.8', true],
    ['93.184.216.34', true],
    ['127.0.0.1', false],
    ['10.0.0.1', false],
    ['172.16.0.1', false],
    ['172.32.0.1', true],
    ['192.168.1.1', false],
    ['169.254.169.254', false],
    ['100.64.0.1', false],
    ['0.0.0.0', false],
    ['224.0.0.1', false],
    ['255.255.255.255', false],
    ['198.18.0.1', false],
    ['[::1]', false],
    ['::', false],
    ['::ffff:127.0.0.1', false],
    ['[::ffff:7f00:1]', false],
    ['::ffff:8.8.8.8', true],
    ['fe80::1%eth0', false],
    ['fc00::1', false],
    ['fd12:3456::1', false],
    ['ff02::1', false],
    ['2001:db8::1', false],
    ['64:ff9b::a00:1', false],
    ['64:ff9b::808:808', true],
    ['2002:7f00:1::', false],
    ['2002:808:808::', true],
    ['2606:4700:4700::1111', true],
    ['not an address', false],
  ])('%s is public: %s', (address, expected) => {
    expect(isPublicAddress(address)).toBe(expected);
  });

  it('parses IPv6 forms strictly', () => {
    expect(parseIPv6('1::')).toEqual([1, 0, 0, 0, 0, 0, 0, 0]);
    expect(parseIPv6('1:2:3:4:5:6:7:8')).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(parseIPv6('1:2:3:4:5:6:7:8:9')).toBeUndefined();
    expect(parseIPv6('1::2::3')).toBeUndefined();
    expect(parseIPv6('12345::')).toBeUndefined();
  });
});

describe('the URL guard', () => {
  const strict: UrlPolicy = { allowHttp: false, allowPrivateNetworks: false, lookup: undefined };
  const refusal = async (url: string, policy = strict) => {
    try {
      await checkUrl(new URL(url), policy);
      return undefined;
    } catch (error) {
      return (error as Error).message;
    }
  };

  it('refuses private literals in every spelling the URL parser normalizes', async () => {
    for (const url of [
      'https://127.1/',
      'https://0x7f000001/',
      'https://2130706433/',
      'https://[::1]/',
      'https://[::ffff:10.0.0.1]/',
    ]) {
      expect(await refusal(url), url).toBe('refused a private network address');
    }
  });

  it('refuses local names, credentials and plain http, and accepts public https URLs', async () => {
    for (const url of [
      'https://localhost/',
      'https://LOCALHOST./',
      'https://a.localhost/',
      'https://printer.local/',
      'https://intranet/',
    ]) {
      expect(await refusal(url), url).toBe('refused a local host name');
    }
    expect(await refusal('https://user:pw@keys.example.com/')).toBe('refused a URL with credentials');
    expect(await refusal('http://keys.example.com/')).toMatch(/https is required/);
    expect(await refusal('http://keys.example.com/', { ...strict, allowHttp: true })).toBeUndefined();
    expect(await refusal('https://keys.example.com/jwks.json')).toBeUndefined();
    expect(await refusal('https://127.0.0.1/', { ...strict, allowPrivateNetworks: true })).toBeUndefined();
  });

  it('judges the addresses a lookup hook returns', async () => {
    const lookup = (addresses: string[]) => ({ ...strict, lookup: () => addresses });
    expect(await refusal('https://keys.example.com/', lookup(['93.184.216.34']))).toBeUndefined();
    expect(await refusal('https://keys.example.com/', lookup(['93.184.216.34', '::1']))).toMatch(
      /resolves to a private/,
    );
    expect(await refusal('https://keys.example.com/', lookup([]))).toBe('the host name does not resolve');
  });
});

describe('freshness lifetime', () => {
  const bounds = { minMaxAge: 30, maxMaxAge: 86400, defaultMaxAge: 300 };
  const lifetime = (headers: Record<string, string>, now = 1000) =>
    freshnessLifetime(new Headers(headers), now, bounds);

  it('reads max-age (less Age), then Expires (less Date), then the default, within the bounds', () => {
    expect(lifetime({ 'cache-control': 'public, max-age=600' })).toBe(600);
    expect(lifetime({ 'cache-control': 'max-age=600', age: '100' })).toBe(500);
    expect(lifetime({ 'cache-control': 'max-age="120"' })).toBe(120);
    expect(lifetime({ 'cache-control': 'max-age=1' })).toBe(30);
    expect(lifetime({ 'cache-control': 'max-age=99999999' })).toBe(86400);
    expect(lifetime({ 'cache-control': 'max-age=600, max-age=60' })).toBe(600);
    expect(lifetime({ 'cache-control': 'max-age=abc' })).toBe(30);
    expect(lifetime({ 'cache-control': 'no-store, max-age=600' })).toBe(30);
    expect(lifetime({ 'cache-control': 'no-cache' })).toBe(30);
    expect(
      lifetime({
        date: new Date(1_000_000).toUTCString(),
        expires: new Date(1_000_000 + 7200_000).toUTCString(),
      }),
    ).toBe(7200);
    expect(lifetime({ expires: new Date(5000_000).toUTCString() }, 1000)).toBe(4000);
    expect(lifetime({ expires: '0' })).toBe(30);
    expect(lifetime({ expires: 'Thu Jan  1 01:23:20 1970' }, 1000)).toBe(4000);
    expect(lifetime({ expires: 'Thursday, 01-Jan-70 01:23:20 GMT' }, 1000)).toBe(4000);
    expect(lifetime({})).toBe(300);
  });

  it('parses Cache-Control directives case-insensitively', () => {
    expect([...parseCacheControl('Max-Age=5, no-transform, private="x, y"')]).toEqual([
      ['max-age', '5'],
      ['no-transform', true],
      ['private', 'x, y'],
    ]);
    expect(lifetime({ 'cache-control': 'private="a, max-age=1", max-age=900' })).toBe(900);
  });
});

describe('JWK algorithms', () => {
  it('are decided by kty, crv and alg', () => {
    expect(jwkAlgorithms({ kty: 'OKP', crv: 'Ed25519' })).toEqual(['ed25519']);
    expect(jwkAlgorithms({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA' })).toEqual(['ed25519']);
    expect(jwkAlgorithms({ kty: 'OKP', crv: 'Ed25519', alg: 'ed25519' })).toEqual(['ed25519']);
    expect(jwkAlgorithms({ kty: 'OKP', crv: 'X25519' })).toEqual([]);
    expect(jwkAlgorithms({ kty: 'EC', crv: 'P-256', alg: 'ES256' })).toEqual(['ecdsa-p256-sha256']);
    expect(jwkAlgorithms({ kty: 'EC', crv: 'P-256', alg: 'ES384' })).toEqual([]);
    expect(jwkAlgorithms({ kty: 'EC', crv: 'P-384' })).toEqual(['ecdsa-p384-sha384']);
    expect(jwkAlgorithms({ kty: 'EC', crv: 'P-521' })).toEqual([]);
    expect(jwkAlgorithms({ kty: 'RSA' })).toEqual(['rsa-pss-sha512', 'rsa-v1_5-sha256']);
    expect(jwkAlgorithms({ kty: 'RSA', alg: 'PS512' })).toEqual(['rsa-pss-sha512']);
    expect(jwkAlgorithms({ kty: 'RSA', alg: 'RS256' })).toEqual(['rsa-v1_5-sha256']);
    expect(jwkAlgorithms({ kty: 'RSA', alg: 'PS256' })).toEqual([]);
    expect(jwkAlgorithms({ kty: 'RSA', alg: 'ed25519' })).toEqual([]);
    expect(jwkAlgorithms({ kty: 'oct', alg: 'HS256' })).toEqual([]);
  });
});
