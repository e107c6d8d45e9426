import type { Owner } from '../store/store.js';
import type { WeChatClient } from '../wechat-api/client.js';
import type { CustomMessageBody } from '../wechat-api/resources/message.js';
import type { OutMessage } from './out-message.js';
import type { Pusher } from './push-outbox.js';

/** The 客服 body for an answer part. */
export function toCustomMessage(message: OutMessage): CustomMessageBody {
  switch (message.type) {
    case 'text':
      return { msgtype: 'text', text: { content: message.text } };
    case 'image':
      return { msgtype: 'image', image: { media_id: message.mediaId } };
    case 'voice':
      return { msgtype: 'voice', voice: { media_id: message.mediaId } };
    case 'video':
      return {
        msgtype: 'video',
        video: {
          media_id: message.mediaId,
          thumb_media_id: message.thumbMediaId ?? '',
          ...(message.title !== undefined && { title: message.title }),
          ...(message.description !== undefined && { description: message.description }),
        },
      };
    case 'news':
      return {
        msgtype: 'news',
        news: {
          articles: [
            {
              title: message.article.title,
              url: message.article.url,
              ...(message.article.description !== undefined && { description: message.article.description }),
              ...(message.article.picUrl !== undefined && { picurl: message.article.picUrl }),
            },
          ],
        },
      };
  }
}

/** Pushes answer parts through each account's WeChat client. */
export class WeChatPusher implements Pusher {
  readonly #clients: (account: string) => WeChatClient | undefined;

  constructor(clients: (account: string) => WeChatClient | undefined) {
    this.#clients = clients;
  }

  async send(owner: Owner, message: OutMessage): Promise<void> {
    const client = this.#clients(owner.account);
    if (!client) throw new Error(`account ${owner.account} has no AppSecret: it cannot push`);
    await client.message.send({ touser: owner.openid, ...toCustomMessage(message) });
  }

  /** Shows "typing…" to the follower; failures are harmless and ignored by the caller. */
  async typing(owner: Owner): Promise<void> {
    await this.#clients(owner.account)?.message.typing(owner.openid, 'Typing');
  }
}
