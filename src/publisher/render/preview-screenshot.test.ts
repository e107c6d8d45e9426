import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { PHONE_WIDTH } from './preview-page.js';
import { startPreviewServer } from './preview-server.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTICLE = fileURLToPath(new URL('../../../test/fixtures/articles/showcase.md', import.meta.url));
const ARTIFACTS = fileURLToPath(new URL('../../../artifacts/', import.meta.url));
const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium) to screenshot the preview`;

let browser: Browser | undefined;

before(async () => {
  if (skip) return;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
});

for (const theme of ['default', 'elegant', 'tech']) {
  test(`the ${theme} preview renders at phone width in Chromium (screenshot: artifacts/preview-${theme}.png)`, { skip }, async () => {
    const server = await startPreviewServer({ file: ARTICLE, theme });
    const page = await (browser as Browser).newPage({ viewport: { width: 430, height: 900 } });
    try {
      await page.goto(server.url, { waitUntil: 'load' });
      assert.equal(await page.locator('#mp-title').textContent(), '用 mpgate 把 Markdown 发到公众号');
      const phone = await page.locator('#mp-phone').boundingBox();
      assert.ok(phone && Math.abs(phone.width - PHONE_WIDTH) < 1, `phone frame is ${phone?.width}px wide`);
      const article = await page.locator('#mp-content > section').boundingBox();
      assert.ok(article && article.width > PHONE_WIDTH - 40 && article.width <= PHONE_WIDTH - 30, `article body is ${article?.width}px wide`);

      const facts = await page.evaluate(() => {
        const content = document.querySelector('#mp-content') as HTMLElement;
        const img = content.querySelector('img') as HTMLImageElement;
        const pre = content.querySelector('pre') as HTMLElement;
        return {
          h2: Array.from(content.querySelectorAll('h2'), (h) => h.textContent),
          imageLoaded: img.complete && img.naturalWidth > 0,
          imageWidth: img.getBoundingClientRect().width,
          svgs: Array.from(content.querySelectorAll('svg'), (s) => s.getBoundingClientRect().width),
          codeLines: pre.innerText.split('\n').length,
          preScrolls: pre.scrollWidth > pre.clientWidth,
          classes: content.querySelectorAll('[class]').length,
        };
      });
      assert.deepEqual(facts.h2, ['一、代码块', '二、列表', '三、表格与引用', '四、公式', '五、图片']);
      assert.ok(facts.imageLoaded, 'the local image is served and decoded');
      assert.ok(facts.imageWidth <= PHONE_WIDTH - 32, 'images fit the phone');
      assert.equal(facts.svgs.length, 2);
      assert.ok(facts.svgs.every((w) => w > 10), 'formulas are drawn');
      assert.equal(facts.codeLines, 6, 'code keeps its lines');
      assert.ok(facts.preScrolls, 'long code lines scroll instead of wrapping');
      assert.equal(facts.classes, 0);

      mkdirSync(ARTIFACTS, { recursive: true });
      const shot = `${ARTIFACTS}preview-${theme}.png`;
      await page.screenshot({ path: shot, fullPage: true });
      assert.ok(statSync(shot).size > 10_000);
    } finally {
      await page.close();
      await server.close();
    }
  });
}
