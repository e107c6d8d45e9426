import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startPreviewServer, type PreviewServer } from './preview-server.js';

const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/articles/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'mpgate-preview-'));
const file = join(dir, 'article.md');
let server: PreviewServer;

before(async () => {
  mkdirSync(join(dir, 'images'));
  copyFileSync(join(FIXTURES, 'showcase.md'), file);
  copyFileSync(join(FIXTURES, 'images/pipeline.png'), join(dir, 'images/pipeline.png'));
  server = await startPreviewServer({ file, theme: 'elegant' });
});

after(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

test('serves the article in a phone-width page on 127.0.0.1', async () => {
  assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  const res = await fetch(server.url);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
  const page = await res.text();
  assert.match(page, /<h1 class="mp-title" id="mp-title">用 mpgate 把 Markdown 发到公众号<\/h1>/);
  assert.match(page, /<span class="mp-author">林小满<\/span>/);
  assert.match(page, /<span class="mp-date">2025-06-01<\/span>/);
  assert.match(page, /theme: elegant/);
  assert.match(page, /\.mp-phone \{ width: 375px;/);
  assert.match(page, /<img src="\/__image\/0\.png"/);
});

test('serves the images the article references, and nothing else', async () => {
  const image = await fetch(new URL('/__image/0.png', server.url));
  assert.equal(image.status, 200);
  assert.equal(image.headers.get('content-type'), 'image/png');
  assert.deepEqual(Buffer.from(await image.arrayBuffer()), readFileSync(join(FIXTURES, 'images/pipeline.png')));
  assert.equal((await fetch(new URL('/__image/7.png', server.url))).status, 404);
  assert.equal((await fetch(new URL('/__image/..%2F..%2Fetc%2Fpasswd', server.url))).status, 404);
});

test('the version changes when the file changes, and a broken file shows the error until fixed', async () => {
  const version = async (): Promise<string> => ((await (await fetch(new URL('/__version', server.url))).json()) as { version: string }).version;
  const before = await version();
  const good = readFileSync(file, 'utf8');
  writeFileSync(file, '---\ntitle: [broken\n---\n\nbody');
  utimesSync(file, new Date(), new Date(Date.now() + 60_000));
  assert.notEqual(await version(), before);

  const broken = await fetch(server.url);
  assert.equal(broken.status, 500);
  const page = await broken.text();
  assert.match(page, /id="mp-error">front matter: .*\(line \d+, column \d+\)/);
  assert.match(page, /fetch\('\/__version'\)/, 'the error page keeps polling so a fix shows up');

  writeFileSync(file, good);
  assert.equal((await fetch(server.url)).status, 200);
});
