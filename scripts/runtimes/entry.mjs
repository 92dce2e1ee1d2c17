/**
 * Runs the portable suite in the runtime executing this file (Node, Bun or Deno) over the built
 * packages named by HTTPSIG_CORE and HTTPSIG_FETCH (paths or URLs of dist/index.js), against the
 * verifying server at HTTPSIG_FETCH_ORIGIN (and the field-bytes server at
 * HTTPSIG_QUIRKS_ORIGIN); HTTPSIG_RUNTIME_NAME names the runtime for its known quirks. Progress goes to stderr; the results are one
 * `HTTPSIG_PORTABLE_RESULT {json}` line on stdout.
 */
import { pathToFileURL } from 'node:url';
import { run } from '../../test-portable/suite.js';

const env = (name) => globalThis.Deno?.env.get(name) ?? globalThis.process?.env[name];
const specifier = (value) => (/^[a-z]+:/.test(value) ? value : pathToFileURL(value).href);

// Node reports deprecations as process warnings: collect them so the matrix prints each one.
const warnings = [];
globalThis.process?.on?.('warning', (warning) => warnings.push(`${warning.name}: ${warning.message}`));

const core = await import(specifier(env('HTTPSIG_CORE')));
const fetchAdapter = await import(specifier(env('HTTPSIG_FETCH')));
const results = await run(
  { core, fetch: fetchAdapter },
  {
    fetchOrigin: env('HTTPSIG_FETCH_ORIGIN') || undefined,
    quirksOrigin: env('HTTPSIG_QUIRKS_ORIGIN') || undefined,
    runtime: env('HTTPSIG_RUNTIME_NAME'),
    log: (line) => console.error(line),
  },
);
// Warnings are emitted on a later tick: let them arrive before reporting.
await new Promise((resolve) => setTimeout(resolve, 0));
console.log(`HTTPSIG_PORTABLE_RESULT ${JSON.stringify({ ...results, warnings })}`);
