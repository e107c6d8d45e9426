import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import sharp from 'sharp';
import { fitImage } from './image-fit.js';
import { ImageConversionError } from './errors.js';

const flat = (format: 'png' | 'jpeg' | 'webp' | 'gif', width = 40, alpha = false): Promise<Buffer> => {
  const img = sharp({ create: { width, height: width, channels: alpha ? 4 : 3, background: alpha ? { r: 10, g: 20, b: 30, alpha: 0.5 } : '#336699' } });
  return (format === 'png' ? img.png() : format === 'jpeg' ? img.jpeg() : format === 'gif' ? img.gif() : img.webp()).toBuffer();
};
const noise = (width: number, height: number, channels: 3 | 4): Promise<Buffer> =>
  sharp(randomBytes(width * height * channels), { raw: { width, height, channels } }).png().toBuffer();

test('an image the target accepts is sent byte for byte, with the right extension', async () => {
  const jpeg = await flat('jpeg');
  const fitted = await fitImage({ source: 'a', bytes: jpeg, name: '照片 (1).JPEG' }, 'article');
  assert.equal(fitted.converted, false);
  assert.equal(fitted.bytes, jpeg);
  assert.equal(fitted.filename, '1.jpg');
  const png = await fitImage({ source: 'b', bytes: await flat('png'), name: 'no-extension' }, 'image');
  assert.deepEqual([png.converted, png.filename, png.format], [false, 'no-extension.png', 'png']);
});

test('other formats are converted: WebP → JPEG for uploadimg, GIF kept as GIF for an image material', async () => {
  const webp = await fitImage({ source: 'w', bytes: await flat('webp'), name: 'pic.webp' }, 'article');
  assert.deepEqual([webp.converted, webp.format, webp.filename, webp.note], [true, 'jpeg', 'pic.jpg', 'WEBP → JPEG']);
  assert.equal((await sharp(webp.bytes).metadata()).format, 'jpeg');
  const gif = await fitImage({ source: 'g', bytes: await flat('gif'), name: 'anim.gif' }, 'image');
  assert.equal(gif.converted, false);
  // uploadimg takes no GIF: a still, PNG because GIF palettes carry transparency
  const still = await fitImage({ source: 'g', bytes: await flat('gif'), name: 'anim.gif' }, 'article');
  assert.deepEqual([still.format, still.filename, still.note], ['png', 'anim.png', 'GIF → PNG']);
});

test('a transparent PNG over 1 MB stays a PNG under 1 MB for uploadimg; the limit is checked after re-encoding', async () => {
  const big = await noise(700, 500, 4);
  assert.ok(big.byteLength > 1024 * 1024, `fixture over 1 MB: ${big.byteLength}`);
  const fitted = await fitImage({ source: 'big.png', bytes: big, name: 'big.png' }, 'article');
  assert.equal(fitted.format, 'png');
  assert.ok(fitted.bytes.byteLength < 1024 * 1024, `${fitted.bytes.byteLength}`);
  assert.equal((await sharp(fitted.bytes).metadata()).hasAlpha, true);
  assert.match(fitted.note ?? '', /^1\.\d MB → \d+ KB$/);
});

test('a thumb becomes a JPEG of at most 64 KB and at most 900 px wide', async () => {
  const fitted = await fitImage({ source: 'cover.png', bytes: await noise(1200, 500, 4), name: 'cover.png' }, 'thumb');
  assert.equal(fitted.format, 'jpeg');
  assert.ok(fitted.bytes.byteLength <= 64 * 1024, `${fitted.bytes.byteLength}`);
  const meta = await sharp(fitted.bytes).metadata();
  assert.ok((meta.width ?? 0) <= 900);
  assert.equal(meta.hasAlpha, false, 'flattened: a thumb must be JPEG');
});

test('bytes that are no image fail with the source named', async () => {
  await assert.rejects(
    fitImage({ source: './notes.png', bytes: Buffer.from('hello, not an image'), name: 'notes.png' }, 'article'),
    (e: unknown) => e instanceof ImageConversionError && e.code === 'IMAGE_UNUSABLE' && /^image \.\/notes\.png: not an image/.test(e.message),
  );
});
