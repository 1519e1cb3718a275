// Finishes the wasm-pack output in pkg/ (run by scripts/build-pkg.sh). For the
// whole package, each half, the export reader and the workbook reader (pkg/,
// pkg/traffic/, pkg/repurchase/, pkg/orders/, pkg/xlsx/):
//
//   shijing.js, shijing.d.ts   wasm-bindgen's glue: the manual-init entry
//                              (`shijing/init`, `shijing/traffic/init`, …) for hosts
//                              that load the bytes themselves (`initSync`, `init`)
//   node.js                    zero-config entry for Node (the "node" condition):
//                              instantiates synchronously from the .wasm beside it
//   index.js                   zero-config entry for browsers and bundlers: a
//                              top-level await `init()` on new URL('…wasm', import.meta.url)
//   index.d.ts                 the zero-config entries' types
//
// and an explicit exports map with `types` conditions, so Node, bundlers and
// TypeScript resolve the same files. The zero-config entries re-export the
// glue's exports by name (all but initSync and the default init): the list is
// read from the glue itself at build time (its runtime exports, checked
// against its .d.ts), so a new export needs nothing here.
//
// The glue is also patched (issue 19): initSync/init given a Wasm whose exports
// or imports are not the ones this glue was built with (e.g. the other half's)
// throws an error naming the mismatch, instead of "succeeding" and failing on every
// later call; and an instantiation that fails leaves the module uninitialized,
// so a retry with the right bytes works. And every method, getter and setter
// of every class first checks that its object is alive (not freed, and made
// by its class), as does an object passed as an argument: otherwise
// wasm-bindgen's own "null pointer passed to rust" is thrown from inside the
// Wasm, skipping its clean-up, and some 16,000 such calls break the instance
// ("memory access out of bounds"). A second `free()` does nothing.
import { readFileSync, writeFileSync, copyFileSync, rmSync, existsSync } from 'node:fs';

const pkgDir = new URL('../pkg/', import.meta.url);
const file = new URL('package.json', pkgDir);
const pkg = JSON.parse(readFileSync(file, 'utf8'));
const PARTS = ['traffic', 'repurchase', 'covariates', 'orders', 'xlsx'];
const DIRS = ['', ...PARTS.map((p) => `${p}/`)];
const GLUE = ['shijing_bg.wasm', 'shijing.js', 'shijing.d.ts', 'shijing_bg.wasm.d.ts'];
const ENTRIES = ['index.js', 'node.js', 'index.d.ts'];
const INIT_NAMES = new Set(['initSync', 'default', 'InitInput', 'InitOutput', 'SyncInitInput']);
const nameOf = (dir) => `shijing${dir ? `/${dir.slice(0, -1)}` : ''}`;

pkg.type = 'module';
pkg.main = 'index.js';
pkg.types = 'index.d.ts';
const entry = (d) => ({ types: `./${d}index.d.ts`, node: `./${d}node.js`, default: `./${d}index.js` });
const manual = (d) => ({ types: `./${d}shijing.d.ts`, default: `./${d}shijing.js` });
pkg.exports = Object.fromEntries([
  ...DIRS.flatMap((d) => [
    [d ? `./${d.slice(0, -1)}` : '.', entry(d)],
    [`./${d}init`, manual(d)],
    [`./${d}shijing_bg.wasm`, `./${d}shijing_bg.wasm`],
  ]),
  ['./package.json', './package.json'],
]);
// `snippets/`: JS that wasm-bindgen copies beside the glue (`inline_js`), imported by it.
const snippets = (d) => (existsSync(new URL(`${d}snippets`, pkgDir)) ? [`${d}snippets/`] : []);
pkg.files = [...DIRS.flatMap((d) => [...GLUE, ...ENTRIES].map((f) => d + f).concat(snippets(d))), 'README.md', 'LICENSE'];
// The zero-config entries instantiate the Wasm when evaluated: a bundler must not skip them.
pkg.sideEffects = DIRS.flatMap((d) => [`./${d}index.js`, `./${d}node.js`]);
pkg.engines = { node: '>=18' };
writeFileSync(file, JSON.stringify(pkg, null, 2) + '\n');
copyFileSync(new URL('../pkg-README.md', import.meta.url), new URL('README.md', pkgDir));
copyFileSync(new URL('../LICENSE', import.meta.url), new URL('LICENSE', pkgDir));

for (const dir of DIRS) {
  const at = (f) => new URL(dir + f, pkgDir);
  const name = nameOf(dir);

  // TypeScript: (1) a last argument named `options`, `scenario` or `merchant` is
  // optional (a Rust `Option<JsValue>` whose type is given with
  // `unchecked_param_type` loses its `?`); (2) the raw Wasm exports listed in
  // `InitOutput` take and return opaque values: `unknown`, never `any`.
  // (3) classes declare `[Symbol.dispose]()` (for `using`): reference the lib that
  // types it, so consumers compiling for ES2022 or older still type-check.
  // (4) wasm-bindgen's `free()` and `[Symbol.dispose]()` get a doc line (the API
  // reference, scripts/api-docs.sh, flags undocumented members).
  for (const f of ['shijing.d.ts', 'shijing_bg.wasm.d.ts']) {
    let dts = readFileSync(at(f), 'utf8');
    if (f === 'shijing.d.ts' && !dts.includes('esnext.disposable')) dts = '/// <reference lib="esnext.disposable" />\n' + dts;
    dts = dts
      .replace(/\b(options|scenario|merchant): ([\w<>]+)\)/g, '$1?: $2)')
      .replace(/\bany\b(?=[^\n]*=>)|(?<=(?:: |=> ))any\b/g, 'unknown')
      .replace(/(?<!\*\/\n)^( +)free\(\): void;$/gm, '$1/** Frees the Wasm memory this object holds; the object cannot be used afterwards. */\n$1free(): void;')
      .replace(/(?<!\*\/\n)^( +)\[Symbol\.dispose\]\(\): void;$/gm, '$1/** `free()`, for `using` declarations. */\n$1[Symbol.dispose](): void;');
    // (5) shijing/traffic leaves the merchant's fitted process out (Cargo feature myshop): say so on its fields.
    if (dir === 'traffic/' && f === 'shijing.d.ts') {
      dts = dts.replace(/^( +\/\*\* )(?!Not in `shijing\/traffic`)(.*\*\/\n +(?:repurchase|customers|orderValue)\?: Merchant)/gm, '$1Not in `shijing/traffic` (setting it throws an `Error`): the full package `shijing` has the merchant\'s fitted process. $2');
    }
    if (f === 'shijing.d.ts' && !dts.includes('@module')) {
      dts = dts.replace('/// <reference lib="esnext.disposable" />\n', `/// <reference lib="esnext.disposable" />\n/**\n * ${name}/init: the manual-init entry, for hosts that load the Wasm bytes themselves:\n * call \`initSync({ module })\` or \`await init()\` once before any other export.\n * @module ${name}/init\n */\n`);
    }
    writeFileSync(at(f), dts);
  }

  // The glue: check the instance's exports before adopting it, and forget a
  // failed instantiation (see the top of this file).
  const bytes = readFileSync(at('shijing_bg.wasm'));
  // (the API's own names first, so a message about a mismatch names those)
  const wasmExports = WebAssembly.Module.exports(new WebAssembly.Module(bytes)).map((e) => e.name)
    .sort((a, b) => a.startsWith('__') - b.startsWith('__') || (a < b ? -1 : a > b ? 1 : 0));
  let glue = readFileSync(at('shijing.js'), 'utf8');
  const FINALIZE = /function __wbg_finalize_init\(instance, module\) \{\n    wasmInstance = instance;\n    wasm = instance\.exports;\n    wasmModule = module;\n([\s\S]*?)    wasm\.__wbindgen_start\(\);\n    return wasm;\n\}/;
  const SYNC = '    const instance = new WebAssembly.Instance(module, imports);\n';
  const ASYNC = '    const { instance, module } = await __wbg_load(await module_or_path, imports);\n';
  if (!glue.includes('__shijing_check')) {
    if (!FINALIZE.test(glue) || !glue.includes(SYNC) || !glue.includes(ASYNC)) {
      throw new Error(`${dir}shijing.js: wasm-bindgen's init code is not the one finish-pkg.mjs patches (did wasm-bindgen change?)`);
    }
    const refuse = (why) => `new Error('${name}: this Wasm is not the module ${name} was built with (' + ${why} + '): pass ${name}/shijing_bg.wasm'${why.includes('cause') ? ', { cause: e }' : ''})`;
    glue = glue
      .replace(SYNC, `    __shijing_check(WebAssembly.Module.exports(module).map((e) => e.name));
    let instance;
    try {
        instance = new WebAssembly.Instance(module, __shijing_imports(imports));
    } catch (e) {
        throw __shijing_refused(e);
    }
`)
      .replace(ASYNC, `    const { instance, module } = await __wbg_load(await module_or_path, __shijing_imports(imports)).catch((e) => { throw __shijing_refused(e); });
`)
      .replace(FINALIZE, (_, resets) => `const __shijing_exports = ${JSON.stringify(wasmExports)};
/** Throws unless \`names\` are the exports of this glue's own Wasm (not the other half's, not another build's). */
function __shijing_check(names) {
    const few = (ks) => ks.slice(0, 3).join(', ') + (ks.length > 3 ? ' and ' + (ks.length - 3) + ' more' : '');
    const lacks = __shijing_exports.filter((k) => !names.includes(k));
    const extra = names.filter((k) => !__shijing_exports.includes(k)).sort((a, b) => a.startsWith('__') - b.startsWith('__'));
    const why = [];
    if (lacks.length) why.push('it lacks ' + few(lacks));
    if (extra.length) why.push('it has ' + few(extra) + ', which ${name} does not');
    if (why.length) throw ${refuse("why.join('; ')")};
}
/**
 * The imports, with an empty object for a module name the Wasm asks for that this glue lacks
 * (another part's inline-JS snippets): instantiating then fails with a LinkError, refused below,
 * not with a TypeError ("module is not an object") that says nothing of the mismatch.
 */
function __shijing_imports(imports) {
    return new Proxy(imports, { get: (t, k) => (k in t ? t[k] : {}) });
}
/** A LinkError (the module wants imports this glue does not have; \`__shijing_imports\` turns a missing
 *  import module into one) as the same refusal. */
function __shijing_refused(e) {
    return e instanceof WebAssembly.LinkError ? ${refuse("'its imports differ: ' + e.message /* cause */")} : e;
}
function __wbg_finalize_init(instance, module) {
    __shijing_check(Object.keys(instance.exports));
    wasmInstance = instance;
    wasm = instance.exports;
    wasmModule = module;
${resets}    try {
        wasm.__wbindgen_start();
    } catch (e) {
        wasmInstance = wasm = wasmModule = undefined; // a retry starts afresh
        throw e;
    }
    return wasm;
}`);
  }
  // Live objects only (see the top of this file).
  if (!glue.includes('__shijing_dead')) {
    const ASSERT = 'function _assertClass(instance, klass) {\n    if (!(instance instanceof klass)) {\n        throw new Error(`expected instance of ${klass.name}`);\n    }\n';
    const classes = [...glue.matchAll(/^export class (\w+) \{$/gm)].map((c) => c[1]);
    if (classes.length && !glue.includes('__destroy_into_raw() {\n        const ptr = this.__wbg_ptr;\n        this.__wbg_ptr = 0;')) {
      throw new Error(`${dir}shijing.js: wasm-bindgen's classes are not the ones finish-pkg.mjs patches (did wasm-bindgen change?)`);
    }
    if (glue.includes('_assertClass(') && !glue.includes(ASSERT)) {
      throw new Error(`${dir}shijing.js: wasm-bindgen's _assertClass is not the one finish-pkg.mjs patches (did wasm-bindgen change?)`);
    }
    glue = glue.replace(ASSERT, `${ASSERT}    if (!instance.__wbg_ptr) throw __shijing_dead(instance, klass);\n`);
    for (const name of classes) {
      const start = glue.indexOf(`export class ${name} {\n`);
      const end = glue.indexOf('\n}\n', start);
      const body = glue.slice(start, end)
        .replace(/^( {4})((?:get |set )?)(\w+)\((.*)\) \{$/gm, (line, indent, kind, member) => {
          if (['constructor', 'free', '__destroy_into_raw'].includes(member)) return line;
          return `${line}\n${indent}    if (!(this instanceof ${name}) || !this.__wbg_ptr) throw __shijing_dead(this, ${name}, '${member}');`;
        })
        .replace(/^( {4})free\(\) \{\n {8}const ptr = this\.__destroy_into_raw\(\);\n/m, (m, indent) => `${m}${indent}    if (!ptr) return; // freed already\n`);
      glue = glue.slice(0, start) + body + glue.slice(end);
    }
    glue += `
/** The error for a method called on an object that was freed (or was not made by its class). */
function __shijing_dead(obj, klass, member) {
    const what = member ? \`\${klass.name}.\${member}: \` : '';
    return obj instanceof klass
        ? new Error(\`\${what}this \${klass.name} was freed (free() or the end of a using block) and cannot be used any more\`)
        : new Error(\`\${what}called on something that is not a \${klass.name}\`);
}
`;
  }
  writeFileSync(at('shijing.js'), glue);

  // The exports the zero-config entries re-export: the glue's runtime exports
  // (all but the init functions), each of which must be declared in its .d.ts.
  const runtime = Object.keys(await import(at('shijing.js'))).filter((k) => !INIT_NAMES.has(k)).sort();
  const dts = readFileSync(at('shijing.d.ts'), 'utf8');
  const declared = [...dts.matchAll(/^export (?:declare )?(?:abstract )?(?:function|class|interface|type|enum|const|let|namespace) (\w+)/gm)].map((m) => m[1]);
  const types = [...new Set(declared)].filter((k) => !INIT_NAMES.has(k)).sort();
  const untyped = runtime.filter((k) => !types.includes(k));
  if (untyped.length) throw new Error(`${dir}shijing.d.ts does not declare ${untyped.join(', ')}`);
  const list = (names) => `{\n${names.map((k) => `  ${k},`).join('\n')}\n}`;
  const header = (how) => `// ${name}, zero-config: ${how}.\n// Generated by scripts/finish-pkg.mjs. Hosts that load the bytes themselves: ${name}/init.\n`;

  writeFileSync(at('node.js'), `${header('the Wasm beside this file is instantiated synchronously when Node imports it')}import { readFileSync } from 'node:fs';
import { initSync } from './shijing.js';

initSync({ module: readFileSync(new URL('./shijing_bg.wasm', import.meta.url)) });

export ${list(runtime)} from './shijing.js';
`);
  writeFileSync(at('index.js'), `${header('for browsers and bundlers; the Wasm beside this file is fetched and instantiated in a top-level await')}import init from './shijing.js';

await init({ module_or_path: new URL('./shijing_bg.wasm', import.meta.url) });

export ${list(runtime)} from './shijing.js';
`);
  const ABOUT = {
    'traffic/': 'One half of shijing, with its own smaller Wasm: allocation, the funnel, the simulation, Gini and Lorenz.',
    'repurchase/': 'One half of shijing, with its own smaller Wasm: order summaries, observed repurchase rates, the repurchase models and customer segments.',
    'covariates/': 'The repurchase half with the fits with static covariates (fitBgNbdWithCovariates, fitModifiedBgNbdWithCovariates, fitParetoNbdWithCovariates, oneHot), with its own Wasm: load it only when covariates are needed.',
    'orders/': "shijing's order-export reader alone, with its own small Wasm: `readOrders` reads a shop's export (CSV/TSV text in UTF-8, GBK/GB18030 or UTF-16) into purchases for `shijing/repurchase` (load it only when a file is opened).",
    'xlsx/': "shijing's .xlsx reader alone, with its own small Wasm: `sheetText` turns a workbook's sheet into text that `readOrders` of `shijing/orders` reads (load it only when a workbook is opened).",
  };
  const about = ABOUT[dir] ?? 'Traffic allocation (the Gini cap, the cold-start pool, tiered pools), the live-commerce funnel and repurchase prediction (BG/NBD, MBG/NBD, Pareto/NBD, Gamma-Gamma) from merchants\' own order exports, in Rust compiled to WebAssembly.\n *\n * The halves `shijing/traffic` (allocation, the funnel, the simulation, Gini and Lorenz) and\n * `shijing/repurchase` (order summaries and the repurchase models) export the same functions\n * from their own smaller Wasm; `shijing/orders` is the export reader (`readOrders`, text) alone\n * and `shijing/xlsx` the workbook reader (`sheetText`) alone.';
  writeFileSync(at('index.d.ts'), `/// <reference lib="esnext.disposable" />
/**
 * ${about}
 *
 * \`import { … } from '${name}'\` works as is, with no init call: in Node the
 * Wasm is instantiated when the module is imported, in browsers and bundlers
 * in a top-level await. Hosts that load the bytes themselves use \`${name}/init\`:
 * the same exports plus \`initSync({ module })\` and the default \`init({ module_or_path })\`,
 * one of which must be called first.
 * @module ${name}
 */
export ${list(types)} from './shijing.js';
`);
}

// wasm-pack writes a catch-all .gitignore; pkg/ is ignored by the repo's own .gitignore instead.
rmSync(new URL('.gitignore', pkgDir), { force: true });
