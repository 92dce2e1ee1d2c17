/** Certificate validity periods (RFC 5280 §4.1.2.5): notBefore ≤ now ≤ notAfter. */
import type { X509Certificate } from '@peculiar/x509';
import { invalidKey } from '../errors';

/** Throws `ERR_HTTPSIG_INVALID_KEY` when `certificate` is not valid at `now` (Unix seconds). */
export function checkValidity(certificate: X509Certificate, now: number, role: string): void {
  const time = now * 1000;
  if (time < certificate.notBefore.getTime()) {
    throw invalidKey(`${role} is not valid before ${certificate.notBefore.toISOString()}`);
  }
  if (time > certificate.notAfter.getTime()) {
    throw invalidKey(`${role} expired at ${certificate.notAfter.toISOString()}`);
  }
}

/** Check every certificate of a path (leaf first) at `now`. */
export function checkPathValidity(path: readonly X509Certificate[], chained: boolean, now: number): void {
  path.forEach((certificate, i) => {
    const role =
      i === 0
        ? 'The certificate'
        : chained && i === path.length - 1
          ? 'The trusted CA certificate'
          : 'An intermediate CA certificate';
    checkValidity(certificate, now, role);
  });
}
