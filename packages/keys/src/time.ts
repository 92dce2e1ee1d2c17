/** Clocks. Everything here counts in Unix seconds, like core's `now` option. */

/** A clock in Unix seconds (fractions allowed). */
export type Clock = () => number;

export const systemClock: Clock = () => Date.now() / 1000;

/** The time from a fixed value, a clock, or the system clock. */
export function currentSeconds(now: number | Clock | undefined): number {
  const value = typeof now === 'function' ? now() : (now ?? Date.now() / 1000);
  if (!Number.isFinite(value)) throw new TypeError('now must be a finite number of Unix seconds');
  return value;
}
