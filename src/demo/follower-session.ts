import type { Logger } from 'pino';
import { decodeJob, jobKeys } from '../gateway/job.js';
import { messageKey } from '../gateway/message-key.js';
import type { OutMessage } from '../gateway/out-message.js';
import type { WebhookEvent } from '../gateway/webhook.js';
import type { DifySimulator } from '../sim/dify/types.js';
import { sendAsFollower, type FollowerView } from '../sim/wechat/follower.js';
import type { FollowerMessage } from '../sim/wechat/follower-message.js';
import { newMsgId } from '../sim/wechat/ids.js';
import type { WechatSimulator } from '../sim/wechat/simulator.js';
import type { ReceivedCustomerMessage } from '../sim/wechat/types.js';
import type { Store } from '../store/store.js';
import type { AccountItem, DeliveryMark, FollowerItem, ShownMessage } from './chat-items.js';
import type { ChatTimeline } from './chat-timeline.js';
import { mediaUrl, shownCustomerMessage, shownPassiveReply } from './shown-message.js';

/** What the page's follower can do. */
export type FollowerInput =
  | { type: 'text'; content: string }
  | { type: 'image'; data: Buffer; filename: string }
  /** A menu item of type `click`: a CLICK event with its key. */
  | { type: 'click'; key: string; label: string }
  | { type: 'subscribe' }
  | { type: 'unsubscribe' };

export interface FollowerSessionOptions {
  wechat: WechatSimulator;
  dify: DifySimulator;
  store: Store;
  timeline: ChatTimeline;
  /** The account's webhook, e.g. `http://127.0.0.1:8700/wechat/demo`. */
  gatewayUrl: string;
  accountId: string;
  /** The gateway's fetch keywords: a passive answer to one of them arrived "by keyword". */
  fetchKeywords: readonly string[];
  /** WeChat's wait per delivery, and how many deliveries it makes. */
  windowMs: number;
  deliveries: number;
  logger?: Logger | undefined;
}

/** One follower message on its way. */
interface Sending {
  /** The follower who sent it (the page may have moved on to a new follower since). */
  openid: string;
  /** #1, #2… in the event log. */
  n: number;
  itemId: string;
  key: string;
  label: string;
  startedAt: number;
  keyword: boolean;
  /** Received 客服 messages attributed to this message: index in the follower's inbox → chat item. */
  pushes: Map<number, string>;
  /** Whether the gateway's worker is still expected to prepare an answer (no job for inline answers). */
  awaitingAnswer: boolean;
}

const CUSTOM_SEND = '/cgi-bin/message/custom/send';
/** How often the simulators are looked at for 客服 messages and calls (all in memory). */
const WATCH_MS = 50;
/** Sends kept for attributing late pushes. */
const RECENT_SENDS = 50;

const OUTCOME_NOTE: Record<string, string> = {
  reply: 'passive reply',
  'no-reply': 'no answer yet, WeChat will retry',
  late: 'last delivery: waiting text, the answer follows',
  success: 'success',
  inline: 'answered without the AI',
};

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const snippet = (text: string): string => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 14 ? `${flat.slice(0, 14)}…` : flat;
};

/**
 * The demo's follower: sends what the page asks through WeChat's delivery rules (the simulator's follower side
 * against the real gateway), and turns everything that happens into chat items and event-log lines — each
 * delivery's outcome (from the gateway's `observe`), the passive reply, every 客服 message and 客服 API call
 * (from the WeChat simulator) and every AI call (from the Dify simulator).
 */
export class FollowerSession {
  readonly #o: FollowerSessionOptions;
  #openid: string;
  #subscribed = true;
  #count = 0;
  readonly #byKey = new Map<string, Sending>();
  #recent: Sending[] = [];
  readonly #inFlight = new Set<Promise<void>>();
  #seenReceived = 0;
  #seenCustomCalls = 0;
  #seenAiCalls = 0;
  readonly #aiFailures = new Set<number>();
  readonly #timer: NodeJS.Timeout;
  #watching = false;
  #closed = false;

  constructor(options: FollowerSessionOptions) {
    this.#o = options;
    this.#openid = options.wechat.addFollower();
    this.#timer = setInterval(() => this.#watch(), WATCH_MS);
    this.#timer.unref();
  }

  get openid(): string {
    return this.#openid;
  }

  get subscribed(): boolean {
    return this.#subscribed;
  }

  /** Starts sending; resolves once the message is on the page (WeChat's deliveries go on in the background). */
  send(input: FollowerInput): { itemId: string } {
    if (this.#closed) throw new Error('the demo is stopping');
    const startedAt = Date.now();
    const createTime = Math.floor(startedAt / 1000);
    const { message, shown, label } = this.#message(input, createTime);
    const msgId = 'msgId' in message ? message.msgId : undefined;
    const key = messageKey({
      fromUserName: this.#openid,
      createTime,
      msgId,
      event: message.type === 'event' ? message.event : undefined,
      eventKey: message.type === 'event' ? (message.eventKey ?? '') : undefined,
    });
    const itemId = this.#o.timeline.add({ kind: 'follower', message: shown, deliveries: [], state: 'sending' }, startedAt);
    const keyword = input.type === 'text' && this.#o.fetchKeywords.includes(input.content.trim());
    const sending: Sending = { openid: this.#openid, n: ++this.#count, itemId, key, label, startedAt, keyword, pushes: new Map(), awaitingAnswer: true };
    this.#byKey.set(key, sending);
    this.#recent.push(sending);
    if (this.#recent.length > RECENT_SENDS) this.#byKey.delete(this.#recent.shift()?.key ?? '');
    if (input.type === 'unsubscribe') this.#subscribed = false;
    if (input.type === 'subscribe') this.#subscribed = true;

    const openid = this.#openid;
    const run = sendAsFollower({
      gatewayUrl: this.#o.gatewayUrl,
      account: this.#o.wechat.account,
      mode: 'safe',
      message,
      openid,
      timeoutMs: this.#o.windowMs,
      deliveries: this.#o.deliveries,
      sim: this.#o.wechat,
    })
      .then((view) => this.#delivered(sending, view))
      .catch((err: unknown) => {
        this.#o.timeline.update<FollowerItem>(itemId, (item) => {
          item.state = 'failed';
        });
        if (!this.#closed && sending.openid === this.#openid) this.#o.timeline.log('wechat', `#${sending.n} could not be delivered: ${(err as Error).message}`, 'warn');
      })
      .finally(() => this.#inFlight.delete(run));
    this.#inFlight.add(run);
    return { itemId };
  }

  /** Continues as a new follower (fresh openid, empty chat and log); messages still on their way finish unseen. */
  restart(): void {
    this.#openid = this.#o.wechat.addFollower();
    this.#subscribed = true;
    this.#count = 0;
    this.#seenReceived = 0;
    this.#byKey.clear();
    this.#recent = [];
    this.#o.timeline.clear();
    this.#o.timeline.log('demo', `new follower ${this.#openid}`);
  }

  /** The gateway's view of each delivery (wired to the gateway server's `observe`). */
  observe(event: WebhookEvent): void {
    if (event.type === 'refused') {
      this.#o.timeline.log('gateway', `refused a request: HTTP ${event.status} ${event.reason}`, 'warn');
      return;
    }
    const sending = this.#byKey.get(event.messageKey);
    if (!sending) return;
    if (event.outcome === 'inline') sending.awaitingAnswer = false;
    const atMs = Date.now() - sending.startedAt;
    this.#o.timeline.update<FollowerItem>(sending.itemId, (item) => {
      const mark: DeliveryMark = { n: event.delivery, outcome: event.outcome, atMs };
      item.deliveries = [...item.deliveries.filter((d) => d.n !== event.delivery), mark].sort((a, b) => a.n - b.n);
    });
    const note = OUTCOME_NOTE[event.outcome] ?? event.outcome;
    this.#o.timeline.log('gateway', `#${sending.n} delivery ${event.delivery} → ${event.outcome} at ${seconds(atMs)}: ${note}`);
  }

  /** Stops watching and waits for the messages still being delivered (they end once the gateway is gone). */
  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#timer);
    await Promise.allSettled([...this.#inFlight]);
  }

  #message(input: FollowerInput, createTime: number): { message: FollowerMessage; shown: ShownMessage; label: string } {
    switch (input.type) {
      case 'text':
        return { message: { type: 'text', content: input.content, msgId: newMsgId(), createTime }, shown: { type: 'text', text: input.content }, label: `「${snippet(input.content)}」` };
      case 'image': {
        // Stored first so the page can show the picture while WeChat delivers the message.
        const stored = this.#o.wechat.storeFollowerMedia({ kind: 'image', bytes: input.data, filename: input.filename });
        return {
          message: { type: 'image', mediaId: stored.mediaId, picUrl: stored.url, msgId: newMsgId(), createTime },
          shown: { type: 'image', url: mediaUrl(stored.mediaId) },
          label: '[image]',
        };
      }
      case 'click':
        return {
          message: { type: 'event', event: 'CLICK', eventKey: input.key, createTime },
          shown: { type: 'event', label: `你点击了菜单「${input.label}」` },
          label: `CLICK ${input.key}`,
        };
      case 'subscribe':
        return { message: { type: 'event', event: 'subscribe', createTime }, shown: { type: 'event', label: '你关注了公众号' }, label: 'subscribe' };
      case 'unsubscribe':
        return { message: { type: 'event', event: 'unsubscribe', createTime }, shown: { type: 'event', label: '你已取消关注' }, label: 'unsubscribe' };
    }
  }

  /** WeChat is done delivering: what the follower saw. */
  #delivered(sending: Sending, view: FollowerView): void {
    if (sending.openid !== this.#openid) return; // a previous follower's chat is gone
    const { timeline } = this.#o;
    timeline.update<FollowerItem>(sending.itemId, (item) => {
      const marks = new Map(item.deliveries.map((d) => [d.n, d]));
      for (const d of view.deliveries) {
        // The gateway's decision is the more telling word; WeChat's own outcome fills in what the gateway did not see.
        if (!marks.has(d.n) || d.outcome === 'invalid' || d.outcome === 'error') {
          marks.set(d.n, { n: d.n, outcome: d.outcome, atMs: d.endedAt - sending.startedAt });
        }
      }
      item.deliveries = [...marks.values()].sort((a, b) => a.n - b.n);
      item.state = 'done';
    });
    if (view.passive) {
      const p = view.passive;
      const elapsedMs = p.at - sending.startedAt;
      const itemId = timeline.add(
        {
          kind: 'account',
          message: shownPassiveReply(p),
          arrival: sending.keyword ? { channel: 'keyword' } : { channel: 'passive', delivery: p.delivery },
          replyTo: sending.itemId,
          elapsedMs,
        },
        p.at,
      );
      if (!sending.keyword) void this.#markPart(itemId, sending, p.kind === 'text' ? { msgtype: 'text', text: p.content } : undefined);
      timeline.log('wechat', `#${sending.n} ${sending.label}: passive ${p.kind} reply on delivery ${p.delivery} after ${seconds(elapsedMs)}`);
    } else if (!view.invalidNotice) {
      timeline.log('wechat', `#${sending.n} ${sending.label}: no passive reply (the gateway answered success)`);
    }
    if (view.invalidNotice) {
      const last = view.deliveries[view.deliveries.length - 1];
      timeline.add({ kind: 'notice', text: view.invalidNotice, tone: 'wechat' }, last?.endedAt);
      const why = last?.reason ?? last?.error ?? last?.outcome ?? 'no delivery';
      timeline.log('wechat', `#${sending.n} ${sending.label}: the follower sees "${view.invalidNotice}" (${why})`, 'warn');
    }
    // 客服 messages that arrived while a delivery of this message was open.
    const received = this.#o.wechat.received(view.openid);
    for (const m of view.customerService) {
      if (m.duringDelivery === undefined) continue;
      const index = received.findIndex((r) => r.at === m.at && r.body === m.body);
      const itemId = index >= 0 ? sending.pushes.get(index) : undefined;
      if (itemId) {
        timeline.update<AccountItem>(itemId, (item) => {
          item.arrival = { channel: 'push', duringDelivery: m.duringDelivery };
        });
      }
    }
  }

  #watch(): void {
    if (this.#closed || this.#watching) return;
    this.#watching = true;
    this.#watchTyping();
    this.#watchAiCalls();
    // Answers first: in the log, "answer ready" comes before the 客服 sends that carry it.
    this.#watchAnswers()
      .catch((err: unknown) => this.#o.logger?.warn({ err }, 'demo: reading the gateway store failed'))
      .finally(() => {
        this.#watching = false;
        if (this.#closed) return;
        this.#watchCustomCalls();
        this.#watchPushes();
      });
  }

  /** Logs when the gateway's worker has the answer of a message (its job leaves `queued`, see docs/delivery-engine.md). */
  async #watchAnswers(): Promise<void> {
    for (const s of this.#recent) {
      if (!s.awaitingAnswer) continue;
      const raw = await this.#o.store.get(jobKeys(this.#o.accountId, s.key).job);
      if (raw === undefined) {
        if (Date.now() - s.startedAt > this.#o.windowMs * this.#o.deliveries * 2) s.awaitingAnswer = false; // never became a job
        continue;
      }
      const job = decodeJob(raw);
      if (job.state === 'queued' || job.answer === undefined) continue;
      s.awaitingAnswer = false;
      const parts = job.answer.length;
      const shape = parts === 1 ? '1 message' : `${parts} messages`;
      this.#o.timeline.log('gateway', `#${s.n} answer ready after ${seconds(Date.now() - s.startedAt)}: ${shape} (${job.answer.map((p) => p.type).join(', ') || 'nothing to send'})`);
    }
  }

  #watchPushes(): void {
    const received = this.#o.wechat.received(this.#openid);
    for (; this.#seenReceived < received.length; this.#seenReceived++) {
      const m = received[this.#seenReceived];
      if (!m) continue;
      const index = this.#seenReceived;
      const openid = this.#openid;
      void this.#attribute(m).then(({ sending, part }) => {
        if (openid !== this.#openid) return;
        const elapsedMs = sending ? m.at - sending.startedAt : undefined;
        const itemId = this.#o.timeline.add(
          {
            kind: 'account',
            message: shownCustomerMessage(m),
            arrival: { channel: 'push' },
            ...(sending && { replyTo: sending.itemId }),
            ...(elapsedMs !== undefined && { elapsedMs }),
            ...(part && { part }),
          },
          m.at,
        );
        sending?.pushes.set(index, itemId);
      });
    }
  }

  /**
   * Which follower message a 客服 message answers: the one whose prepared answer (the gateway's job record, see
   * docs/delivery-engine.md) contains it; else the latest message sent before it (notices such as "reply 继续
   * for more" are not part of any answer).
   */
  async #attribute(m: ReceivedCustomerMessage): Promise<{ sending?: Sending | undefined; part?: { n: number; of: number } }> {
    const candidates = this.#recent.filter((s) => s.startedAt <= m.at);
    for (const sending of candidates) {
      const answer = await this.#answerOf(sending);
      const index = answer?.findIndex((part) => samePart(part, m)) ?? -1;
      if (answer && index >= 0) return { sending, ...(answer.length > 1 && { part: { n: index + 1, of: answer.length } }) };
    }
    return { sending: candidates[candidates.length - 1] };
  }

  /** Marks a passive reply as part 1 of N when the gateway split the answer. */
  async #markPart(itemId: string, sending: Sending, shown: Pick<ReceivedCustomerMessage, 'msgtype' | 'text'> | undefined): Promise<void> {
    const answer = await this.#answerOf(sending);
    if (!shown || !answer || answer.length < 2) return;
    const index = answer.findIndex((part) => part.type === 'text' && part.text === shown.text);
    if (index < 0) return;
    this.#o.timeline.update<AccountItem>(itemId, (item) => {
      item.part = { n: index + 1, of: answer.length };
    });
  }

  /** The answer the gateway prepared for a message (its job record, see docs/delivery-engine.md), once it has one. */
  async #answerOf(sending: Sending): Promise<OutMessage[] | undefined> {
    const raw = await this.#o.store.get(jobKeys(this.#o.accountId, sending.key).job).catch(() => undefined);
    return raw === undefined ? undefined : decodeJob(raw).answer;
  }

  #watchCustomCalls(): void {
    const calls = this.#o.wechat.calls({ path: CUSTOM_SEND });
    for (; this.#seenCustomCalls < calls.length; this.#seenCustomCalls++) {
      const c = calls[this.#seenCustomCalls];
      if (!c) continue;
      if (c.errcode === 0) this.#o.timeline.log('wechat', '客服 message/custom/send → ok');
      else this.#o.timeline.log('wechat', `客服 message/custom/send → errcode ${c.errcode} ${ERRCODE_NOTES[c.errcode] ?? ''}`.trim(), 'warn');
    }
  }

  /** WeChat shows "对方正在输入..." while the gateway's typing indicator (sent with the waiting text) is on. */
  #watchTyping(): void {
    const me = this.#o.wechat.followers(this.#o.wechat.account.appId).find((f) => f.openid === this.#openid);
    this.#o.timeline.setStatus({ typing: me?.typing ?? false });
  }

  /** Logs each AI call as Dify received it (a failure once it has its status: streams say 200 as they open). */
  #watchAiCalls(): void {
    const calls = this.#o.dify.calls({ kind: 'generation' });
    for (; this.#seenAiCalls < calls.length; this.#seenAiCalls++) {
      const c = calls[this.#seenAiCalls];
      if (!c) continue;
      this.#o.timeline.log('ai', `Dify ${c.method} ${c.path} (${c.responseMode ?? 'blocking'})${c.query ? ` 「${snippet(c.query)}」` : ''}`);
    }
    calls.forEach((c, i) => {
      if (c.status === undefined || c.status < 400 || this.#aiFailures.has(i)) return;
      this.#aiFailures.add(i);
      this.#o.timeline.log('ai', `Dify answered HTTP ${c.status}: the gateway sends the apology text`, 'warn');
    });
  }
}

/** Errcodes the demo's switches cause, explained in the event log. */
const ERRCODE_NOTES: Record<number, string> = {
  [-1]: 'system busy: the gateway retries with back-off',
  48001: 'unverified account: the answer is kept for the keyword',
  45015: 'outside the 48 h window: kept for the keyword',
  45047: '客服 quota used up: kept for the keyword',
};

function samePart(part: OutMessage, m: ReceivedCustomerMessage): boolean {
  if (part.type === 'text') return m.msgtype === 'text' && m.text === part.text;
  if (part.type === 'news') return m.msgtype === 'news';
  return m.msgtype === part.type && (m.payload as { media_id?: unknown }).media_id === part.mediaId;
}
