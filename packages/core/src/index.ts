/**
 * @httpsig/core — HTTP Message Signatures (RFC 9421) on WebCrypto, for every JavaScript runtime.
 */

export type { FulfilOptions, ParsedSignatureRequest, SignatureRequest } from './accept/accept-signature';
// Accept-Signature (RFC 9421 §5)
export {
  createAcceptSignature,
  fulfilAcceptSignature,
  parseAcceptSignature,
} from './accept/accept-signature';
export type { Algorithm, AlgorithmEntry, KeyFamily } from './algorithms/registry';
export { algorithms, isAlgorithm, resolveAlgorithm } from './algorithms/registry';
export type { ExistingSignatureBaseOptions } from './base/create-signature-base';
export { createSignatureBase } from './base/create-signature-base';
export type { ParsedSignatureInput } from './base/signature-input';
export { parseSignatureInput } from './base/signature-input';
export type {
  ComponentInput,
  ComponentParams,
  FieldTypeOptions,
  SignatureBaseOptions,
  SignatureParams,
  SignatureParamsInput,
  SignatureParamValue,
  StructuredFieldType,
} from './base/types';
export type {
  CavageKeyResolver,
  CavageSignatureParams,
  CavageSigningParams,
  CavageSignOptions,
  CavageSignResult,
  CavageVerifyOptions,
  CavageVerifyResult,
  EcdsaSignatureEncoding,
  ParseCavageOptions,
  SchemeMemory,
  SchemeMode,
  SchemeOptions,
  SchemeSigner,
  SchemeSignResult,
  SignatureScheme,
} from './cavage/index';
// draft-cavage-http-signatures-12
export {
  createCavageSigningString,
  createSchemeSigner,
  isProblemType,
  legacyAlgorithmName,
  maxRememberedOrigins,
  parseCavageSignature,
  refusesScheme,
  SchemeLru,
  signCavage,
  verifyCavage,
} from './cavage/index';
// Digest fields (RFC 9530) and the legacy Digest field (RFC 3230)
export type { DigestAlgorithm } from './digest/algorithms';
export { digestAlgorithms, isDigestAlgorithm } from './digest/algorithms';
export type { BodyInput, BodyOptions } from './digest/body';
export { defaultMaxBodySize, readBody } from './digest/body';
export type { CreateDigestOptions, VerifiedDigest, VerifyDigestOptions } from './digest/digest';
export { createDigestField, verifyDigestField } from './digest/digest';
export type { DigestPreference, DigestValues } from './digest/fields';
export { parseDigestField, parseWantDigest, selectDigestAlgorithm } from './digest/fields';
export { createLegacyDigest, parseLegacyDigest, verifyLegacyDigest } from './digest/legacy';
export type { HttpSigErrorCode, HttpSigErrorDetails } from './errors';
// Errors
export { HttpSigError, httpStatusForError, isHttpSigError } from './errors';
export type { ExportedJwk, ExportFormat, ThumbprintOptions } from './keys/index';
// Keys and algorithms
export {
  createExternalKey,
  exportKey,
  generateKey,
  getPublicKey,
  importKey,
  jwkThumbprint,
} from './keys/index';
export type {
  Bytes,
  CryptoProvider,
  ExternalKeyOptions,
  GeneratedKeyPair,
  GenerateKeyOptions,
  HttpSigKey,
  ImportKeyOptions,
  KeyMaterial,
  KeyType,
} from './keys/types';
export type { FieldLines } from './message/fields';
export { collectFieldLines } from './message/fields';
export type { HeadersInput, HttpMessage, RequestLike, ResponseLike } from './message/types';
// Interoperability presets (Mastodon / ActivityPub)
export type { MastodonPreset } from './presets/index';
export { mastodonPreset, presets } from './presets/index';
// Replay protection
export type { MemoryNonceStore, MemoryNonceStoreOptions, NonceStore } from './replay/nonce-store';
export { createMemoryNonceStore } from './replay/nonce-store';
// Signing and verifying
export { signMessage } from './sign/sign';
export type { Signer, SignerOptions } from './sign/signer';
export { createSigner, defaultComponents } from './sign/signer';
export type { SignOptions, SignResult } from './sign/types';
export type { VerifyLimitName, VerifyLimits } from './verify/limits';
export { defaultVerifyLimits } from './verify/limits';
export type { KeyResolver, VerifiedSignature, VerifyOptions, VerifyResult } from './verify/types';
export { verifyMessage } from './verify/verify';
