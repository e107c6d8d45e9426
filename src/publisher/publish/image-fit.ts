/**
 * Brings an image within what a WeChat upload accepts, re-encoding only when it must (with sharp): article
 * images (`media/uploadimg`) are JPEG/PNG under 1 MB, cover thumbs JPEG of at most 64 KB, image materials
 * BMP/PNG/JPEG/GIF of at most 10 MB. A compliant file is sent byte for byte; the limit is re-checked after every
 * re-encoding (the old plugin checked only before converting).
 */
import sharp, { type Metadata } from 'sharp';
import { detectFormat, SNIFF_BYTES, type MediaFormat } from '../../wechat/media-format.js';
import { ARTICLE_IMAGE_LIMIT, PERMANENT_MATERIAL_LIMITS, type WeChatUploadLimit } from '../../wechat-api/index.js';
import { ImageConversionError } from './errors.js';
import type { LoadedImage } from './image-source.js';

/** What the image is for: an image inside an article, a cover thumb, or a permanent image material. */
export type ImageTarget = 'article' | 'thumb' | 'image';

const TARGETS: Readonly<Record<ImageTarget, { limit: WeChatUploadLimit; maxWidth: number }>> = {
  // Phones show article images at most ~1080 px wide; when re-encoding anyway there is no point going wider.
  article: { limit: ARTICLE_IMAGE_LIMIT, maxWidth: 1920 },
  // Covers are shown at 900 × 383.
  thumb: { limit: PERMANENT_MATERIAL_LIMITS.thumb, maxWidth: 900 },
  image: { limit: PERMANENT_MATERIAL_LIMITS.image, maxWidth: 2560 },
};

/** An image ready to upload. */
export interface FittedImage {
  bytes: Buffer;
  /** A safe filename whose extension matches the content (WeChat infers the type from it). */
  filename: string;
  format: MediaFormat;
  /** False when the original bytes are sent unchanged. */
  converted: boolean;
  /** Why it was re-encoded, e.g. `WEBP → JPEG`, `1.8 MB → 412 KB`. */
  note?: string;
}

const EXTENSION: Partial<Record<MediaFormat, string>> = { jpeg: 'jpg', png: 'png', gif: 'gif', bmp: 'bmp' };
const JPEG_QUALITIES = [85, 70, 55];
const SMALLEST_WIDTH = 64;

/** The upload limit of a target. */
export function imageTargetLimit(target: ImageTarget): WeChatUploadLimit {
  return TARGETS[target].limit;
}

/** Returns the image as it is when the target accepts it, otherwise re-encoded (and shrunk) until it fits. */
export async function fitImage(image: LoadedImage, target: ImageTarget): Promise<FittedImage> {
  const { limit, maxWidth } = TARGETS[target];
  const format = detectFormat(image.bytes.subarray(0, SNIFF_BYTES));
  if (format !== undefined && limit.formats.includes(format) && image.bytes.byteLength > 0 && image.bytes.byteLength <= limit.maxBytes) {
    return { bytes: image.bytes, filename: safeName(image.name, format), format, converted: false };
  }

  let meta: Metadata;
  try {
    meta = await sharp(image.bytes, { animated: false }).metadata();
  } catch (error) {
    throw new ImageConversionError(image.source, 'not an image (or in a format that cannot be read)', { cause: error });
  }
  const from = (meta.format ?? format ?? 'image').toUpperCase();
  const keepAlpha = meta.hasAlpha === true && limit.formats.includes('png');
  const width = meta.autoOrient?.width ?? meta.width ?? maxWidth;
  const animated = (meta.pages ?? 1) > 1 ? ' (first frame only)' : '';
  const fitted = (bytes: Buffer, as: 'png' | 'jpeg'): FittedImage => {
    const why = format !== undefined && limit.formats.includes(format) ? `${size(image.bytes.byteLength)} → ${size(bytes.byteLength)}` : `${from} → ${as.toUpperCase()}`;
    return { bytes, filename: safeName(image.name, as), format: as, converted: true, note: `${why}${animated}` };
  };

  try {
    // Transparent images stay PNG (palette-quantised) while that fits; everything else becomes JPEG.
    if (keepAlpha) {
      for (let w = Math.min(width, maxWidth); ; ) {
        const bytes = await encodePng(image.bytes, w);
        if (bytes.byteLength <= limit.maxBytes) return fitted(bytes, 'png');
        if (w <= SMALLEST_WIDTH) break;
        w = nextWidth(w, bytes.byteLength / limit.maxBytes);
      }
    }
    for (let w = Math.min(width, maxWidth); ; ) {
      let smallest = Infinity;
      for (const quality of JPEG_QUALITIES) {
        const bytes = await encodeJpeg(image.bytes, w, quality);
        if (bytes.byteLength <= limit.maxBytes) return fitted(bytes, 'jpeg');
        smallest = bytes.byteLength;
        // Far over the limit: lower quality will not get there at this size.
        if (bytes.byteLength > 4 * limit.maxBytes) break;
      }
      if (w <= SMALLEST_WIDTH) break;
      w = nextWidth(w, smallest / limit.maxBytes);
    }
  } catch (error) {
    throw new ImageConversionError(image.source, `cannot convert ${from} (${error instanceof Error ? error.message : String(error)})`, { cause: error });
  }
  throw new ImageConversionError(image.source, `cannot be brought under the ${limit.label} limit for ${limit.kind}, even shrunk to ${SMALLEST_WIDTH} px wide`);
}

/**
 * The next, smaller width to try: a quarter smaller, or less when the last file was `overBy` times the limit
 * (a file's size grows roughly with its pixel count, so the width shrinks with the square root).
 */
function nextWidth(width: number, overBy: number): number {
  const byRatio = Math.floor(width * Math.sqrt(1 / overBy) * 0.9);
  return Math.max(SMALLEST_WIDTH, Math.min(Math.round(width * 0.75), byRatio));
}

function encodeJpeg(bytes: Buffer, width: number, quality: number): Promise<Buffer> {
  return sharp(bytes, { animated: false })
    .rotate()
    .resize({ width, withoutEnlargement: true })
    .flatten({ background: '#ffffff' })
    .jpeg({ quality, mozjpeg: true })
    .toBuffer();
}

function encodePng(bytes: Buffer, width: number): Promise<Buffer> {
  return sharp(bytes, { animated: false })
    .rotate()
    .resize({ width, withoutEnlargement: true })
    // Quantisation effort 2 is ~10× faster than the default 7 for a file a few per cent larger.
    .png({ palette: true, quality: 90, compressionLevel: 9, effort: 2 })
    .toBuffer();
}

/** ASCII filename with the extension of `format` (WeChat infers the type from it; odd characters confuse multipart). */
function safeName(name: string, format: MediaFormat): string {
  const stem = name.replace(/\.[A-Za-z0-9]{1,5}$/, '').replace(/[^A-Za-z0-9_-]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 60) || 'image';
  return `${stem}.${EXTENSION[format] ?? format}`;
}

function size(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.round(bytes / 1024)} KB`;
}
