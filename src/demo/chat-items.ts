/**
 * What the demo page shows: chat items (the follower's messages, the account's answers, system notices) and the
 * event log. These are the JSON shapes of `/demo/api/…`.
 */

/** One message as the phone shows it. */
export type ShownMessage =
  | { type: 'text'; text: string }
  | { type: 'image'; url: string }
  | { type: 'news'; title: string; description?: string; url?: string; picUrl?: string }
  /** Voice, video, music…: shown as a labelled placeholder. */
  | { type: 'media'; kind: string; label: string }
  /** A follower event (follow, unfollow, menu click): shown as a centred grey line. */
  | { type: 'event'; label: string };

/** How an answer reached the follower. */
export type Arrival =
  /** The HTTP answer to delivery `delivery` of the follower's message. */
  | { channel: 'passive'; delivery: number }
  /** A 客服 message, sent while delivery `duringDelivery` was open if any. */
  | { channel: 'push'; duringDelivery?: number }
  /** A passive answer to the fetch keyword (继续): an answer that was kept for the follower. */
  | { channel: 'keyword' };

/** One delivery of a follower message, as WeChat and the gateway saw it. */
export interface DeliveryMark {
  n: number;
  /** The gateway's decision (`reply`, `no-reply`, `late`, `success`, `inline`) or what WeChat saw (`timeout`, `invalid`, `error`). */
  outcome: string;
  /** When the delivery ended, ms after the message was sent. */
  atMs: number;
}

interface ItemBase {
  id: string;
  /** The timeline version that last changed this item. */
  version: number;
  /** Epoch ms. */
  at: number;
}

/** Something the follower sent. */
export interface FollowerItem extends ItemBase {
  kind: 'follower';
  message: ShownMessage;
  deliveries: DeliveryMark[];
  /** `sending` while WeChat still delivers it. */
  state: 'sending' | 'done' | 'failed';
}

/** Something the account sent to the follower. */
export interface AccountItem extends ItemBase {
  kind: 'account';
  message: ShownMessage;
  arrival: Arrival;
  /** The follower message this answers, and how long after it was sent this arrived. */
  replyTo?: string;
  elapsedMs?: number;
  /** Which part of a prepared answer this is, when the answer was split into several messages. */
  part?: { n: number; of: number };
}

/** A grey line in the chat: WeChat's own notices ("该公众号暂时无法提供服务") and demo hints. */
export interface NoticeItem extends ItemBase {
  kind: 'notice';
  text: string;
  tone: 'wechat' | 'hint';
}

export type ChatItem = FollowerItem | AccountItem | NoticeItem;

/** One line of the event log. */
export interface LogEntry {
  version: number;
  at: number;
  /** Who did it: WeChat (deliveries, 客服 API calls), the gateway's decisions, the AI, or the demo's settings. */
  source: 'wechat' | 'gateway' | 'ai' | 'demo';
  text: string;
  level: 'info' | 'warn';
}

/** An item as added: the timeline assigns `id`, `version` and (by default) `at`. */
export type NewChatItem = Omit<FollowerItem, 'id' | 'version' | 'at'> | Omit<AccountItem, 'id' | 'version' | 'at'> | Omit<NoticeItem, 'id' | 'version' | 'at'>;

/** What the chat's title bar shows besides the name: WeChat's "对方正在输入..." while the account is typing. */
export interface ChatStatus {
  typing: boolean;
}

/** The answer of `GET /demo/api/timeline`: what changed after the version the page has. */
export interface TimelineChanges {
  /** Changes whenever the chat is cleared: the page then drops what it has. */
  epoch: number;
  version: number;
  items: ChatItem[];
  log: LogEntry[];
  status: ChatStatus;
}
