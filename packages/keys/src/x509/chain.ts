/**
 * The path from a certificate to a trusted CA. @peculiar/x509's `X509ChainBuilder` finds the
 * issuers (matching names and key identifiers, checking each signature); what it does not check
 * is done here: that the path ends at a trust anchor, that every issuer is a CA allowed to sign
 * certificates, and path length constraints. Validity periods are checked separately, at each
 * verification (validity.ts). Revocation (CRL, OCSP) is not checked.
 */
import type { X509Certificate } from '@peculiar/x509';
import { invalidKey } from '../errors';
import { sameCertificate } from './certificates';
import { loadX509 } from './load';

/** The path leaf → … → trusted CA. Throws `ERR_HTTPSIG_INVALID_KEY` when there is none. */
export async function trustedPath(
  leaf: X509Certificate,
  anchors: readonly X509Certificate[],
  intermediates: readonly X509Certificate[],
): Promise<X509Certificate[]> {
  const x509 = await loadX509();
  let built: X509Certificate[];
  try {
    const builder = new x509.X509ChainBuilder({ certificates: [...intermediates, ...anchors] });
    built = [...(await builder.build(leaf))];
  } catch (error) {
    throw invalidKey('The certificate chain cannot be built', { cause: error });
  }
  const anchorAt = built.findIndex((certificate) =>
    anchors.some((anchor) => sameCertificate(anchor, certificate)),
  );
  if (anchorAt < 0) throw invalidKey('The certificate is not issued by a trusted CA');
  const path = built.slice(0, anchorAt + 1);
  for (let i = 1; i < path.length; i++) {
    const issuer = path[i] as X509Certificate;
    const constraints = issuer.getExtension(x509.BasicConstraintsExtension);
    if (constraints?.ca !== true) {
      throw invalidKey(`The issuing certificate "${issuer.subject}" is not a CA certificate`);
    }
    // pathLength counts the intermediate CAs that may follow this one, down to the leaf.
    if (constraints.pathLength !== undefined && i - 1 > constraints.pathLength) {
      throw invalidKey(`The certificate chain is longer than "${issuer.subject}" allows`);
    }
    const usage = issuer.getExtension(x509.KeyUsagesExtension);
    if (usage !== null && (usage.usages & x509.KeyUsageFlags.keyCertSign) === 0) {
      throw invalidKey(`The key usage of "${issuer.subject}" does not allow signing certificates`);
    }
  }
  return path;
}
