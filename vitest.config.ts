import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { projects } from './vitest.workspace.ts';

// Vitest 4 ignores vitest.workspace.ts on its own, so the project list is imported here.
export default defineConfig({
  resolve: {
    // Tests run against the sources of the workspace packages, not their builds.
    alias: Object.fromEntries(
      ['core', 'fetch', 'axios', 'node', 'msw'].map((name) => [
        `@httpsig/${name}`,
        fileURLToPath(new URL(`./packages/${name}/src/index.ts`, import.meta.url)),
      ]),
    ),
  },
  test: {
    projects,
  },
});
