/**
 * A test harness with no dependencies, so the portable suite runs unchanged in Node, Bun, Deno,
 * workerd and browsers. Tests run one after another; a test can be skipped by capability (the
 * reason is printed), or marked a known quirk (it runs, and its outcome is reported with the
 * reason instead of counting as a failure).
 */

/** Thrown by the assertions: a readable message, never key material or signature bytes. */
export class AssertionError extends Error {
  constructor(message) {
    super(message);
    this.name = 'AssertionError';
  }
}

function describeValue(value) {
  if (typeof value === 'string')
    return value.length > 80 ? `${JSON.stringify(value.slice(0, 80))}…` : JSON.stringify(value);
  if (value instanceof Uint8Array) return `Uint8Array(${value.length})`;
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

export function assert(condition, message) {
  if (!condition) throw new AssertionError(message);
}

export function assertEqual(actual, expected, what) {
  if (actual !== expected)
    throw new AssertionError(`${what}: expected ${describeValue(expected)}, got ${describeValue(actual)}`);
}

/** Deep equality through JSON, for plain data (arrays of strings, parameter lists). */
export function assertSame(actual, expected, what) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e)
    throw new AssertionError(`${what}: expected ${describeValue(expected)}, got ${describeValue(actual)}`);
}

export function assertBytes(actual, expected, what) {
  assert(actual instanceof Uint8Array, `${what}: not a Uint8Array`);
  assertEqual(actual.length, expected.length, `${what} length`);
  for (let i = 0; i < actual.length; i++) {
    if (actual[i] !== expected[i]) throw new AssertionError(`${what}: bytes differ at offset ${i}`);
  }
}

/** The HttpSigError a promise (or function) rejects with; fails when it resolves or throws anything else. */
export async function assertRejects(promiseOrFn, code, what) {
  let error;
  try {
    await (typeof promiseOrFn === 'function' ? promiseOrFn() : promiseOrFn);
  } catch (caught) {
    error = caught;
  }
  assert(error !== undefined, `${what}: expected ${code}, but it succeeded`);
  assert(
    error?.name === 'HttpSigError' && error.code === code,
    `${what}: expected ${code}, got ${error?.name ?? typeof error}: ${error?.code ?? error?.message}`,
  );
  return error;
}

/**
 * A list of tests. `test(name, fn, { requires })` skips when a required capability is missing;
 * `quirk(name, { runtimes, reason }, fn)` records behaviour some runtimes are known to differ in.
 */
export function createHarness(capabilities = {}, runtime = undefined) {
  const tests = [];
  return {
    /** Whether the runtime has a capability (for set-up code that adapts rather than skips). */
    has(name) {
      return capabilities[name]?.available === true;
    },
    test(name, fn, options = {}) {
      tests.push({ name, fn, requires: options.requires ?? [] });
    },
    /**
     * A check that fails on the runtimes named in `known.runtimes` for `known.reason`: there its
     * failure is reported as the known quirk (counted as skipped); anywhere else it is a failure.
     */
    quirk(name, known, fn, options = {}) {
      const quirk = known.runtimes.includes(runtime) ? known.reason : undefined;
      tests.push({ name, fn, requires: options.requires ?? [], quirk });
    },
    async run(log = () => {}) {
      const results = { passed: 0, failed: 0, skipped: 0, quirks: [], skips: [], failures: [] };
      for (const t of tests) {
        const missing = t.requires.filter((c) => capabilities[c]?.available !== true);
        if (missing.length > 0) {
          const reason = missing
            .map((c) => `${c}: ${capabilities[c]?.reason ?? 'unknown capability'}`)
            .join('; ');
          results.skipped++;
          results.skips.push({ name: t.name, reason });
          log(`skip ${t.name} (${reason})`);
          continue;
        }
        try {
          await t.fn();
          if (t.quirk) {
            // The quirk did not show: the check passes as a normal test.
            log(`pass ${t.name} (known quirk not present here: ${t.quirk})`);
          }
          results.passed++;
        } catch (error) {
          const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
          if (t.quirk) {
            results.skipped++;
            results.quirks.push({ name: t.name, reason: t.quirk, observed: message });
            log(`quirk ${t.name}: ${t.quirk} (observed: ${message})`);
            continue;
          }
          results.failed++;
          results.failures.push({ name: t.name, message });
          log(`FAIL ${t.name}: ${message}`);
        }
      }
      return results;
    },
  };
}
