/**
 * The demo page in headless Chromium: send a message and see the answer; make the AI slower than WeChat's window
 * and see the pushed message; tap the menu and see the picture. Screenshots: artifacts/demo-*.png.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { PHONE_WIDTH } from '../../src/demo/page/page-css.js';
import { startDemoBed, type DemoBed } from './support.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = fileURLToPath(new URL('../../artifacts/', import.meta.url));
const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium) to run the demo page in a browser`;
/** Waits in the page are bounded by this; the shrunk window makes everything happen within a second or two. */
const PATIENCE_MS = 15_000;

let browser: Browser | undefined;
let bed: DemoBed | undefined;
let page: Page;

before(async () => {
  if (skip) return;
  bed = await startDemoBed({ windowMs: 300, aiLatencyMs: 60 });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = await browser.newPage({ viewport: { width: 1000, height: 880 } });
  page.on('pageerror', (err) => assert.fail(`the page threw: ${err.message}`));
  await page.goto(bed.demo.pageUrl, { waitUntil: 'load' });
  await page.waitForSelector('body[data-ready="true"]', { timeout: PATIENCE_MS });
  mkdirSync(ARTIFACTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  await bed?.close();
});

async function screenshot(name: string): Promise<void> {
  const path = `${ARTIFACTS}demo-${name}.png`;
  await page.screenshot({ path });
  assert.ok(statSync(path).size > 20_000, `${path} has content`);
}

async function type(text: string): Promise<void> {
  await page.fill('#input', text);
  await page.press('#input', 'Enter');
}

/** The account's message (bubble + arrival mark) that contains `text`. */
const answerWith = (text: string) => page.locator('.row[data-kind="account"]', { hasText: text });

/** Waits for an account message; on timeout the error shows the chat and the event log as the page has them. */
async function waitForAnswer(text: string) {
  const answer = answerWith(text);
  try {
    await answer.waitFor({ timeout: PATIENCE_MS });
  } catch (err) {
    const chat = await page.locator('#chat').innerText();
    const log = await page.locator('#log').innerText();
    throw new Error(`no answer containing "${text}" (${(err as Error).message})\n--- chat ---\n${chat}\n--- event log ---\n${log}`);
  }
  return answer;
}

test('the page is a WeChat chat on a 375 px phone: title bar, input bar, menu toggle', { skip }, async () => {
  assert.equal(await page.locator('#account-name').textContent(), 'mpgate 助手');
  const phone = await page.locator('#phone').boundingBox();
  assert.ok(phone && Math.abs(phone.width - PHONE_WIDTH) < 1, `phone is ${phone?.width}px wide`);
  assert.ok(await page.locator('#input-bar').isVisible());
  assert.ok(await page.locator('#menu-bar').isHidden());
  assert.match((await page.locator('#latency-explain').textContent()) ?? '', /passive reply on delivery 1/);
});

test('send a message and see the answer, marked as the passive reply of delivery 1', { skip }, async () => {
  await type('你好');
  const answer = await waitForAnswer('你好！我是 mpgate 演示里的 AI');
  assert.match((await answer.locator('.arrival').textContent()) ?? '', /^delivery 1 · \d+\.\d s$/);
  assert.equal(await answer.locator('.arrival').getAttribute('data-channel'), 'passive');

  const mine = page.locator('.row.mine', { hasText: '你好' }).first();
  await mine.locator('.deliveries span[data-outcome="reply"]').waitFor({ timeout: PATIENCE_MS });
  // (Plain arrow functions only: tsx would wrap a named one in a helper the page does not have.)
  const colours = {
    mine: await mine.locator('.bubble').evaluate((el) => getComputedStyle(el).backgroundColor),
    theirs: await answer.locator('.bubble').evaluate((el) => getComputedStyle(el).backgroundColor),
  };
  assert.deepEqual(colours, { mine: 'rgb(149, 236, 105)', theirs: 'rgb(255, 255, 255)' }, 'green on the right, white on the left');
  const [me, them] = await Promise.all([mine.locator('.bubble').boundingBox(), answer.locator('.bubble').boundingBox()]);
  assert.ok(me && them && me.x > them.x, "the follower's bubble is on the right");
  await screenshot('passive');
});

test('with the AI slower than the window: the waiting text on delivery 3, then the answer pushed by 客服', { skip }, async () => {
  await page.click('.chip[data-latency="1500"]');
  await page.waitForSelector('.chip[data-latency="1500"][aria-pressed="true"]', { timeout: PATIENCE_MS });
  assert.match((await page.locator('#latency-explain').textContent()) ?? '', /pushed by 客服/);
  await type('慢一点的问题');
  const waiting = await waitForAnswer('正在为你生成回答');
  assert.match((await waiting.locator('.arrival').textContent()) ?? '', /^delivery 3 · /);
  const pushed = await waitForAnswer('「慢一点的问题」');
  assert.equal(await pushed.locator('.arrival').getAttribute('data-channel'), 'push');
  assert.match((await pushed.locator('.arrival').textContent()) ?? '', /^push · \d+\.\d s/);
  const marks = await page.locator('.row.mine', { hasText: '慢一点的问题' }).locator('.deliveries span').allTextContents();
  assert.deepEqual(
    marks.map((m) => m.replace(/ [\d.]+s$/, '')),
    ['1 no reply', '2 no reply', '3 waiting text'],
  );
  await page.waitForSelector('#log li .text >> text=/message\\/custom\\/send → ok/', { timeout: PATIENCE_MS });
  await screenshot('push');
});

test('the bottom menu sends a CLICK event, and the AI answers with a picture', { skip }, async () => {
  await page.click('.chip[data-latency="60"]');
  await page.waitForSelector('.chip[data-latency="60"][aria-pressed="true"]', { timeout: PATIENCE_MS });
  await page.click('#to-menu');
  await page.click('.menu-button >> text=试一试');
  await page.click('.sub-menu >> text=来张图片');
  await page.locator('.event-line', { hasText: '你点击了菜单「来张图片」' }).waitFor({ timeout: PATIENCE_MS });
  const image = page.locator('.row[data-kind="account"] .bubble.image img').last();
  await image.waitFor({ timeout: PATIENCE_MS });
  await page.waitForFunction((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth === 480, await image.elementHandle(), {
    timeout: PATIENCE_MS,
  });
  await screenshot('image');
});
