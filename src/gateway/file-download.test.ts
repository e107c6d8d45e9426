import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { DownloadError, downloadFile } from './file-download.js';

let server: Server;
let base: string;
before(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/small.png') {
      res.writeHead(200, { 'content-type': 'image/png; charset=binary', 'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent('猫.png')}` });
      res.end(Buffer.alloc(100, 7));
    } else if (url.pathname === '/declared-big') {
      res.writeHead(200, { 'content-length': '5000' });
      res.end(Buffer.alloc(5000));
    } else if (url.pathname === '/chunked-big') {
      res.writeHead(200, { 'content-type': 'application/octet-stream' }); // no Content-Length: chunked
      res.write(Buffer.alloc(600));
      res.end(Buffer.alloc(600));
    } else if (url.pathname === '/slow') {
      res.writeHead(200);
      res.write('x');
      setTimeout(() => res.end('y'), 2000).unref();
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
after(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

test('a file within the limit: bytes, content type without parameters, filename from Content-Disposition', async () => {
  const file = await downloadFile(`${base}/small.png?sign=secret`, { maxBytes: 100, timeoutMs: 2000 });
  assert.equal(file.data.byteLength, 100);
  assert.equal(file.contentType, 'image/png');
  assert.equal(file.filename, '猫.png');
});

test('too large: refused by Content-Length, or while reading a chunked body', async () => {
  for (const path of ['/declared-big', '/chunked-big']) {
    await assert.rejects(downloadFile(`${base}${path}?sign=secret`, { maxBytes: 1000, timeoutMs: 2000 }), (err: unknown) => {
      assert.ok(err instanceof DownloadError);
      assert.equal(err.reason, 'too-large');
      assert.doesNotMatch(err.message, /secret/, 'the query (signatures) never appears');
      return true;
    });
  }
});

test('an HTTP error and a transfer that outlasts the timeout are typed failures', async () => {
  await assert.rejects(downloadFile(`${base}/missing`, { maxBytes: 1000, timeoutMs: 2000 }), (err: unknown) => err instanceof DownloadError && err.reason === 'status');
  await assert.rejects(downloadFile(`${base}/slow`, { maxBytes: 1000, timeoutMs: 100 }), (err: unknown) => err instanceof DownloadError && err.reason === 'timeout');
});
