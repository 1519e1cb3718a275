// The built npm package (pkg/) as Node imports it: its zero-config Node entry
// (pkg/node.js, what `import … from 'shijing'` resolves to in Node), no init
// call. SHIJING_PKG may point at another build directory.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const dir = process.env.SHIJING_PKG
  ? pathToFileURL(process.env.SHIJING_PKG.replace(/\/?$/, '/'))
  : new URL('../../pkg/', import.meta.url);
const m = await import(new URL('node.js', dir));
// The same glue module node.js initialized: its initSync returns the
// instance's exports once the module is initialized.
const glue = await import(new URL('shijing.js', dir));

/** The package's module namespace, ready to use. */
export function load() {
  return m;
}

/** One part of the package (`traffic`, `repurchase`, `orders`, `xlsx`) through its zero-config Node entry. */
export function loadPart(part) {
  return import(new URL(`${part}/node.js`, dir));
}

/** Reads a file in tests/data/ as bytes. */
export function bytes(name) {
  return new Uint8Array(readFileSync(new URL(`../data/${name}`, import.meta.url)));
}

/** The instance's linear memory (for the leak check). */
export function memory() {
  return glue.initSync().memory;
}

/** Reads a file in tests/data/. */
export function data(name) {
  return readFileSync(new URL(`../data/${name}`, import.meta.url), 'utf8');
}

/** The rows of a CSV file in tests/data/ after its header line, as numbers. */
export function csvRows(name) {
  return data(name).trim().split('\n').slice(1).map((l) => l.split(',').map(Number));
}

/** CDNOW's customer summary (2,357 customers): ids, and x, t_x, T as Float64Arrays. */
export function cdnow() {
  const rows = csvRows('cdnow_customers_summary.csv');
  return {
    id: rows.map((r) => r[0]),
    x: Float64Array.from(rows, (r) => r[1]),
    tx: Float64Array.from(rows, (r) => r[2]),
    T: Float64Array.from(rows, (r) => r[3]),
  };
}

/** `fn(model)`'s result; the model is freed after, whatever `fn` does. */
export function withModel(model, fn) {
  try {
    return fn(model);
  } finally {
    model.free();
  }
}
