/**
 * The portable suite: one set of checks for @httpsig/core and @httpsig/fetch that runs unchanged
 * in Node, Bun, Deno, workerd and browsers. It imports no runtime module and no library: the
 * caller passes the built packages in, so each runtime tests exactly what would be published.
 *
 *   const results = await run({ core, fetch }, { fetchOrigin, quirksOrigin, runtime, log });
 *
 * `fetchOrigin` is a test-support/verifying-server.ts; `quirksOrigin` answers a response with
 * non-ASCII field bytes (scripts/runtimes/verifying-server.mjs); `runtime` names where the suite
 * runs, for the checks known to differ there.
 *   // { passed, failed, skipped, failures, skips, quirks }
 */

import { probeCapabilities } from './capabilities.js';
import { algorithmCases } from './cases/algorithms.js';
import { digestCases } from './cases/digest.js';
import { fetchCases } from './cases/fetch.js';
import { keyCases } from './cases/keys.js';
import { quirkCases } from './cases/quirks.js';
import { rfc9421Cases } from './cases/rfc9421.js';
import { createHarness } from './harness.js';

export async function run(lib, { fetchOrigin, quirksOrigin, log = () => {}, runtime } = {}) {
  const capabilities = await probeCapabilities({ fetchOrigin, quirksOrigin });
  const t = createHarness(capabilities, runtime);
  let rfcKeys = { private: {}, public: {} };
  const context = {
    core: lib.core,
    fetch: lib.fetch,
    fetchOrigin,
    quirksOrigin,
    runtime,
    keys: () => rfcKeys,
    setKeys: (keys) => {
      rfcKeys = keys;
    },
  };
  // Key import first: the RFC keys it imports are used by the vector and fetch checks.
  keyCases(t, context);
  rfc9421Cases(t, context);
  algorithmCases(t, context);
  digestCases(t, context);
  fetchCases(t, context);
  quirkCases(t, context);
  const results = await t.run(log);
  return { ...results, capabilities };
}
