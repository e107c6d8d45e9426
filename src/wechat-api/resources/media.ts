/** Temporary media (valid 3 days) and article images: `media/upload`, `media/get`, `media/get/jssdk`, `media/uploadimg` (§6.1, §6.2). */
import { WeChatTransportError } from '../errors.js';
import { APIResource, type CallOptions } from '../resource.js';
import { ARTICLE_IMAGE_LIMIT, TEMPORARY_MEDIA_LIMITS, type MediaType } from '../upload-limits.js';
import { appendMedia, prepareUpload, type UploadSource } from '../upload-source.js';
import type { ApiAnswer } from '../api-core.js';

/** A temporary media upload's answer; for `thumb` WeChat names the id `thumb_media_id`, copied here to `media_id`. */
export interface UploadedMedia {
  type: MediaType;
  media_id: string;
  /** Epoch seconds. */
  created_at: number;
}

/** A downloaded file. */
export interface MediaFile {
  kind: 'file';
  data: Buffer;
  contentType: string;
  /** From Content-Disposition, when WeChat sent one. */
  filename: string | undefined;
}

/** What `media/get` returns: the file, or for a video its download URL. */
export type MediaContent = MediaFile | { kind: 'video'; video_url: string };

export class Media extends APIResource {
  /** Upload temporary media; the file is checked against the §6.1 limits before any request. */
  async upload(type: MediaType, file: UploadSource, options?: CallOptions): Promise<UploadedMedia> {
    const prepared = await prepareUpload(file, TEMPORARY_MEDIA_LIMITS[type]);
    const form = new FormData();
    appendMedia(form, prepared);
    const body = await this.client.postForm<{ type?: MediaType; media_id?: string; thumb_media_id?: string; created_at?: number }>(
      '/cgi-bin/media/upload',
      form,
      { ...options, query: { type } },
    );
    const mediaId = body.media_id ?? body.thumb_media_id;
    if (typeof mediaId !== 'string') throw new WeChatTransportError('/cgi-bin/media/upload', 'the answer carries no media_id');
    return { type: body.type ?? type, media_id: mediaId, created_at: Number(body.created_at ?? 0) };
  }

  /** Download temporary media: the bytes, or `{kind:'video', video_url}` for a video (WeChat answers JSON then). */
  async get(mediaId: string, options?: CallOptions): Promise<MediaContent> {
    const answer = await this.download('/cgi-bin/media/get', mediaId, options);
    if (answer.kind === 'bytes') return fileOf(answer);
    const url = answer.body.video_url;
    if (typeof url !== 'string') throw new WeChatTransportError('/cgi-bin/media/get', 'JSON answer without video_url');
    return { kind: 'video', video_url: url };
  }

  /** Download a JSSDK voice upload in high definition (speex 16 kHz); verified accounts only. */
  async getJssdkVoice(mediaId: string, options?: CallOptions): Promise<MediaFile> {
    const answer = await this.download('/cgi-bin/media/get/jssdk', mediaId, options);
    if (answer.kind === 'bytes') return fileOf(answer);
    throw new WeChatTransportError('/cgi-bin/media/get/jssdk', 'expected voice bytes, got JSON without an errcode');
  }

  /** Upload an image for use inside articles (jpg/png under 1 MB); returns its mmbiz URL. */
  async uploadImg(file: UploadSource, options?: CallOptions): Promise<{ url: string }> {
    const prepared = await prepareUpload(file, ARTICLE_IMAGE_LIMIT);
    const form = new FormData();
    appendMedia(form, prepared);
    const body = await this.client.postForm<{ url?: string }>('/cgi-bin/media/uploadimg', form, options);
    if (typeof body.url !== 'string') throw new WeChatTransportError('/cgi-bin/media/uploadimg', 'the answer carries no url');
    return { url: body.url };
  }

  private download(path: string, mediaId: string, options?: CallOptions): Promise<ApiAnswer> {
    return this.client.request({
      method: 'GET',
      path,
      query: { media_id: mediaId },
      binary: true,
      timeoutMs: options?.timeoutMs ?? this.client.transferTimeoutMs,
      signal: options?.signal,
    });
  }
}

/** A downloaded answer as a MediaFile. */
export function fileOf(answer: Extract<ApiAnswer, { kind: 'bytes' }>): MediaFile {
  return { kind: 'file', data: answer.data, contentType: answer.contentType, filename: answer.filename };
}
