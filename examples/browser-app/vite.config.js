import { defineConfig } from 'vite';

// `vite build` writes the page to dist/; `node server.js` serves it with the API.
export default defineConfig({ build: { outDir: 'dist', target: 'es2022' } });
