/**
 * Binding the body to the signature: a covered `content-digest` (or `repr-digest`) is checked
 * against the body, and under `requireDigest` a message with a body must cover `content-digest`.
 */
import type { ComponentIdentifier } from '../components/identifier';
import { type DigestAlgorithm, isDigestAlgorithm } from '../digest/algorithms';
import { resolveBody } from '../digest/body';
import { compareDigests, type VerifiedDigest, verifiableDigests } from '../digest/digest';
import { parseDigestField } from '../digest/fields';
import { digestBytesNow, hashBody } from '../digest/hash';
import { HttpSigError } from '../errors';
import type { Bytes } from '../keys/types';
import { declaresBody, messageBody } from '../message/body';
import { combineFieldLines, type FieldLines } from '../message/fields';
import type { NormalizedMessage } from '../message/normalize';
import type { HttpMessage } from '../message/types';

const digestFields = ['content-digest', 'repr-digest'] as const;

/** The body of one message, read and hashed at most once whatever the number of signatures. */
export class BodyDigests {
  #hashed: Map<DigestAlgorithm, Bytes> | Promise<Map<DigestAlgorithm, Bytes>> | undefined;
  #declared: boolean | undefined;

  constructor(
    private readonly message: HttpMessage,
    private readonly normalized: NormalizedMessage,
    private readonly limit: number,
  ) {}

  get declared(): boolean {
    this.#declared ??= declaresBody(this.message, this.normalized.fields);
    return this.#declared;
  }

  /**
   * Digests of the body under every supported algorithm the message's digest fields name: a
   * Map when they could be computed on the calling thread (a small body in memory, in Node),
   * else a promise of it.
   */
  hashes(): Map<DigestAlgorithm, Bytes> | Promise<Map<DigestAlgorithm, Bytes>> {
    // A stream can be read once, so hash for every field at the first need.
    if (this.#hashed === undefined) {
      const source = resolveBody(messageBody(this.message), 'verify');
      const algorithms = namedAlgorithms(this.normalized);
      // Bytes past the limit take the general path, which refuses them.
      const now =
        source.kind === 'bytes' && source.bytes.byteLength <= this.limit
          ? digestBytesNow(source.bytes, algorithms)
          : undefined;
      this.#hashed = now ?? hashBody(source, algorithms, this.limit);
    }
    return this.#hashed;
  }
}

function namedAlgorithms(message: NormalizedMessage): DigestAlgorithm[] {
  const names = new Set<DigestAlgorithm>();
  for (const table of [message.fields, message.trailers]) {
    for (const field of digestFields) {
      for (const line of table?.get(field) ?? []) {
        for (const match of line.matchAll(/(?:^|,)\s*([a-z0-9-]+)\s*=/gi)) {
          const name = match[1]?.toLowerCase();
          if (isDigestAlgorithm(name)) names.add(name);
        }
      }
    }
  }
  return names.size === 0 ? ['sha-256'] : [...names];
}

function isOwnDigestField(id: ComponentIdentifier): boolean {
  return (digestFields as readonly string[]).includes(id.name) && !id.params.has('req');
}

/** The one member a `;key="…"` identifier covers, or undefined when it covers the whole field. */
function coveredMember(id: ComponentIdentifier): string | undefined {
  const key = id.params.get('key');
  return typeof key === 'string' ? key : undefined;
}

/**
 * Whether covering `id` binds the body: the message's own `content-digest`, whole or through a
 * member this library checks. Covering only an `md5` member leaves the other members, and so the
 * body, open to substitution.
 */
function bindsBody(id: ComponentIdentifier): boolean {
  if (id.name !== 'content-digest' || id.params.has('req')) return false;
  const member = coveredMember(id);
  return member === undefined || isDigestAlgorithm(member);
}

/** Under `requireDigest`, a message with a body must be signed over its `content-digest`. */
export function checkDigestCoverage(
  label: string,
  components: readonly ComponentIdentifier[],
  body: BodyDigests,
): void {
  if (components.some(bindsBody)) return;
  if (!body.declared) return;
  throw new HttpSigError(
    'ERR_HTTPSIG_POLICY',
    'The message has a body but the signature does not cover content-digest (requireDigest)',
    { label, component: '"content-digest"' },
  );
}

/**
 * `Repr-Digest` describes the whole selected representation; the body carries all of it only
 * when it is not a range, not the answer to HEAD, and not a 204/304.
 */
function carriesFullRepresentation(message: NormalizedMessage): boolean {
  if (message.kind === 'request') return true;
  if (message.status === 204 || message.status === 206 || message.status === 304) return false;
  if (message.fields.has('content-range')) return false;
  return message.request?.method.toUpperCase() !== 'HEAD';
}

/** Check every covered digest field against the body; returns what matched. */
export async function verifyCoveredDigests(
  components: readonly ComponentIdentifier[],
  message: NormalizedMessage,
  body: BodyDigests,
): Promise<VerifiedDigest[]> {
  const verified: VerifiedDigest[] = [];
  const seen = new Set<string>();
  for (const id of components) {
    if (!isOwnDigestField(id)) continue;
    if (id.name === 'repr-digest' && !carriesFullRepresentation(message)) continue;
    const table: FieldLines | undefined = id.params.has('tr') ? message.trailers : message.fields;
    const lines = table?.get(id.name);
    const member = coveredMember(id);
    const key = `${id.name}${id.params.has('tr') ? ';tr' : ''}${member === undefined ? '' : `;key=${member}`}`;
    // Building the signature base already refused a covered field or member that is absent.
    if (!lines || seen.has(key)) continue;
    seen.add(key);
    const values = parseDigestField(combineFieldLines(lines), id.name);
    // Only what the signature covers is trusted: one member when it names one.
    const signed = member === undefined ? values : new Map([...values].filter(([name]) => name === member));
    const expected = verifiableDigests(signed, id.name);
    const hashes = body.hashes();
    verified.push(compareDigests(expected, hashes instanceof Map ? hashes : await hashes, id.name));
  }
  return verified;
}
