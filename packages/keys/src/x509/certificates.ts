/** Reading certificates: PEM text (one or more CERTIFICATE blocks) or DER bytes. */
import type { X509Certificate } from '@peculiar/x509';
import { invalidKey } from '../errors';
import { loadX509 } from './load';

/** A certificate as PEM text or DER bytes. PEM text may hold several certificates (a bundle). */
export type CertificateInput = string | Uint8Array | ArrayBuffer;

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]*?)-----END CERTIFICATE-----/g;

// Bundles of trusted CAs are normal; thousands of certificates in one input are not.
const MAX_CERTIFICATES = 1000;

/** Every certificate in `input`, in order. Throws `ERR_HTTPSIG_INVALID_KEY` when there is none or one is malformed. */
export async function readCertificates(input: CertificateInput, what: string): Promise<X509Certificate[]> {
  const x509 = await loadX509();
  const blocks: (string | Uint8Array | ArrayBuffer)[] =
    typeof input === 'string' ? [...input.matchAll(PEM_BLOCK)].map((match) => match[0]) : [input];
  if (typeof input === 'string' && blocks.length === 0) throw invalidKey(`${what} is not a PEM certificate`);
  if (typeof input !== 'string' && !(input instanceof Uint8Array) && !(input instanceof ArrayBuffer)) {
    throw new TypeError(`${what} must be PEM text or DER bytes`);
  }
  if (blocks.length > MAX_CERTIFICATES)
    throw invalidKey(`${what} holds more than ${MAX_CERTIFICATES} certificates`);
  return blocks.map((block) => {
    try {
      return new x509.X509Certificate(block instanceof Uint8Array ? new Uint8Array(block) : block);
    } catch (error) {
      throw invalidKey(`${what} cannot be parsed as an X.509 certificate`, { cause: error });
    }
  });
}

/** Every certificate of a list of inputs, flattened. */
export async function readCertificateList(
  inputs: readonly CertificateInput[] | undefined,
  what: string,
): Promise<X509Certificate[]> {
  if (inputs === undefined) return [];
  if (!Array.isArray(inputs)) throw new TypeError(`${what} must be a list of PEM or DER certificates`);
  const lists = await Promise.all(inputs.map((input) => readCertificates(input, what)));
  return lists.flat();
}

export function sameCertificate(a: X509Certificate, b: X509Certificate): boolean {
  const x = new Uint8Array(a.rawData);
  const y = new Uint8Array(b.rawData);
  return x.length === y.length && x.every((byte, i) => byte === y[i]);
}
