/**
 * @httpsig/keys — key resolvers for HTTP Message Signatures verifiers: fixed keys with rotation,
 * JWK Sets with HTTP caching and SSRF guards, Web Bot Auth signature directories, and X.509
 * certificates. Runtime-neutral: fetch and WebCrypto only.
 */

export type { FetchFunction } from './http/bounded-fetch';
export type { LookupAddresses } from './http/url-guard';
export type { KeyMatch } from './jwk/key-set';
export type { JwksResolverOptions } from './jwks-resolver';
export { createJwksResolver } from './jwks-resolver';
export type { KeySource } from './key-source';
export { keySource } from './key-source';
export type { RemoteKeySetOptions } from './options';
export type { StaticKeyMap } from './static-keys';
export { staticKeys } from './static-keys';
export type { Clock } from './time';
export type {
  DirectoryResolverOptions,
  SignatureAgentResolverOptions,
} from './web-bot-auth/directory-resolver';
export {
  createDirectoryResolver,
  createSignatureAgentResolver,
  DIRECTORY_MEDIA_TYPE,
} from './web-bot-auth/directory-resolver';
export { DIRECTORY_PATH } from './web-bot-auth/signature-agent';
export type { CertificateTrustOptions, KeyFromCertificateOptions } from './x509/certificate-key';
export { keyFromCertificate } from './x509/certificate-key';
export type { CertificateEntry, CertificateResolverOptions } from './x509/certificate-resolver';
export { certificateResolver } from './x509/certificate-resolver';
export type { CertificateInput } from './x509/certificates';
