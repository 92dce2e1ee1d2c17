/** Key material once parsed and checked, and whether its type fits what `options.use` asks for. */
import type { AlgorithmEntry } from '../algorithms/registry';
import { invalidKey } from './key-errors';
import type { Bytes } from './types';

export type MaterialType = 'private' | 'public' | 'secret';

/** Material parsed and checked, in a form `SubtleCrypto.importKey` takes. */
export type Prepared =
  | { readonly format: 'pkcs8' | 'spki' | 'raw'; readonly data: Bytes; readonly type: MaterialType }
  | { readonly format: 'jwk'; readonly data: JsonWebKey; readonly type: MaterialType; readonly kid?: string };

export function checkUse(
  type: MaterialType,
  use: 'private' | 'public' | undefined,
  entry: AlgorithmEntry,
): void {
  if (type === 'secret' && use === 'public')
    throw invalidKey(`A ${entry.name} shared secret has no public half`);
  if (type === 'public' && use === 'private')
    throw invalidKey('options.use is "private" but the material is a public key');
}
