/**
 * How every package builds: ESM and CommonJS with type declarations and source maps. tsup keeps
 * each package's dependencies and peer dependencies (subpaths included) external by default.
 */
import type { Options } from 'tsup';

export function packageBuild(platform: 'neutral' | 'node', options: Options = {}): Options {
  return {
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    sourcemap: true,
    platform,
    target: platform === 'node' ? 'node20' : 'es2022',
    ...options,
  };
}
