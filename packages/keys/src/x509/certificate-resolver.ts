/** A resolver over certificates by keyid, checking validity at every verification. */
import type { Algorithm, HttpSigKey, KeyResolver } from '@httpsig/core';
import type { X509Certificate } from '@peculiar/x509';
import { chooseAlgorithm } from '../select-key';
import { currentSeconds } from '../time';
import {
  type CertificateTrustOptions,
  certificateKey,
  impliedAlgorithm,
  type PreparedCertificate,
  prepareCertificate,
} from './certificate-key';
import type { CertificateInput } from './certificates';
import { readCertificateList } from './certificates';
import { checkPathValidity } from './validity';

/** A certificate, or a certificate with the algorithm its key is bound to. */
export type CertificateEntry = CertificateInput | { certificate: CertificateInput; alg?: Algorithm };

export interface CertificateResolverOptions extends CertificateTrustOptions {
  /**
   * The algorithm for every certificate without its own. @default the one the key type implies;
   * for an RSA key the signature's alg parameter picks rsa-pss-sha512 or rsa-v1_5-sha256
   */
  alg?: Algorithm;
}

interface Slot {
  readonly input: CertificateInput;
  readonly alg: Algorithm | undefined;
  prepared?: Promise<PreparedCertificate>;
  readonly keys: Map<Algorithm, Promise<HttpSigKey>>;
}

function isEntryObject(entry: CertificateEntry): entry is { certificate: CertificateInput; alg?: Algorithm } {
  return typeof entry === 'object' && !(entry instanceof Uint8Array) && !(entry instanceof ArrayBuffer);
}

/**
 * A resolver over a map keyid → certificate. Certificates are read and chained on first use; at
 * every verification the certificate and its path must be within their validity periods, else
 * `ERR_HTTPSIG_INVALID_KEY`. A keyid that is not in the map resolves to no key.
 */
export function certificateResolver(
  certificates: Readonly<Record<string, CertificateEntry>> | ReadonlyMap<string, CertificateEntry>,
  options: CertificateResolverOptions = {},
): KeyResolver {
  const slots = new Map<string, Slot>();
  const entries = certificates instanceof Map ? [...certificates] : Object.entries(certificates);
  for (const [keyid, entry] of entries as [string, CertificateEntry][]) {
    const { certificate, alg } = isEntryObject(entry) ? entry : { certificate: entry, alg: undefined };
    slots.set(keyid, { input: certificate, alg: alg ?? options.alg, keys: new Map() });
  }
  // The trust store is read once for all certificates.
  let trust: Promise<{ anchors: X509Certificate[]; intermediates: X509Certificate[] }> | undefined;
  const trustStore = () => {
    trust ??= Promise.all([
      readCertificateList(options.trustedCAs, 'A trusted CA'),
      readCertificateList(options.intermediates, 'An intermediate'),
    ]).then(([anchors, intermediates]) => ({ anchors, intermediates }));
    return trust;
  };

  return async (keyid, params) => {
    if (keyid === undefined) return undefined;
    const slot = slots.get(keyid);
    if (slot === undefined) return undefined;
    slot.prepared ??= trustStore().then((store) => prepareCertificate(slot.input, options, store));
    const prepared = await slot.prepared;
    checkPathValidity(prepared.path, prepared.chained, currentSeconds(options.now));
    const alg =
      slot.alg ??
      (prepared.algorithms.length === 0
        ? impliedAlgorithm(prepared)
        : chooseAlgorithm([prepared.algorithms], params.alg));
    let key = slot.keys.get(alg);
    if (key === undefined) {
      key = certificateKey(prepared, alg, keyid);
      slot.keys.set(alg, key);
    }
    return key;
  };
}
