/**
 * Size and count limits for verifying hostile messages (docs/limits.md). Each refusal is an
 * `ERR_HTTPSIG_LIMIT_EXCEEDED` whose `limit` names the option, and each check runs before the
 * work it bounds: field sizes and member counts before the structured-field parser, counts of
 * components and query parameters before the signature base is built.
 */
import type { SignatureParams } from '../base/types';
import type { ComponentIdentifier } from '../components/identifier';
import { HttpSigError } from '../errors';
import type { FieldLines } from '../message/fields';
import type { NormalizedMessage } from '../message/normalize';

/** The limits one verification runs under, every one resolved to a number. */
export interface VerifyLimits {
  readonly maxSignatures: number;
  readonly maxSignatureAttempts: number;
  readonly maxSignatureInputLength: number;
  readonly maxSignatureLength: number;
  readonly maxLabelLength: number;
  readonly maxCoveredComponents: number;
  readonly maxComponentIdentifierLength: number;
  readonly maxParameterLength: number;
  readonly maxKeyidLength: number;
  readonly maxNonceLength: number;
  readonly maxSignatureBytes: number;
  readonly maxStructuredFieldLength: number;
  readonly maxQueryParams: number;
}

/** Defaults: generous for any real signer (8 RSA-4096 signatures fit), small enough to bound the work. */
export const defaultVerifyLimits: Readonly<VerifyLimits> = Object.freeze({
  maxSignatures: 8,
  maxSignatureAttempts: 8,
  maxSignatureInputLength: 16_384,
  maxSignatureLength: 16_384,
  maxLabelLength: 128,
  maxCoveredComponents: 64,
  maxComponentIdentifierLength: 256,
  maxParameterLength: 1024,
  maxKeyidLength: 512,
  maxNonceLength: 256,
  maxSignatureBytes: 1024,
  maxStructuredFieldLength: 16_384,
  maxQueryParams: 1024,
});

export type VerifyLimitName = keyof VerifyLimits;

/** Resolve each limit from the options, refusing anything but a positive integer (`TypeError`). */
export function resolveLimits(options: Partial<Record<VerifyLimitName, unknown>>): VerifyLimits {
  const limits = { ...defaultVerifyLimits } as Record<VerifyLimitName, number>;
  for (const name of Object.keys(defaultVerifyLimits) as VerifyLimitName[]) {
    const value = options[name];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
      throw new TypeError(`${name} must be a positive integer`);
    }
    limits[name] = value;
  }
  return limits;
}

export function limitExceeded(
  limit: VerifyLimitName,
  message: string,
  details: { label?: string; parameter?: string; component?: string; field?: string } = {},
): HttpSigError {
  return new HttpSigError('ERR_HTTPSIG_LIMIT_EXCEEDED', message, { ...details, limit });
}

/**
 * The length of a field once its lines are combined with ", ", without combining them: a huge
 * field is refused before it is copied, normalized or parsed.
 */
export function combinedLength(lines: readonly string[]): number {
  let length = Math.max(0, lines.length - 1) * 2;
  for (const line of lines) length += line.length;
  return length;
}

/**
 * An upper bound on the members of a dictionary field: one more than its commas outside
 * strings. Members cannot hold a comma anywhere else (inner lists use spaces, byte sequences
 * are base64), so the count is exact for well-formed input. One pass, no allocation.
 */
export function countMembers(lines: readonly string[]): number {
  let members = 0;
  for (const line of lines) {
    let inString = false;
    let empty = true;
    for (let i = 0; i < line.length; i++) {
      const c = line.charCodeAt(i);
      if (inString) {
        if (c === 0x5c) i++;
        else if (c === 0x22) inString = false;
      } else if (c === 0x22) {
        inString = true;
        empty = false;
      } else if (c === 0x2c) {
        members++;
      } else if (c !== 0x20 && c !== 0x09) {
        empty = false;
      }
    }
    if (!empty) members++;
  }
  return members;
}

const signatureFields = [
  ['signature-input', 'Signature-Input', 'maxSignatureInputLength'],
  ['signature', 'Signature', 'maxSignatureLength'],
] as const;

/** Size and member count of `Signature-Input` and `Signature`, checked before either is parsed. */
export function checkSignatureFieldSizes(fields: FieldLines, limits: VerifyLimits): void {
  for (const [name, display, limit] of signatureFields) {
    const lines = fields.get(name);
    if (!lines || lines.length === 0) continue;
    if (combinedLength(lines) > limits[limit]) {
      throw limitExceeded(limit, `The ${display} field is longer than ${limits[limit]} characters`, {
        field: name,
      });
    }
    if (countMembers(lines) > limits.maxSignatures) {
      throw limitExceeded(
        'maxSignatures',
        `The message carries more than ${limits.maxSignatures} signatures`,
        {
          field: name,
        },
      );
    }
  }
}

/** Label lengths of both parsed dictionaries. */
export function checkLabels(labels: Iterable<string>, limits: VerifyLimits): void {
  for (const label of labels) {
    if (label.length > limits.maxLabelLength) {
      throw limitExceeded(
        'maxLabelLength',
        `A signature label is longer than ${limits.maxLabelLength} characters`,
      );
    }
  }
}

/** How many components one signature covers, checked before any identifier is validated. */
export function checkComponentCount(
  label: string,
  count: number,
  limits: Pick<VerifyLimits, 'maxCoveredComponents'>,
): void {
  if (count > limits.maxCoveredComponents) {
    throw limitExceeded(
      'maxCoveredComponents',
      `The signature covers more than ${limits.maxCoveredComponents} components`,
      { label },
    );
  }
}

/** The serialized length of each covered component identifier. */
export function checkComponentIdentifiers(
  label: string,
  components: readonly ComponentIdentifier[],
  limits: VerifyLimits,
): void {
  for (const component of components) {
    if (component.serialized.length > limits.maxComponentIdentifierLength) {
      throw limitExceeded(
        'maxComponentIdentifierLength',
        `A component identifier is longer than ${limits.maxComponentIdentifierLength} characters`,
        { label },
      );
    }
  }
}

/** String parameters: `keyid` and `nonce` have their own limits, every other one `maxParameterLength`. */
export function checkParameterLengths(label: string, params: SignatureParams, limits: VerifyLimits): void {
  for (const [parameter, value] of Object.entries(params)) {
    if (typeof value !== 'string') continue;
    const limit: VerifyLimitName =
      parameter === 'keyid'
        ? 'maxKeyidLength'
        : parameter === 'nonce'
          ? 'maxNonceLength'
          : 'maxParameterLength';
    if (value.length > limits[limit]) {
      throw limitExceeded(limit, `The ${parameter} parameter is longer than ${limits[limit]} characters`, {
        label,
        parameter,
      });
    }
  }
}

/** The decoded signature, before any key is looked up. */
export function checkSignatureBytes(label: string, length: number, limits: VerifyLimits): void {
  if (length > limits.maxSignatureBytes) {
    throw limitExceeded(
      'maxSignatureBytes',
      `The signature is longer than ${limits.maxSignatureBytes} bytes`,
      {
        label,
        field: 'signature',
      },
    );
  }
}

/**
 * Work the signature base would do on attacker-sized input: a field read as a structured field
 * (`;sf`, `;key`) is parsed in full, and `@query-param` splits the whole query.
 */
export function checkComponentInputs(
  label: string,
  components: readonly ComponentIdentifier[],
  message: NormalizedMessage,
  limits: VerifyLimits,
): void {
  for (const component of components) {
    // `;req` reads the related request; a missing one is reported when the base is built.
    const source = component.params.has('req') && message.kind === 'response' ? message.request : message;
    if (source === undefined) continue;
    if (component.name === '@query-param') {
      const query = source.kind === 'request' ? source.uri.query : undefined;
      if (query !== undefined && countQueryParams(query) > limits.maxQueryParams) {
        throw limitExceeded('maxQueryParams', `The query has more than ${limits.maxQueryParams} parameters`, {
          label,
          component: component.serialized,
        });
      }
      continue;
    }
    if (!component.params.has('sf') && !component.params.has('key')) continue;
    const table = component.params.has('tr') ? source.trailers : source.fields;
    const lines = table?.get(component.name);
    if (lines && combinedLength(lines) > limits.maxStructuredFieldLength) {
      throw limitExceeded(
        'maxStructuredFieldLength',
        `A field covered as a structured field is longer than ${limits.maxStructuredFieldLength} characters`,
        { label, component: component.serialized },
      );
    }
  }
}

/** `&`-separated pairs of a query, counted without splitting it. */
export function countQueryParams(query: string): number {
  let count = query.length === 0 ? 0 : 1;
  for (let i = query.indexOf('&'); i >= 0; i = query.indexOf('&', i + 1)) count++;
  return count;
}
