/**
 * Timing through mitata's `measure` (batched samples, so a 2 µs operation is not dominated by
 * timer overhead). One operation in flight at a time. `BENCH_SMOKE=1` runs a few iterations
 * only, to prove the code runs (CI); its figures mean nothing.
 */
import { measure } from 'mitata';

export const smoke = process.env.BENCH_SMOKE === '1';

const options = smoke
  ? { min_cpu_time: 1e6, min_samples: 1, max_samples: 2, batch_samples: 4, warmup_samples: 1 }
  : { min_cpu_time: Number(process.env.BENCH_TIME_MS ?? 400) * 1e6 };

export const rounds = smoke ? 1 : Number(process.env.BENCH_ROUNDS ?? 3);

/** Operations per second of `fn` (sync or async), from the mean time per operation. */
export async function opsPerSecond(fn) {
  const stats = await measure(fn, { ...options });
  return 1e9 / stats.avg;
}
