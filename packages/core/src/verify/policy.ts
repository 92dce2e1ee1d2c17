/** Policy checks that need no cryptography, run before the key is resolved. */
import { type Algorithm, algorithms as supportedAlgorithms } from '../algorithms/registry';
import type { SignatureParams } from '../base/types';
import type { ComponentIdentifier } from '../components/identifier';
import { resolveMaxBodySize } from '../digest/body';
import { HttpSigError } from '../errors';
import { currentTime } from '../internal/clock';
import { cachedIdentifier } from '../internal/identifier-cache';
import type { NonceStore } from '../replay/nonce-store';
import { resolveTimeout } from './deadline';
import { resolveLimits, type VerifyLimits } from './limits';
import type { VerifyOptions } from './types';

/** Verification options checked and resolved once per call. */
export interface ResolvedPolicy {
  readonly required: readonly string[];
  readonly labels: readonly string[] | undefined;
  readonly requireAll: boolean;
  readonly tags: readonly string[] | undefined;
  readonly algorithms: readonly Algorithm[];
  readonly maxAge: number | undefined;
  readonly clockSkew: number;
  readonly now: number;
  readonly requiredParams: readonly string[];
  readonly maxSignatures: number;
  /** `undefined`: the default, on for requests and off for responses. */
  readonly requireDigest: boolean | undefined;
  readonly maxBodySize: number;
  readonly nonceStore: NonceStore | undefined;
  readonly nonce: 'required' | 'optional' | 'forbidden';
  readonly maxNonceLength: number;
  /** Every size and count limit (docs/limits.md). */
  readonly limits: VerifyLimits;
  readonly keyResolverTimeout: number;
  readonly nonceStoreTimeout: number;
}

function nonNegative(value: number | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new TypeError(`${name} must be a non-negative number of seconds`);
  }
  return value;
}

export function resolvePolicy(options: VerifyOptions): ResolvedPolicy {
  if (!options || typeof options !== 'object') throw new TypeError('verifyMessage needs options');
  if (options.keys === undefined || options.keys === null) {
    throw new TypeError('keys is required: a record of keyid → key, or a resolver function');
  }
  if (!Array.isArray(options.requiredComponents)) {
    throw new TypeError('requiredComponents is required (pass [] to require none)');
  }
  const algorithms = options.algorithms ?? supportedAlgorithms;
  if (!Array.isArray(algorithms) || algorithms.length === 0)
    throw new TypeError('algorithms must be a non-empty list');
  const requiredParams = [...(options.requiredParams ?? [])];
  const maxAge = nonNegative(options.maxAge, 'maxAge');
  // A maximum age cannot be checked without `created`, so it requires it.
  if (options.requireCreated !== false || maxAge !== undefined) requiredParams.push('created');
  if (options.requireExpires) requiredParams.push('expires');
  if (options.nonceStore !== undefined && typeof options.nonceStore?.consume !== 'function') {
    throw new TypeError('nonceStore must have a consume(keyid, nonce, expiresAt) method');
  }
  if (options.nonce !== undefined && !['required', 'optional', 'forbidden'].includes(options.nonce)) {
    throw new TypeError("nonce must be 'required', 'optional' or 'forbidden'");
  }
  const limits = resolveLimits(options);
  const { maxNonceLength, maxSignatures } = limits;
  return {
    required: options.requiredComponents.map((c) => cachedIdentifier(c).serialized),
    labels:
      options.label === undefined
        ? undefined
        : typeof options.label === 'string'
          ? [options.label]
          : [...options.label],
    requireAll: options.require === 'all',
    tags:
      options.tag === undefined
        ? undefined
        : typeof options.tag === 'string'
          ? [options.tag]
          : [...options.tag],
    algorithms,
    maxAge,
    clockSkew: nonNegative(options.clockSkew, 'clockSkew') ?? 0,
    now: currentTime(options.now),
    requiredParams,
    maxSignatures,
    requireDigest: options.requireDigest,
    maxBodySize: resolveMaxBodySize(options),
    nonceStore: options.nonceStore,
    nonce: options.nonce ?? (options.nonceStore ? 'required' : 'optional'),
    maxNonceLength,
    limits,
    keyResolverTimeout: resolveTimeout(options.keyResolverTimeout, 'keyResolverTimeout', 10_000),
    nonceStoreTimeout: resolveTimeout(options.nonceStoreTimeout, 'nonceStoreTimeout', 10_000),
  };
}

/** Covered components, parameters, tag and validity window. */
export function checkPolicy(
  label: string,
  components: readonly ComponentIdentifier[],
  params: SignatureParams,
  policy: ResolvedPolicy,
): void {
  for (const component of policy.required) {
    // A scan, not a Set: both lists are short (components are capped by maxCoveredComponents).
    if (!components.some((c) => c.serialized === component)) {
      throw new HttpSigError(
        'ERR_HTTPSIG_POLICY',
        `The signature does not cover the required component ${component}`,
        {
          label,
          component,
        },
      );
    }
  }
  for (const parameter of policy.requiredParams) {
    if (params[parameter] === undefined) {
      throw new HttpSigError(
        'ERR_HTTPSIG_POLICY',
        `The signature lacks the required ${parameter} parameter`,
        {
          label,
          parameter,
        },
      );
    }
  }
  if (policy.tags && (params.tag === undefined || !policy.tags.includes(params.tag))) {
    throw new HttpSigError('ERR_HTTPSIG_POLICY', 'The signature tag is not the one required', {
      label,
      parameter: 'tag',
    });
  }
  const { now, clockSkew } = policy;
  if (params.created !== undefined) {
    if (params.created > now + clockSkew) {
      throw new HttpSigError('ERR_HTTPSIG_NOT_YET_VALID', 'The signature was created in the future', {
        label,
        parameter: 'created',
      });
    }
    if (policy.maxAge !== undefined && now - params.created > policy.maxAge + clockSkew) {
      throw new HttpSigError('ERR_HTTPSIG_EXPIRED', 'The signature is older than the maximum age', {
        label,
        parameter: 'created',
      });
    }
  }
  if (params.expires !== undefined && now > params.expires + clockSkew) {
    throw new HttpSigError('ERR_HTTPSIG_EXPIRED', 'The signature has expired', {
      label,
      parameter: 'expires',
    });
  }
}
