/** Accept-Signature (RFC 9421 §5): asking for a signature, and signing exactly what was asked. */
import { paramsToMap } from '../base/params';
import { readMember } from '../base/signature-input';
import type { ComponentInput, SignatureParams, SignatureParamsInput } from '../base/types';
import { identifierFromInput } from '../components/identifier';
import { HttpSigError } from '../errors';
import { currentTime } from '../internal/clock';
import type { HttpSigKey } from '../keys/types';
import type { HttpMessage } from '../message/types';
import { type BareItem, type Dictionary, parseDictionary, serializeDictionary } from '../sfv/index';
import { signMessage } from '../sign/sign';
import type { SignOptions, SignResult } from '../sign/types';

/** One requested signature. In `params`, `true` asks the signer to choose the value (e.g. `created`). */
export interface SignatureRequest {
  readonly label: string;
  readonly components: readonly ComponentInput[];
  readonly params?: Readonly<Record<string, string | number | boolean | undefined>>;
}

/** A parsed Accept-Signature member. */
export interface ParsedSignatureRequest {
  readonly label: string;
  /** Requested component identifiers, serialized, in order. */
  readonly components: string[];
  readonly params: SignatureParams;
}

export function createAcceptSignature(requests: readonly SignatureRequest[]): string {
  const dictionary: Dictionary = new Map();
  for (const request of requests) {
    const components = request.components.map(identifierFromInput);
    const params = new Map<string, BareItem>();
    for (const [name, value] of Object.entries(request.params ?? {})) {
      if (value === undefined) continue;
      if (value === true) params.set(name, true);
      else for (const [n, v] of paramsToMap({ [name]: value })) params.set(n, v);
    }
    dictionary.set(request.label, [
      components.map((id) => [id.name, id.params as Map<string, BareItem>]),
      params,
    ]);
  }
  return serializeDictionary(dictionary);
}

export function parseAcceptSignature(value: string): ParsedSignatureRequest[] {
  const dictionary = parseDictionary(value, 'accept-signature');
  return [...dictionary].map(([label, member]) => {
    const read = readMemberLeniently(label, member);
    return { label, components: read.components.map((c) => c.serialized), params: read.params };
  });
}

/** Accept-Signature allows `created`/`expires` as bare flags, which Signature-Input does not. */
function readMemberLeniently(label: string, member: Parameters<typeof readMember>[1]) {
  if (Array.isArray(member[0])) {
    const params = member[1];
    const flags = new Map<string, BareItem>();
    const rest = new Map<string, BareItem>();
    for (const [name, value] of params) (value === true ? flags : rest).set(name, value);
    const read = readMember(label, [member[0], rest] as typeof member, 'accept-signature');
    const ordered: SignatureParams = {};
    for (const name of params.keys()) ordered[name] = flags.has(name) ? true : read.params[name];
    return { components: read.components, params: ordered };
  }
  return readMember(label, member, 'accept-signature');
}

export interface FulfilOptions extends Omit<SignOptions, 'components' | 'params' | 'label'> {
  /** Which requested signature to produce. @default the first */
  label?: string;
  /** Lifetime in seconds for a requested `expires` flag. @default 300 */
  expiresIn?: number;
}

/**
 * Sign exactly what an Accept-Signature asked for: its label, components and parameters in
 * order. The requested `alg` and `keyid` must match the key.
 */
export async function fulfilAcceptSignature(
  message: HttpMessage,
  acceptSignature: string | readonly ParsedSignatureRequest[],
  options: FulfilOptions,
): Promise<SignResult> {
  const requests =
    typeof acceptSignature === 'string' ? parseAcceptSignature(acceptSignature) : acceptSignature;
  const request = options.label === undefined ? requests[0] : requests.find((r) => r.label === options.label);
  if (!request) {
    throw new HttpSigError(
      'ERR_HTTPSIG_MISSING_SIGNATURE',
      'Accept-Signature requests no signature with this label',
      {
        ...(options.label === undefined ? {} : { label: options.label }),
        field: 'accept-signature',
      },
    );
  }
  const params = fulfilParams(request, options.key, options);
  return signMessage(message, { ...options, label: request.label, components: request.components, params });
}

function fulfilParams(
  request: ParsedSignatureRequest,
  key: HttpSigKey,
  options: FulfilOptions,
): SignatureParamsInput {
  const params: SignatureParamsInput = {};
  for (const [name, value] of Object.entries(request.params)) {
    if (name === 'alg' && typeof value === 'string' && value !== key.alg) {
      throw new HttpSigError(
        'ERR_HTTPSIG_ALGORITHM_MISMATCH',
        'The requested algorithm is not the key algorithm',
        {
          label: request.label,
          parameter: 'alg',
        },
      );
    }
    if (name === 'keyid' && typeof value === 'string' && key.keyid !== undefined && value !== key.keyid) {
      throw new HttpSigError('ERR_HTTPSIG_UNKNOWN_KEY', 'The requested keyid is not the key given', {
        label: request.label,
        parameter: 'keyid',
      });
    }
    if (name === 'created' && value === true) params.created = true;
    else if (name === 'expires' && value === true)
      params.expires = currentTime(options.now) + (options.expiresIn ?? 300);
    else if (name === 'nonce' && value === true) params.nonce = true;
    else if (name === 'keyid' && value === true) params.keyid = key.keyid;
    else if (name === 'alg' && value === true) params.alg = key.alg;
    else params[name] = value;
  }
  return params;
}
