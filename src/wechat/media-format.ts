/**
 * File formats WeChat accepts for media, recognised by their first bytes (magic numbers) so that a renamed
 * or mislabelled file is caught before upload, not by a 40005 after it.
 */

export type MediaFormat = 'jpeg' | 'png' | 'gif' | 'bmp' | 'amr' | 'mp3' | 'wav' | 'wma' | 'mp4';

/** Bytes needed from the start of a file to recognise every format below. */
export const SNIFF_BYTES = 16;

/** The MIME type sent with each format. */
export const MIME_TYPES: Record<MediaFormat, string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  bmp: 'image/bmp',
  amr: 'audio/amr',
  mp3: 'audio/mpeg',
  wav: 'audio/wav',
  wma: 'audio/x-ms-wma',
  mp4: 'video/mp4',
};

/** The extensions WeChat maps to each format (it infers the type from the filename). */
export const EXTENSIONS: Record<MediaFormat, readonly string[]> = {
  jpeg: ['jpg', 'jpeg'],
  png: ['png'],
  gif: ['gif'],
  bmp: ['bmp'],
  amr: ['amr'],
  mp3: ['mp3'],
  wav: ['wav'],
  wma: ['wma'],
  mp4: ['mp4'],
};

const ASF_GUID = [0x30, 0x26, 0xb2, 0x75, 0x8e, 0x66, 0xcf, 0x11, 0xa6, 0xd9, 0x00, 0xaa, 0x00, 0x62, 0xce, 0x6c];

function startsWith(bytes: Uint8Array, prefix: readonly number[], at = 0): boolean {
  if (bytes.length < at + prefix.length) return false;
  return prefix.every((b, i) => bytes[at + i] === b);
}

function ascii(text: string): number[] {
  return [...text].map((c) => c.charCodeAt(0));
}

/** The format of a file from its first bytes (at least SNIFF_BYTES of them), or undefined when unknown. */
export function detectFormat(head: Uint8Array): MediaFormat | undefined {
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(head, ascii('GIF87a')) || startsWith(head, ascii('GIF89a'))) return 'gif';
  if (startsWith(head, ascii('BM')) && head.length >= 14) return 'bmp';
  if (startsWith(head, ascii('#!AMR'))) return 'amr';
  if (startsWith(head, ascii('ID3'))) return 'mp3';
  // An MPEG audio frame sync: 11 set bits, then a layer other than "reserved".
  const b0 = head[0];
  const b1 = head[1];
  if (b0 === 0xff && b1 !== undefined && (b1 & 0xe0) === 0xe0 && (b1 & 0x06) !== 0) return 'mp3';
  if (startsWith(head, ascii('RIFF')) && startsWith(head, ascii('WAVE'), 8)) return 'wav';
  if (startsWith(head, ASF_GUID)) return 'wma';
  if (startsWith(head, ascii('ftyp'), 4)) return 'mp4';
  return undefined;
}

/** The lower-case extension of a filename without the dot, or undefined when it has none. */
export function extensionOf(filename: string): string | undefined {
  const base = filename.slice(filename.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 && dot < base.length - 1 ? base.slice(dot + 1).toLowerCase() : undefined;
}

/** The format an extension names, or undefined for an extension WeChat does not take. */
export function formatOfExtension(extension: string): MediaFormat | undefined {
  const ext = extension.toLowerCase();
  return (Object.keys(EXTENSIONS) as MediaFormat[]).find((format) => EXTENSIONS[format].includes(ext));
}
