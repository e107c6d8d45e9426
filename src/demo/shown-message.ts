import type { ReceivedCustomerMessage } from '../sim/wechat/types.js';
import type { PassiveReply } from '../wechat/index.js';
import type { ShownMessage } from './chat-items.js';

/** Where the page loads a file the WeChat simulator stores (a media id or an mmbiz URL). */
export function mediaUrl(ref: string): string {
  return `/demo/api/media?ref=${encodeURIComponent(ref)}`;
}

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** How the phone shows a passive reply. */
export function shownPassiveReply(reply: PassiveReply): ShownMessage {
  switch (reply.kind) {
    case 'text':
      return { type: 'text', text: reply.content };
    case 'image':
      return { type: 'image', url: mediaUrl(reply.mediaId) };
    case 'news': {
      const a = reply.articles[0];
      if (!a) return { type: 'media', kind: 'news', label: '[图文]' };
      return {
        type: 'news',
        title: a.title,
        ...(a.description !== undefined && { description: a.description }),
        ...(a.url !== undefined && { url: a.url }),
        ...(a.picUrl !== undefined && { picUrl: mediaUrl(a.picUrl) }),
      };
    }
    case 'voice':
      return { type: 'media', kind: 'voice', label: '[语音]' };
    case 'video':
      return { type: 'media', kind: 'video', label: `[视频] ${reply.title ?? ''}`.trim() };
    case 'music':
      return { type: 'media', kind: 'music', label: `[音乐] ${reply.title ?? ''}`.trim() };
    case 'transfer_customer_service':
      return { type: 'media', kind: 'transfer', label: '[转接人工客服]' };
  }
}

/** How the phone shows a 客服 message (the JSON body of message/custom/send). */
export function shownCustomerMessage(m: ReceivedCustomerMessage): ShownMessage {
  const p = m.payload;
  switch (m.msgtype) {
    case 'text':
      return { type: 'text', text: m.text ?? str(p.content) ?? '' };
    case 'image': {
      const id = str(p.media_id);
      return id ? { type: 'image', url: mediaUrl(id) } : { type: 'media', kind: 'image', label: '[图片]' };
    }
    case 'news': {
      const articles = Array.isArray(p.articles) ? (p.articles as Array<Record<string, unknown>>) : [];
      const a = articles[0];
      const title = str(a?.title);
      if (!a || title === undefined) return { type: 'media', kind: 'news', label: '[图文]' };
      const description = str(a.description);
      const url = str(a.url);
      const picUrl = str(a.picurl);
      return {
        type: 'news',
        title,
        ...(description !== undefined && { description }),
        ...(url !== undefined && { url }),
        ...(picUrl !== undefined && { picUrl: mediaUrl(picUrl) }),
      };
    }
    case 'voice':
      return { type: 'media', kind: 'voice', label: '[语音]' };
    case 'video':
      return { type: 'media', kind: 'video', label: `[视频] ${str(p.title) ?? ''}`.trim() };
    case 'msgmenu':
      return { type: 'text', text: [str(p.head_content), ...(Array.isArray(p.list) ? (p.list as Array<Record<string, unknown>>).map((i) => `· ${str(i.content) ?? ''}`) : []), str(p.tail_content)].filter(Boolean).join('\n') };
    default:
      return { type: 'media', kind: m.msgtype, label: `[${m.msgtype}]` };
  }
}
