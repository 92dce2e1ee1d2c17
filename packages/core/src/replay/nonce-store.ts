/**
 * Replay protection: a nonce may be accepted once per key while its signature can still be
 * accepted. The store is consulted only after a signature verified, so an attacker cannot fill it.
 */
import { HttpSigError } from '../errors';
import { currentTime } from '../internal/clock';

export interface NonceStore {
  /**
   * Record `nonce` for `keyid`. Resolve `true` the first time, `false` when it was seen before
   * (a replay). `expiresAt` (Unix seconds) is when the signature stops being acceptable: the
   * entry must be kept at least until then and may be dropped after.
   */
  consume(keyid: string, nonce: string, expiresAt: number): boolean | Promise<boolean>;
}

export interface MemoryNonceStoreOptions {
  /** Most nonces held at once. When full of live entries, new signatures are refused. @default 100000 */
  maxEntries?: number;
  /** The clock, Unix seconds. @default Date.now() / 1000 */
  now?: number | (() => number);
}

export interface MemoryNonceStore extends NonceStore {
  /** Nonces currently held. */
  readonly size: number;
  clear(): void;
}

/**
 * An in-memory nonce store for one process. Bounded: when it is full of entries that are still
 * inside their window it refuses (`ERR_HTTPSIG_NONCE_STORE_FULL`) rather than evict one, since
 * eviction would let that nonce be replayed. Expired entries are dropped as new ones arrive.
 * Size `maxEntries` for at least the verified requests per second times the replay window
 * (`maxAge` + `clockSkew`, 305 s by default): 100,000 covers about 330 requests per second.
 */
export function createMemoryNonceStore(options: MemoryNonceStoreOptions = {}): MemoryNonceStore {
  const maxEntries = options.maxEntries ?? 100_000;
  if (!Number.isInteger(maxEntries) || maxEntries < 1)
    throw new TypeError('maxEntries must be a positive integer');
  // Insertion order is close to expiry order (each signature's window ends a fixed time after it
  // is made), so expired entries are dropped from the front as new ones arrive, in amortized
  // constant time; a full pass runs only when the store is full, at most once a second.
  const entries = new Map<string, number>();
  let lastFullSweep = Number.NEGATIVE_INFINITY;

  function dropExpiredFront(now: number): void {
    for (const [key, expiresAt] of entries) {
      if (expiresAt >= now) return;
      entries.delete(key);
    }
  }

  function sweep(now: number): void {
    if (now - lastFullSweep < 1) return;
    lastFullSweep = now;
    for (const [key, expiresAt] of entries) if (expiresAt < now) entries.delete(key);
  }

  return {
    get size() {
      return entries.size;
    },
    clear() {
      entries.clear();
    },
    consume(keyid, nonce, expiresAt) {
      const now = currentTime(options.now);
      // Length-prefixed so that ("ab", "c") and ("a", "bc") stay distinct.
      const key = `${keyid.length}:${keyid}${nonce}`;
      const seen = entries.get(key);
      if (seen !== undefined && seen >= now) return false;
      dropExpiredFront(now);
      // A reused expired key goes to the back, keeping the order close to expiry order.
      if (seen !== undefined) entries.delete(key);
      if (entries.size >= maxEntries) {
        sweep(now);
        if (entries.size >= maxEntries) {
          throw new HttpSigError(
            'ERR_HTTPSIG_NONCE_STORE_FULL',
            'The nonce store is full of live nonces; the signature cannot be checked for replay',
          );
        }
      }
      entries.set(key, expiresAt);
      return true;
    },
  };
}
