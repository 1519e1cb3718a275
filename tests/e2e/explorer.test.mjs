// The explorer as a merchant meets it: the built site (www/dist) in headless Chromium.
import test from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { serve, launch, guardedPage, shot, root } from './browser.mjs';
import { load } from '../js/load.mjs';

const m = load();
let server, browser;
test.before(async () => { server = await serve(join(root, 'www', 'dist')); browser = await launch(); });
test.after(async () => { await browser?.close(); await server?.close(); });

test('skeleton: Gini figure and Lorenz chart from the worker', async () => {
  const { page, problems } = await guardedPage(browser, server.url, { viewport: { width: 1100, height: 800 } });
  await page.goto(`${server.url}?sigma=1.5`);
  await page.waitForSelector('body[data-ready="1"]', { timeout: 15_000 });
  const expected = m.gini(m.sampleExposure(10_000, { sigma: 1.5, seed: 42 }));
  assert.equal(await page.textContent('#gini'), expected.toFixed(4));
  const share = await page.evaluate(() => Array.from(window.shijingCharts.lorenz.data[1]));
  assert.equal(share.length, 101);
  assert.equal(share[0], 0);
  assert.ok(Math.abs(share[100] - 1) < 1e-12);
  for (let k = 1; k < share.length; k++) assert.ok(share[k] >= share[k - 1]);
  // the chart is drawn: the canvas has non-background pixels
  const inked = await page.evaluate(() => {
    const c = document.querySelector('#lorenz-chart canvas');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0; for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0) n++;
    return n;
  });
  assert.ok(inked > 500, `canvas almost empty (${inked} pixels)`);
  // moving the slider redraws with a lower Gini
  await page.fill('#sigma', '0.5');
  await page.waitForFunction((g) => document.querySelector('#gini').textContent !== g, expected.toFixed(4));
  assert.ok(Number(await page.textContent('#gini')) < expected);
  await shot(page, 'skeleton');
  assert.deepEqual(problems, []);
});
