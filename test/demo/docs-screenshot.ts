/**
 * Takes docs/demo.png, the README's picture of the demo: the real 5 s window, a long answer split into pushed
 * parts, a passive reply, and a question slower than every delivery (waiting text, then the pushed answer).
 *
 *   node --import tsx test/demo/docs-screenshot.ts        (about 45 s; needs /usr/bin/chromium)
 *
 * Not a test (the runner only picks up *.test.ts): run it by hand when the page's look changes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startDemo } from '../../src/demo/demo.js';

const OUT = fileURLToPath(new URL('../../docs/demo.png', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'mpgate-demo-shot-'));
const demo = await startDemo({ port: 0, dataDir, aiLatencyMs: 1000 });
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1000, height: 880 }, deviceScaleFactor: 2 });
  await page.goto(demo.pageUrl, { waitUntil: 'load' });
  await page.waitForSelector('body[data-ready="true"]');
  const say = async (text: string): Promise<void> => {
    await page.fill('#input', text);
    await page.press('#input', 'Enter');
  };
  const answered = (text: string, timeout = 60_000) => page.locator('.row[data-kind="account"]', { hasText: text }).waitFor({ timeout });

  await say('长回答');
  await page.locator('.row[data-kind="account"] .arrival[data-channel="push"]').nth(1).waitFor({ timeout: 30_000 });
  await say('今天吃什么？');
  await answered('「今天吃什么？」');
  await page.click('.chip[data-latency="25000"]');
  await page.waitForSelector('.chip[data-latency="25000"][aria-pressed="true"]');
  await say('想一想：为什么要等 5 秒？');
  await answered('想好了');
  await page.waitForTimeout(800); // the last log lines and the scroll settle
  await page.screenshot({ path: OUT });
  console.error(`wrote ${OUT}`);
} finally {
  await browser.close();
  await demo.close();
  rmSync(dataDir, { recursive: true, force: true });
}
