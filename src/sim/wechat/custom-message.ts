import { refuse } from './api-errors.js';
import type { MediaKind } from './media-library.js';

/** 客服 text content limit in UTF-8 bytes (reference §3.4, §4). */
export const CUSTOM_TEXT_MAX_BYTES = 2048;

/** What validating a 客服 message needs to know about the account. */
export interface CustomMessageLookups {
  /** A live temporary media or a material of one of these kinds. */
  mediaSendable(id: unknown, kinds: readonly MediaKind[]): boolean;
  /** An article_id of a successful publication. */
  articleExists(id: unknown): boolean;
}

/** A validated `message/custom/send` body. */
export interface CustomMessage {
  touser: string;
  msgtype: string;
  payload: Record<string, unknown>;
}

function objectField(body: Record<string, unknown>, key: string): Record<string, unknown> {
  const v = body[key];
  if (typeof v !== 'object' || v === null || Array.isArray(v)) refuse(47001);
  return v as Record<string, unknown>;
}

function nonEmptyString(v: unknown): v is string {
  return typeof v === 'string' && v !== '';
}

function requireMedia(lookups: CustomMessageLookups, id: unknown, kinds: readonly MediaKind[]): void {
  if (!lookups.mediaSendable(id, kinds)) refuse(40007);
}

/**
 * Validates a 客服 message body per msgtype (reference §4): 40003 no touser, 40008 unknown/deprecated msgtype,
 * 44004 empty text, 45002 text over 2048 bytes, 44003/45008 news with 0 or more than 1 article, 40007 unknown media.
 */
export function validateCustomMessage(body: Record<string, unknown>, lookups: CustomMessageLookups): CustomMessage {
  const touser = body.touser;
  if (!nonEmptyString(touser)) refuse(40003);
  const msgtype = body.msgtype;
  if (!nonEmptyString(msgtype)) refuse(40008);
  const payload = (): Record<string, unknown> => objectField(body, msgtype);
  switch (msgtype) {
    case 'text': {
      const p = payload();
      if (!nonEmptyString(p.content)) refuse(44004);
      if (Buffer.byteLength(p.content, 'utf8') > CUSTOM_TEXT_MAX_BYTES) refuse(45002);
      return { touser, msgtype, payload: p };
    }
    case 'image':
    case 'voice': {
      const p = payload();
      requireMedia(lookups, p.media_id, msgtype === 'image' ? ['image'] : ['voice']);
      return { touser, msgtype, payload: p };
    }
    case 'video': {
      const p = payload();
      requireMedia(lookups, p.media_id, ['video']);
      if (p.thumb_media_id !== undefined && p.thumb_media_id !== '') requireMedia(lookups, p.thumb_media_id, ['thumb', 'image']);
      return { touser, msgtype, payload: p };
    }
    case 'music': {
      const p = payload();
      requireMedia(lookups, p.thumb_media_id, ['thumb', 'image']);
      return { touser, msgtype, payload: p };
    }
    case 'news': {
      const p = payload();
      const articles = p.articles;
      if (!Array.isArray(articles) || articles.length === 0) refuse(44003);
      if (articles.length > 1) refuse(45008);
      return { touser, msgtype, payload: p };
    }
    case 'mpnewsarticle': {
      const p = payload();
      if (!lookups.articleExists(p.article_id)) refuse(40007);
      return { touser, msgtype, payload: p };
    }
    case 'msgmenu': {
      const p = payload();
      const list = p.list;
      const valid = Array.isArray(list) && list.length > 0 && list.every((o: unknown) => {
        const item = o as { id?: unknown; content?: unknown } | null;
        return typeof item === 'object' && item !== null && item.id !== undefined && nonEmptyString(item.content);
      });
      if (!valid) refuse(47001);
      return { touser, msgtype, payload: p };
    }
    case 'wxcard': {
      const p = payload();
      if (!nonEmptyString(p.card_id)) refuse(47001);
      return { touser, msgtype, payload: p };
    }
    case 'miniprogrampage': {
      const p = payload();
      if (!nonEmptyString(p.appid) || !nonEmptyString(p.pagepath)) refuse(47001);
      requireMedia(lookups, p.thumb_media_id, ['thumb', 'image']);
      return { touser, msgtype, payload: p };
    }
    default:
      // Includes `mpnews`, withdrawn once drafts replaced news materials ("草稿灰度完成后，此类型不再支持").
      refuse(40008);
  }
}
