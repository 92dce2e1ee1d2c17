/**
 * A module worker that runs the portable suite inside workerd. Bundled by workerd.mjs with esbuild
 * for the neutral platform: any `node:` import in core or fetch fails that bundle, which is the
 * proof that they need no Node compatibility layer.
 */
// Resolved by the bundler to the built (or installed) packages: see packageAliases in entries.mjs.
import * as core from '@httpsig/core';
import * as fetchAdapter from '@httpsig/fetch';
import { run } from '../../test-portable/suite.js';

export default {
  async fetch(request) {
    const fetchOrigin = request.headers.get('x-verifying-server') ?? undefined;
    const quirksOrigin = request.headers.get('x-field-bytes-server') ?? undefined;
    const log = [];
    const results = await run(
      { core, fetch: fetchAdapter },
      { fetchOrigin, quirksOrigin, log: (line) => log.push(line), runtime: 'workerd' },
    );
    return Response.json({ ...results, log });
  },
};
