import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  external: ['@httpsig/core', '@httpsig/server', '@httpsig/server/node', 'express'],
});
