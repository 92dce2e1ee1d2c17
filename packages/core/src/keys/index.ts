/** Keys: import, generate, export, and external (KMS/HSM) keys, each bound to one algorithm. */
export type { ExportedJwk, ExportFormat, ThumbprintOptions } from './export';
export { exportKey, getPublicKey, jwkThumbprint } from './export';
export { createExternalKey } from './external';
export { generateKey } from './generate';
export { importKey } from './import';
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
} from './types';
