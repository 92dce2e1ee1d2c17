/** The public helper that shows a signature base, for debugging and tooling. */
import { identifierFromInput } from '../components/identifier';
import { HttpSigError } from '../errors';
import { normalizeMessage } from '../message/normalize';
import type { HttpMessage } from '../message/types';
import { serializeInnerList } from '../sfv/index';
import { buildSignatureBase } from './signature-base';
import { readSignatureFields } from './signature-fields';
import { createSignatureParamsValue, readMember } from './signature-input';
import type { FieldTypeOptions, SignatureBaseOptions } from './types';

/** Options to show the base of a signature the message already carries. */
export interface ExistingSignatureBaseOptions extends FieldTypeOptions {
  /** The label of a signature in the message's `Signature-Input`. */
  label: string;
  request?: HttpMessage;
}

/**
 * The signature base for the given components and parameters, or for the signature `label`
 * already on the message. Throws `HttpSigError` when the base cannot be built.
 */
export function createSignatureBase(
  message: HttpMessage,
  options: SignatureBaseOptions | ExistingSignatureBaseOptions,
): string {
  const normalized = normalizeMessage(message, options.request);
  if ('label' in options && typeof options.label === 'string' && !('components' in options)) {
    const member = readSignatureFields(normalized).input.get(options.label);
    if (member === undefined) {
      throw new HttpSigError(
        'ERR_HTTPSIG_MISSING_SIGNATURE',
        'The message has no signature with this label',
        {
          label: options.label,
        },
      );
    }
    const { components, value } = readMember(options.label, member);
    return buildSignatureBase(normalized, components, serializeInnerList(value), options);
  }
  const { components: inputs, params = {} } = options as SignatureBaseOptions;
  if (!Array.isArray(inputs)) throw new TypeError('components must be an array');
  const components = inputs.map(identifierFromInput);
  const value = createSignatureParamsValue(components, params);
  return buildSignatureBase(normalized, components, serializeInnerList(value), options);
}
