/**
 * The store keys of the publisher, in one place. Everything is per AppID: an upload made for one account's
 * articles is useless to another (uploadimg URLs and material ids belong to the account).
 */
import { createHash } from 'node:crypto';

/** Hex sha256 of bytes or text. */
export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The mmbiz URL `media/uploadimg` returned for an image with these bytes (sha256 of the original file). */
export function articleImageKey(appId: string, sha256: string): string {
  return `publisher:img:${appId}:${sha256}`;
}

/** The permanent material (`{media_id, url?}` JSON) uploaded for an image with these bytes, per material type. */
export function materialKey(appId: string, type: 'image' | 'thumb', sha256: string): string {
  return `publisher:material:${appId}:${type}:${sha256}`;
}

/** Reverse entry: which materialKey a media_id was cached under, so deleting the material forgets it. */
export function materialIdKey(appId: string, mediaId: string): string {
  return `publisher:material-id:${appId}:${mediaId}`;
}

/** The draft made from this exact list of files (absolute paths, in order). */
export function draftKey(appId: string, files: readonly string[]): string {
  return `publisher:draft:${appId}:${sha256Hex(files.join('\n'))}`;
}

/** Reverse entry: which draftKey a draft media_id belongs to, so deleting the draft forgets it. */
export function draftIdKey(appId: string, mediaId: string): string {
  return `publisher:draft-id:${appId}:${mediaId}`;
}
