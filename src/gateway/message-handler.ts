import type { Logger } from 'pino';
import { DifyApiError, DifyTransportError } from '../dify/errors.js';
import type { Owner } from '../store/store.js';
import type { WeChatClient } from '../wechat-api/client.js';
import type { AiApp, AiFile } from './ai-app.js';
import { answerParts, textParts } from './answer-parts.js';
import type { Conversations } from './conversations.js';
import type { AiAnswer } from './dify-answerer.js';
import { downloadFile } from './file-download.js';
import type { FollowerFacts } from './follower-facts.js';
import { imageFiles, voiceText, type InboundMediaTools } from './inbound-media.js';
import { imageTextQuery } from './inbound-query.js';
import { decodeJobInput } from './job-input.js';
import type { OutMessage } from './out-message.js';
import { richAnswer, type RichAnswerTools } from './rich-answer.js';
import { voiceReply } from './voice-reply.js';
import type { WebhookAccount } from './webhook.js';

/** Asks an account's AI app. `files` are the message's attachments (an image the follower sent). */
export interface Answerer {
  ask(owner: Owner, query: string, inputs?: Record<string, string>, files?: readonly AiFile[]): Promise<AiAnswer>;
}

export interface MessageHandlerOptions {
  accounts: ReadonlyMap<string, WebhookAccount>;
  answerers: ReadonlyMap<string, Answerer>;
  conversations: Conversations;
  /** The AI app behind each account, for files and speech; absent for accounts whose answerer was replaced. */
  apps?: ReadonlyMap<string, AiApp> | undefined;
  /** The WeChat API client of an account; undefined without an AppSecret (no media download or upload then). */
  wechat?: ((account: string) => WeChatClient | undefined) | undefined;
  /** Facts remembered about followers (QR scene, last place), offered to the AI with every message. */
  facts?: FollowerFacts | undefined;
  logger?: Logger | undefined;
}

/** What one AI call is made of. */
interface AiRequest {
  query: string;
  inputs: Record<string, string> | undefined;
  files?: readonly AiFile[];
  /** The follower spoke (voice message): the answer may be spoken too. */
  spoken?: boolean | undefined;
}

const text = (t: string): OutMessage => ({ type: 'text', text: t });

/**
 * The worker side of a follower message: runs a reset command, fetches and converts media (images to AI files,
 * voice to text), asks the AI, and turns the answer into the messages to deliver (text parts, then a voice reply
 * when enabled, then images). Never throws for an AI failure: the follower gets the configured apology, the log
 * the detail (without secrets or message content).
 */
export class MessageHandler {
  readonly #o: MessageHandlerOptions;

  constructor(options: MessageHandlerOptions) {
    this.#o = options;
  }

  /** Computes the answer to one queued message. */
  async handle(owner: Owner, payload: string): Promise<OutMessage[]> {
    const account = this.#o.accounts.get(owner.account);
    if (!account) return []; // the account was removed from config while the message waited
    const input = decodeJobInput(payload);
    switch (input.type) {
      case 'reset':
        await this.#o.conversations.drop(owner);
        return [text(account.text('conversationReset'))];
      case 'query':
        return this.#ask(account, owner, { query: input.query, inputs: input.inputs, spoken: input.spoken });
      case 'image': {
        const files = await imageFiles(owner, input, this.#mediaTools(account));
        const query = files ? account.config.queries.image : imageTextQuery(input.picUrl, account.config.queries);
        return this.#ask(account, owner, { query, inputs: input.inputs, ...(files && { files }) });
      }
      case 'voice': {
        const heard = await voiceText(owner, input, this.#mediaTools(account));
        if (heard === undefined) return [text(account.config.media.voiceUnrecognized)];
        return this.#ask(account, owner, { query: heard, inputs: input.inputs, spoken: true });
      }
      case 'welcome':
        return this.#welcome(account, owner, input.inputs ?? {});
    }
  }

  #mediaTools(account: WebhookAccount): InboundMediaTools {
    const id = account.config.id;
    return { app: this.#o.apps?.get(id), wechat: this.#o.wechat?.(id), media: account.config.media, logger: this.#o.logger };
  }

  /** The opening statement of the app (its `{{variable}}`s filled from the facts), else the configured welcome. */
  async #welcome(account: WebhookAccount, owner: Owner, facts: Record<string, string>): Promise<OutMessage[]> {
    const features = await this.#o.apps?.get(owner.account)?.features();
    const values: Record<string, string> = { ...(await this.#o.facts?.recall(owner)), ...facts };
    const opening = (features?.openingStatement ?? '').replace(/\{\{\s*([A-Za-z_]\w*)\s*\}\}/g, (_, name: string) => values[name] ?? '');
    const parts = answerParts(opening);
    if (parts.length > 0) return parts;
    const welcome = account.text('welcome');
    return welcome ? [text(welcome)] : [];
  }

  async #ask(account: WebhookAccount, owner: Owner, request: AiRequest): Promise<OutMessage[]> {
    const answerer = this.#o.answerers.get(owner.account);
    if (!answerer) return [text(account.text('aiFailed'))];
    const started = Date.now();
    let answer: AiAnswer;
    try {
      const remembered = (await this.#o.facts?.recall(owner)) ?? {};
      answer = await answerer.ask(owner, request.query, { ...remembered, ...request.inputs }, request.files ?? []);
    } catch (err) {
      const detail =
        err instanceof DifyApiError
          ? { status: err.status, difyCode: err.difyCode, endpoint: err.endpoint }
          : err instanceof DifyTransportError
            ? { reason: err.reason, endpoint: err.endpoint }
            : { err };
      this.#o.logger?.warn({ account: owner.account, ms: Date.now() - started, ...detail }, 'ai call failed; apology sent');
      return [text(account.text('aiFailed'))];
    }
    const parts = await this.#parts(account, owner, answer, request.spoken === true);
    this.#o.logger?.info({ account: owner.account, ms: Date.now() - started, parts: parts.length }, 'ai answered');
    return parts.length > 0 ? parts : [text(account.text('emptyAnswer'))];
  }

  /** Text parts first (they can go passively, also where push is impossible), then the voice reply, then media. */
  async #parts(account: WebhookAccount, owner: Owner, answer: AiAnswer, spoken: boolean): Promise<OutMessage[]> {
    const media = account.config.media;
    const app = this.#o.apps?.get(owner.account);
    const wechat = this.#o.wechat?.(owner.account);
    const tools: RichAnswerTools | undefined = app && {
      resolve: (url) => app.resolveFileUrl(url),
      isAppFile: (url) => app.isAppFile(url),
      download: (url, maxBytes) => downloadFile(url, { maxBytes: Math.min(maxBytes, media.maxDownloadBytes), timeoutMs: media.downloadTimeoutMs }),
      uploadImage: wechat && (async (file) => (await wechat.media.upload('image', { data: file.data, filename: file.filename ?? 'image.jpg', contentType: file.contentType })).media_id),
    };
    const rich = await richAnswer(answer, tools, { images: media.answerImages, logger: this.#o.logger });
    const parts = textParts(rich.text);
    if (spoken && media.voiceReplies && app && wechat) {
      const voice = await voiceReply(owner, rich.text, app, wechat, this.#o.logger);
      if (voice) parts.push(voice);
    }
    return [...parts, ...rich.media];
  }
}
