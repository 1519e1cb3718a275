// Loads the built npm package (pkg/, --target web) synchronously in Node, the
// way a Node user would: initSync({ module: bytes }). SHIJING_PKG may point at
// another build directory.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const dir = process.env.SHIJING_PKG
  ? pathToFileURL(process.env.SHIJING_PKG.replace(/\/?$/, '/'))
  : new URL('../../pkg/', import.meta.url);
const m = await import(new URL('shijing.js', dir));
let exports;

/** The initialized module namespace. */
export function load() {
  if (!exports) exports = m.initSync({ module: readFileSync(new URL('shijing_bg.wasm', dir)) });
  return m;
}

/** The instance's linear memory (for the leak check). */
export function memory() {
  load();
  return exports.memory;
}

/** Reads a file in tests/data/. */
export function data(name) {
  return readFileSync(new URL(`../data/${name}`, import.meta.url), 'utf8');
}
