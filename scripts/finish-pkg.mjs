// Finishes the wasm-pack output in pkg/: an explicit exports map (so Node,
// bundlers and TypeScript resolve the same files, and the .wasm can be read
// by path), keywords, and the npm README; the halves `shijing/traffic` and
// `shijing/repurchase` (pkg/traffic/, pkg/repurchase/) get the same treatment
// of their typings. Run by scripts/build-pkg.sh.
import { readFileSync, writeFileSync, copyFileSync, rmSync } from 'node:fs';

const pkgDir = new URL('../pkg/', import.meta.url);
const file = new URL('package.json', pkgDir);
const pkg = JSON.parse(readFileSync(file, 'utf8'));
pkg.type = 'module';
pkg.main = 'shijing.js';
const PARTS = ['traffic', 'repurchase'];
const MODULE = ['shijing_bg.wasm', 'shijing.js', 'shijing.d.ts', 'shijing_bg.wasm.d.ts'];
pkg.exports = {
  '.': { types: './shijing.d.ts', default: './shijing.js' },
  './shijing_bg.wasm': './shijing_bg.wasm',
  ...Object.fromEntries(PARTS.flatMap((p) => [
    [`./${p}`, { types: `./${p}/shijing.d.ts`, default: `./${p}/shijing.js` }],
    [`./${p}/shijing_bg.wasm`, `./${p}/shijing_bg.wasm`],
  ])),
  './package.json': './package.json',
};
pkg.files = [...MODULE, ...PARTS.flatMap((p) => MODULE.map((f) => `${p}/${f}`)), 'README.md', 'LICENSE'];
pkg.engines = { node: '>=18' };
writeFileSync(file, JSON.stringify(pkg, null, 2) + '\n');
copyFileSync(new URL('../pkg-README.md', import.meta.url), new URL('README.md', pkgDir));
copyFileSync(new URL('../LICENSE', import.meta.url), new URL('LICENSE', pkgDir));

// TypeScript: (1) a last argument named `options`, `scenario` or `merchant` is
// optional (a Rust `Option<JsValue>`
// whose type is given with `unchecked_param_type` loses its `?`); (2) the raw
// Wasm exports listed in `InitOutput` take and return opaque values: `unknown`,
// never `any`.
// (3) classes declare `[Symbol.dispose]()` (for `using`): reference the lib that
// types it, so consumers compiling for ES2022 or older still type-check.
for (const dir of ['', ...PARTS.map((p) => `${p}/`)]) {
  for (const name of ['shijing.d.ts', 'shijing_bg.wasm.d.ts']) {
    const path = new URL(dir + name, pkgDir);
    let dts = readFileSync(path, 'utf8');
    if (name === 'shijing.d.ts' && !dts.includes('esnext.disposable')) {
      dts = '/// <reference lib="esnext.disposable" />\n' + dts;
    }
    dts = dts
      .replace(/\b(options|scenario|merchant): ([\w<>]+)\)/g, '$1?: $2)')
      .replace(/\bany\b(?=[^\n]*=>)|(?<=(?:: |=> ))any\b/g, 'unknown');
    writeFileSync(path, dts);
  }
}

// wasm-pack writes a catch-all .gitignore; pkg/ is ignored by the repo's own .gitignore instead.
rmSync(new URL('.gitignore', pkgDir), { force: true });
