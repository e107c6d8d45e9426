/**
 * The uploads one draft needs: article images (uploadimg URLs), image-post pictures and covers (permanent
 * material ids). Every image is read or downloaded first (`load`), so a missing file fails before the first
 * WeChat request; then only what the per-account cache does not know is uploaded (`upload`).
 */
import type { ImageUploadCache, MaterialUpload } from './image-upload-cache.js';
import { loadImage, type ImageSourceOptions, type LoadedImage } from './image-source.js';
import type { PreparedArticle } from './prepared-article.js';
import type { PublishProgress } from './publish-article.js';

export interface DraftUploadsOptions {
  coverType: 'image' | 'thumb';
  images?: Omit<ImageSourceOptions, 'baseDir'>;
  progress: (event: PublishProgress) => void;
}

export class DraftUploads {
  private readonly cache: ImageUploadCache;
  private readonly options: DraftUploadsOptions;
  private readonly loaded = new Map<string, LoadedImage>();
  private readonly urls = new Map<string, string>();
  private readonly pictures = new Map<string, MaterialUpload>();
  private readonly covers = new Map<PreparedArticle, MaterialUpload>();
  /** Distinct uploads (by kind and sha256): true when uploaded by this run, false when cached. */
  private readonly seen = new Map<string, boolean>();

  constructor(cache: ImageUploadCache, options: DraftUploadsOptions) {
    this.cache = cache;
    this.options = options;
  }

  /** Reads or downloads every image and cover of the articles (no WeChat request). */
  async load(articles: readonly PreparedArticle[]): Promise<void> {
    const wanted = new Map<string, { a: PreparedArticle; src: string }>();
    for (const a of articles) {
      for (const src of a.imageSources) wanted.set(keyOf(a, src), { a, src });
      if (a.coverSource !== undefined) wanted.set(keyOf(a, a.coverSource), { a, src: a.coverSource });
    }
    this.options.progress({ step: 'load-images', total: wanted.size });
    for (const [key, { a, src }] of wanted) this.loaded.set(key, await loadImage(src, { ...this.options.images, baseDir: a.baseDir }));
  }

  /** Uploads what is not cached: article images, then image-post pictures, then covers. */
  async upload(articles: readonly PreparedArticle[]): Promise<void> {
    const images = articles.flatMap((a) => a.imageSources.map((src) => ({ a, src })));
    for (const [i, { a, src }] of images.entries()) {
      let uploaded: boolean;
      if (a.type === 'news') {
        const upload = await this.cache.articleImage(this.image(a, src));
        this.urls.set(keyOf(a, src), upload.url);
        uploaded = this.count(`${upload.via}:${upload.sha256}`, upload.uploaded);
        if (upload.note) a.warnings.push(`image ${src} re-encoded: ${upload.note}`);
      } else {
        const upload = await this.cache.material(this.image(a, src), 'image');
        this.pictures.set(keyOf(a, src), upload);
        uploaded = this.count(`material:${upload.sha256}`, upload.uploaded);
        if (upload.note) a.warnings.push(`picture ${src} re-encoded: ${upload.note}`);
      }
      this.options.progress({ step: 'image', file: a.file, source: src, done: i + 1, total: images.length, uploaded });
    }
    await this.uploadCovers(articles);
  }

  /** The uploaded URL of an article image. */
  urlOf(a: PreparedArticle, src: string): string | undefined {
    return this.urls.get(keyOf(a, src));
  }

  /** The material id of an image-post picture. */
  pictureOf(a: PreparedArticle, src: string): MaterialUpload {
    const picture = this.pictures.get(keyOf(a, src));
    if (!picture) throw new Error(`internal: picture ${src} of ${a.file} was not uploaded`);
    return picture;
  }

  /** The cover material of a news article. */
  coverOf(a: PreparedArticle): MaterialUpload | undefined {
    return this.covers.get(a);
  }

  /** Distinct images and covers uploaded by this run vs. found in the cache. */
  counts(): { uploaded: number; cached: number } {
    const uploaded = [...this.seen.values()].filter(Boolean).length;
    return { uploaded, cached: this.seen.size - uploaded };
  }

  /**
   * After WeChat answered 40007 for a material id: forgets every material that came from the cache (it may
   * have been deleted since) and uploads it again. False when none came from the cache (nothing to retry).
   */
  async renewCachedMaterials(articles: readonly PreparedArticle[]): Promise<boolean> {
    const stale = [...this.covers.values(), ...this.pictures.values()].filter((u) => !u.uploaded);
    if (stale.length === 0) return false;
    for (const u of stale) await this.cache.forgetMaterial(u.mediaId);
    for (const a of articles) {
      for (const src of a.type === 'newspic' ? a.imageSources : []) {
        if (this.pictureOf(a, src).uploaded) continue;
        this.pictures.set(keyOf(a, src), await this.cache.material(this.image(a, src), 'image'));
      }
    }
    this.covers.clear();
    await this.uploadCovers(articles);
    return true;
  }

  private async uploadCovers(articles: readonly PreparedArticle[]): Promise<void> {
    const type = this.options.coverType;
    for (const a of articles) {
      if (a.type !== 'news' || a.coverSource === undefined) continue;
      const upload = await this.cache.material(this.image(a, a.coverSource), type);
      this.covers.set(a, upload);
      const uploaded = this.count(`${type}:${upload.sha256}`, upload.uploaded);
      if (upload.note && upload.uploaded) a.warnings.push(`cover ${a.coverSource} re-encoded: ${upload.note}`);
      this.options.progress({ step: 'cover', file: a.file, source: a.coverSource, uploaded });
    }
  }

  private image(a: PreparedArticle, src: string): LoadedImage {
    const image = this.loaded.get(keyOf(a, src));
    if (!image) throw new Error(`internal: image ${src} of ${a.file} was not loaded`);
    return image;
  }

  /** Records a distinct upload (seen again from the cache, it still counts as uploaded by this run). */
  private count(key: string, uploaded: boolean): boolean {
    this.seen.set(key, this.seen.get(key) === true || uploaded);
    return uploaded;
  }
}

/** Relative paths mean different files in different folders: key images by folder and source. */
function keyOf(a: PreparedArticle, src: string): string {
  return `${a.baseDir}\0${src}`;
}
