import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    external: [
      '@httpsig/core',
      '@httpsig/fetch',
      '@httpsig/axios',
      '@httpsig/node',
      '@httpsig/server',
      '@httpsig/server/node',
      'axios',
      'undici',
    ],
  },
  {
    entry: ['src/bin.ts'],
    format: ['esm'],
    dts: false,
    platform: 'node',
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
    external: [
      '@httpsig/core',
      '@httpsig/fetch',
      '@httpsig/axios',
      '@httpsig/node',
      '@httpsig/server',
      '@httpsig/server/node',
      'axios',
      'undici',
    ],
  },
]);
