import type { Algorithm } from '../algorithms/registry';

/** Bytes as WebCrypto accepts them. */
export type Bytes = Uint8Array<ArrayBuffer>;

/** The subset of the Web Crypto API the library uses. Any standard `Crypto` fits, e.g. `@peculiar/webcrypto`. */
export interface CryptoProvider {
  readonly subtle: SubtleCrypto;
  getRandomValues<T extends ArrayBufferView | null>(array: T): T;
}

export type KeyType = 'private' | 'public' | 'secret' | 'external';

/**
 * A key bound to exactly one algorithm. Created by `importKey`, `generateKey` or `createExternalKey`.
 * The algorithm is fixed at import: a signature whose `alg` parameter disagrees is refused.
 */
export interface HttpSigKey {
  readonly alg: Algorithm;
  /** The `keyid` this key signs with (and is found under), when known. */
  readonly keyid?: string;
  readonly type: KeyType;
  readonly canSign: boolean;
  readonly canVerify: boolean;
  /** The WebCrypto key, when the key lives in WebCrypto (absent for external keys). */
  readonly cryptoKey?: CryptoKey;
  /** Sign the signature base bytes. Throws `ERR_HTTPSIG_INVALID_KEY` when the key cannot sign. */
  sign(data: Bytes): Promise<Bytes>;
  /** Verify a signature. Returns false for a wrong signature; never throws for one. */
  verify(data: Bytes, signature: Bytes): Promise<boolean>;
}

/** Key material `importKey` accepts. */
export type KeyMaterial =
  /** PEM (PKCS#8, PKCS#1, SPKI, SEC1), a JWK as JSON text, or for `hmac-sha256` a base64 secret. */
  | string
  /** A JWK object. */
  | JsonWebKey
  /** Raw bytes: an HMAC secret, or DER (PKCS#8 / SPKI) for asymmetric algorithms. */
  | Uint8Array
  | ArrayBuffer
  /** A WebCrypto key, checked against the algorithm. */
  | CryptoKey;

export interface ImportKeyOptions {
  /** The algorithm the key is bound to. Required: it is never guessed from the material. */
  alg: Algorithm;
  /** The `keyid` the key signs with and is looked up by. Defaults to a JWK's `kid`. */
  keyid?: string;
  /**
   * Which half to import from a private key or private JWK: `'private'` (default for private
   * material) or `'public'` (derive the verification key).
   */
  use?: 'private' | 'public';
  /**
   * Whether the imported private key or secret may be exported again.
   * @default false — the key never leaves WebCrypto.
   */
  extractable?: boolean;
  /** The Web Crypto implementation. @default globalThis.crypto */
  crypto?: CryptoProvider;
  /**
   * Accept RSA moduli under 2048 bits and HMAC secrets under 32 bytes.
   * @default false — weak keys are refused with `ERR_HTTPSIG_INVALID_KEY`.
   */
  allowWeakKey?: boolean;
}

export interface GenerateKeyOptions {
  keyid?: string;
  /**
   * Whether the private key (or HMAC secret) can be exported, e.g. to write it to a file.
   * @default false
   */
  extractable?: boolean;
  /** RSA modulus length in bits. @default 2048 */
  modulusLength?: number;
  crypto?: CryptoProvider;
}

/** A generated key pair. For `hmac-sha256`, both halves are the same secret key. */
export interface GeneratedKeyPair {
  readonly privateKey: HttpSigKey;
  readonly publicKey: HttpSigKey;
}

/** A key held elsewhere (KMS, HSM, remote signer): the library hands it the bytes to sign or check. */
export interface ExternalKeyOptions {
  alg: Algorithm;
  keyid?: string;
  sign?: (data: Bytes) => Uint8Array | ArrayBuffer | Promise<Uint8Array | ArrayBuffer>;
  verify?: (data: Bytes, signature: Bytes) => boolean | Promise<boolean>;
}
