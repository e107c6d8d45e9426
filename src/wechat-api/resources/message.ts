/** 客服 (customer-service) messages: `message/custom/send` and `message/custom/typing` (reference §4). */
import { APIResource, type CallOptions } from '../resource.js';

/** The one article a `news` 客服 message may carry (more → 45008). */
export interface NewsMessageArticle {
  title: string;
  description?: string;
  url: string;
  picurl?: string;
}

/** One `msgtype` and its object, for every body type WeChat accepts. */
export type CustomMessageBody =
  | { msgtype: 'text'; text: { content: string } }
  | { msgtype: 'image'; image: { media_id: string } }
  | { msgtype: 'voice'; voice: { media_id: string } }
  | { msgtype: 'video'; video: { media_id: string; thumb_media_id: string; title?: string; description?: string } }
  | {
      msgtype: 'music';
      music: { title?: string; description?: string; musicurl: string; hqmusicurl: string; thumb_media_id: string };
    }
  | { msgtype: 'news'; news: { articles: [NewsMessageArticle] } }
  // mpnews is being retired by WeChat ("草稿灰度完成后，此类型不再支持"): prefer mpnewsarticle.
  | { msgtype: 'mpnews'; mpnews: { media_id: string } }
  | { msgtype: 'mpnewsarticle'; mpnewsarticle: { article_id: string } }
  | {
      msgtype: 'msgmenu';
      msgmenu: { head_content: string; list: { id: string; content: string }[]; tail_content: string };
    }
  | { msgtype: 'wxcard'; wxcard: { card_id: string } }
  | { msgtype: 'miniprogrampage'; miniprogrampage: { title: string; appid: string; pagepath: string; thumb_media_id: string } };

export type CustomMessageType = CustomMessageBody['msgtype'];

/** A 客服 message: the recipient, the body, and optionally the 客服 account to send as. */
export type CustomMessage = CustomMessageBody & {
  touser: string;
  customservice?: { kf_account: string };
};

export type TypingCommand = 'Typing' | 'CancelTyping';

export class Message extends APIResource {
  /**
   * Send a 客服 message. Needs a verified account (48001), an open 48 h window (45015) and quota left (45047:
   * 5 per user message).
   */
  async send(message: CustomMessage, options?: CallOptions): Promise<void> {
    await this.client.postJson('/cgi-bin/message/custom/send', message, options);
  }

  /** Send a text 客服 message. */
  async sendText(touser: string, content: string, options?: CallOptions & { kfAccount?: string }): Promise<void> {
    const { kfAccount, ...call } = options ?? {};
    const message: CustomMessage = { touser, msgtype: 'text', text: { content } };
    if (kfAccount) message.customservice = { kf_account: kfAccount };
    await this.send(message, call);
  }

  /** Show or cancel "typing…" (within 30 s of an interaction: 45080; not while already typing: 45081). */
  async typing(touser: string, command: TypingCommand = 'Typing', options?: CallOptions): Promise<void> {
    await this.client.postJson('/cgi-bin/message/custom/typing', { touser, command }, options);
  }
}
