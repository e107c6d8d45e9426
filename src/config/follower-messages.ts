/**
 * Every text the gateway itself sends to followers, with its Chinese default. Configurable per account
 * under `accounts[].messages`; `{keyword}` is replaced by the account's first fetch keyword.
 */
export const DEFAULT_MESSAGES = {
  /** Final delivery, no answer yet, and the answer will be pushed (客服) when ready. Empty: reply `success`. */
  waiting: '正在为你生成回答，请稍候，生成后会自动发给你。',
  /** Final delivery, no answer yet, and push is not possible: the follower must fetch it. */
  fetchPrompt: '回答还在生成中，请稍后回复「{keyword}」获取。',
  /** The follower sent the fetch keyword but the answer is not ready yet. */
  stillWorking: '回答还没有生成好，请过一会儿再回复「{keyword}」。',
  /** Appended to a fetched part of a long answer when more parts remain. */
  moreAvailable: '（内容较长，回复「{keyword}」查看后续）',
  /** The follower sent the fetch keyword and nothing is waiting for them. */
  nothingPending: '目前没有待领取的回答，直接发送问题即可。',
  /** The AI call failed (error, timeout). Internal error text is never shown to followers. */
  aiFailed: '抱歉，暂时无法回答，请稍后再试。',
  /** The AI answered with nothing usable. */
  emptyAnswer: '抱歉，没有生成有效的回答，请换个问法试试。',
  /** A message type the gateway does not hand to the AI (e.g. video, location). */
  unsupported: '暂不支持这种消息类型，请发送文字。',
  /** Reply to a new follower (subscribe event). Empty: no welcome reply. */
  welcome: '感谢关注！直接发送文字即可向我提问。',
  /** Confirmation after a reset command: the next message starts a new conversation. */
  conversationReset: '好的，已开始新的对话。',
} as const satisfies Record<string, string>;

/** The names of the configurable follower-facing texts. */
export type FollowerMessageKey = keyof typeof DEFAULT_MESSAGES;
/** The follower-facing texts of one account. */
export type FollowerMessages = Record<FollowerMessageKey, string>;

/** Texts that may be configured as empty (meaning: send nothing). */
export const MESSAGES_ALLOWED_EMPTY: readonly FollowerMessageKey[] = ['waiting', 'welcome'];

/** Placeholders a follower-facing text may contain. */
export const MESSAGE_PLACEHOLDERS = ['keyword'] as const;

/** Values for the placeholders of a follower-facing text. */
export interface MessageValues {
  /** The keyword that fetches a pending answer (the account's first fetchKeyword). */
  keyword: string;
}

/** Fills the placeholders of a follower-facing text: `回复「{keyword}」` → `回复「继续」`. */
export function fillFollowerMessage(template: string, values: MessageValues): string {
  return template.replaceAll('{keyword}', values.keyword);
}
