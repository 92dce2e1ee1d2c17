import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    platform: 'neutral',
    target: 'es2022',
    sourcemap: true,
    external: ['@httpsig/core', 'ipaddr.js'],
  },
  {
    // Node-only helpers (IncomingMessage bodies) for the Express and Koa verifiers.
    entry: { node: 'src/node/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    external: ['@httpsig/core', 'ipaddr.js'],
  },
]);
