/**
 * Verification keys from X.509 certificates: the certificate's public key, bound to an algorithm,
 * accepted only while the certificate (and, with trusted CAs, its whole path) is valid.
 */
import { type Algorithm, type HttpSigKey, importKey } from '@httpsig/core';
import type { X509Certificate } from '@peculiar/x509';
import { invalidKey } from '../errors';
import { recordSource } from '../key-source';
import { type Clock, currentSeconds } from '../time';
import { type CertificateInput, readCertificateList, readCertificates } from './certificates';
import { trustedPath } from './chain';
import { loadX509 } from './load';
import { checkPathValidity } from './validity';

export interface CertificateTrustOptions {
  /** CA certificates (PEM, possibly bundles, or DER) the certificate must chain to. @default no chain check */
  trustedCAs?: readonly CertificateInput[];
  /** Intermediate CA certificates that may complete the chain. */
  intermediates?: readonly CertificateInput[];
  /** The time validity is checked at, in Unix seconds, or a clock. @default now */
  now?: number | Clock;
}

export interface KeyFromCertificateOptions extends CertificateTrustOptions {
  /**
   * The algorithm the key is bound to. @default the one the key type implies; required for an
   * RSA key, which fits both rsa-pss-sha512 and rsa-v1_5-sha256
   */
  alg?: Algorithm;
  keyid?: string;
}

/** A certificate read, chained and checked once, with its key imported per algorithm on demand. */
export interface PreparedCertificate {
  readonly leaf: X509Certificate;
  /** Leaf first; with trusted CAs, up to and including the trust anchor. */
  readonly path: readonly X509Certificate[];
  readonly chained: boolean;
  /** The algorithms the certificate's key fits. */
  readonly algorithms: readonly Algorithm[];
}

/** Read a certificate (PEM text may carry its intermediates after it) and check its chain. */
export async function prepareCertificate(
  input: CertificateInput,
  options: CertificateTrustOptions,
  trust?: { anchors: readonly X509Certificate[]; intermediates: readonly X509Certificate[] },
): Promise<PreparedCertificate> {
  const x509 = await loadX509();
  const [leaf, ...bundled] = await readCertificates(input, 'The certificate');
  if (leaf === undefined) throw invalidKey('The certificate is empty');
  const usage = leaf.getExtension(x509.KeyUsagesExtension);
  if (usage !== null && (usage.usages & x509.KeyUsageFlags.digitalSignature) === 0) {
    throw invalidKey('The key usage of the certificate does not allow digital signatures');
  }
  const anchors = trust?.anchors ?? (await readCertificateList(options.trustedCAs, 'A trusted CA'));
  const intermediates = [
    ...bundled,
    ...(trust?.intermediates ?? (await readCertificateList(options.intermediates, 'An intermediate'))),
  ];
  const chained = options.trustedCAs !== undefined;
  if (chained && anchors.length === 0) throw invalidKey('trustedCAs holds no certificate');
  const path = chained ? await trustedPath(leaf, anchors, intermediates) : [leaf];
  return { leaf, path, chained, algorithms: certificateAlgorithms(leaf) };
}

/** The algorithms a certificate's public key fits. */
function certificateAlgorithms(certificate: X509Certificate): readonly Algorithm[] {
  const { name, namedCurve } = certificate.publicKey.algorithm as { name: string; namedCurve?: string };
  switch (name) {
    case 'Ed25519':
      return ['ed25519'];
    case 'ECDSA':
    case 'ECDH':
      if (namedCurve === 'P-256') return ['ecdsa-p256-sha256'];
      if (namedCurve === 'P-384') return ['ecdsa-p384-sha384'];
      return [];
    case 'RSA-PSS':
      return ['rsa-pss-sha512'];
    case 'RSASSA-PKCS1-v1_5':
    case 'RSA-OAEP':
      return ['rsa-pss-sha512', 'rsa-v1_5-sha256'];
    default:
      return [];
  }
}

/** Import the certificate's key for `alg`, recording where it came from. */
export async function certificateKey(
  prepared: PreparedCertificate,
  alg: Algorithm,
  keyid: string | undefined,
): Promise<HttpSigKey> {
  const { leaf } = prepared;
  const spki = new Uint8Array(leaf.publicKey.rawData);
  const key = await importKey(spki, keyid === undefined ? { alg } : { alg, keyid });
  return recordSource(key, {
    kind: 'certificate',
    subject: leaf.subject,
    issuer: leaf.issuer,
    serialNumber: leaf.serialNumber,
    notBefore: leaf.notBefore,
    notAfter: leaf.notAfter,
    chained: prepared.chained,
  });
}

/** The algorithm for a certificate when none is configured: the one its key type implies. */
export function impliedAlgorithm(prepared: PreparedCertificate): Algorithm {
  const [only, second] = prepared.algorithms;
  if (only === undefined)
    throw invalidKey('The certificate holds a key of a type no signature algorithm here uses');
  if (second !== undefined) {
    throw invalidKey(`The certificate's key fits ${prepared.algorithms.join(' and ')}; pass alg to choose`);
  }
  return only;
}

/**
 * The verification key in a certificate, checked now: the certificate must be within its validity
 * period and, with `trustedCAs`, chain to one of them through valid CA certificates. The key is a
 * snapshot; use `certificateResolver` to check validity at each verification.
 */
export async function keyFromCertificate(
  certificate: CertificateInput,
  options: KeyFromCertificateOptions = {},
): Promise<HttpSigKey> {
  const prepared = await prepareCertificate(certificate, options);
  checkPathValidity(prepared.path, prepared.chained, currentSeconds(options.now));
  return certificateKey(prepared, options.alg ?? impliedAlgorithm(prepared), options.keyid);
}
