/** The portable suite in a browser page: `runPortableSuite({ fetchOrigin, quirksOrigin })` resolves to the results and log. */
// Resolved by the bundler to the built (or installed) packages: see packageAliases in entries.mjs.
import * as core from '@httpsig/core';
import * as fetchAdapter from '@httpsig/fetch';
import { run } from '../../test-portable/suite.js';

globalThis.runPortableSuite = async ({ fetchOrigin, quirksOrigin }) => {
  const log = [];
  const results = await run(
    { core, fetch: fetchAdapter },
    {
      fetchOrigin: fetchOrigin || undefined,
      quirksOrigin: quirksOrigin || undefined,
      log: (line) => log.push(line),
      runtime: 'chromium',
    },
  );
  return { ...results, log };
};
