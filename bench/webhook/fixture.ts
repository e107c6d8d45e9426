/**
 * The account, follower and answers every server of the webhook bench shares. Fake, bench-only credentials:
 * the AppID, Token and EncodingAESKey below exist nowhere but here.
 */

/** The WeChat side of the benchmarked Official Account. */
export const ACCOUNT = {
  id: 'main',
  appId: 'wx2c2769f8efd9abc2',
  /** The account's own user name (gh_…), the ToUserName of every callback. */
  userName: 'gh_b4f0e22ae50e',
  token: 'mpgateBenchToken2026',
  encodingAESKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
} as const;

/** The webhook path of the account (mpgate's route; the other servers ignore the path). */
export const WEBHOOK_PATH = `/wechat/${ACCOUNT.id}`;

/** The Service API key of the simulated Dify chat app. */
export const DIFY_API_KEY = 'app-mpgateBenchWebhook2026';

/** The follower's question (a typical short chat message). */
export const QUESTION = '今天适合去公园散步吗？请简单说说。';

/** What the instant in-process AI answers. */
export const INSTANT_ANSWER = '答案';

/** What the simulated Dify app answers: a short plain-text reply, typical of a chat bot. */
export const DIFY_ANSWER = '适合。今天晴，气温二十度左右，微风，傍晚去公园散步很舒服，记得带件薄外套。';
