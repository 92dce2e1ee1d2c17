/** A time limit on a call into user code (key resolver, nonce store) that might never settle. */

/** Thrown by `withDeadline` when the time is up; callers turn it into their fail-closed error. */
export class DeadlineExceeded extends Error {
  override readonly name = 'DeadlineExceeded';
  constructor(readonly ms: number) {
    super(`No answer within ${ms} ms`);
  }
}

/** `work`, or a `DeadlineExceeded` rejection after `ms` milliseconds, whichever comes first. */
export function withDeadline<T>(work: T | PromiseLike<T>, ms: number): Promise<T> {
  // A plain value needs no timer; any thenable (not only a native promise) may hang.
  if (typeof (work as PromiseLike<T> | undefined)?.then !== 'function') return Promise.resolve(work);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineExceeded(ms)), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/** A positive number of milliseconds, or `TypeError`. */
export function resolveTimeout(value: number | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new TypeError(`${name} must be a positive number of milliseconds`);
  }
  return value;
}
