/**
 * @peculiar/x509 is loaded on first use, after its Reflect polyfill requirement is met: a static
 * import would be evaluated before any code of this package runs, and would also make every
 * user of the JWKS resolvers pay for the X.509 stack.
 */
import { ensureReflectMetadata } from './reflect-metadata';

export type X509Module = typeof import('@peculiar/x509');

let loading: Promise<X509Module> | undefined;

export function loadX509(): Promise<X509Module> {
  if (loading === undefined) {
    ensureReflectMetadata();
    loading = import('@peculiar/x509');
  }
  return loading;
}
