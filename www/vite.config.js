import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

// SHIJING_FAKE_ENGINE=1 swaps the package for tests/e2e/fake-engine.mjs, a toy
// with the shapes of functions the package does not export yet: for laying
// out views during development only (build it into a scratch --outDir).
const fake = process.env.SHIJING_FAKE_ENGINE
  ? {
    name: 'shijing-fake-engine',
    enforce: 'pre',
    resolveId(source, importer) {
      if (source.endsWith('pkg/shijing.js') && importer && !importer.includes('fake-engine')) {
        return fileURLToPath(new URL('../tests/e2e/fake-engine.mjs', import.meta.url));
      }
      return null;
    },
  }
  : null;

export default defineConfig({
  base: './',
  plugins: fake ? [fake] : [],
  worker: { format: 'es', plugins: () => (fake ? [fake] : []) },
  server: { fs: { allow: ['..'] } },
  build: { target: 'es2022', assetsInlineLimit: 0 },
});
