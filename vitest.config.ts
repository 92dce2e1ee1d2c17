import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { projects } from './vitest.workspace.ts';

// Vitest 4 ignores vitest.workspace.ts on its own, so the project list is imported here.
export default defineConfig({
  resolve: {
    // Tests run against the sources of the workspace packages, not their builds.
    alias: [
      {
        find: '@httpsig/server/node',
        replacement: fileURLToPath(new URL('./packages/server/src/node/index.ts', import.meta.url)),
      },
      ...[
        'core',
        'fetch',
        'axios',
        'node',
        'msw',
        'server',
        'express',
        'fastify',
        'koa',
        'redis',
        'keys',
      ].map((name) => ({
        find: `@httpsig/${name}`,
        replacement: fileURLToPath(new URL(`./packages/${name}/src/index.ts`, import.meta.url)),
      })),
    ],
  },
  test: {
    projects,
  },
});
