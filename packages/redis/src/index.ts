/**
 * @httpsig/redis — a nonce store in Redis, so that every instance of an API behind a load
 * balancer sees the same nonces and a replayed request is refused whichever instance gets it.
 * Each check is one atomic `SET key 1 NX PX ttl` on one key (Redis Cluster safe).
 */
import { HttpSigError, type NonceStore } from '@httpsig/core';

/**
 * Record `key` for `ttlMs` milliseconds unless it exists: resolve `true` when it was set, `false`
 * when it already existed. For clients other than ioredis and node-redis.
 */
export type SetIfAbsent = (key: string, ttlMs: number) => Promise<boolean>;

/**
 * An ioredis `Redis` or `Cluster`, or a node-redis (v4, v5) client, cluster or pool. Only its
 * `set` command is used; connecting and closing it stay with the caller.
 */
export interface RedisClientLike {
  set(...args: never[]): unknown;
}

export interface RedisNonceStoreOptions {
  /** The client to use (ioredis or node-redis). Give either `client` or `set`. */
  client?: RedisClientLike;
  /** A `SET key 1 NX PX ttl` of your own, for other clients. Give either `client` or `set`. */
  set?: SetIfAbsent;
  /** Prepended to every key. @default 'httpsig:nonce:' */
  prefix?: string;
  /** Longest wait for Redis, milliseconds; a slower answer counts as unavailable. @default 500 */
  timeoutMs?: number;
  /**
   * DANGEROUS: accept signatures without replay protection while Redis is unreachable, slow or
   * failing, instead of refusing them with `ERR_HTTPSIG_NONCE_STORE_UNAVAILABLE` (503). A replay
   * sent during an outage is then accepted. @default false
   */
  failOpen?: boolean;
  /** The clock, Unix seconds (fractions allowed), for the entry's time to live. @default Date.now() / 1000 */
  clock?: () => number;
  /** Called with each failure (an `HttpSigError` whose `cause` is the client's error), e.g. to log it. */
  onError?: (error: HttpSigError) => void;
}

export interface RedisNonceStore extends NonceStore {
  /** The Redis key a nonce of `keyid` is recorded under. */
  keyFor(keyid: string, nonce: string): string;
}

type Command = (key: string, ttlMs: number) => Promise<unknown>;

/** How to send `SET key 1 NX PX ttl` with this client. */
function commandFor(client: RedisClientLike): Command {
  const c = client as unknown as Record<string, unknown> & {
    set(...args: unknown[]): Promise<unknown>;
  };
  if (typeof c.set !== 'function') throw new TypeError('client must be an ioredis or node-redis client');
  // node-redis (v4 and v5, clients, clusters and pools) also has upper-case command methods.
  if (typeof c.SET === 'function') {
    // v5 reads `condition`/`expiration` first; v4 knows only `NX`/`PX`. Giving both means no
    // version silently drops NX, which would turn every check into "first use".
    return (key, ttlMs) =>
      c.set(key, '1', { condition: 'NX', expiration: { type: 'PX', value: ttlMs }, NX: true, PX: ttlMs });
  }
  if (typeof c.defineCommand === 'function' && typeof c.call === 'function') {
    return (key, ttlMs) => c.set(key, '1', 'PX', ttlMs, 'NX');
  }
  throw new TypeError(
    'client is neither an ioredis nor a node-redis client: pass set(key, ttlMs) for other clients',
  );
}

/** `SET … NX` answers OK when it set the key and nil when the key existed. */
function wasSet(reply: unknown): boolean {
  const text = reply instanceof Uint8Array ? new TextDecoder().decode(reply) : reply;
  if (text === 'OK' || text === true) return true;
  if (text === null || text === false) return false;
  throw new Error(`Unexpected reply to SET NX: ${typeof reply}`);
}

class Timeout extends Error {
  constructor(ms: number) {
    super(`Redis did not answer within ${ms} ms`);
    this.name = 'TimeoutError';
  }
}

/** Settle with `promise` or reject after `ms`; a late settlement of `promise` is handled and ignored. */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Timeout(ms)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/**
 * A `NonceStore` in Redis for `createVerifier({ nonceStore })` or `verifyMessage`. An entry lives
 * until the signature stops being acceptable (`expiresAt`). When Redis fails or is slower than
 * `timeoutMs`, `consume` throws `ERR_HTTPSIG_NONCE_STORE_UNAVAILABLE` (the request is refused
 * with 503) unless `failOpen` is set.
 */
export function createRedisNonceStore(options: RedisNonceStoreOptions): RedisNonceStore {
  if (!options || typeof options !== 'object') throw new TypeError('createRedisNonceStore needs options');
  const { client, set, prefix = 'httpsig:nonce:', timeoutMs = 500, failOpen = false, onError } = options;
  if ((client === undefined) === (set === undefined)) {
    throw new TypeError('createRedisNonceStore needs exactly one of client and set');
  }
  if (set !== undefined && typeof set !== 'function') throw new TypeError('set must be a function');
  if (typeof prefix !== 'string') throw new TypeError('prefix must be a string');
  if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    // A finite bound is the point: an offline queue or a reconnect loop could otherwise hold
    // the request forever.
    throw new TypeError('timeoutMs must be a positive finite number of milliseconds');
  }
  const clock = options.clock ?? (() => Date.now() / 1000);
  const command: Command = set ?? commandFor(client as RedisClientLike);

  // Length-prefixed like the memory store, so that ("ab", "c") and ("a", "bc") stay distinct.
  const keyFor = (keyid: string, nonce: string) => `${prefix}${keyid.length}:${keyid}${nonce}`;

  function unavailable(message: string, cause: unknown): boolean {
    const error = new HttpSigError('ERR_HTTPSIG_NONCE_STORE_UNAVAILABLE', message, { cause });
    try {
      onError?.(error);
    } catch {
      // A failing log hook must not change the decision.
    }
    if (failOpen) return true;
    throw error;
  }

  return {
    keyFor,
    async consume(keyid, nonce, expiresAt) {
      if (typeof keyid !== 'string' || typeof nonce !== 'string')
        throw new TypeError('keyid and nonce must be strings');
      if (!Number.isFinite(expiresAt)) throw new TypeError('expiresAt must be a finite number of seconds');
      const now = clock();
      if (!Number.isFinite(now)) throw new TypeError('clock must return a finite number of seconds');
      // Kept at least until the signature expires; Redis drops it right after.
      const ttlMs = Math.max(1, Math.ceil((expiresAt - now) * 1000));
      if (!Number.isSafeInteger(ttlMs)) throw new TypeError('expiresAt is too far in the future');

      let reply: unknown;
      try {
        // A client may throw synchronously (e.g. node-redis when closed): that is a failure too.
        reply = await withTimeout(
          Promise.resolve().then(() => command(keyFor(keyid, nonce), ttlMs)),
          timeoutMs,
        );
      } catch (error) {
        if (error instanceof Timeout)
          return unavailable('The nonce store (Redis) did not answer in time', error);
        return unavailable('The nonce store (Redis) could not be reached', error);
      }
      try {
        return wasSet(reply);
      } catch (error) {
        return unavailable('The nonce store (Redis) gave an unexpected answer', error);
      }
    },
  };
}
