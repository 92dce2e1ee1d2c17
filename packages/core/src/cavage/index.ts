/** draft-cavage-http-signatures-12 (`Signature` / `Authorization: Signature`), as ActivityPub servers use it. */
export { legacyAlgorithmName } from './algorithms';
export type { EcdsaSignatureEncoding } from './ecdsa-encoding';
export type { CavageSignatureParams, ParseCavageOptions } from './parse';
export { parseCavageSignature } from './parse';
export type {
  SchemeMemory,
  SchemeMode,
  SchemeOptions,
  SchemeSigner,
  SchemeSignResult,
  SignatureScheme,
} from './schemes';
export {
  createSchemeSigner,
  isProblemType,
  maxRememberedOrigins,
  refusesScheme,
  SchemeLru,
} from './schemes';
export type { CavageSignOptions, CavageSignResult } from './sign';
export { signCavage } from './sign';
export type { CavageSigningParams } from './signing-string';
export { createCavageSigningString } from './signing-string';
export type { CavageKeyResolver, CavageVerifyOptions, CavageVerifyResult } from './verify';
export { verifyCavage } from './verify';
