import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { isWeChatImageUrl, loadImage } from './image-source.js';

let server: Server;
let base: string;
let dir: string;
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mpgate-image-source-'));
  server = createServer((req, res) => {
    if (req.url === '/img/%E5%9B%BE.png') return void res.writeHead(200, { 'content-type': 'image/png' }).end(PNG);
    if (req.url === '/missing.png') return void res.writeHead(404).end();
    if (req.url === '/declared-big.png') return void res.writeHead(200, { 'content-length': String(5000) }).end(Buffer.alloc(5000));
    if (req.url === '/streamed-big.png') {
      // no Content-Length: the cap must hold while reading
      res.writeHead(200);
      const timer = setInterval(() => res.write(Buffer.alloc(1024)), 1);
      res.on('close', () => clearInterval(timer));
      return;
    }
    if (req.url === '/slow.png') return; // never answers
    res.writeHead(500).end();
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  server.closeAllConnections();
  await new Promise((done) => server.close(done));
  rmSync(dir, { recursive: true, force: true });
});

test('local paths are read relative to the article folder; a missing one names the path', async () => {
  writeFileSync(join(dir, 'a b.png'), PNG);
  const image = await loadImage('./a%20b.png', { baseDir: dir });
  assert.deepEqual([image.name, image.bytes], ['a b.png', PNG]);
  await assert.rejects(loadImage('nope.png', { baseDir: dir }), { code: 'IMAGE_UNAVAILABLE', message: /^image nope\.png: no such file .*nope\.png$/ });
  await assert.rejects(loadImage('./a b.png', { baseDir: dir, maxBytes: 4 }), /is over the 0\.0 MB an image may have/);
  await assert.rejects(loadImage('ftp://x/y.png'), /only local paths, http\(s\) URLs and data: URIs/);
});

test('remote images download with their name; HTTP errors, size caps and timeouts are reported', async () => {
  const image = await loadImage(`${base}/img/%E5%9B%BE.png`);
  assert.deepEqual([image.name, image.bytes], ['图.png', PNG]);
  await assert.rejects(loadImage(`${base}/missing.png`), /missing\.png: download failed: HTTP 404$/);
  await assert.rejects(loadImage(`${base}/declared-big.png`, { maxBytes: 4096 }), /declared-big\.png: 0\.0 MB is over/);
  await assert.rejects(loadImage(`${base}/streamed-big.png`, { maxBytes: 64 * 1024 }), /streamed-big\.png: the download is over the 0\.1 MB/);
  await assert.rejects(loadImage(`${base}/slow.png`, { timeoutMs: 100 }), /slow\.png: no answer within 100 ms$/);
});

test('data: URIs decode; WeChat CDN URLs are recognised', async () => {
  const image = await loadImage(`data:image/png;base64,${PNG.toString('base64')}`);
  assert.deepEqual([image.name, image.bytes], ['inline.png', PNG]);
  assert.ok(isWeChatImageUrl('http://mmbiz.qpic.cn/sz_mmbiz_png/abc/0?wx_fmt=png'));
  assert.ok(isWeChatImageUrl('https://mmbiz.qlogo.cn/x'));
  assert.ok(!isWeChatImageUrl('https://example.com/mmbiz.qpic.cn/x'));
});
