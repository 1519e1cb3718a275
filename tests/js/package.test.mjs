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
  const module = ['shijing.d.ts', 'shijing.js', 'shijing_bg.wasm', 'shijing_bg.wasm.d.ts'];
  assert.deepEqual(files, ['LICENSE', 'README.md', 'package.json', ...module, ...['repurchase', 'traffic'].flatMap((p) => module.map((f) => `${p}/${f}`))].sort());
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

test('shijing/traffic and shijing/repurchase: together they export what the whole package does, and compute the same', () => {
  writeFileSync(join(app, 'halves.mjs'), `
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as whole from 'shijing';
import * as traffic from 'shijing/traffic';
import * as repurchase from 'shijing/repurchase';
const require = createRequire(import.meta.url);
whole.initSync({ module: readFileSync(require.resolve('shijing/shijing_bg.wasm')) });
traffic.initSync({ module: readFileSync(require.resolve('shijing/traffic/shijing_bg.wasm')) });
repurchase.initSync({ module: readFileSync(require.resolve('shijing/repurchase/shijing_bg.wasm')) });
const names = (m) => Object.keys(m).filter((k) => k !== 'default' && k !== 'initSync').sort();
const values = [3, 1, 4, 1, 5, 9, 2, 6];
const [f, r, T] = [[2, 1, 0, 0, 3, 1], [30.4, 1.7, 0, 0, 35, 9], [38.9, 38.9, 38.9, 36, 36, 36]];
const fitted = (m) => { const fit = m.fitBgNbd(f, r, T); const p = fit.params; fit.free(); return p; };
console.log(JSON.stringify({
  whole: names(whole), traffic: names(traffic), repurchase: names(repurchase),
  gini: [whole.gini(values), traffic.gini(values)],
  capped: [Array.from(whole.capGini(values, 0.2)), Array.from(traffic.capGini(values, 0.2))],
  days: [whole.simulate({ days: 5, population: { merchants: 200 } }).days.length, traffic.simulate({ days: 5, population: { merchants: 200 } }).days.length],
  fit: [fitted(whole), fitted(repurchase)],
  versions: [whole.version(), traffic.version(), repurchase.version()],
}));
`);
  const out = JSON.parse(run('node', ['halves.mjs'], app));
  const both = new Set([...out.traffic, ...out.repurchase]);
  assert.deepEqual([...both].sort(), out.whole, 'an export of the whole package is in neither half, or a half has one the whole has not');
  assert.deepEqual(out.traffic.filter((k) => out.repurchase.includes(k)), ['version'], 'only version() is in both halves');
  for (const k of ['capGini', 'allocate', 'simulate', 'MarketModel', 'TrafficPlatform', 'gini']) assert.ok(out.traffic.includes(k), `traffic lacks ${k}`);
  for (const k of ['summarizeOrders', 'fitBgNbd', 'fitParetoNbd', 'fitGammaGamma']) assert.ok(out.repurchase.includes(k), `repurchase lacks ${k}`);
  assert.equal(out.gini[0], out.gini[1]);
  assert.deepEqual(out.capped[0], out.capped[1]);
  assert.deepEqual(out.days[0], out.days[1]);
  assert.deepEqual(out.fit[0], out.fit[1]);
  assert.equal(new Set(out.versions).size, 1);
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

test('the .d.ts files have no `any` and a strict TypeScript consumer of the package and its halves compiles', () => {
  for (const d of ['', 'traffic/', 'repurchase/']) {
    const dts = readFileSync(join(app, 'node_modules', 'shijing', `${d}shijing.d.ts`), 'utf8');
    const anys = dts.split('\n').filter((l) => /\bany\b/.test(l) && !/^\s*(\/\*|\*|\/\/)/.test(l));
    assert.deepEqual(anys, [], `public ${d}shijing.d.ts mentions \`any\``);
  }
  writeFileSync(join(app, 'consumer.ts'), `
import { initSync, gini, lorenz, type LorenzCurve } from 'shijing';
declare const bytes: Uint8Array;
initSync({ module: bytes });
const g: number = gini(new Float64Array([1, 2, 3]));
const c: LorenzCurve = lorenz([1, 2, 3], 11);
const s: Float64Array = c.share;
import { initSync as initTraffic, capGini } from 'shijing/traffic';
import { initSync as initRepurchase, fitBgNbd } from 'shijing/repurchase';
initTraffic({ module: bytes });
initRepurchase({ module: bytes });
const capped: Float64Array = capGini([1, 2, 3], 0.1);
const converged: boolean = fitBgNbd([1], [2], [3]).converged;
export { g, s, capped, converged };
`);
  writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { strict: true, noEmit: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', lib: ['es2022', 'dom'], skipLibCheck: false, types: [] },
    files: ['consumer.ts'],
  }));
  run(join(root, 'www', 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json'], app);
});
