/**
 * A value fetched from elsewhere, kept for its freshness lifetime, refreshed by at most one fetch
 * at a time (single flight), with a cooldown between fetch attempts.
 *
 * When a refresh fails the last good value is still served until `staleFor` seconds after it
 * expired (an outage of the key server must not revoke its keys at every verifier at once); after
 * that the cache fails closed. A successful fetch always replaces the value: a key set that no
 * longer lists a key is evidence that the key was removed.
 */
import { keySetUnavailable } from '../errors';
import type { Clock } from '../time';

export interface CacheTiming {
  /** Seconds between two fetch attempts (refetch for an unknown keyid, retry after a failure). */
  readonly cooldown: number;
  /** Seconds an expired value is still served while refreshing it fails. */
  readonly staleFor: number;
}

/** A fetched value and how long it stays fresh, in seconds. */
export interface Loaded<T> {
  readonly value: T;
  readonly maxAge: number;
}

interface Entry<T> {
  readonly value: T;
  readonly freshUntil: number;
}

export class RefreshingCache<T> {
  private entry: Entry<T> | undefined;
  private inflight: Promise<T> | undefined;
  private lastAttempt = Number.NEGATIVE_INFINITY;
  private lastFailure: unknown;

  constructor(
    private readonly load: () => Promise<Loaded<T>>,
    private readonly timing: CacheTiming,
    private readonly clock: Clock,
  ) {}

  /** The fresh value, fetching it when there is none; a stale one while the source is down. */
  async current(): Promise<T> {
    const entry = this.entry;
    if (entry !== undefined && this.clock() < entry.freshUntil) return entry.value;
    return this.refresh();
  }

  /**
   * Fetch again because the value lacks something asked for (an unknown keyid), unless a fetch
   * was attempted less than `cooldown` seconds ago. Returns the new value, or undefined when no
   * fetch was allowed. Concurrent callers share one fetch.
   */
  async refetch(): Promise<T | undefined> {
    if (this.inflight !== undefined) return this.inflight;
    if (this.clock() - this.lastAttempt < this.timing.cooldown) return undefined;
    return this.start();
  }

  private refresh(): Promise<T> {
    if (this.inflight !== undefined) return this.inflight;
    if (this.clock() - this.lastAttempt < this.timing.cooldown) {
      // Tried moments ago (and failed, or the value would be fresh): do not hammer the source.
      const usable = this.usableEntry();
      if (usable !== undefined) return Promise.resolve(usable.value);
      return Promise.reject(keySetUnavailable(this.lastFailure));
    }
    return this.start();
  }

  private start(): Promise<T> {
    this.lastAttempt = this.clock();
    const flight = this.load().then(
      ({ value, maxAge }) => {
        this.entry = { value, freshUntil: this.clock() + maxAge };
        this.lastFailure = undefined;
        return value;
      },
      (error: unknown) => {
        this.lastFailure = error;
        const usable = this.usableEntry();
        if (usable !== undefined) return usable.value;
        throw keySetUnavailable(error);
      },
    );
    const settled = flight.finally(() => {
      if (this.inflight === settled) this.inflight = undefined;
    });
    this.inflight = settled;
    return settled;
  }

  /** The current value if it is fresh or still within its stale period. */
  private usableEntry(): Entry<T> | undefined {
    const entry = this.entry;
    return entry !== undefined && this.clock() < entry.freshUntil + this.timing.staleFor ? entry : undefined;
  }
}
