/** Signing a message (RFC 9421 §3.1). */
import { resolveAlgorithm } from '../algorithms/registry';
import { buildSignatureBase, encodeSignatureBase } from '../base/signature-base';
import { readSignatureFields } from '../base/signature-fields';
import { createSignatureParamsValue } from '../base/signature-input';
import type { SignatureParams } from '../base/types';
import { HttpSigError } from '../errors';
import { base64Encode, base64UrlEncode } from '../internal/bytes';
import { currentTime } from '../internal/clock';
import { cachedIdentifier } from '../internal/identifier-cache';
import {
  serializeNewSignatureParams,
  serializeSignatureMember,
  serializeSignatureParams,
} from '../internal/signature-params';
import type { HttpSigKey } from '../keys/types';
import { normalizeMessage } from '../message/normalize';
import type { HttpMessage } from '../message/types';
import { type InnerList, serializeDictionary } from '../sfv/index';
import { bindBody, needsBodyBinding } from './body-digest';
import type { SignOptions, SignResult } from './types';

const labelPattern = /^[a-z*][a-z0-9_\-.*]*$/;

/**
 * Sign a message. Returns the complete new `Signature-Input` and `Signature` values (members
 * already on the message are kept) and any `Content-Digest` added for the body, for the caller
 * to set (all of them in `headers`), and the base that was signed.
 */
export async function signMessage(message: HttpMessage, options: SignOptions): Promise<SignResult> {
  const { key } = options;
  assertSigningKey(key);
  if (!Array.isArray(options.components)) throw new TypeError('components must be an array');
  const label = options.label ?? 'sig1';
  if (!labelPattern.test(label))
    throw new TypeError('label must be a structured-field key (lower case, e.g. sig1)');

  const normalized = normalizeMessage(message, options.request);
  const existing = readSignatureFields(normalized);
  if (!options.replace && (existing.input.has(label) || existing.signature.has(label))) {
    throw new HttpSigError(
      'ERR_HTTPSIG_LABEL_EXISTS',
      'The message already has a signature with this label',
      {
        label,
      },
    );
  }

  const components = options.components.map(cachedIdentifier);
  for (const id of components) {
    // With `;req` the member is the request's, not this message's: a response may reuse the label.
    const ownField = (id.name === 'signature' || id.name === 'signature-input') && !id.params.has('req');
    if (ownField && id.params.get('key') === label) {
      throw new HttpSigError(
        'ERR_HTTPSIG_INVALID_COMPONENT',
        'A signature cannot cover its own field member',
        {
          component: id.serialized,
          label,
        },
      );
    }
  }

  const params = resolveParams(options, key);
  // Awaited only when there is a body to bind: each await is a trip through the microtask queue.
  const binding = needsBodyBinding(message, options)
    ? await bindBody(message, normalized, components, options)
    : undefined;
  const covered = binding?.components ?? components;
  // The structured value is built only where it is needed: another serializer, or existing members.
  const fastParams = serializeNewSignatureParams(covered, params);
  let value: InnerList | undefined;
  if (fastParams === undefined) value = createSignatureParamsValue(covered, params);
  const signatureParams = fastParams ?? serializeSignatureParams(covered, value as InnerList);
  const base = buildSignatureBase(binding?.message ?? normalized, covered, signatureParams, options);
  const signatureBytes = await key.sign(encodeSignatureBase(base));

  let signatureInput: string;
  let signature: string;
  if (existing.input.size === 0 && existing.signature.size === 0) {
    // The only member: its serialization is the whole field.
    signatureInput = `${label}=${signatureParams}`;
    signature = serializeSignatureMember(label, signatureBytes);
  } else {
    existing.input.set(label, value ?? createSignatureParamsValue(covered, params));
    existing.signature.set(label, [signatureBytes, new Map()]);
    signatureInput = serializeDictionary(existing.input);
    signature = serializeDictionary(existing.signature);
  }
  return {
    label,
    signatureInput,
    signature,
    headers: { ...binding?.headers, 'signature-input': signatureInput, signature },
    ...(binding?.headers['content-digest'] === undefined
      ? {}
      : { contentDigest: binding.headers['content-digest'] }),
    ...(binding?.body === undefined ? {} : { body: binding.body }),
    base,
    signatureParams,
    signatureValue: base64Encode(signatureBytes),
  };
}

function assertSigningKey(key: HttpSigKey | undefined): asserts key is HttpSigKey {
  if (!key || typeof key.sign !== 'function' || typeof key.alg !== 'string') {
    throw new TypeError('key must be a key from importKey, generateKey or createExternalKey');
  }
  resolveAlgorithm(key.alg);
  if (!key.canSign) {
    throw new HttpSigError('ERR_HTTPSIG_INVALID_KEY', 'This key cannot sign (it is a public key)');
  }
}

/** Fill in `created: true`, `nonce: true` and the default parameters; check `alg` against the key. */
function resolveParams(options: SignOptions, key: HttpSigKey): SignatureParams {
  const input = options.params ?? { created: true, ...(key.keyid === undefined ? {} : { keyid: key.keyid }) };
  const params: SignatureParams = {};
  for (const [name, value] of Object.entries(input)) {
    if (value === undefined) continue;
    if (name === 'created' && value === true) params.created = currentTime(options.now);
    else if (name === 'nonce' && value === true) params.nonce = randomNonce();
    else params[name] = value;
  }
  if (params.alg !== undefined && params.alg !== key.alg) {
    throw new HttpSigError('ERR_HTTPSIG_ALGORITHM_MISMATCH', 'The alg parameter does not match the key', {
      parameter: 'alg',
    });
  }
  return params;
}

function randomNonce(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  return base64UrlEncode(bytes);
}
