// The npm package as a user meets it: `npm pack`, install the tarball in a
// fresh folder, import it from Node ESM with no init call (the whole package,
// its halves, and the manual-init entries), run the README's examples there,
// and type-check strict TypeScript consumers of every entry against the
// published .d.ts (nodenext and bundler resolution). The browser hosts (Vite,
// a plain module script page) are in tests/e2e/hosts.test.mjs.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { packAndInstall, root, run } from './packed.mjs';

let app, files, cleanup;
test.after(() => cleanup?.());

const DIRS = ['', 'traffic/', 'repurchase/', 'covariates/', 'orders/', 'xlsx/'];
const MODULE = ['shijing.d.ts', 'shijing.js', 'shijing_bg.wasm', 'shijing_bg.wasm.d.ts', 'index.js', 'node.js', 'index.d.ts'];
// JS that wasm-bindgen writes beside the glue (`inline_js`): the modules with readOrders
// (src/bindings/orders/read_orders.rs) or segmentCustomers (`gather`, src/bindings/write.rs).
const SNIPPET = /^(|repurchase\/|covariates\/|orders\/)snippets\/shijing-[0-9a-f]+\/inline[01]\.js$/;

test('npm pack → install the tarball in a fresh folder', () => {
  ({ app, files, cleanup } = packAndInstall());
  const snippets = files.filter((f) => f.includes('snippets/'));
  assert.deepEqual(snippets.map((f) => f.replace(/shijing-[0-9a-f]+/, 'shijing-*')), [
    'covariates/snippets/shijing-*/inline0.js', 'orders/snippets/shijing-*/inline0.js', 'orders/snippets/shijing-*/inline1.js', 'repurchase/snippets/shijing-*/inline0.js',
    'snippets/shijing-*/inline0.js', 'snippets/shijing-*/inline1.js',
  ]);
  assert.ok(snippets.every((f) => SNIPPET.test(f)), snippets.join(', '));
  assert.deepEqual(files.filter((f) => !f.includes('snippets/')), ['LICENSE', 'README.md', 'package.json', ...DIRS.flatMap((d) => MODULE.map((f) => d + f))].sort());
  assert.ok(readdirSync(join(app, 'node_modules', 'shijing')).includes('shijing_bg.wasm'));
  const { exports } = JSON.parse(readFileSync(join(app, 'node_modules', 'shijing', 'package.json'), 'utf8'));
  for (const d of DIRS) {
    const at = d ? `./${d.slice(0, -1)}` : '.';
    assert.deepEqual(exports[at], { types: `./${d}index.d.ts`, node: `./${d}node.js`, default: `./${d}index.js` }, at);
    assert.deepEqual(exports[`./${d}init`], { types: `./${d}shijing.d.ts`, default: `./${d}shijing.js` });
  }
});

test('the installed package imports from Node ESM with no init call and works', () => {
  writeFileSync(join(app, 'smoke.mjs'), `
import { gini, lorenz, version } from 'shijing';
import * as all from 'shijing';
const curve = lorenz([1, 2, 3, 4], 5);
console.log(JSON.stringify({ version: version(), gini: gini([1, 2, 3, 4]), share: Array.from(curve.share), initExported: 'initSync' in all || 'default' in all }));
`);
  const out = JSON.parse(run('node', ['smoke.mjs'], app));
  assert.equal(out.gini, 0.25);
  assert.deepEqual(out.share.map((x) => +x.toFixed(12)), [0, 0.1, 0.3, 0.6, 1]);
  assert.equal(out.version, JSON.parse(readFileSync(join(root, 'pkg', 'package.json'), 'utf8')).version);
  assert.equal(out.initExported, false, 'the zero-config entry exports initSync or a default init');
});

test('shijing/traffic, shijing/repurchase, shijing/orders and shijing/xlsx: together they export what the whole package does, and compute the same', () => {
  writeFileSync(join(app, 'halves.mjs'), `
import * as whole from 'shijing';
import * as traffic from 'shijing/traffic';
import * as repurchase from 'shijing/repurchase';
import * as orders from 'shijing/orders';
import * as xlsx from 'shijing/xlsx';
import * as covariates from 'shijing/covariates';
const names = (m) => Object.keys(m).sort();
const csv = 'buyer,date,amount\\nA,2024-01-01,5\\nB,2024-01-02,6\\nA,2024-02-01,7\\n';
const read = (m) => { const o = m.readOrders(csv); return [o.customers, Array.from(o.days), Array.from(o.amounts), o.report.purchases]; };
const values = [3, 1, 4, 1, 5, 9, 2, 6];
const [f, r, T] = [[2, 1, 0, 0, 3, 1], [30.4, 1.7, 0, 0, 35, 9], [38.9, 38.9, 38.9, 36, 36, 36]];
const fitted = (m) => { const fit = m.fitBgNbd(f, r, T); const p = fit.params; fit.free(); return p; };
console.log(JSON.stringify({
  whole: names(whole), traffic: names(traffic), repurchase: names(repurchase), orders: names(orders), xlsx: names(xlsx), covariates: names(covariates),
  read: [read(whole), read(orders)],
  gini: [whole.gini(values), traffic.gini(values)],
  capped: [Array.from(whole.capGini(values, 0.2)), Array.from(traffic.capGini(values, 0.2))],
  days: [whole.simulate({ days: 5, population: { merchants: 200 } }).days.length, traffic.simulate({ days: 5, population: { merchants: 200 } }).days.length],
  fit: [fitted(whole), fitted(repurchase), fitted(covariates)],
  versions: [whole.version(), traffic.version(), repurchase.version(), orders.version(), xlsx.version()],
}));
`);
  const out = JSON.parse(run('node', ['halves.mjs'], app));
  const both = new Set([...out.traffic, ...out.repurchase, ...out.covariates, ...out.orders, ...out.xlsx]);
  // shijing/covariates: the repurchase half and the covariate fits
  assert.deepEqual(out.repurchase.filter((k) => !out.covariates.includes(k)), []);
  assert.deepEqual(out.covariates.filter((k) => !out.repurchase.includes(k)), ['CovariateRepurchaseModel', 'fitBgNbdWithCovariates', 'fitModifiedBgNbdWithCovariates', 'fitParetoNbdWithCovariates', 'oneHot']);
  // in the whole package only: merchantFromBackend (the merchant's own, "my shop", Cargo feature myshop)
  assert.deepEqual([...both, 'merchantFromBackend'].sort(), out.whole, 'an export of the whole package is in no part, or a part has one the whole has not');
  assert.deepEqual(out.traffic.filter((k) => out.repurchase.includes(k)), ['version'], 'only version() is in both halves');
  assert.deepEqual(out.orders, ['readOrders', 'version']);
  assert.deepEqual(out.xlsx, ['sheetText', 'version']);
  for (const k of ['cohortRepurchase', 'segmentCustomers']) assert.ok(out.repurchase.includes(k), `repurchase lacks ${k}`);
  assert.deepEqual(out.read[0], out.read[1]);
  assert.deepEqual(out.read[0], [['A', 'B', 'A'], [19723, 19724, 19754], [5, 6, 7], 3]);
  for (const k of ['capGini', 'allocate', 'simulate', 'MarketModel', 'TrafficPlatform', 'gini']) assert.ok(out.traffic.includes(k), `traffic lacks ${k}`);
  for (const k of ['summarizeOrders', 'fitBgNbd', 'fitParetoNbd', 'fitGammaGamma']) assert.ok(out.repurchase.includes(k), `repurchase lacks ${k}`);
  assert.equal(out.gini[0], out.gini[1]);
  assert.deepEqual(out.capped[0], out.capped[1]);
  assert.deepEqual(out.days[0], out.days[1]);
  assert.deepEqual(out.fit[0], out.fit[1]);
  assert.deepEqual(out.fit[0], out.fit[2]);
  assert.equal(new Set(out.versions).size, 1);
});

test('the manual-init entries (shijing/init, shijing/traffic/init, shijing/repurchase/init, shijing/orders/init, shijing/xlsx/init) take the bytes from the host', () => {
  writeFileSync(join(app, 'manual.mjs'), `
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as whole from 'shijing/init';
import * as traffic from 'shijing/traffic/init';
import init, * as repurchase from 'shijing/repurchase/init';
import * as orders from 'shijing/orders/init';
import * as xlsx from 'shijing/xlsx/init';
const require = createRequire(import.meta.url);
const bytes = (p) => readFileSync(require.resolve(p));
let before;
try { whole.gini([1, 2]); before = 'worked'; } catch (e) { before = e.constructor.name; }
whole.initSync({ module: bytes('shijing/shijing_bg.wasm') });
traffic.initSync({ module: new WebAssembly.Module(bytes('shijing/traffic/shijing_bg.wasm')) });
await init({ module_or_path: bytes('shijing/repurchase/shijing_bg.wasm') });
orders.initSync({ module: bytes('shijing/orders/shijing_bg.wasm') });
xlsx.initSync({ module: bytes('shijing/xlsx/shijing_bg.wasm') });
const fit = repurchase.fitBgNbd([2, 1, 0], [30, 2, 0], [39, 39, 39]);
const read = orders.readOrders('buyer,date\\nA,2024-01-01\\n');
console.log(JSON.stringify({ before, gini: [whole.gini([1, 2, 3, 4]), traffic.gini([1, 2, 3, 4])], converged: typeof fit.converged, ids: read.ids, xlsx: typeof xlsx.sheetText }));
fit.free();
`);
  const out = JSON.parse(run('node', ['manual.mjs'], app));
  assert.notEqual(out.before, 'worked', 'shijing/init worked before its init call');
  assert.deepEqual(out.gini, [0.25, 0.25]);
  assert.equal(out.converged, 'boolean');
  assert.deepEqual(out.ids, ['A']);
  assert.equal(out.xlsx, 'function');
});

test('Node ≥ 20.19 can also require() the package (it instantiates synchronously: no top-level await)', (t) => {
  if (!process.features.require_module) return t.skip(`require(esm) is not in node ${process.version}`);
  writeFileSync(join(app, 'req.cjs'), `
const { gini } = require('shijing');
const { fitBgNbd } = require('shijing/repurchase');
console.log(JSON.stringify({ gini: gini([1, 2, 3, 4]), fit: typeof fitBgNbd }));
`);
  const out = JSON.parse(run('node', ['--no-warnings', 'req.cjs'], app));
  assert.deepEqual(out, { gini: 0.25, fit: 'function' });
});

test("the README's usage examples run against the installed package, with no set-up lines", () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/<!-- tested example -->\s*```js\n([\s\S]*?)```/g)].map((b) => b[1]);
  assert.ok(blocks.length >= 4, `README has ${blocks.length} <!-- tested example --> blocks`);
  blocks.forEach((code, i) => {
    assert.doesNotMatch(code, /initSync|readFileSync|createRequire|await init\(/, `README example ${i} still has set-up lines`);
    writeFileSync(join(app, `readme-${i}.mjs`), code);
    const out = run('node', [`readme-${i}.mjs`], app);
    assert.ok(out.trim().length > 0, `README example ${i} printed nothing`);
  });
});

test('the .d.ts files have no `any`, and strict TypeScript consumers of every entry compile (nodenext and bundler resolution)', () => {
  for (const d of DIRS) {
    for (const f of ['shijing.d.ts', 'index.d.ts']) {
      const dts = readFileSync(join(app, 'node_modules', 'shijing', d + f), 'utf8');
      const anys = dts.split('\n').filter((l) => /\bany\b/.test(l) && !/^\s*(\/\*|\*|\/\/)/.test(l));
      assert.deepEqual(anys, [], `public ${d}${f} mentions \`any\``);
    }
  }
  writeFileSync(join(app, 'consumer.ts'), `
import { gini, lorenz, MarketModel, simulate, merchantFromBackend, type LorenzCurve, type BackendFit, type MerchantRepurchase } from 'shijing';
import { capGini } from 'shijing/traffic';
import { fitBgNbd, cohortRepurchase, segmentCustomers, type RepurchaseModel, type CohortRepurchase, type CustomerSegments } from 'shijing/repurchase';
import { readOrders, type ReadOrdersResult, type ReadOrdersReport } from 'shijing/orders';
import { sheetText, type SheetText } from 'shijing/xlsx';
import init, { initSync, gini as gini2, type InitOutput } from 'shijing/init';
import { initSync as initTraffic } from 'shijing/traffic/init';
import initRepurchase from 'shijing/repurchase/init';
declare const bytes: Uint8Array;
const out: InitOutput = initSync({ module: bytes });
initTraffic({ module: bytes });
const later: Promise<InitOutput> = init({ module_or_path: new URL('https://example.test/x.wasm') });
void initRepurchase();
const g: number = gini(new Float64Array([1, 2, 3])) + gini2([1]);
const c: LorenzCurve = lorenz([1, 2, 3], 11);
const s: Float64Array = c.share;
const capped: Float64Array = capGini([1, 2, 3], 0.1);
const fit: RepurchaseModel = fitBgNbd([1], [2], [3]);
const converged: boolean = fit.converged;
const m: MarketModel = new MarketModel();
const orders: ReadOrdersResult = readOrders(new Uint8Array(8), { amountColumn: null, customerColumn: '买家ID', sheet: 0, closedStatuses: ['已关闭'], delimiter: '\\t', encoding: 'gbk' });
const report: ReadOrdersReport = orders.report;
const firstLine: number | undefined = report.malformedRows[0]?.line;
const encoding: 'utf-8' | 'gb18030' | 'utf-16le' | 'utf-16be' | null = report.encoding;
const amounts: Float64Array | null = orders.amounts;
const ids: string[] = orders.customers;
const cohorts: CohortRepurchase = cohortRepurchase(orders.customerIndex, orders.days, { windows: [30, 90] });
const t30: number | null = cohorts.rate[0];
const segments: CustomerSegments = segmentCustomers([1], [0.1], [0], [0], [3], { value: [10] });
const zh: string = segments.summary[0].name.zh;
const sheet: SheetText = sheetText(new Uint8Array(8), { sheet: '订单' });
// My shop: a fit's model and params go into the scenario as they are.
const mine: MerchantRepurchase = { model: fit.model, params: fit.params, unitDays: 7 };
const run = simulate({ merchant: { repurchase: mine, customers: { frequency: [1], recency: [2], T: [3] }, orderValue: { average: 80 } } });
const existing: Float64Array = run.merchant.existingRepurchases;
const backend: BackendFit = merchantFromBackend({ ctr: 0.05, averageOrderValue: 80 });
const setting: 'adSpend' | 'contentQuality' | 'trust' | 'followers' | 'price' | undefined = backend.set[0]?.setting;
const removed = m.runMerchant({ repurchase: null, customers: null, orderValue: null });
const text: Uint8Array = sheet.text;
// @ts-expect-error a column is header text, an index or null
readOrders('', { customerColumn: true });
// @ts-expect-error the zero-config entry has no init function
import { initSync as none } from 'shijing';
export { g, s, capped, converged, m, out, later, none, firstLine, encoding, amounts, ids, t30, zh, text, existing, setting, removed };
`);
  const tsc = join(root, 'www', 'node_modules', '.bin', 'tsc');
  for (const [module, moduleResolution] of [['nodenext', 'nodenext'], ['esnext', 'bundler']]) {
    writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { strict: true, noEmit: true, module, moduleResolution, target: 'es2022', lib: ['es2022', 'dom'], skipLibCheck: false, types: [] },
      files: ['consumer.ts'],
    }));
    try { run(tsc, ['-p', 'tsconfig.json'], app); } catch (e) { assert.fail(`tsc (${moduleResolution}): ${e.stdout}${e.stderr}`); }
  }
});
