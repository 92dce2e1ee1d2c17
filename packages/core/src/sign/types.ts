import type { ComponentInput, FieldTypeOptions, SignatureParamsInput } from '../base/types';
import type { DigestAlgorithm } from '../digest/algorithms';
import type { HttpSigKey } from '../keys/types';
import type { HttpMessage } from '../message/types';

export interface SignOptions extends FieldTypeOptions {
  /** The private key or secret to sign with. */
  key: HttpSigKey;
  /** Covered components, in order: `'@method'`, `'content-type'`, `'"@query-param";name="q"'`, `{ name, key: 'a' }`, … */
  components: readonly ComponentInput[];
  /** The signature label. @default 'sig1' */
  label?: string;
  /**
   * Signature parameters in the order they are serialized. `created: true` means now.
   * `nonce: true` generates a random nonce.
   * @default { created: true, keyid: key.keyid } (keyid only when the key has one)
   */
  params?: SignatureParamsInput;
  /** The related request, for `;req` components when signing a response (else `message.request`). */
  request?: HttpMessage;
  /** Replace an existing signature with the same label instead of refusing. @default false */
  replace?: boolean;
  /** The clock, in Unix seconds, for `created: true`. @default Date.now() / 1000 */
  now?: number | (() => number);
  /**
   * Add a `Content-Digest` of the body with this algorithm and cover it; `false` adds none.
   * A `Content-Digest` already on the message is checked against the body and covered instead.
   * @default 'sha-256' when the message has a body (for a response, the related request's
   * `Want-Content-Digest` choice when it names a supported algorithm); none without a body
   */
  digest?: DigestAlgorithm | false;
  /** Largest body, in bytes, read for the digest. @default 10 MiB */
  maxBodySize?: number;
}

export interface SignResult {
  readonly label: string;
  /** The complete new `Signature-Input` field value (existing members kept). */
  readonly signatureInput: string;
  /** The complete new `Signature` field value (existing members kept). */
  readonly signature: string;
  /**
   * Every field to set on the message, lower-case name → value: `signature-input`, `signature`,
   * and `content-digest` (and `content-type` for a FormData body) when they were added.
   */
  readonly headers: Readonly<Record<string, string>>;
  /** The `Content-Digest` value added for the body, when one was added. */
  readonly contentDigest?: string;
  /**
   * The body bytes that were digested, when the body could be read only once (a stream) or had
   * to be serialized (FormData): send exactly these bytes.
   */
  readonly body?: Uint8Array<ArrayBuffer>;
  /** The signature base that was signed. */
  readonly base: string;
  /** The new member alone, e.g. `("@method");created=1618884473`. */
  readonly signatureParams: string;
  /** The signature bytes, base64. */
  readonly signatureValue: string;
}
