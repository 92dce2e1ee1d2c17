/** Component identifiers and signature parameters as callers write them. */

/** Parameters of a component identifier (RFC 9421 §2.1, §2.2.8, §2.4). */
export interface ComponentParams {
  /** Re-serialize the field as a structured field. */
  sf?: boolean;
  /** Take one member of a dictionary field. */
  key?: string;
  /** Wrap each field line as a byte sequence. */
  bs?: boolean;
  /** Take the component from the related request. */
  req?: boolean;
  /** Take the field from the trailers. */
  tr?: boolean;
  /** The query parameter name for `@query-param` (serialized as the `name` parameter). */
  queryName?: string;
}

/**
 * A covered component: a bare name (`'@method'`, `'content-type'`), a serialized identifier
 * with parameters (`'"@query-param";name="q"'`, `'"example-dict";key="a"'`, or unquoted
 * `'content-digest;req'`), or an object such as `{ name: '@query-param', queryName: 'q' }`.
 * Parameters keep the order they are written in.
 */
export type ComponentInput = string | ({ name: string } & ComponentParams);

/** A parameter value in `Signature-Input`. */
export type SignatureParamValue = string | number | boolean;

/**
 * Signature parameters, serialized in property order. `created`/`expires` are Unix seconds.
 * When signing, `created: true` means now and `nonce: true` a fresh random nonce.
 */
export interface SignatureParamsInput {
  created?: number | true;
  expires?: number;
  nonce?: string | true;
  alg?: string;
  keyid?: string;
  tag?: string;
  [extension: string]: SignatureParamValue | undefined;
}

/** Parsed signature parameters, in the order they appear. */
export interface SignatureParams {
  created?: number;
  expires?: number;
  nonce?: string;
  alg?: string;
  keyid?: string;
  tag?: string;
  [extension: string]: SignatureParamValue | undefined;
}

/** The structured type of a field, for `sf` and `key`. */
export type StructuredFieldType = 'item' | 'list' | 'dictionary';

export interface FieldTypeOptions {
  /**
   * Structured types of fields the library does not know, by lower-case name, e.g.
   * `{ 'example-dict': 'dictionary' }`. Known fields (Signature, Content-Digest, …) need no entry.
   */
  fieldTypes?: Readonly<Record<string, StructuredFieldType>>;
  /**
   * What `sf` does with a field whose type is unknown: `'error'` refuses, `'auto'` tries
   * dictionary, then list, then item. @default 'error'
   */
  unknownFieldType?: 'error' | 'auto';
}

export interface SignatureBaseOptions extends FieldTypeOptions {
  components: readonly ComponentInput[];
  /** Parameters as they appear in `@signature-params` (no `true` placeholders). */
  params?: SignatureParams;
  /** The related request, for `;req` components. */
  request?: import('../message/types').HttpMessage;
}
