// The npm package in the browser hosts, as a user gets it: `npm pack`, the
// tarball installed in a fresh folder, then (1) an app built by Vite (a
// bundler build, Vite's defaults, no config), the same app on Vite's dev
// server (which pre-bundles dependencies), and (2) a plain
// <script type="module"> page with an import map (tests/e2e/plain.html), each
// loaded in headless Chromium, all running the same app
// (tests/e2e/hosts-app.js). None calls an init function. (Node, the third
// host, is in tests/js/package.test.mjs.)
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packAndInstall, root, run } from '../js/packed.mjs';
import { serve, launch, guardedPage } from './browser.mjs';

let browser, app, cleanup;
test.before(async () => {
  ({ app, cleanup } = packAndInstall('shijing-hosts-'));
  browser = await launch();
});
test.after(async () => { await browser?.close(); cleanup?.(); });

const EXPECTED = { gini: 0.25, share: '0.00,0.10,0.30,0.60,1.00', converged: true };

/** Serves `dir` (or uses a running `server`), opens `path` in a guarded page, waits for body[data-result]. */
async function resultOf(dir, path, server = null) {
  const own = !server;
  server ??= await serve(dir);
  try {
    const { page, context, problems, requests } = await guardedPage(browser, server.url);
    await page.goto(server.url + path);
    await page.waitForFunction(() => document.body?.dataset.result !== undefined, null, { timeout: 20_000 });
    const result = JSON.parse(await page.evaluate(() => document.body.dataset.result));
    await context.close();
    assert.deepEqual(problems, []);
    return { result, wasm: requests.filter((u) => u.endsWith('.wasm')).map((u) => new URL(u).pathname) };
  } finally {
    if (own) await server.close();
  }
}

function check(result) {
  assert.equal(result.gini, EXPECTED.gini);
  assert.equal(result.share, EXPECTED.share);
  assert.ok(Math.abs(result.capped - 0.2) < 1e-9, `capGini gave Gini ${result.capped}`);
  assert.equal(typeof result.converged, 'boolean');
  assert.match(result.version, /^\d+\.\d+\.\d+/);
}

const vite = join(root, 'www', 'node_modules', 'vite', 'bin', 'vite.js');
/** The app every host runs: it imports the package and its two halves and writes body[data-result]. */
const APP = join(root, 'tests', 'e2e', 'hosts-app.js');
function viteApp(name) {
  const site = join(app, name);
  mkdirSync(site);
  writeFileSync(join(site, 'index.html'), '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>vite</title><body><script type="module" src="./main.js"></script></body>\n');
  copyFileSync(APP, join(site, 'main.js'));
  return site;
}

test('Vite: an app that imports shijing, shijing/traffic and shijing/repurchase builds with no config and runs in Chromium', async () => {
  const site = viteApp('vite-build');
  run(process.execPath, [vite, 'build', '--logLevel', 'warn'], site);
  const assets = readdirSync(join(site, 'dist', 'assets'));
  assert.equal(assets.filter((f) => f.endsWith('.wasm')).length, 3, `emitted: ${assets.join(', ')}`);
  const { result, wasm } = await resultOf(join(site, 'dist'), '');
  check(result);
  assert.equal(wasm.length, 3, `the page fetched ${wasm.join(', ')}`);
});

test("Vite's dev server (dependencies pre-bundled) serves the same app, with no config", async () => {
  const site = viteApp('vite-dev');
  const dev = spawn(process.execPath, [vite, '--host', '127.0.0.1', '--port', '0', '--clearScreen', 'false'], { cwd: site, stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    let log = '';
    const url = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`vite dev did not start: ${log}`)), 30_000);
      const read = (d) => {
        log += d;
        const m = log.replace(/\x1b\[[0-9;]*m/g, '').match(/Local:\s+(http:\/\/127\.0\.0\.1:\d+\/)/);
        if (m) { clearTimeout(timer); resolve(m[1]); }
      };
      dev.stdout.on('data', read);
      dev.stderr.on('data', read);
      dev.on('exit', (code) => reject(new Error(`vite dev exited (${code}): ${log}`)));
    });
    const { result } = await resultOf(null, '', { url, close: async () => {} });
    check(result);
  } finally {
    dev.kill();
  }
});

test('a plain <script type="module"> page with an import map runs the package with no init call', async () => {
  copyFileSync(join(root, 'tests', 'e2e', 'plain.html'), join(app, 'plain.html'));
  copyFileSync(APP, join(app, 'hosts-app.js'));
  const { result, wasm } = await resultOf(app, 'plain.html');
  check(result);
  assert.deepEqual(wasm.sort(), ['/node_modules/shijing/repurchase/shijing_bg.wasm', '/node_modules/shijing/shijing_bg.wasm', '/node_modules/shijing/traffic/shijing_bg.wasm']);
});
