/**
 * Component identifiers parsed from the strings callers pass when signing, kept so that a
 * signer that covers the same components on every request parses each one once. Identifiers
 * are immutable once built. Bounded: a caller that builds component names from request data
 * cannot grow it without limit.
 */
import type { ComponentInput } from '../base/types';
import { type ComponentIdentifier, identifierFromInput } from '../components/identifier';

const maxEntries = 256;
const cache = new Map<string, ComponentIdentifier>();

export function cachedIdentifier(input: ComponentInput): ComponentIdentifier {
  if (typeof input !== 'string') return identifierFromInput(input);
  const hit = cache.get(input);
  if (hit !== undefined) return hit;
  // Invalid input throws here and is never cached.
  const identifier = identifierFromInput(input);
  if (cache.size >= maxEntries) cache.clear();
  cache.set(input, identifier);
  return identifier;
}
