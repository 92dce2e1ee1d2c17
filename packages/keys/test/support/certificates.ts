/** Certificates made at test time with @peculiar/x509: a CA, leaves, and the ways they go wrong. */
import type { Extension, X509Certificate } from '@peculiar/x509';
import { loadX509 } from '../../src/x509/load';
import { NOW } from './keys';

const ECDSA = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY = 86400;

export interface Issuer {
  readonly certificate: X509Certificate;
  readonly pem: string;
  readonly keys: CryptoKeyPair;
}

const at = (seconds: number) => new Date(seconds * 1000);

/** A self-signed CA certificate (P-256), valid for a year around NOW unless told otherwise. */
export async function createCa(
  name: string,
  options: { notBefore?: number; notAfter?: number; pathLength?: number; ca?: boolean } = {},
): Promise<Issuer> {
  const x509 = await loadX509();
  const keys = (await crypto.subtle.generateKey(ECDSA, true, ['sign', 'verify'])) as CryptoKeyPair;
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    name: `CN=${name}`,
    keys,
    signingAlgorithm: ECDSA,
    notBefore: at(options.notBefore ?? NOW - 180 * DAY),
    notAfter: at(options.notAfter ?? NOW + 180 * DAY),
    extensions: [
      new x509.BasicConstraintsExtension(options.ca ?? true, options.pathLength, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certificate, pem: certificate.toString('pem'), keys };
}

/** A certificate for `publicKey` issued by `issuer`. */
export async function issue(
  issuer: Issuer,
  name: string,
  publicKey: CryptoKey,
  options: { notBefore?: number; notAfter?: number; ca?: boolean; pathLength?: number; usages?: number } = {},
): Promise<X509Certificate> {
  const x509 = await loadX509();
  const extensions: Extension[] = [
    await x509.AuthorityKeyIdentifierExtension.create(issuer.keys.publicKey),
    await x509.SubjectKeyIdentifierExtension.create(publicKey),
  ];
  if (options.ca) {
    extensions.push(new x509.BasicConstraintsExtension(true, options.pathLength, true));
    extensions.push(new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign, true));
  } else {
    extensions.push(new x509.KeyUsagesExtension(options.usages ?? x509.KeyUsageFlags.digitalSignature, true));
  }
  return x509.X509CertificateGenerator.create({
    subject: `CN=${name}`,
    issuer: issuer.certificate.subject,
    publicKey,
    signingKey: issuer.keys.privateKey,
    signingAlgorithm: ECDSA,
    notBefore: at(options.notBefore ?? NOW - 30 * DAY),
    notAfter: at(options.notAfter ?? NOW + 30 * DAY),
    extensions,
  });
}

/** An intermediate CA issued by `issuer`, usable as an `Issuer` itself. */
export async function createIntermediate(
  issuer: Issuer,
  name: string,
  options: { pathLength?: number } = {},
): Promise<Issuer> {
  const keys = (await crypto.subtle.generateKey(ECDSA, true, ['sign', 'verify'])) as CryptoKeyPair;
  const certificate = await issue(issuer, name, keys.publicKey, { ca: true, ...options });
  return { certificate, pem: certificate.toString('pem'), keys };
}

export { DAY };
