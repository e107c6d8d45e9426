import { refuse } from '../api-errors.js';
import { BinaryAnswer, type ApiRoute } from '../api-router.js';
import { checkPage } from '../draft-box.js';
import { extensionOf, mediaKindOf, type StoredMedia } from '../media-library.js';
import { materialsUsedBy } from '../menu-rules.js';

/** The filename WeChat puts in Content-Disposition: the media id with the file's extension. */
function servedName(m: StoredMedia): string {
  const ext = extensionOf(m.filename);
  return ext ? `${m.id}.${ext}` : m.id;
}

/** Temporary media, permanent materials and uploadimg (reference §6). */
export const mediaRoutes: readonly ApiRoute[] = [
  {
    method: 'POST',
    path: '/cgi-bin/media/upload',
    auth: 'token',
    async handler(call) {
      const kind = mediaKindOf(call.query('type'));
      const { file } = await call.multipart();
      const m = call.account.media.uploadTemporary(kind, file, call.now);
      const createdAt = Math.floor(m.createdAt / 1000);
      // Thumbs come back under `thumb_media_id`, everything else under `media_id`.
      return kind === 'thumb' ? { type: kind, thumb_media_id: m.id, created_at: createdAt } : { type: kind, media_id: m.id, created_at: createdAt };
    },
  },
  {
    method: 'ANY',
    path: '/cgi-bin/media/get',
    auth: 'token',
    handler(call) {
      const m = call.account.media.temporary(call.query('media_id'), call.now);
      if (m.kind === 'video') return { video_url: `${call.state.apiBase}/_sim/files/${m.id}` };
      return new BinaryAnswer(m.bytes, m.contentType, servedName(m));
    },
  },
  {
    method: 'ANY',
    path: '/cgi-bin/media/get/jssdk',
    auth: 'token',
    verifiedOnly: true,
    handler(call) {
      const m = call.account.media.temporary(call.query('media_id'), call.now);
      if (m.kind !== 'voice') refuse(40007);
      return new BinaryAnswer(m.bytes, 'audio/speex', `${m.id}.speex`);
    },
  },
  {
    method: 'POST',
    path: '/cgi-bin/media/uploadimg',
    auth: 'token',
    async handler(call) {
      const { file } = await call.multipart();
      const m = call.account.media.uploadImage(file, call.now);
      return { url: m.url, errcode: 0, errmsg: 'ok' };
    },
  },
  {
    method: 'POST',
    path: '/cgi-bin/material/add_material',
    auth: 'token',
    async handler(call) {
      const kind = mediaKindOf(call.query('type'));
      const { file, fields } = await call.multipart();
      const m = call.account.media.addMaterial(kind, file, fields.description, call.now);
      return m.url === undefined || kind !== 'image' ? { media_id: m.id } : { media_id: m.id, url: m.url };
    },
  },
  {
    method: 'POST',
    path: '/cgi-bin/material/get_material',
    auth: 'token',
    handler(call) {
      const m = call.account.media.material(call.json().media_id);
      if (m.kind === 'video') {
        return { title: m.description?.title ?? '', description: m.description?.introduction ?? '', down_url: `${call.state.apiBase}/_sim/files/${m.id}` };
      }
      return new BinaryAnswer(m.bytes, m.contentType, servedName(m));
    },
  },
  {
    method: 'POST',
    path: '/cgi-bin/material/del_material',
    auth: 'token',
    handler(call) {
      const a = call.account;
      const id = call.json().media_id;
      const m = a.media.material(id);
      if (a.menu && materialsUsedBy(a.menu.button).has(m.id)) refuse(48005);
      a.media.deleteMaterial(m.id);
      return { errcode: 0, errmsg: 'ok' };
    },
  },
  {
    method: 'ANY',
    path: '/cgi-bin/material/get_materialcount',
    auth: 'token',
    handler(call) {
      return call.account.media.counts();
    },
  },
  {
    method: 'POST',
    path: '/cgi-bin/material/batchget_material',
    auth: 'token',
    handler(call) {
      const body = call.json();
      const type = body.type;
      if (type !== 'image' && type !== 'voice' && type !== 'video' && type !== 'news') refuse(40004);
      const { offset, count } = checkPage(body);
      if (type === 'news') return { total_count: 0, item_count: 0, item: [] };
      const page = call.account.media.list(type, offset, count);
      return {
        total_count: page.total,
        item_count: page.items.length,
        item: page.items.map((m) => ({ media_id: m.id, name: m.filename, update_time: Math.floor(m.createdAt / 1000), url: m.url ?? '' })),
      };
    },
  },
];
