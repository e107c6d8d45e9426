import { extensionOf as extensionFromName, formatOfExtension, MIME_TYPES } from '../../wechat/media-format.js';
import { refuse } from './api-errors.js';
import { newPermanentId, newTempMediaId } from './ids.js';

/** Media types of `media/upload` and `material/add_material`. */
export type MediaKind = 'image' | 'voice' | 'video' | 'thumb';
export const MEDIA_KINDS: readonly MediaKind[] = ['image', 'voice', 'video', 'thumb'];

/** A file part of a multipart upload. */
export interface UploadedFile {
  filename: string;
  contentType: string;
  bytes: Buffer;
  /** The upload was cut at the simulator's multipart cap, so it is over every limit. */
  truncated: boolean;
}

/** Anything the platform stores and can serve back: temporary media, permanent material, uploadimg images. */
export interface StoredMedia {
  readonly id: string;
  readonly kind: MediaKind;
  readonly bytes: Buffer;
  readonly filename: string;
  readonly contentType: string;
  /** Simulator clock, ms. */
  readonly createdAt: number;
  readonly store: 'temporary' | 'material' | 'uploadimg';
  /** mmbiz-style URL (images). */
  readonly url?: string;
  /** Video material description. */
  readonly description?: { title: string; introduction: string };
}

interface MediaRule {
  readonly maxBytes: number;
  readonly extensions: readonly string[];
  /** The errcode of an oversize file. */
  readonly sizeErrcode: number;
}

const MB = 1024 * 1024;
/** Temporary media are valid for 3 days. */
export const TEMP_MEDIA_TTL_MS = 3 * 86_400_000;

/** Temporary media limits (reference §6.1); the image limit is configurable (2 MB default, §12). */
export function tempMediaRules(imageLimitBytes: number): Record<MediaKind, MediaRule> {
  return {
    image: { maxBytes: imageLimitBytes, extensions: ['png', 'jpeg', 'jpg', 'gif'], sizeErrcode: 40006 },
    voice: { maxBytes: 2 * MB, extensions: ['amr', 'mp3'], sizeErrcode: 40010 },
    video: { maxBytes: 10 * MB, extensions: ['mp4'], sizeErrcode: 40011 },
    thumb: { maxBytes: 64 * 1024, extensions: ['jpg', 'jpeg'], sizeErrcode: 40012 },
  };
}

/** Permanent material limits (reference §6.2). */
export const MATERIAL_RULES: Readonly<Record<MediaKind, MediaRule>> = {
  image: { maxBytes: 10 * MB, extensions: ['bmp', 'png', 'jpeg', 'jpg', 'gif'], sizeErrcode: 40009 },
  voice: { maxBytes: 2 * MB, extensions: ['mp3', 'wma', 'wav', 'amr'], sizeErrcode: 40010 },
  video: { maxBytes: 10 * MB, extensions: ['mp4'], sizeErrcode: 40011 },
  thumb: { maxBytes: 64 * 1024, extensions: ['jpg', 'jpeg'], sizeErrcode: 40012 },
};

/** `media/uploadimg`: jpg/png under 1 MB. */
const UPLOADIMG_RULE: MediaRule = { maxBytes: MB - 1, extensions: ['jpg', 'jpeg', 'png'], sizeErrcode: 40009 };

/** Material totals: images (+ news) 100,000; other types 1,000 each. */
export const DEFAULT_MATERIAL_LIMITS: Readonly<Record<MediaKind, number>> = { image: 100_000, voice: 1000, video: 1000, thumb: 1000 };


/** The lower-case extension of a filename, '' when it has none (WeChat infers the type from it). */
export function extensionOf(filename: string): string {
  return extensionFromName(filename) ?? '';
}

/** The MIME type the platform serves a file with (speex: the JSSDK's HD voice). */
export function contentTypeOf(filename: string): string {
  const ext = extensionOf(filename);
  if (ext === 'speex') return 'audio/speex';
  const format = formatOfExtension(ext);
  return format ? MIME_TYPES[format] : 'application/octet-stream';
}

/** An mmbiz.qpic.cn-style URL as uploadimg and image materials return (usable only inside WeChat). */
export function mmbizUrl(id: string, filename: string): string {
  const ext = extensionOf(filename) === 'png' ? 'png' : extensionOf(filename) === 'gif' ? 'gif' : 'jpg';
  return `http://mmbiz.qpic.cn/sz_mmbiz_${ext}/${id}/0?wx_fmt=${ext === 'jpg' ? 'jpeg' : ext}`;
}

/** The stored id inside an mmbiz-style URL made by {@link mmbizUrl}. */
export function idOfMmbizUrl(url: string): string | undefined {
  return /^https?:\/\/mmbiz\.qpic\.cn\/sz_mmbiz_[a-z]+\/([A-Za-z0-9_-]+)\//.exec(url)?.[1];
}

function checkFile(file: UploadedFile | undefined, rule: MediaRule): UploadedFile {
  if (!file) refuse(41005);
  if (file.bytes.length === 0) refuse(44001);
  if (!rule.extensions.includes(extensionOf(file.filename))) refuse(40005);
  if (file.truncated || file.bytes.length > rule.maxBytes) refuse(rule.sizeErrcode);
  return file;
}

/** Parses the `type` query parameter: 40004 unless image|voice|video|thumb. */
export function mediaKindOf(value: string | undefined): MediaKind {
  if (!MEDIA_KINDS.includes(value as MediaKind)) refuse(40004);
  return value as MediaKind;
}

/** One account's media: temporary uploads (3 days), permanent materials, and uploadimg images. */
export class MediaLibrary {
  private readonly items = new Map<string, StoredMedia>();
  private readonly tempRules: Record<MediaKind, MediaRule>;
  private readonly totals: Record<MediaKind, number>;

  constructor(options: { tempImageLimitBytes: number; materialLimits?: Partial<Record<MediaKind, number>> }) {
    this.tempRules = tempMediaRules(options.tempImageLimitBytes);
    this.totals = { ...DEFAULT_MATERIAL_LIMITS, ...options.materialLimits };
  }

  /** `media/upload`. */
  uploadTemporary(kind: MediaKind, file: UploadedFile | undefined, now: number): StoredMedia {
    const ok = checkFile(file, this.tempRules[kind]);
    return this.put({ id: newTempMediaId(), kind, bytes: ok.bytes, filename: ok.filename, contentType: contentTypeOf(ok.filename), createdAt: now, store: 'temporary' });
  }

  /** A file the follower sent (image, voice, video): stored as temporary media with no upload limits. */
  receiveFromFollower(kind: MediaKind, bytes: Buffer, filename: string, now: number): StoredMedia {
    return this.put({ id: newTempMediaId(), kind, bytes, filename, contentType: contentTypeOf(filename), createdAt: now, store: 'temporary' });
  }

  /** `material/add_material`; video needs the `description` JSON `{title, introduction}`. */
  addMaterial(kind: MediaKind, file: UploadedFile | undefined, description: string | undefined, now: number): StoredMedia {
    const ok = checkFile(file, MATERIAL_RULES[kind]);
    let desc: { title: string; introduction: string } | undefined;
    if (kind === 'video') desc = parseVideoDescription(description);
    const countKind = (m: StoredMedia): boolean => m.store === 'material' && m.kind === kind;
    if ([...this.items.values()].filter(countKind).length >= this.totals[kind]) refuse(45001);
    const id = newPermanentId();
    return this.put({
      id,
      kind,
      bytes: ok.bytes,
      filename: ok.filename,
      contentType: contentTypeOf(ok.filename),
      createdAt: now,
      store: 'material',
      ...(kind === 'image' || kind === 'thumb' ? { url: mmbizUrl(id, ok.filename) } : {}),
      ...(desc ? { description: desc } : {}),
    });
  }

  /** `media/uploadimg`: an image for article bodies only. */
  uploadImage(file: UploadedFile | undefined, now: number): StoredMedia {
    const ok = checkFile(file, UPLOADIMG_RULE);
    const id = newPermanentId();
    return this.put({ id, kind: 'image', bytes: ok.bytes, filename: ok.filename, contentType: contentTypeOf(ok.filename), createdAt: now, store: 'uploadimg', url: mmbizUrl(id, ok.filename) });
  }

  /** A temporary media still within its 3 days (`media/get`); 40007 otherwise. */
  temporary(id: string | undefined, now: number): StoredMedia {
    const m = id === undefined ? undefined : this.items.get(id);
    if (!m || m.store !== 'temporary' || now - m.createdAt >= TEMP_MEDIA_TTL_MS) refuse(40007);
    return m;
  }

  /** A permanent material; 40007 otherwise. */
  material(id: unknown): StoredMedia {
    const m = typeof id === 'string' ? this.items.get(id) : undefined;
    if (!m || m.store !== 'material') refuse(40007);
    return m;
  }

  /** Whether a media id can be sent in a message (a live temporary media or a material), optionally of given kinds. */
  isSendable(id: unknown, now: number, kinds?: readonly MediaKind[]): boolean {
    const m = typeof id === 'string' ? this.items.get(id) : undefined;
    if (!m || m.store === 'uploadimg') return false;
    if (m.store === 'temporary' && now - m.createdAt >= TEMP_MEDIA_TTL_MS) return false;
    return kinds === undefined || kinds.includes(m.kind);
  }

  /** Any stored file by id (for serving bytes back). */
  file(id: string): StoredMedia | undefined {
    return this.items.get(id);
  }

  deleteMaterial(id: string): void {
    this.material(id);
    this.items.delete(id);
  }

  /** `get_materialcount` (thumbs count as images). */
  counts(): { voice_count: number; video_count: number; image_count: number; news_count: number } {
    const mats = [...this.items.values()].filter((m) => m.store === 'material');
    const n = (...kinds: MediaKind[]): number => mats.filter((m) => kinds.includes(m.kind)).length;
    return { voice_count: n('voice'), video_count: n('video'), image_count: n('image', 'thumb'), news_count: 0 };
  }

  /** `batchget_material` page of one type, newest first (thumbs listed with images). */
  list(type: 'image' | 'voice' | 'video', offset: number, count: number): { total: number; items: StoredMedia[] } {
    const kinds: MediaKind[] = type === 'image' ? ['image', 'thumb'] : [type];
    const all = [...this.items.values()].filter((m) => m.store === 'material' && kinds.includes(m.kind)).reverse();
    return { total: all.length, items: all.slice(offset, offset + count) };
  }

  clear(): void {
    this.items.clear();
  }

  private put(m: StoredMedia): StoredMedia {
    this.items.set(m.id, m);
    return m;
  }
}

function parseVideoDescription(raw: string | undefined): { title: string; introduction: string } {
  // Missing or malformed description: the reference names no dedicated code, so the generic format error.
  if (raw === undefined || raw === '') refuse(47001);
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    refuse(47001);
  }
  const d = v as { title?: unknown; introduction?: unknown } | null;
  if (typeof d !== 'object' || d === null || typeof d.title !== 'string' || d.title === '') refuse(47001);
  return { title: d.title, introduction: typeof d.introduction === 'string' ? d.introduction : '' };
}
