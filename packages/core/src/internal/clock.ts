/** Unix seconds from a number, a function or the system clock. */
export function currentTime(now: number | (() => number) | undefined): number {
  const value = typeof now === 'function' ? now() : (now ?? Date.now() / 1000);
  if (!Number.isFinite(value)) throw new TypeError('now must be a finite number of seconds');
  return Math.floor(value);
}
