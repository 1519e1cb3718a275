// Shared set-up for the browser tests: a static server on 127.0.0.1 and
// Debian's Chromium driven by playwright-core (from www/node_modules), with
// guards that fail a test on any console error, page error, or request that
// leaves the page's own origin.
import { createRequire } from 'node:module';
import { createServer } from 'node:http';
import { readFile, stat, mkdir } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(new URL('../../www/package.json', import.meta.url));
const { chromium } = require('playwright-core');

export const root = fileURLToPath(new URL('../../', import.meta.url));
export const screenshots = join(root, 'tests', 'e2e', 'screenshots');

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.css': 'text/css', '.wasm': 'application/wasm', '.json': 'application/json',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.csv': 'text/csv', '.txt': 'text/plain',
};

/** Serves `dir` on 127.0.0.1 at a free port; resolves to { url, close }. */
export async function serve(dir) {
  const server = createServer(async (req, res) => {
    try {
      const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
      let file = join(dir, path);
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
      res.end(body);
    } catch {
      res.writeHead(404); res.end('not found');
    }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${server.address().port}/`, close: () => new Promise((r) => server.close(r)) };
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

/** A page that records console errors, page errors and off-origin requests (and every URL it requests, its worker's too). */
export async function guardedPage(browser, origin, options = {}) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const problems = [];
  const requests = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => {
    const u = r.url();
    requests.push(u);
    if (!u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:')) problems.push(`off-origin request: ${u}`);
  });
  page.on('requestfailed', (r) => problems.push(`failed request: ${r.url()} ${r.failure()?.errorText}`));
  return { page, context, problems, requests };
}

export async function shot(page, name) {
  await mkdir(screenshots, { recursive: true });
  const path = join(screenshots, `${name}.png`);
  await page.evaluate(() => window.scrollTo(0, 0)); // sticky panels sit where a reader sees them first
  await page.screenshot({ path, fullPage: true });
  return path;
}

export const outDir = join(root, 'tests', 'e2e', 'out');

/** Merges `patch` into tests/e2e/out/perf.json (the explorer's speed figures for BENCHMARKS.md). */
export async function recordPerf(patch) {
  const { writeFile } = await import('node:fs/promises');
  await mkdir(outDir, { recursive: true });
  const file = join(outDir, 'perf.json');
  let cur = {};
  try { cur = JSON.parse(await readFile(file, 'utf8')); } catch { /* first write */ }
  await writeFile(file, JSON.stringify({ ...cur, ...patch, updated: new Date().toISOString() }, null, 2) + '\n');
}

/** p-th percentile (0–100) of numbers, nearest-rank. */
export function percentile(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return NaN;
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}
