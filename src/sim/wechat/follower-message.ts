import { newMsgId } from './ids.js';
import { inboundXml, type XmlField } from './inbound-xml.js';
import type { InteractionTrigger } from './types.js';

/** Fields every follower message may override. */
interface MessageCommon {
  /** Unix seconds; default now. */
  createTime?: number;
  /** 64-bit decimal string; default a fresh one above 2^53. */
  msgId?: string;
}

/** A file the follower sends; stored in the simulator (when linked) so the gateway can download it. */
interface SentFile {
  /** The file's bytes; a small placeholder when omitted. */
  data?: Buffer;
  filename?: string;
  /** Use this MediaId instead of storing a file. */
  mediaId?: string;
}

/** A message or event as a follower sends it (reference §2). */
export type FollowerMessage =
  | (MessageCommon & { type: 'text'; content: string; bizmsgmenuid?: string })
  | (MessageCommon & SentFile & { type: 'image'; picUrl?: string })
  | (MessageCommon & SentFile & { type: 'voice'; format?: 'amr' | 'speex'; recognition?: string })
  | (MessageCommon & SentFile & { type: 'video' | 'shortvideo'; thumbMediaId?: string })
  | (MessageCommon & { type: 'location'; latitude: number; longitude: number; scale?: number; label?: string })
  | (MessageCommon & { type: 'link'; title: string; description?: string; url: string })
  | {
      type: 'event';
      /** e.g. subscribe, unsubscribe, SCAN, CLICK, VIEW, LOCATION, scancode_push… (case as WeChat sends it). */
      event: string;
      eventKey?: string;
      ticket?: string;
      createTime?: number;
      /** Extra elements appended as-is (strings as CDATA, numbers bare). */
      fields?: Record<string, string | number>;
    };

/** The media a message carries once stored: what goes into MediaId/PicUrl/ThumbMediaId. */
export interface MessageMedia {
  mediaId?: string;
  picUrl?: string;
  thumbMediaId?: string;
}

/** A built inbound message: the XML WeChat would send, and what it means for the 客服 window. */
export interface BuiltFollowerMessage {
  xml: string;
  createTime: number;
  /** Normal messages only. */
  msgId?: string;
  trigger: InteractionTrigger;
  /** A reply to these may carry at most 1 news article; other replies up to 8 (reference §3.1). */
  maxNewsArticles: 1 | 8;
}

const CLICK_EVENTS = new Set(['click', 'scancode_push', 'scancode_waitmsg']);
/** "当用户发送文本、图片、视频、图文、地理位置这五种消息时，开发者只能回复1条图文消息". */
const ONE_ARTICLE_TYPES = new Set(['text', 'image', 'video', 'shortvideo', 'link', 'location']);

/** What an event does to the 客服 window (reference §4): click/follow/scan open 3 sends for a minute. */
export function triggerOfEvent(event: string): InteractionTrigger {
  const e = event.toLowerCase();
  if (e === 'subscribe') return 'subscribe';
  if (e === 'unsubscribe') return 'unsubscribe';
  if (e === 'scan') return 'scan';
  if (CLICK_EVENTS.has(e)) return 'click';
  return 'other';
}

/** Builds the XML WeChat POSTs for a follower's message or event, in WeChat's element order. */
export function buildFollowerMessage(init: { message: FollowerMessage; openid: string; ghId: string; now: number; media?: MessageMedia }): BuiltFollowerMessage {
  const { message: m, media = {} } = init;
  const createTime = m.createTime ?? Math.floor(init.now / 1000);
  const head: XmlField[] = [
    ['ToUserName', init.ghId],
    ['FromUserName', init.openid],
    ['CreateTime', createTime],
    ['MsgType', m.type],
  ];
  if (m.type === 'event') {
    const fields: XmlField[] = [...head, ['Event', m.event]];
    const lower = m.event.toLowerCase();
    // A plain follow carries an empty EventKey; unsubscribe none.
    if (m.eventKey !== undefined || lower === 'subscribe') fields.push(['EventKey', m.eventKey ?? '']);
    if (m.ticket !== undefined) fields.push(['Ticket', m.ticket]);
    for (const [k, v] of Object.entries(m.fields ?? {})) fields.push([k, v]);
    return { xml: inboundXml(fields), createTime, trigger: triggerOfEvent(m.event), maxNewsArticles: 8 };
  }
  const body: XmlField[] = [];
  switch (m.type) {
    case 'text':
      body.push(['Content', m.content]);
      if (m.bizmsgmenuid !== undefined) body.push(['bizmsgmenuid', m.bizmsgmenuid]);
      break;
    case 'image':
      body.push(['PicUrl', m.picUrl ?? media.picUrl ?? ''], ['MediaId', m.mediaId ?? media.mediaId ?? '']);
      break;
    case 'voice':
      body.push(['MediaId', m.mediaId ?? media.mediaId ?? ''], ['Format', m.format ?? 'amr']);
      if (m.recognition !== undefined) body.push(['Recognition', m.recognition]);
      break;
    case 'video':
    case 'shortvideo':
      body.push(['MediaId', m.mediaId ?? media.mediaId ?? ''], ['ThumbMediaId', m.thumbMediaId ?? media.thumbMediaId ?? '']);
      break;
    case 'location':
      body.push(['Location_X', m.latitude], ['Location_Y', m.longitude], ['Scale', m.scale ?? 15], ['Label', m.label ?? '']);
      break;
    case 'link':
      body.push(['Title', m.title], ['Description', m.description ?? ''], ['Url', m.url]);
      break;
  }
  const msgId = m.msgId ?? newMsgId();
  return {
    xml: inboundXml([...head, ...body, ['MsgId', { bare: msgId }]]),
    createTime,
    msgId,
    trigger: 'message',
    maxNewsArticles: ONE_ARTICLE_TYPES.has(m.type) ? 1 : 8,
  };
}
