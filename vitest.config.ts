import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { projects } from './vitest.workspace.ts';

// Vitest 4 ignores vitest.workspace.ts on its own, so the project list is imported here.
export default defineConfig({
  resolve: {
    alias: {
      '@httpsig/core': fileURLToPath(new URL('./packages/core/src/index.ts', import.meta.url)),
    },
  },
  test: {
    projects,
  },
});
