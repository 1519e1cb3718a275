// The npm package as a user meets it: `npm pack`, install the tarball in a
// fresh folder, import it from Node ESM, run the README's example there, and
// type-check a strict TypeScript consumer against the published .d.ts.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

const work = mkdtempSync(join(tmpdir(), 'shijing-pack-'));
const app = join(work, 'app');
test.after(() => rmSync(work, { recursive: true, force: true }));

test('npm pack → install the tarball in a fresh folder', () => {
  const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work, join(root, 'pkg')], root));
  const files = packed[0].files.map((f) => f.path).sort();
  assert.deepEqual(files, ['LICENSE', 'README.md', 'package.json', 'shijing.d.ts', 'shijing.js', 'shijing_bg.wasm', 'shijing_bg.wasm.d.ts']);
  run('mkdir', ['-p', app], work);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'fresh-app', private: true, type: 'module' }));
  run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', join(work, packed[0].filename)], app);
  assert.ok(readdirSync(join(app, 'node_modules', 'shijing')).includes('shijing_bg.wasm'));
});

test('the installed package imports from Node ESM and works', () => {
  writeFileSync(join(app, 'smoke.mjs'), `
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { initSync, gini, lorenz, version } from 'shijing';
const require = createRequire(import.meta.url);
initSync({ module: readFileSync(require.resolve('shijing/shijing_bg.wasm')) });
const curve = lorenz([1, 2, 3, 4], 5);
console.log(JSON.stringify({ version: version(), gini: gini([1, 2, 3, 4]), share: Array.from(curve.share) }));
`);
  const out = JSON.parse(run('node', ['smoke.mjs'], app));
  assert.equal(out.gini, 0.25);
  assert.deepEqual(out.share.map((x) => +x.toFixed(12)), [0, 0.1, 0.3, 0.6, 1]);
  assert.equal(out.version, JSON.parse(readFileSync(join(root, 'pkg', 'package.json'), 'utf8')).version);
});

test("the README's usage example runs against the installed package", () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/<!-- tested example -->\s*```js\n([\s\S]*?)```/g)].map((b) => b[1]);
  assert.ok(blocks.length >= 1, 'README has no <!-- tested example --> block');
  blocks.forEach((code, i) => {
    writeFileSync(join(app, `readme-${i}.mjs`), code);
    const out = run('node', [`readme-${i}.mjs`], app);
    assert.ok(out.trim().length > 0, `README example ${i} printed nothing`);
  });
});

test('the .d.ts has no `any` and a strict TypeScript consumer compiles', () => {
  const dts = readFileSync(join(app, 'node_modules', 'shijing', 'shijing.d.ts'), 'utf8');
  const anys = dts.split('\n').filter((l) => /\bany\b/.test(l) && !/^\s*(\/\*|\*|\/\/)/.test(l));
  assert.deepEqual(anys, [], 'public .d.ts mentions `any`');
  writeFileSync(join(app, 'consumer.ts'), `
import { initSync, gini, lorenz, type LorenzCurve } from 'shijing';
declare const bytes: Uint8Array;
initSync({ module: bytes });
const g: number = gini(new Float64Array([1, 2, 3]));
const c: LorenzCurve = lorenz([1, 2, 3], 11);
const s: Float64Array = c.share;
export { g, s };
`);
  writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { strict: true, noEmit: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', lib: ['es2022', 'dom'], skipLibCheck: false, types: [] },
    files: ['consumer.ts'],
  }));
  run(join(root, 'www', 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json'], app);
});
