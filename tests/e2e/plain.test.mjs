// The package straight in a browser: a plain <script type="module"> page, no bundler.
import test from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, guardedPage, root } from './browser.mjs';

test('pkg loads in a plain module script page', async () => {
  const server = await serve(root);
  const browser = await launch();
  try {
    const { page, problems } = await guardedPage(browser, server.url);
    await page.goto(`${server.url}tests/e2e/plain.html`);
    await page.waitForFunction(() => document.body.dataset.gini !== undefined, null, { timeout: 15_000 });
    assert.equal(await page.evaluate(() => document.body.dataset.gini), '0.25');
    assert.equal(await page.evaluate(() => document.body.dataset.share), '0.00,0.10,0.30,0.60,1.00');
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
    await server.close();
  }
});
