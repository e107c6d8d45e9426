/** Permanent material: `material/add_material`, `get_material`, `del_material`, `get_materialcount`, `batchget_material` (§6.2). */
import { WeChatTransportError } from '../errors.js';
import { APIResource, type CallOptions } from '../resource.js';
import { PERMANENT_MATERIAL_LIMITS } from '../upload-limits.js';
import { appendMedia, prepareUpload, type UploadSource } from '../upload-source.js';
import { fileOf, type MediaFile } from './media.js';
import type { StoredArticle } from './draft.js';

/** What to add: a file of a type, and for a video its title and introduction. */
export type NewMaterial =
  | { type: 'image' | 'voice' | 'thumb'; file: UploadSource }
  | { type: 'video'; file: UploadSource; description: { title: string; introduction: string } };

/** `add_material`'s answer; `url` only for images (usable on Tencent domains only). */
export interface AddedMaterial {
  media_id: string;
  url?: string;
}

/** `get_material`'s answer by material type. */
export type MaterialContent =
  | { kind: 'news'; news_item: StoredArticle[] }
  | { kind: 'video'; title: string; description: string; down_url: string }
  | MediaFile;

export interface MaterialCount {
  voice_count: number;
  video_count: number;
  image_count: number;
  news_count: number;
}

export type MaterialListType = 'image' | 'video' | 'voice' | 'news';

export interface MaterialListItem {
  media_id: string;
  name?: string;
  update_time: number;
  url?: string;
  /** News items only. */
  content?: { news_item: StoredArticle[] };
}

export interface MaterialList {
  total_count: number;
  item_count: number;
  item: MaterialListItem[];
}

export class Material extends APIResource {
  /** Add permanent material; the file is checked against the §6.2 limits before any request. */
  async add(material: NewMaterial, options?: CallOptions): Promise<AddedMaterial> {
    const prepared = await prepareUpload(material.file, PERMANENT_MATERIAL_LIMITS[material.type]);
    const form = new FormData();
    appendMedia(form, prepared);
    if (material.type === 'video') form.append('description', JSON.stringify(material.description));
    const body = await this.client.postForm<Partial<AddedMaterial>>('/cgi-bin/material/add_material', form, {
      ...options,
      query: { type: material.type },
    });
    if (typeof body.media_id !== 'string') throw new WeChatTransportError('/cgi-bin/material/add_material', 'the answer carries no media_id');
    return body.url === undefined ? { media_id: body.media_id } : { media_id: body.media_id, url: body.url };
  }

  /** Get permanent material: news items, a video's download URL, or the file's bytes. */
  async get(mediaId: string, options?: CallOptions): Promise<MaterialContent> {
    const answer = await this.client.request({
      method: 'POST',
      path: '/cgi-bin/material/get_material',
      json: { media_id: mediaId },
      binary: true,
      timeoutMs: options?.timeoutMs ?? this.client.transferTimeoutMs,
      signal: options?.signal,
    });
    if (answer.kind === 'bytes') return fileOf(answer);
    const body = answer.body;
    if (Array.isArray(body.news_item)) return { kind: 'news', news_item: body.news_item as StoredArticle[] };
    if (typeof body.down_url === 'string') {
      return { kind: 'video', title: String(body.title ?? ''), description: String(body.description ?? ''), down_url: body.down_url };
    }
    throw new WeChatTransportError('/cgi-bin/material/get_material', 'JSON answer that is neither news nor video');
  }

  /** Delete permanent material (48005 while a menu or auto-reply uses it). */
  async del(mediaId: string, options?: CallOptions): Promise<void> {
    await this.client.postJson('/cgi-bin/material/del_material', { media_id: mediaId }, options);
  }

  /** How many materials of each type the account holds. */
  async count(options?: CallOptions): Promise<MaterialCount> {
    return this.client.getJson<MaterialCount>('/cgi-bin/material/get_materialcount', undefined, options);
  }

  /** List materials of a type, `count` 1..20 from `offset`. */
  async batchget(params: { type: MaterialListType; offset: number; count: number }, options?: CallOptions): Promise<MaterialList> {
    return this.client.postJson<MaterialList>('/cgi-bin/material/batchget_material', params, options);
  }
}
