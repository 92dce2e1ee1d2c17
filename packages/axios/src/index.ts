/**
 * @httpsig/axios — sign axios requests with HTTP Message Signatures (RFC 9421) and Content-Digest
 * (RFC 9530), over the exact URL and body bytes axios sends.
 */
export type { BaseAdapter } from './adapter';
export { createSigningAdapter } from './adapter';
export { withSignatures } from './install';
export type { AxiosSigningOptions } from './types';
