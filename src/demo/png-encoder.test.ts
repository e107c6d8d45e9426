import { test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { demoPicture } from './demo-picture.js';
import { encodePng } from './png-encoder.js';

test('encodePng writes a PNG that a real decoder reads back pixel for pixel', async () => {
  const rgb = Uint8Array.from([255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30, 40, 50, 60, 70, 80, 90]);
  const png = encodePng(3, 2, rgb);
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  assert.deepEqual({ width: info.width, height: info.height, channels: info.channels }, { width: 3, height: 2, channels: 3 });
  assert.deepEqual([...data], [...rgb]);
});

test('encodePng refuses a size that does not match the pixels', () => {
  assert.throws(() => encodePng(2, 2, new Uint8Array(11)), /expected 12 bytes of RGB for 2×2, got 11/);
  assert.throws(() => encodePng(0, 2, new Uint8Array(0)), RangeError);
});

test('the demo picture is a 480×300 PNG under WeChat’s 2 MB image limit, with the sun, sky and green hills drawn', async () => {
  const png = demoPicture();
  assert.ok(png.length < 2 * 1024 * 1024);
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  assert.equal(info.width, 480);
  assert.equal(info.height, 300);
  const at = (x: number, y: number): number[] => [...data.subarray((y * 480 + x) * 3, (y * 480 + x) * 3 + 3)];
  const [sr, sg, sb] = at(Math.round(480 * 0.74), Math.round(300 * 0.3)); // the sun's centre
  assert.ok(sr! > 240 && sg! > 190 && sb! < 120, `sun ${sr},${sg},${sb}`);
  const [kr, , kb] = at(5, 5); // sky
  assert.ok(kb! > kr!, 'the sky is blue');
  const [hr, hg, hb] = at(240, Math.round(300 * 0.7)); // the near hill
  assert.ok(hg! > hr! && hg! > hb!, 'the hill is green');
});
