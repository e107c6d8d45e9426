/**
 * Uploads an article's images and covers once per account. Each upload is remembered in the store under the
 * sha256 of the original bytes and the AppID, so publishing the same article again — or another article using
 * the same picture — uploads nothing: article images go to `media/uploadimg` (not counted against the
 * permanent-material quota), covers to permanent `image`/`thumb` material.
 */
import type { Logger } from 'pino';
import type { Store } from '../../store/store.js';
import { PERMANENT_MATERIAL_LIMITS, type WeChatClient } from '../../wechat-api/index.js';
import { detectFormat, SNIFF_BYTES } from '../../wechat/media-format.js';
import { fitImage } from './image-fit.js';
import type { LoadedImage } from './image-source.js';
import { articleImageKey, materialIdKey, materialKey, sha256Hex } from './store-keys.js';

export interface ImageUploadCacheOptions {
  client: WeChatClient;
  store: Store;
  /**
   * GIFs inside articles: `material` uploads them as permanent image material and uses its URL, which keeps
   * the animation (uploadimg takes JPEG/PNG only); `first-frame` converts them to a still. Default `material`.
   */
  gif?: 'material' | 'first-frame';
  logger?: Logger;
}

/** An article image's WeChat URL. */
export interface ArticleImageUpload {
  source: string;
  sha256: string;
  url: string;
  /** False when the URL came from the cache. */
  uploaded: boolean;
  via: 'uploadimg' | 'material';
  /** Set when the image was re-encoded before upload. */
  note?: string;
}

/** A permanent material made from an image. */
export interface MaterialUpload {
  source: string;
  sha256: string;
  mediaId: string;
  url?: string;
  uploaded: boolean;
  note?: string;
}

interface CachedMaterial {
  media_id: string;
  url?: string;
}

/** The per-account upload cache; one instance per WeChatClient. */
export class ImageUploadCache {
  private readonly client: WeChatClient;
  private readonly store: Store;
  private readonly gif: 'material' | 'first-frame';
  private readonly logger: Logger | undefined;
  /** Uploads under way, so the same bytes used twice in one run are uploaded once. */
  private readonly inflight = new Map<string, Promise<unknown>>();

  constructor(options: ImageUploadCacheOptions) {
    this.client = options.client;
    this.store = options.store;
    this.gif = options.gif ?? 'material';
    this.logger = options.logger;
  }

  /** The URL to use for `image` inside an article: cached, or uploaded now (re-encoded when needed). */
  async articleImage(image: LoadedImage): Promise<ArticleImageUpload> {
    const sha256 = sha256Hex(image.bytes);
    const isGif = detectFormat(image.bytes.subarray(0, SNIFF_BYTES)) === 'gif';
    if (isGif && this.gif === 'material' && image.bytes.byteLength <= PERMANENT_MATERIAL_LIMITS.image.maxBytes) {
      const material = await this.material(image, 'image');
      if (material.url !== undefined) {
        return { source: image.source, sha256, url: material.url, uploaded: material.uploaded, via: 'material', ...(material.note ? { note: material.note } : {}) };
      }
    }
    const key = articleImageKey(this.client.appId, sha256);
    return this.once(key, async () => {
      const cached = await this.store.get(key);
      if (cached !== undefined) return { source: image.source, sha256, url: cached, uploaded: false, via: 'uploadimg' as const };
      const fitted = await fitImage(image, 'article');
      const { url } = await this.client.media.uploadImg({ data: fitted.bytes, filename: fitted.filename });
      await this.store.set(key, url);
      this.logger?.debug({ source: image.source, sha256, converted: fitted.converted }, 'article image uploaded');
      return { source: image.source, sha256, url, uploaded: true, via: 'uploadimg' as const, ...(fitted.note ? { note: fitted.note } : {}) };
    });
  }

  /** A permanent `image` or `thumb` material made from `image`: cached, or uploaded now (re-encoded when needed). */
  async material(image: LoadedImage, type: 'image' | 'thumb'): Promise<MaterialUpload> {
    const sha256 = sha256Hex(image.bytes);
    const key = materialKey(this.client.appId, type, sha256);
    return this.once(key, async () => {
      const cached = parseMaterial(await this.store.get(key));
      if (cached !== undefined) {
        return { source: image.source, sha256, mediaId: cached.media_id, uploaded: false, ...(cached.url === undefined ? {} : { url: cached.url }) };
      }
      const fitted = await fitImage(image, type);
      const added = await this.client.material.add({ type, file: { data: fitted.bytes, filename: fitted.filename } });
      await this.rememberMaterial(key, added);
      this.logger?.debug({ source: image.source, sha256, type, converted: fitted.converted }, 'material uploaded');
      return {
        source: image.source,
        sha256,
        mediaId: added.media_id,
        uploaded: true,
        ...(added.url === undefined ? {} : { url: added.url }),
        ...(fitted.note ? { note: fitted.note } : {}),
      };
    });
  }

  /** Forgets a cached material (it was deleted, or WeChat no longer knows it); true when something was cached. */
  async forgetMaterial(mediaId: string): Promise<boolean> {
    const reverse = materialIdKey(this.client.appId, mediaId);
    const key = await this.store.get(reverse);
    await this.store.delete(reverse);
    if (key === undefined) return false;
    const cached = parseMaterial(await this.store.get(key));
    if (cached?.media_id !== mediaId) return false;
    return this.store.delete(key);
  }

  private async rememberMaterial(key: string, added: CachedMaterial): Promise<void> {
    const value: CachedMaterial = added.url === undefined ? { media_id: added.media_id } : { media_id: added.media_id, url: added.url };
    await this.store.set(key, JSON.stringify(value));
    await this.store.set(materialIdKey(this.client.appId, added.media_id), key);
  }

  private once<T>(key: string, run: () => Promise<T>): Promise<T> {
    const running = this.inflight.get(key) as Promise<T> | undefined;
    if (running) return running;
    const started = run().finally(() => this.inflight.delete(key));
    this.inflight.set(key, started);
    return started;
  }
}

function parseMaterial(raw: string | undefined): CachedMaterial | undefined {
  if (raw === undefined) return undefined;
  try {
    const parsed = JSON.parse(raw) as Partial<CachedMaterial>;
    return typeof parsed.media_id === 'string' ? (parsed as CachedMaterial) : undefined;
  } catch {
    return undefined;
  }
}
