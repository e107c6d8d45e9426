import { z } from 'zod';
import { DEFAULT_MESSAGES, MESSAGES_ALLOWED_EMPTY, MESSAGE_PLACEHOLDERS, type FollowerMessageKey } from './follower-messages.js';
import { httpUrl, oneOf, optional, text, trueOrFalse, wholeNumber } from './field-types.js';

/** Dify app types (contract): chat, agent and chatflow take the message as the query; workflow and completion as an input variable. */
export const DIFY_APP_TYPES = ['chat', 'agent', 'chatflow', 'workflow', 'completion'] as const;
export type DifyAppType = (typeof DIFY_APP_TYPES)[number];

/** WeChat message encryption modes (明文 / 兼容 / 安全). */
export const ENCRYPTION_MODES = ['plain', 'compatible', 'safe'] as const;
export type EncryptionMode = (typeof ENCRYPTION_MODES)[number];

export const DEFAULT_RESET_COMMANDS: readonly string[] = ['/new', '新对话'];
export const DEFAULT_FETCH_KEYWORDS: readonly string[] = ['继续', '1'];

// Refinements below also run when other fields of the same object are invalid, so that one run
// reports every problem; they therefore read their input defensively (it may not even be an object).
const always = { when: () => true };
const isObject = (value: unknown): boolean => typeof value === 'object' && value !== null;

const variableName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'must be a Dify variable name (letters, digits and "_", not starting with a digit)' });

const difyBaseUrl = httpUrl('the Service API base URL, e.g. https://api.dify.ai/v1').refine((url) => url.endsWith('/v1'), {
  error: 'must be the Service API base URL, which ends in /v1 (e.g. https://api.dify.ai/v1 or http://my-dify/v1)',
});

const aiSchema = z
  .strictObject({
    provider: z.literal('dify', { error: 'must be dify (the only AI provider so far)' }).default('dify'),
    baseUrl: difyBaseUrl,
    apiKey: text(),
    app: oneOf(DIFY_APP_TYPES),
    inputVariable: optional(variableName),
    outputVariable: optional(variableName),
    inputs: z
      .record(z.string(), z.union([z.string(), z.number(), z.boolean()], { error: 'must be text, a number or true/false' }))
      .default({}),
    /**
     * How chat and chatflow apps are asked. `streaming` (default) works for every app and lets the first-event
     * and idle timeouts catch a stuck app; `blocking` costs both sides less CPU per message but only has the
     * overall timeout (and Dify Cloud cuts blocking calls after 100 s).
     */
    responseMode: oneOf(['streaming', 'blocking']).default('streaming'),
    timeoutMs: wholeNumber(100, 3_600_000).default(180_000),
    firstEventTimeoutMs: wholeNumber(50, 3_600_000).default(30_000),
    idleTimeoutMs: wholeNumber(50, 3_600_000).default(60_000),
  })
  .superRefine((ai, ctx) => {
    if (!isObject(ai)) return;
    const usesInput = ai.app === 'workflow' || ai.app === 'completion';
    if (usesInput && ai.inputVariable === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['inputVariable'],
        message: `is required when app is ${ai.app}: the name of the app's input variable that receives the follower's message`,
      });
    }
    if (!usesInput && typeof ai.app === 'string' && ai.inputVariable !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['inputVariable'], message: `is only used when app is workflow or completion (a ${ai.app} app gets the message as its query)` });
    }
    if (ai.app !== 'workflow' && typeof ai.app === 'string' && ai.outputVariable !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['outputVariable'], message: 'is only used when app is workflow' });
    }
    if (ai.responseMode === 'blocking' && typeof ai.app === 'string' && ai.app !== 'chat' && ai.app !== 'chatflow') {
      const why = ai.app === 'agent' ? 'agent apps only stream (Dify rejects blocking calls to them)' : `a ${ai.app} app is always streamed`;
      ctx.addIssue({ code: 'custom', path: ['responseMode'], message: `blocking is only for chat and chatflow apps: ${why}` });
    }
    for (const key of ['firstEventTimeoutMs', 'idleTimeoutMs'] as const) {
      if (typeof ai[key] === 'number' && typeof ai.timeoutMs === 'number' && ai[key] > ai.timeoutMs) {
        ctx.addIssue({ code: 'custom', path: [key], message: `must not exceed ai.timeoutMs (${ai.timeoutMs})` });
      }
    }
  }, always);

const command = text({ max: 32 });

const conversationSchema = z.strictObject({
  /** A follower silent this long starts a new conversation; 0 = never. */
  idleResetMinutes: wholeNumber(0, 525_600).default(1440),
  resetCommands: z.array(command).default([...DEFAULT_RESET_COMMANDS]),
});

function messageText(key: FollowerMessageKey) {
  const allowEmpty = MESSAGES_ALLOWED_EMPTY.includes(key);
  return z
    .string()
    .superRefine((value, ctx) => {
      if (!allowEmpty && value.trim() === '') ctx.addIssue({ code: 'custom', message: 'must not be empty' });
      const bytes = Buffer.byteLength(value, 'utf8');
      if (bytes > 2000) {
        ctx.addIssue({ code: 'custom', message: `must be at most 2000 bytes of UTF-8 (WeChat's limit for a text reply is 2048); it has ${bytes}` });
      }
      for (const match of value.matchAll(/\{([A-Za-z_]\w*)\}/g)) {
        if (!(MESSAGE_PLACEHOLDERS as readonly string[]).includes(match[1] ?? '')) {
          ctx.addIssue({ code: 'custom', message: `unknown placeholder {${match[1]}}; available: ${MESSAGE_PLACEHOLDERS.map((p) => `{${p}}`).join(', ')}` });
        }
      }
    })
    .default(DEFAULT_MESSAGES[key]);
}

const messagesSchema = z.strictObject({
  waiting: messageText('waiting'),
  fetchPrompt: messageText('fetchPrompt'),
  stillWorking: messageText('stillWorking'),
  moreAvailable: messageText('moreAvailable'),
  nothingPending: messageText('nothingPending'),
  aiFailed: messageText('aiFailed'),
  emptyAnswer: messageText('emptyAnswer'),
  unsupported: messageText('unsupported'),
  welcome: messageText('welcome'),
  conversationReset: messageText('conversationReset'),
} satisfies Record<FollowerMessageKey, z.ZodType>);

/**
 * A text with `{name}` placeholders, checked against the names it may use. `what` says where it goes (a
 * follower reply: at most 2000 bytes; an AI query: at most 2000 characters).
 */
function templateText(placeholders: readonly string[], fallback: string, what: 'reply' | 'query') {
  return z
    .string()
    .superRefine((value, ctx) => {
      if (value.trim() === '') ctx.addIssue({ code: 'custom', message: 'must not be empty' });
      const bytes = Buffer.byteLength(value, 'utf8');
      if (what === 'reply' && bytes > 2000) {
        ctx.addIssue({ code: 'custom', message: `must be at most 2000 bytes of UTF-8 (WeChat's limit for a text reply is 2048); it has ${bytes}` });
      }
      if (what === 'query' && value.length > 2000) ctx.addIssue({ code: 'custom', message: 'must be at most 2000 characters' });
      for (const match of value.matchAll(/\{([A-Za-z_]\w*)\}/g)) {
        if (!placeholders.includes(match[1] ?? '')) {
          const available = placeholders.length > 0 ? `available: ${placeholders.map((p) => `{${p}}`).join(', ')}` : 'this text takes none';
          ctx.addIssue({ code: 'custom', message: `unknown placeholder {${match[1]}}; ${available}` });
        }
      }
    })
    .default(fallback);
}

/** Placeholders of the texts an event action sends: the menu key, the QR scene, a menu scan's result. */
export const EVENT_PLACEHOLDERS = ['key', 'scene', 'result'] as const;

const eventText = (what: 'reply' | 'query') => templateText(EVENT_PLACEHOLDERS, '', what).unwrap();

/** What a menu click or a QR scan does: ask the AI, reply a fixed text, reset the conversation, welcome, or nothing. */
const eventAction = z.discriminatedUnion(
  'action',
  [
    z.strictObject({ action: z.literal('ask'), query: eventText('query') }),
    z.strictObject({ action: z.literal('reply'), text: eventText('reply') }),
    z.strictObject({ action: z.literal('reset') }),
    z.strictObject({ action: z.literal('welcome') }),
    z.strictObject({ action: z.literal('ignore') }),
  ],
  { error: 'must have action: ask (with query), reply (with text), reset, welcome or ignore' },
);
export type EventAction = z.output<typeof eventAction>;

/** How a new follower is welcomed: the configured text, Dify's opening statement, or an AI answer. */
export const WELCOME_SOURCES = ['text', 'dify', 'ai'] as const;

const eventsSchema = z.strictObject({
  welcome: oneOf(WELCOME_SOURCES).default('text'),
  welcomeQuery: templateText(['scene'], '[关注] 一位新用户关注了公众号，请欢迎他，并简单介绍你能做什么。', 'query'),
  scan: eventAction.default({ action: 'ignore' }),
  click: z.record(text({ max: 128 }), eventAction).default({}),
});

/** How follower messages other than text are put into words for the AI (`[图片]` is how WeChat itself shows them). */
const queriesSchema = z.strictObject({
  image: templateText([], '[图片]', 'query'),
  imageText: templateText(['url'], '[图片] {url}', 'query'),
  video: templateText([], '[视频]', 'query'),
  location: templateText(['label', 'latitude', 'longitude', 'scale'], '[位置] {label}（纬度 {latitude}，经度 {longitude}）', 'query'),
  link: templateText(['title', 'description', 'url'], '[链接] {title}\n{description}\n{url}', 'query'),
  file: templateText(['title'], '[文件] {title}', 'query'),
});

/** How the gateway handles media: images in and out, voice in and out, and the limits of every download. */
const mediaSchema = z.strictObject({
  images: oneOf(['auto', 'text']).default('auto'),
  answerImages: trueOrFalse().default(true),
  voiceReplies: trueOrFalse().default(false),
  maxDownloadBytes: wholeNumber(65_536, 104_857_600).default(10_485_760),
  downloadTimeoutMs: wholeNumber(100, 120_000).default(15_000),
  voiceUnrecognized: templateText([], '抱歉，没有听清这条语音，请再说一遍，或直接发送文字。', 'reply'),
});

const encodingAESKey = z.string().superRefine((value, ctx) => {
  // Never echo the key: only its length and the rule.
  if (value.length !== 43) ctx.addIssue({ code: 'custom', message: `must be 43 characters (it has ${value.length})` });
  else if (!/^[A-Za-z0-9]+$/.test(value)) ctx.addIssue({ code: 'custom', message: 'must contain only letters A-Z, a-z and digits 0-9' });
});

/** One WeChat Official Account served by the gateway at /wechat/<id>. */
export const accountSchema = z
  .strictObject({
    id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, {
      error: 'must be 1-64 letters, digits, "-" or "_" (it becomes the webhook path /wechat/<id>)',
    }),
    appId: z.string().regex(/^wx[0-9a-f]{16}$/, {
      error: 'must be "wx" followed by 16 lower-case hex digits, as shown under 设置与开发 → 基本配置 → AppID',
    }),
    appSecret: optional(text()),
    token: z.string().regex(/^[A-Za-z0-9]{3,32}$/, {
      error: 'must be 3-32 letters or digits, the Token entered in 服务器配置',
    }),
    encodingAESKey: optional(encodingAESKey),
    previousEncodingAESKey: optional(encodingAESKey),
    mode: optional(oneOf(ENCRYPTION_MODES)),
    verified: z
      .preprocess(
        (value) => (value === 'true' ? true : value === 'false' ? false : value),
        z.union([z.literal('auto'), z.boolean()], { error: 'must be auto, true or false' }),
      )
      .default('auto'),
    ai: aiSchema,
    conversation: conversationSchema.prefault({}),
    fetchKeyword: z
      .union([command, z.array(command).min(1, { error: 'must list at least one keyword' })], {
        error: 'must be a keyword or a list of keywords',
      })
      .transform((value) => (typeof value === 'string' ? [value] : value))
      .default([...DEFAULT_FETCH_KEYWORDS]),
    messages: messagesSchema.prefault({}),
    events: eventsSchema.prefault({}),
    queries: queriesSchema.prefault({}),
    media: mediaSchema.prefault({}),
  })
  .superRefine((account, ctx) => {
    if (!isObject(account)) return;
    const hasKey = account.encodingAESKey !== undefined;
    if ((account.mode === 'safe' || account.mode === 'compatible') && !hasKey) {
      ctx.addIssue({ code: 'custom', path: ['encodingAESKey'], message: `is required when mode is ${account.mode}` });
    }
    if (account.previousEncodingAESKey !== undefined && !hasKey) {
      ctx.addIssue({ code: 'custom', path: ['previousEncodingAESKey'], message: 'is only used together with encodingAESKey' });
    } else if (account.previousEncodingAESKey !== undefined && account.previousEncodingAESKey === account.encodingAESKey) {
      ctx.addIssue({ code: 'custom', path: ['previousEncodingAESKey'], message: 'must differ from encodingAESKey (it is the key used before the last change)' });
    }
    if (account.verified === true && account.appSecret === undefined) {
      ctx.addIssue({ code: 'custom', path: ['appSecret'], message: 'is required when verified is true (客服 push needs an access token)' });
    }
    const resets = Array.isArray(account.conversation?.resetCommands) ? account.conversation.resetCommands : [];
    const keywords = Array.isArray(account.fetchKeyword) ? account.fetchKeyword : [];
    for (const keyword of keywords) {
      if (resets.includes(keyword)) {
        ctx.addIssue({ code: 'custom', path: ['fetchKeyword'], message: `"${keyword}" is also a reset command (conversation.resetCommands)` });
      }
    }
  }, always)
  .transform(({ mode, ...account }) => ({
    ...account,
    // WeChat decides the mode per message; without `mode` an account with a key accepts encrypted
    // messages only (safe covers compatible), and one without a key plain messages only.
    mode: mode ?? (account.encodingAESKey === undefined ? 'plain' : 'safe'),
  }));

export type AccountConfig = z.output<typeof accountSchema>;
export type AiConfig = AccountConfig['ai'];
export type ConversationConfig = AccountConfig['conversation'];
export type EventsConfig = AccountConfig['events'];
export type QueriesConfig = AccountConfig['queries'];
export type MediaConfig = AccountConfig['media'];
