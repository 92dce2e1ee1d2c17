/**
 * Shared pieces of the fuzz tests: how many runs (few in CI, many under scripts/fuzz.sh), the
 * seed corpus (RFC 9421 vectors, the structured-field test suite, kept regressions), a mutator
 * over seeds, and the one allowed outcome besides success: an `HttpSigError`.
 */
import { appendFileSync } from 'node:fs';
import fc from 'fast-check';
import { expect } from 'vitest';
import { HttpSigError } from '../../src/errors';
import vectorsJson from '../vectors/rfc9421-vectors.json';
import dictionaryTests from '../vectors/structured-field-tests/dictionary.json';
import itemTests from '../vectors/structured-field-tests/item.json';
import listTests from '../vectors/structured-field-tests/list.json';
import paramDictTests from '../vectors/structured-field-tests/param-dict.json';
import paramListTests from '../vectors/structured-field-tests/param-list.json';
import regressionsJson from './corpus/regressions.json';

function env(name: string): string | undefined {
  return (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[name];
}

/** Inputs per property: `FUZZ_RUNS` (scripts/fuzz.sh), else a CI-sized default. */
export function runs(ciDefault: number): number {
  const configured = Number(env('FUZZ_RUNS'));
  return Number.isInteger(configured) && configured > 0 ? configured : ciDefault;
}

/** Longest one input may take in a dedicated run before it counts as a hang, in milliseconds. */
const hangMs = 2000;

/**
 * A fixed seed in CI (reproducible); in a dedicated run a random one (fast-check prints it with
 * any counterexample) and a per-input time-out that turns a hang into a failure.
 */
export function fuzzParameters(ciDefault: number): fc.Parameters<unknown> {
  const numRuns = runs(ciDefault);
  // scripts/fuzz.sh sums these lines to report how many inputs were generated.
  const report = env('FUZZ_REPORT');
  if (report) appendFileSync(report, `${numRuns}\n`);
  return numRuns === ciDefault ? { numRuns, seed: 9421 } : { numRuns, timeout: hangMs };
}

/**
 * Run `work`: success and `HttpSigError` are the allowed outcomes (`TypeError` too when
 * `allowTypeError`, for API misuse). Anything else fails the property with the input shown.
 */
export async function onlyHttpSigErrors(
  work: () => unknown,
  options: { allowTypeError?: boolean; allow?: (error: unknown) => boolean } = {},
): Promise<'ok' | 'refused'> {
  try {
    await work();
    return 'ok';
  } catch (error) {
    if (error instanceof HttpSigError) return 'refused';
    if (options.allowTypeError && error instanceof TypeError) return 'refused';
    if (options.allow?.(error)) return 'refused';
    throw error;
  }
}

interface SfTest {
  raw?: string[];
}

function raws(tests: readonly SfTest[]): string[] {
  return tests.flatMap((t) => t.raw ?? []);
}

const vectors = vectorsJson as unknown as {
  signatures: { signatureInputHeader: string; signatureHeader: string }[];
};

export const signatureFieldSeeds: readonly string[] = [
  ...vectors.signatures.flatMap((v) => [v.signatureInputHeader, v.signatureHeader]),
  'sig1=("@method" "@target-uri" "content-digest");created=1618884473;keyid="test-key-ed25519";nonce="b3k2pp5k7z"',
  'sig1=("@query-param";name="a%20b" "example-dict";sf "example-dict";key="a" "@status";req);tag="app"',
];

export const structuredFieldSeeds: readonly string[] = [
  ...raws(dictionaryTests as SfTest[]),
  ...raws(listTests as SfTest[]),
  ...raws(itemTests as SfTest[]),
  ...raws(paramDictTests as SfTest[]),
  ...raws(paramListTests as SfTest[]),
  ...signatureFieldSeeds,
];

/** Inputs that once broke something, by target: every one is replayed by the fuzz tests. */
export const regressions = regressionsJson as Readonly<Record<string, readonly string[]>>;

/** Characters that matter to the parsers under test, plus a few that never should appear. */
const interesting = [
  ...'abcxyz019@-_.*:/;=,"\\()?&%+ \t',
  '\r',
  '\n',
  '\x00',
  '\x7f',
  'é',
  '\u2028',
  '\uD800',
  'sig1',
  '"@method"',
  '"@query-param"',
  ';name=',
  ';key=',
  ';sf',
  ';req',
  ';bs',
  ';tr',
  'created=',
  'expires=',
  'keyid=',
  ':AAAA:',
  '%"',
  '@1',
  '999999999999999',
  '1.5',
  '?1',
];

export const hostileText = (maxLength = 200): fc.Arbitrary<string> =>
  fc.array(fc.constantFrom(...interesting), { maxLength }).map((parts) => parts.join(''));

type Edit = { at: number; remove: number; insert: string };

const edit: fc.Arbitrary<Edit> = fc.record({
  at: fc.nat(),
  remove: fc.nat({ max: 4 }),
  insert: hostileText(3),
});

/** `text` with each edit applied at a position taken modulo its length. */
export function applyEdits(text: string, edits: readonly Edit[]): string {
  let out = text;
  for (const { at, remove, insert } of edits) {
    const position = out.length === 0 ? 0 : at % (out.length + 1);
    out = out.slice(0, position) + insert + out.slice(position + remove);
  }
  return out;
}

/** A seed with one to four small edits: close enough to valid to reach deep into a parser. */
export const mutated = (seeds: readonly string[]): fc.Arbitrary<string> =>
  fc
    .tuple(fc.constantFrom(...seeds), fc.array(edit, { minLength: 1, maxLength: 4 }))
    .map(([seed, edits]) => applyEdits(seed, edits));

/** Hostile text, a mutated seed, or a seed as it is. */
export const fieldValue = (seeds: readonly string[]): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 1, arbitrary: hostileText() },
    { weight: 4, arbitrary: mutated(seeds) },
    { weight: 1, arbitrary: fc.constantFrom(...seeds) },
  );

export function expectAllowed(outcome: unknown): void {
  expect(['ok', 'refused']).toContain(outcome);
}
