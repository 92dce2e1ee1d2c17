import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base';

export default defineConfig([
  packageBuild('neutral'),
  // Node-only helpers (IncomingMessage bodies) for the Express and Koa verifiers.
  packageBuild('node', { entry: { node: 'src/node/index.ts' }, clean: false }),
]);
