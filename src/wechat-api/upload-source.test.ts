import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, describe, it } from 'node:test';
import { WeChatUploadError } from './errors.js';
import { TEMPORARY_MEDIA_LIMITS } from './upload-limits.js';
import { prepareUpload } from './upload-source.js';

const MB = 1024 * 1024;
const dir = mkdtempSync(join(tmpdir(), 'mpgate-upload-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const JPEG_HEAD = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]);
const jpeg = (size: number): Buffer => Buffer.concat([JPEG_HEAD, Buffer.alloc(size - JPEG_HEAD.length, 7)]);

describe('prepareUpload', () => {
  it('sizes a path with stat and refuses a 12 MB image without reading it', async () => {
    const path = join(dir, 'photo.png');
    writeFileSync(path, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    truncateSync(path, 12 * MB); // sparse: 12 MB on paper
    await assert.rejects(prepareUpload(path, TEMPORARY_MEDIA_LIMITS.image), (error: unknown) => {
      assert.ok(error instanceof WeChatUploadError);
      assert.equal(error.message, 'photo.png: 12.0 MB exceeds the 10 MB limit for image');
      return true;
    });
  });

  it('builds a file part from a path, with the detected MIME type and the real bytes', async () => {
    const path = join(dir, 'cover.jpg');
    const bytes = jpeg(2000);
    writeFileSync(path, bytes);
    const prepared = await prepareUpload(path, TEMPORARY_MEDIA_LIMITS.thumb);
    assert.equal(prepared.filename, 'cover.jpg');
    assert.equal(prepared.contentType, 'image/jpeg');
    assert.equal(prepared.size, 2000);
    assert.deepEqual(Buffer.from(await prepared.blob.arrayBuffer()), bytes);
  });

  it('lets the caller rename a path and override the content type', async () => {
    const path = join(dir, 'upload.tmp');
    writeFileSync(path, jpeg(100));
    const prepared = await prepareUpload({ path, filename: 'shot.jpg', contentType: 'image/pjpeg' }, TEMPORARY_MEDIA_LIMITS.image);
    assert.equal(prepared.filename, 'shot.jpg');
    assert.equal(prepared.contentType, 'image/pjpeg');
  });

  it('reports a missing path as an unreadable upload naming the file', async () => {
    await assert.rejects(prepareUpload(join(dir, 'nope.jpg'), TEMPORARY_MEDIA_LIMITS.image), (error: unknown) => {
      assert.ok(error instanceof WeChatUploadError);
      assert.equal(error.reason, 'unreadable');
      assert.match(error.message, /^nope\.jpg: cannot read /);
      return true;
    });
  });

  it('takes bytes with a filename', async () => {
    const prepared = await prepareUpload({ data: jpeg(500), filename: 'x' }, TEMPORARY_MEDIA_LIMITS.image);
    assert.equal(prepared.filename, 'x.jpg');
    assert.equal(prepared.blob.size, 500);
  });

  it('reads a stream and stops as soon as it passes the limit', async () => {
    let pulled = 0;
    const chunk = jpeg(16 * 1024);
    const endless = new Readable({
      read() {
        pulled++;
        this.push(chunk);
      },
    });
    await assert.rejects(prepareUpload({ stream: endless, filename: 'thumb.jpg' }, TEMPORARY_MEDIA_LIMITS.thumb), (error: unknown) => {
      assert.ok(error instanceof WeChatUploadError);
      assert.equal(error.message, 'thumb.jpg: the stream is larger than the 64 KB limit for thumb');
      return true;
    });
    assert.ok(pulled < 20, `read ${pulled} chunks of an endless stream`);
    assert.ok(endless.destroyed);
  });

  it('takes a web ReadableStream under the limit', async () => {
    const bytes = jpeg(3000);
    const web = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.subarray(0, 1000));
        controller.enqueue(bytes.subarray(1000));
        controller.close();
      },
    });
    const prepared = await prepareUpload({ stream: web, filename: 'p.jpg' }, TEMPORARY_MEDIA_LIMITS.image);
    assert.deepEqual(Buffer.from(await prepared.blob.arrayBuffer()), bytes);
  });
});
