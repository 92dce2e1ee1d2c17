/** Verifying a message (RFC 9421 §3.2) under an explicit policy. */
import { resolveAlgorithm } from '../algorithms/registry';
import { buildSignatureBase, encodeSignatureBase } from '../base/signature-base';
import { readSignatureFields, type SignatureFields } from '../base/signature-fields';
import { readMember } from '../base/signature-input';
import { HttpSigError } from '../errors';
import type { HttpSigKey } from '../keys/types';
import { type NormalizedMessage, normalizeMessage } from '../message/normalize';
import type { HttpMessage } from '../message/types';
import { type Dictionary, isInnerList, serializeInnerList } from '../sfv/index';
import { BodyDigests, checkDigestCoverage, verifyCoveredDigests } from './body-digests';
import {
  checkComponentIdentifiers,
  checkComponentInputs,
  checkLabels,
  checkParameterLengths,
  checkSignatureBytes,
  checkSignatureFieldSizes,
  limitExceeded,
} from './limits';
import { checkPolicy, type ResolvedPolicy, resolvePolicy } from './policy';
import { checkNoncePolicy, consumeNonce } from './replay';
import { resolveKey, trustedKey } from './resolve-key';
import type { VerifiedSignature, VerifyOptions, VerifyResult } from './types';

/**
 * Verify the signatures of a message under `options`. Returns what was verified, or throws an
 * `HttpSigError`; it never returns a failure value.
 */
export async function verifyMessage(message: HttpMessage, options: VerifyOptions): Promise<VerifyResult> {
  const policy = resolvePolicy(options);
  const normalized = normalizeMessage(message, options.request);
  // Hostile sizes are refused by counting, before the parser sees the fields.
  checkSignatureFieldSizes(normalized.fields, policy.limits);
  const fields = readSignatureFields(normalized);
  if (fields.input.size === 0 && fields.signature.size === 0) {
    throw new HttpSigError('ERR_HTTPSIG_MISSING_SIGNATURE', 'The message is not signed');
  }
  if (fields.input.size > policy.maxSignatures || fields.signature.size > policy.maxSignatures) {
    throw limitExceeded('maxSignatures', `The message carries more than ${policy.maxSignatures} signatures`);
  }
  checkLabels(fields.input.keys(), policy.limits);
  checkLabels(fields.signature.keys(), policy.limits);
  const labels = attemptedLabels(candidateLabels(fields, policy), policy);
  const context: VerifyContext = {
    message,
    normalized,
    fields,
    options,
    policy,
    body: new BodyDigests(message, normalized, policy.maxBodySize),
    requireDigest: policy.requireDigest ?? normalized.kind === 'request',
  };

  const verified: VerifiedSignature[] = [];
  let firstError: unknown;
  for (const label of labels) {
    try {
      verified.push(await verifyOne(label, context));
      if (!policy.requireAll) break;
    } catch (error) {
      if (policy.requireAll) throw error;
      firstError ??= error;
    }
  }
  const [first] = verified;
  if (!first) throw firstError;
  return { ...first, signatures: verified };
}

/** The candidates actually tried. Under `require: 'all'` none may be skipped: too many is a refusal. */
function attemptedLabels(labels: string[], policy: ResolvedPolicy): string[] {
  const { maxSignatureAttempts } = policy.limits;
  if (labels.length <= maxSignatureAttempts) return labels;
  if (policy.requireAll) {
    throw limitExceeded(
      'maxSignatureAttempts',
      `Every signature must verify, and there are more than ${maxSignatureAttempts} to try`,
    );
  }
  return labels.slice(0, maxSignatureAttempts);
}

function candidateLabels(fields: SignatureFields, policy: ResolvedPolicy): string[] {
  if (policy.labels) {
    for (const label of policy.labels) {
      if (fields.input.has(label) && fields.signature.has(label)) continue;
      if (policy.requireAll || policy.labels.length === 1) {
        throw new HttpSigError(
          'ERR_HTTPSIG_MISSING_SIGNATURE',
          'The message has no signature with the requested label',
          {
            label,
          },
        );
      }
    }
    const present = policy.labels.filter((label) => fields.input.has(label) && fields.signature.has(label));
    if (present.length === 0) {
      throw new HttpSigError(
        'ERR_HTTPSIG_MISSING_SIGNATURE',
        'The message has none of the requested signature labels',
      );
    }
    return present;
  }
  const labels = [...fields.input.keys()];
  if (labels.length === 0)
    throw new HttpSigError('ERR_HTTPSIG_MISSING_SIGNATURE', 'The message has no Signature-Input');
  return labels;
}

/** Everything about one `verifyMessage` call that each candidate signature is checked against. */
interface VerifyContext {
  readonly message: HttpMessage;
  readonly normalized: NormalizedMessage;
  readonly fields: SignatureFields;
  readonly options: VerifyOptions;
  readonly policy: ResolvedPolicy;
  /** The body, read and hashed at most once for all signatures. */
  readonly body: BodyDigests;
  readonly requireDigest: boolean;
}

async function verifyOne(label: string, context: VerifyContext): Promise<VerifiedSignature> {
  const { message, normalized, fields, options, policy, body } = context;
  const member = fields.input.get(label);
  if (member === undefined) throw missingMember(label, 'Signature-Input');
  const { components, params, value } = readMember(label, member, 'signature-input', policy.limits);
  checkComponentIdentifiers(label, components, policy.limits);
  checkParameterLengths(label, params, policy.limits);
  const signatureBytes = readSignatureBytes(label, fields.signature);
  checkSignatureBytes(label, signatureBytes.length, policy.limits);

  checkPolicy(label, components, params, policy);
  checkNoncePolicy(label, params, policy);
  if (context.requireDigest) checkDigestCoverage(label, components, body);
  // An unknown alg is refused before any key is looked up.
  if (params.alg !== undefined) resolveAlgorithm(params.alg);

  // A record of keys is read without a promise; only a resolver function is awaited.
  const key =
    typeof options.keys === 'function'
      ? await resolveKey(options.keys, label, params, message, policy.keyResolverTimeout)
      : trustedKey(options.keys, label, params);
  if (params.alg !== undefined && params.alg !== key.alg) {
    throw new HttpSigError('ERR_HTTPSIG_ALGORITHM_MISMATCH', 'The alg parameter does not match the key', {
      label,
      parameter: 'alg',
    });
  }
  if (!policy.algorithms.includes(key.alg)) {
    throw new HttpSigError(
      'ERR_HTTPSIG_ALGORITHM_MISMATCH',
      'The key algorithm is not accepted by this verifier',
      {
        label,
        parameter: 'alg',
      },
    );
  }

  checkComponentInputs(label, components, normalized, policy.limits);
  const base = buildSignatureBase(
    normalized,
    components,
    fields.signatureParams?.get(label) ?? serializeInnerList(value),
    options,
  );
  const expectedLength = resolveAlgorithm(key.alg).signatureLength;
  const valid =
    (expectedLength === undefined || signatureBytes.length === expectedLength) &&
    (await verifySafely(key, encodeSignatureBase(base), signatureBytes));
  if (!valid) {
    throw new HttpSigError('ERR_HTTPSIG_INVALID_SIGNATURE', 'The signature does not verify', { label });
  }
  // Only an authentic signature earns the cost of reading and hashing the body.
  const digests = await verifyCoveredDigests(components, normalized, body);
  // Last: only a signature that verified in full may use up its nonce.
  // Without a store or a nonce there is nothing to remember, and no reason to wait.
  if (policy.nonceStore !== undefined && params.nonce !== undefined) {
    await consumeNonce(label, params.keyid ?? key.keyid ?? '', params, policy);
  }
  return {
    label,
    keyid: params.keyid,
    alg: key.alg,
    key,
    params: Object.freeze({ ...params }),
    components: Object.freeze(components.map((c) => c.serialized)),
    created: params.created,
    expires: params.expires,
    nonce: params.nonce,
    tag: params.tag,
    base,
    digests: Object.freeze(digests),
  };
}

/** Any failure inside the crypto check is a failed signature, reported the same way. */
async function verifySafely(
  key: HttpSigKey,
  data: Uint8Array<ArrayBuffer>,
  signature: Uint8Array<ArrayBuffer>,
): Promise<boolean> {
  try {
    return (await key.verify(data, signature)) === true;
  } catch {
    return false;
  }
}

function readSignatureBytes(label: string, signatures: Dictionary): Uint8Array<ArrayBuffer> {
  const member = signatures.get(label);
  if (member === undefined) throw missingMember(label, 'Signature');
  if (isInnerList(member) || !(member[0] instanceof ArrayBuffer)) {
    throw new HttpSigError('ERR_HTTPSIG_PARSE', 'The Signature member must be a byte sequence', {
      label,
      field: 'signature',
    });
  }
  // The buffer was decoded for this call alone: a view, not a copy.
  return new Uint8Array(member[0]);
}

function missingMember(label: string, field: string): HttpSigError {
  return new HttpSigError(
    'ERR_HTTPSIG_MISSING_SIGNATURE',
    `The ${field} field has no member for this label`,
    {
      label,
    },
  );
}
