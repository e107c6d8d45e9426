import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WeChatUploadError } from './errors.js';
import { detectFormat, extensionOf } from '../wechat/media-format.js';
import {
  ARTICLE_IMAGE_LIMIT,
  PERMANENT_MATERIAL_LIMITS,
  TEMPORARY_MEDIA_LIMITS,
  checkUploadFormat,
  checkUploadSize,
  formatSize,
} from './upload-limits.js';

const MB = 1024 * 1024;
const pad = (head: number[] | string, length = 32): Uint8Array => {
  const bytes = typeof head === 'string' ? [...Buffer.from(head, 'latin1')] : head;
  return Uint8Array.from([...bytes, ...new Array<number>(Math.max(0, length - bytes.length)).fill(0)]);
};
const JPEG = pad([0xff, 0xd8, 0xff, 0xe0]);
const PNG = pad([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const GIF = pad('GIF89a');
const BMP = pad('BM');
const AMR = pad('#!AMR\n');
const MP3_ID3 = pad('ID3\x04');
const MP3_SYNC = pad([0xff, 0xfb, 0x90, 0x00]);
const WAV = pad('RIFF\x00\x00\x00\x00WAVEfmt ');
const WMA = pad([0x30, 0x26, 0xb2, 0x75, 0x8e, 0x66, 0xcf, 0x11, 0xa6, 0xd9, 0x00, 0xaa, 0x00, 0x62, 0xce, 0x6c]);
const MP4 = pad('\x00\x00\x00\x20ftypisom');
const WEBP = pad('RIFF\x00\x00\x00\x00WEBPVP8 ');

function refusal(fn: () => unknown): WeChatUploadError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof WeChatUploadError, `expected WeChatUploadError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the upload to be refused');
}

describe('detectFormat', () => {
  it('recognises every accepted format by its magic bytes', () => {
    const cases: [Uint8Array, string][] = [
      [JPEG, 'jpeg'], [PNG, 'png'], [GIF, 'gif'], [BMP, 'bmp'], [AMR, 'amr'], [MP3_ID3, 'mp3'],
      [MP3_SYNC, 'mp3'], [WAV, 'wav'], [WMA, 'wma'], [MP4, 'mp4'],
    ];
    for (const [bytes, format] of cases) assert.equal(detectFormat(bytes), format);
  });

  it('does not mistake WebP (RIFF…WEBP) for WAV, nor text for anything', () => {
    assert.equal(detectFormat(WEBP), undefined);
    assert.equal(detectFormat(pad('hello world')), undefined);
    assert.equal(detectFormat(new Uint8Array()), undefined);
  });

  it('reads extensions case-insensitively and ignores dot-files', () => {
    assert.equal(extensionOf('Photo.JPG'), 'jpg');
    assert.equal(extensionOf('dir.d/file'), undefined);
    assert.equal(extensionOf('.hidden'), undefined);
  });
});

describe('checkUploadSize', () => {
  it('refuses a 12 MB image naming the file and the 10 MB limit', () => {
    const error = refusal(() => checkUploadSize('photo.png', 12 * MB, TEMPORARY_MEDIA_LIMITS.image));
    assert.equal(error.message, 'photo.png: 12.0 MB exceeds the 10 MB limit for image');
    assert.equal(error.reason, 'size');
    assert.equal(error.limitBytes, 10 * MB);
    assert.equal(error.sizeBytes, 12 * MB);
    assert.equal(error.code, 'WECHAT_UPLOAD_REFUSED');
  });

  it('accepts exactly the limit and refuses one byte more', () => {
    checkUploadSize('a.jpg', 10 * MB, TEMPORARY_MEDIA_LIMITS.image);
    refusal(() => checkUploadSize('a.jpg', 10 * MB + 1, TEMPORARY_MEDIA_LIMITS.image));
  });

  it('applies the per-type limits of §6', () => {
    assert.match(refusal(() => checkUploadSize('v.mp3', 2 * MB + 1, TEMPORARY_MEDIA_LIMITS.voice)).message, /2 MB limit for voice/);
    assert.match(refusal(() => checkUploadSize('c.jpg', 65 * 1024, TEMPORARY_MEDIA_LIMITS.thumb)).message, /^c\.jpg: 65\.0 KB exceeds the 64 KB limit for thumb$/);
    assert.match(refusal(() => checkUploadSize('m.mp4', 11 * MB, PERMANENT_MATERIAL_LIMITS.video)).message, /10 MB limit for permanent video/);
    // Article images must be under 1 MB: exactly 1 MB is refused.
    assert.match(refusal(() => checkUploadSize('i.png', MB, ARTICLE_IMAGE_LIMIT)).message, /1 MB limit for article image/);
    checkUploadSize('i.png', MB - 1, ARTICLE_IMAGE_LIMIT);
  });

  it('refuses an empty file', () => {
    assert.equal(refusal(() => checkUploadSize('e.png', 0, TEMPORARY_MEDIA_LIMITS.image)).reason, 'empty');
  });

  it('formats sizes for people', () => {
    assert.equal(formatSize(12 * MB), '12.0 MB');
    assert.equal(formatSize(1536), '1.5 KB');
    assert.equal(formatSize(12), '12 bytes');
  });
});

describe('checkUploadFormat', () => {
  it('accepts matching content and extension, with the MIME type of the content', () => {
    assert.deepEqual(checkUploadFormat('a.JPEG', JPEG, TEMPORARY_MEDIA_LIMITS.image), { filename: 'a.JPEG', format: 'jpeg', contentType: 'image/jpeg' });
    assert.equal(checkUploadFormat('v.amr', AMR, TEMPORARY_MEDIA_LIMITS.voice).contentType, 'audio/amr');
    assert.equal(checkUploadFormat('m.mp4', MP4, TEMPORARY_MEDIA_LIMITS.video).contentType, 'video/mp4');
  });

  it('adds the extension WeChat needs when the name has none', () => {
    assert.equal(checkUploadFormat('cover', JPEG, TEMPORARY_MEDIA_LIMITS.thumb).filename, 'cover.jpg');
    assert.equal(checkUploadFormat('clip', MP4, PERMANENT_MATERIAL_LIMITS.video).filename, 'clip.mp4');
  });

  it('refuses content that is not an accepted format, whatever the extension says', () => {
    const error = refusal(() => checkUploadFormat('photo.png', WEBP, TEMPORARY_MEDIA_LIMITS.image));
    assert.equal(error.reason, 'format');
    assert.match(error.message, /^photo\.png: .*image accepts png, jpg, jpeg, gif$/);
  });

  it('refuses a PNG thumb (thumbs must be JPG) and a BMP temporary image, but takes a BMP permanent image', () => {
    assert.match(refusal(() => checkUploadFormat('t.png', PNG, TEMPORARY_MEDIA_LIMITS.thumb)).message, /a PNG file; thumb accepts jpg, jpeg/);
    refusal(() => checkUploadFormat('b.bmp', BMP, TEMPORARY_MEDIA_LIMITS.image));
    assert.equal(checkUploadFormat('b.bmp', BMP, PERMANENT_MATERIAL_LIMITS.image).format, 'bmp');
  });

  it('refuses wav/wma as temporary voice but accepts them as permanent voice', () => {
    refusal(() => checkUploadFormat('v.wav', WAV, TEMPORARY_MEDIA_LIMITS.voice));
    assert.equal(checkUploadFormat('v.wma', WMA, PERMANENT_MATERIAL_LIMITS.voice).format, 'wma');
    assert.equal(checkUploadFormat('v.mp3', MP3_SYNC, PERMANENT_MATERIAL_LIMITS.voice).format, 'mp3');
  });

  it('refuses an extension that contradicts the content (WeChat trusts the extension)', () => {
    const error = refusal(() => checkUploadFormat('photo.png', JPEG, TEMPORARY_MEDIA_LIMITS.image));
    assert.equal(error.reason, 'extension');
    assert.match(error.message, /content is JPEG but the extension is \.png.*\.jpg or \.jpeg/);
  });

  it('takes only jpg/png for article images', () => {
    refusal(() => checkUploadFormat('a.gif', GIF, ARTICLE_IMAGE_LIMIT));
    assert.equal(checkUploadFormat('a.png', PNG, ARTICLE_IMAGE_LIMIT).format, 'png');
  });
});
