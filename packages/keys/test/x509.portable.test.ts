import { type KeyResolver, type RequestLike, verifyMessage } from '@httpsig/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { certificateResolver, keyFromCertificate, keySource } from '../src/index';
import { loadX509 } from '../src/x509/load';
import { createCa, createIntermediate, DAY, type Issuer, issue } from './support/certificates';
import { errorOf, NOW, signedRequest, type TestKey, testKey } from './support/keys';

let ca: Issuer;
let otherCa: Issuer;
let leafKey: TestKey;
let leafPem: string;

const pemOf = async (certificate: Promise<{ toString(format: 'pem'): string }>) =>
  (await certificate).toString('pem');

beforeAll(async () => {
  [ca, otherCa, leafKey] = await Promise.all([createCa('Test CA'), createCa('Other CA'), testKey('ed25519')]);
  leafPem = await pemOf(issue(ca, 'agent.example', publicCryptoKey(leafKey)));
});

function publicCryptoKey(key: TestKey): CryptoKey {
  const cryptoKey = key.publicKey.cryptoKey;
  if (cryptoKey === undefined) throw new Error('a WebCrypto key was expected');
  return cryptoKey;
}

async function failure(promise: Promise<unknown>): Promise<[string, string]> {
  const error = await errorOf(promise);
  return [error.code, error.message];
}

describe('keyFromCertificate', () => {
  it('returns the key of a certificate issued by a trusted CA, bound to the algorithm its key implies', async () => {
    const key = await keyFromCertificate(leafPem, { trustedCAs: [ca.pem], now: NOW, keyid: 'agent' });
    expect(key.alg).toBe('ed25519');
    expect(key.keyid).toBe('agent');
    expect(key.canVerify).toBe(true);
    expect(keySource(key)).toMatchObject({
      kind: 'certificate',
      subject: 'CN=agent.example',
      issuer: 'CN=Test CA',
      chained: true,
    });
  });

  it('reads DER as well as PEM, and checks only validity without trusted CAs', async () => {
    const x509 = await loadX509();
    const der = new Uint8Array(new x509.X509Certificate(leafPem).rawData);
    const key = await keyFromCertificate(der, { now: NOW });
    expect(key.alg).toBe('ed25519');
    expect(keySource(key)).toMatchObject({ chained: false });
  });

  it('refuses an expired certificate and one not yet valid', async () => {
    const expired = await pemOf(
      issue(ca, 'old', publicCryptoKey(leafKey), { notBefore: NOW - 60 * DAY, notAfter: NOW - DAY }),
    );
    expect(await failure(keyFromCertificate(expired, { trustedCAs: [ca.pem], now: NOW }))).toEqual([
      'ERR_HTTPSIG_INVALID_KEY',
      `The certificate expired at ${new Date((NOW - DAY) * 1000).toISOString()}`,
    ]);
    const future = await pemOf(issue(ca, 'new', publicCryptoKey(leafKey), { notBefore: NOW + DAY }));
    expect(await failure(keyFromCertificate(future, { now: NOW }))).toEqual([
      'ERR_HTTPSIG_INVALID_KEY',
      `The certificate is not valid before ${new Date((NOW + DAY) * 1000).toISOString()}`,
    ]);
    // The same certificate is fine once its time has come.
    expect((await keyFromCertificate(future, { now: NOW + 2 * DAY })).alg).toBe('ed25519');
  });

  it('refuses a certificate signed by another CA', async () => {
    const foreign = await pemOf(issue(otherCa, 'agent.example', publicCryptoKey(leafKey)));
    expect(await failure(keyFromCertificate(foreign, { trustedCAs: [ca.pem], now: NOW }))).toEqual([
      'ERR_HTTPSIG_INVALID_KEY',
      'The certificate is not issued by a trusted CA',
    ]);
    // Same issuer name, another key: the signature check, not the name, decides.
    const sameName = await createCa('Test CA');
    const spoofed = await pemOf(issue(sameName, 'agent.example', publicCryptoKey(leafKey)));
    expect((await failure(keyFromCertificate(spoofed, { trustedCAs: [ca.pem], now: NOW })))[1]).toBe(
      'The certificate is not issued by a trusted CA',
    );
    expect((await keyFromCertificate(foreign, { trustedCAs: [ca.pem, otherCa.pem], now: NOW })).alg).toBe(
      'ed25519',
    );
  });

  it('builds the chain through intermediates, given separately or bundled after the certificate', async () => {
    const intermediate = await createIntermediate(ca, 'Issuing CA');
    const leaf = await pemOf(issue(intermediate, 'agent.example', publicCryptoKey(leafKey)));
    expect((await failure(keyFromCertificate(leaf, { trustedCAs: [ca.pem], now: NOW })))[1]).toBe(
      'The certificate is not issued by a trusted CA',
    );
    const separate = await keyFromCertificate(leaf, {
      trustedCAs: [ca.pem],
      intermediates: [intermediate.pem],
      now: NOW,
    });
    expect(separate.alg).toBe('ed25519');
    const bundled = await keyFromCertificate(`${leaf}\n${intermediate.pem}`, {
      trustedCAs: [ca.pem],
      now: NOW,
    });
    expect(bundled.alg).toBe('ed25519');
  });

  it('refuses issuers that are not CAs, path length violations and expired CAs', async () => {
    const notCa = await createCa('Not a CA', { ca: false });
    const byNotCa = await pemOf(issue(notCa, 'agent.example', publicCryptoKey(leafKey)));
    expect((await failure(keyFromCertificate(byNotCa, { trustedCAs: [notCa.pem], now: NOW })))[1]).toBe(
      'The issuing certificate "CN=Not a CA" is not a CA certificate',
    );

    const strictRoot = await createCa('Strict Root', { pathLength: 0 });
    const intermediate = await createIntermediate(strictRoot, 'Too Deep');
    const deep = await pemOf(issue(intermediate, 'agent.example', publicCryptoKey(leafKey)));
    expect(
      (
        await failure(
          keyFromCertificate(deep, {
            trustedCAs: [strictRoot.pem],
            intermediates: [intermediate.pem],
            now: NOW,
          }),
        )
      )[1],
    ).toBe('The certificate chain is longer than "CN=Strict Root" allows');

    const shortLived = await createCa('Short Lived', { notBefore: NOW - 10 * DAY, notAfter: NOW + DAY });
    const leaf = await pemOf(
      issue(shortLived, 'agent.example', publicCryptoKey(leafKey), { notAfter: NOW + 10 * DAY }),
    );
    expect((await keyFromCertificate(leaf, { trustedCAs: [shortLived.pem], now: NOW })).alg).toBe('ed25519');
    expect(
      (await failure(keyFromCertificate(leaf, { trustedCAs: [shortLived.pem], now: NOW + 2 * DAY })))[1],
    ).toMatch(/^The trusted CA certificate expired at /);
  });

  it('refuses a certificate whose key usage excludes signatures', async () => {
    const x509 = await loadX509();
    const encipherOnly = await pemOf(
      issue(ca, 'agent.example', publicCryptoKey(leafKey), { usages: x509.KeyUsageFlags.keyEncipherment }),
    );
    expect((await failure(keyFromCertificate(encipherOnly, { trustedCAs: [ca.pem], now: NOW })))[1]).toBe(
      'The key usage of the certificate does not allow digital signatures',
    );
  });

  it('needs alg for an RSA certificate, and refuses input that is not a certificate', async () => {
    const rsa = await testKey('rsa-pss-sha512');
    const rsaPem = await pemOf(issue(ca, 'rsa.example', publicCryptoKey(rsa)));
    expect((await failure(keyFromCertificate(rsaPem, { now: NOW })))[1]).toMatch(/pass alg to choose/);
    expect((await keyFromCertificate(rsaPem, { now: NOW, alg: 'rsa-pss-sha512' })).alg).toBe(
      'rsa-pss-sha512',
    );
    expect(
      (await failure(keyFromCertificate('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----')))[1],
    ).toBe('The certificate is not a PEM certificate');
    expect(
      (await failure(keyFromCertificate('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----')))[1],
    ).toBe('The certificate cannot be parsed as an X.509 certificate');
  });
});

describe('certificateResolver', () => {
  function verify(request: RequestLike, keys: KeyResolver, now: number) {
    return verifyMessage(request, { keys, requiredComponents: ['@method'], now });
  }

  it('verifies a request signed by the certificate key, and checks validity at each verification', async () => {
    const notAfter = NOW + 30 * DAY;
    const clock = { now: NOW };
    const resolver = certificateResolver({ agent: leafPem }, { trustedCAs: [ca.pem], now: () => clock.now });
    const request = await signedRequest(leafKey.privateKey, { keyid: 'agent' });
    const verified = await verify(request, resolver, NOW);
    expect(verified.keyid).toBe('agent');
    expect(keySource(verified.key)).toMatchObject({ kind: 'certificate', subject: 'CN=agent.example' });

    clock.now = notAfter + 1;
    const error = await errorOf(verify(request, resolver, NOW));
    expect([error.code, error.message]).toEqual([
      'ERR_HTTPSIG_INVALID_KEY',
      `The certificate expired at ${new Date(notAfter * 1000).toISOString()}`,
    ]);
    // Unknown keyids resolve to no key.
    expect(
      (await errorOf(verify(await signedRequest(leafKey.privateKey, { keyid: 'other' }), resolver, NOW)))
        .code,
    ).toBe('ERR_HTTPSIG_UNKNOWN_KEY');
  });

  it('refuses a certificate that does not chain to the trusted CAs', async () => {
    const foreign = await pemOf(issue(otherCa, 'agent.example', publicCryptoKey(leafKey)));
    const resolver = certificateResolver(new Map([['agent', foreign]]), { trustedCAs: [ca.pem], now: NOW });
    const error = await errorOf(
      verify(await signedRequest(leafKey.privateKey, { keyid: 'agent' }), resolver, NOW),
    );
    expect([error.code, error.message]).toEqual([
      'ERR_HTTPSIG_INVALID_KEY',
      'The certificate is not issued by a trusted CA',
    ]);
  });

  it("lets an RSA certificate's algorithm come from the signature, or from the entry", async () => {
    const rsa = await testKey('rsa-v1_5-sha256');
    const rsaPem = await pemOf(issue(ca, 'rsa.example', publicCryptoKey(rsa)));
    const open = certificateResolver({ rsa: rsaPem }, { trustedCAs: [ca.pem], now: NOW });
    const withAlg = await signedRequest(rsa.privateKey, { keyid: 'rsa', alg: 'rsa-v1_5-sha256' });
    expect((await verify(withAlg, open, NOW)).alg).toBe('rsa-v1_5-sha256');
    const withoutAlg = await signedRequest(rsa.privateKey, { keyid: 'rsa' });
    expect((await errorOf(verify(withoutAlg, open, NOW))).code).toBe('ERR_HTTPSIG_ALGORITHM_MISMATCH');
    const pinned = certificateResolver(
      { rsa: { certificate: rsaPem, alg: 'rsa-v1_5-sha256' } },
      { now: NOW },
    );
    expect((await verify(withoutAlg, pinned, NOW)).alg).toBe('rsa-v1_5-sha256');
  });
});
