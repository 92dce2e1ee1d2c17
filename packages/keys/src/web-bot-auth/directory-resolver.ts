/**
 * Web Bot Auth resolvers: keys from HTTP Message Signatures Directories
 * (draft-meunier-http-message-signatures-directory), selected by their RFC 7638 SHA-256
 * thumbprint, which is what the signature's keyid must be. A JWK's `kid` is ignored: the
 * thumbprint is computed from the key itself.
 *
 * Each directory URL has its own cache, so a key is only ever attributed to the directory that
 * served it (the draft keys lookups on the (URL, key) pair, not on the key alone).
 */
import type { KeyResolver } from '@httpsig/core';
import { unknownKey } from '../errors';
import { type RemoteKeySetOptions, type ResolvedRemoteOptions, resolveRemoteOptions } from '../options';
import { httpKeySetLoader, RemoteKeySet } from '../remote-key-set';
import { DIRECTORY_PATH, signatureAgentFor } from './signature-agent';

export const DIRECTORY_MEDIA_TYPE = 'application/http-message-signatures-directory+json';
const DIRECTORY_ACCEPT = `${DIRECTORY_MEDIA_TYPE}, application/jwk-set+json;q=0.9, application/json;q=0.8`;

export type DirectoryResolverOptions = RemoteKeySetOptions;

export interface SignatureAgentResolverOptions extends Omit<RemoteKeySetOptions, 'maxRedirects'> {
  /**
   * Refuse a signature that does not cover the `Signature-Agent` member it would be attributed
   * to, as the draft requires. @default true
   */
  requireCoveredAgent?: boolean;
  /** Decide, before any fetch, whether an agent origin (e.g. `https://agent.example`) may be used. */
  allowAgent?: (origin: string) => boolean | Promise<boolean>;
  /** Most directories cached at once; the least recently used is dropped beyond it. @default 1000 */
  maxDirectories?: number;
}

function directoryKeySet(directory: URL, options: ResolvedRemoteOptions): RemoteKeySet {
  const url = directory.href;
  const load = httpKeySetLoader(directory, options, DIRECTORY_ACCEPT, 'thumbprint', (thumbprint) => ({
    kind: 'directory',
    url,
    thumbprint,
  }));
  return new RemoteKeySet(load, options, options.clock);
}

/**
 * A resolver for one known agent's directory. `directoryUrl` is the directory itself, or the
 * agent's origin (an empty path or `/`), to which the well-known path is added.
 */
export function createDirectoryResolver(
  directoryUrl: string | URL,
  options: DirectoryResolverOptions = {},
): KeyResolver {
  const given = new URL(directoryUrl);
  const isOrigin = (given.pathname === '/' || given.pathname === '') && given.search === '';
  const directory = isOrigin ? new URL(DIRECTORY_PATH, given.origin) : given;
  const keySet = directoryKeySet(directory, resolveRemoteOptions(options, 'createDirectoryResolver'));
  return (keyid, params) => (keyid === undefined ? undefined : keySet.resolve(keyid, params.alg));
}

/**
 * A resolver that finds each signature's agent in the request's `Signature-Agent` field and its
 * key in that agent's directory. The field is chosen by the client, so every fetch passes the
 * SSRF guard and redirects are never followed (the draft forbids it); `allowAgent` can restrict
 * which agents are fetched at all.
 */
export function createSignatureAgentResolver(options: SignatureAgentResolverOptions = {}): KeyResolver {
  const resolved = resolveRemoteOptions({ ...options, maxRedirects: 0 }, 'createSignatureAgentResolver');
  const requireCovered = options.requireCoveredAgent !== false;
  const { allowAgent } = options;
  if (allowAgent !== undefined && typeof allowAgent !== 'function') {
    throw new TypeError('createSignatureAgentResolver: allowAgent must be a function');
  }
  const maxDirectories = options.maxDirectories ?? 1000;
  if (!Number.isInteger(maxDirectories) || maxDirectories < 1) {
    throw new RangeError('createSignatureAgentResolver: maxDirectories must be a positive integer');
  }
  // Insertion order doubles as recency: a hit is moved to the end, the first entry is the oldest.
  const directories = new Map<string, RemoteKeySet>();

  return async (keyid, params, { label, message }) => {
    if (keyid === undefined) return undefined;
    const agent = signatureAgentFor(message, label, requireCovered);
    if (allowAgent !== undefined && !(await allowAgent(agent.origin))) {
      throw unknownKey('Keys from this Signature-Agent are not accepted', { label });
    }
    const href = agent.directory.href;
    let keySet = directories.get(href);
    if (keySet !== undefined) {
      directories.delete(href);
    } else {
      keySet = directoryKeySet(agent.directory, resolved);
      const oldest = directories.keys().next();
      if (directories.size >= maxDirectories && oldest.done !== true) directories.delete(oldest.value);
    }
    directories.set(href, keySet);
    return keySet.resolve(keyid, params.alg);
  };
}
