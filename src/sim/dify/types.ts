import type { Logger } from 'pino';
import type { InputType } from './app-config.js';
import type { AppMode } from './dsl.js';
import type { DifyBehaviour } from './version-profile.js';

/** A mode of a simulated app (the five Dify 1.x app modes). */
export type SimAppMode = AppMode;

/** One input variable of a simulated app's form. */
export interface SimInputInit {
  variable: string;
  /** Default `text-input`. */
  type?: InputType;
  label?: string;
  required?: boolean;
  /** Dify's `max_length` (characters; files for `file-list`). */
  maxLength?: number;
  options?: string[];
  default?: unknown;
}

/** The file-upload feature of a simulated app. */
export interface SimFileUploadInit {
  /** Default `['image']`. */
  allowedFileTypes?: string[];
  /** For `custom` files, e.g. `['.pdf']`. */
  allowedFileExtensions?: string[];
  /** Default `['local_file', 'remote_url']`. */
  allowedUploadMethods?: string[];
  /** Default 3. */
  numberLimits?: number;
}

/** A simulated app to create. Everything but `mode` has a default taken from the mode's DSL fixture. */
export interface SimAppInit {
  mode: SimAppMode;
  id?: string;
  name?: string;
  description?: string;
  /** The Service API key (`app-…`); generated when absent. */
  apiKey?: string;
  /** A DSL YAML to seed the app from instead of the built-in fixture for `mode`. */
  dsl?: string;
  /** Replaces the input form (`user_input_form`, or the Start node's variables). */
  inputs?: SimInputInit[];
  /** `false` disables file upload; an object enables it with these settings. */
  fileUpload?: false | SimFileUploadInit;
  speechToText?: boolean;
  /** `true` or `{autoPlay: true}` makes streams carry `tts_message` events. */
  textToSpeech?: boolean | { autoPlay?: boolean; voice?: string; language?: string };
  openingStatement?: string;
  suggestedQuestions?: string[];
  /** Workflow apps: the name of the End node's output that carries the answer (default `text`). */
  outputName?: string;
  /** A `chat` app with agent mode on: `/info` says chat, but blocking calls get the agent 400. */
  agent?: boolean;
  /** Dify's `max_active_requests`: concurrent generations allowed (0 = unlimited, the default). */
  maxActiveRequests?: number;
  /** Anything but `normal` makes the Service API answer 403. */
  status?: 'normal' | 'api-disabled' | 'deleted';
  /** Scripted answers (see `ScriptRule`). */
  script?: ScriptRule[];
  /** What `audio-to-text` returns. */
  transcript?: string;
  annotations?: Array<{ question: string; answer: string }>;
  /** Workflow modes: how many published versions to create (default 1; 0 = never published). */
  publishedVersions?: number;
  tags?: string[];
}

/** How many generated apps to seed (for backup benchmarks). */
export interface SimAppCount {
  count: number;
}

/** A failure to inject into a generation call. */
export type ScriptFailure =
  /** 500 internal_server_error before anything is sent. */
  | '5xx'
  /** 502 with an nginx HTML page (not JSON), as a reverse proxy sends when the API container is down. */
  | 'bad-gateway'
  /** Streaming: the headers (and a leading ping where the version sends one), then silence; blocking: no answer. */
  | 'hang'
  /** The connection is destroyed after `failAfterChunks` chunks, without a terminal event. */
  | 'cut'
  /** Streaming: an `error` event after `failAfterChunks` chunks; blocking: 400 completion_request_error. */
  | 'error-event'
  /** The per-app concurrency limit error (400 or 429 by version). */
  | 'rate-limit'
  /** The provider quota error (400 provider_quota_exceeded, or an `error` event in a stream). */
  | 'provider-quota'
  /** Workflow and Chatflow: the run fails at the LLM node (`workflow_finished` with status failed). */
  | 'workflow-failed';

/** A file the scripted answer carries (a `message_file` in chat, `files` in workflows). */
export interface ScriptFile {
  /** Default `image`. */
  type?: 'image' | 'document' | 'audio' | 'video';
  /** Default `image.png`. */
  filename?: string;
  /** Default from the extension. */
  mimeType?: string;
  /** The bytes the simulator serves at the file's signed URL (default: a 1×1 PNG). */
  data?: Buffer | string;
}

/** One agent reasoning step (agent apps). */
export interface ScriptThought {
  thought?: string;
  /** A tool name; several joined by `;` as Dify does. */
  tool?: string;
  toolInput?: Record<string, unknown>;
  observation?: string;
  files?: ScriptFile[];
}

/** What a scripted answer can see of the request. */
export interface ScriptContext {
  query: string;
  inputs: Record<string, unknown>;
  user: string;
  conversationId: string | undefined;
  appId: string;
}

/** How a rule picks requests: a substring of the query, a RegExp, or a RegExp given as JSON. */
export type ScriptMatch = string | RegExp | { regex: string; flags?: string };

/** A scripted answer. The first rule whose `match` fits the query answers; with no rule, the query is echoed. */
export interface ScriptRule {
  match?: ScriptMatch;
  /** The answer text (Markdown welcome), or a function of the request. Default: echo the query. */
  answer?: string | ((ctx: ScriptContext) => string);
  /** Prepended to the answer as a `<think>…</think>` block, as reasoning models stream it. */
  think?: string;
  /** Explicit deltas; overrides `answer` and `chunkSize`. */
  chunks?: string[];
  /** Code points per delta (default from the simulator options). */
  chunkSize?: number;
  files?: ScriptFile[];
  /** Agent apps: reasoning steps before the answer. */
  thoughts?: ScriptThought[];
  /** Output moderation: a `message_replace` with this text after the deltas. */
  replace?: string;
  /** Workflow apps: extra outputs merged into `outputs`. */
  outputs?: Record<string, unknown>;
  /** Delay before the first event (or the blocking answer). */
  latencyMs?: number;
  /** Delay between deltas. */
  chunkDelayMs?: number;
  fail?: ScriptFailure;
  /** For `cut` and `error-event`: deltas sent before failing (default 1). */
  failAfterChunks?: number;
  /** For `error-event`: the error (default 400 completion_request_error "Completion request failed."). */
  error?: { code?: string; message?: string; status?: number };
  usage?: { promptTokens?: number; completionTokens?: number };
  /** The rule answers this many requests, then disappears (default: forever). */
  times?: number;
}

/** One request the simulator recorded. */
export interface SimCall {
  /** Epoch ms. */
  at: number;
  api: 'service' | 'console' | 'files';
  method: string;
  /** The path without the query string. */
  path: string;
  /** The app id, when the request was made with an app key or for an app. */
  app?: string;
  user?: string;
  conversation?: string;
  /** The chat query, for generation calls. */
  query?: string;
  /** `generation` for chat-messages, completion-messages and workflow runs (the AI calls). */
  kind: 'generation' | 'other';
  responseMode?: 'blocking' | 'streaming';
  /** HTTP status, once answered. */
  status?: number;
}

/** Which recorded calls to return; every field narrows. */
export interface SimCallFilter {
  api?: SimCall['api'];
  method?: string;
  path?: string | RegExp;
  /** App id or API key. */
  app?: string;
  user?: string;
  conversation?: string;
  kind?: SimCall['kind'];
  /** Only calls at or after this epoch ms. */
  since?: number;
}

/** A simulated app as tests address it. */
export interface SimAppInfo {
  id: string;
  name: string;
  mode: SimAppMode;
  apiKey: string;
}

/** Ways to make a console export fail for one app. */
export type ExportFailure = '5xx' | 'missing-draft' | 'hang';

/** Behaviour switches that can be forced regardless of the version. */
export type DifyBehaviourOverrides = Partial<Omit<DifyBehaviour, 'version'>>;

/** Options of `startDifySimulator`. */
export interface DifySimulatorOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (a free port). */
  port?: number;
  /** The Dify version to behave as (default the latest the reference covers, 1.14.1). */
  version?: string;
  /** Force individual version behaviours. */
  behaviour?: DifyBehaviourOverrides;
  /** The apps to create (default: one per mode), or how many generated apps. */
  apps?: SimAppInit[] | SimAppCount;
  /** Default delay before the first event of a generation (ms, default 0). */
  latencyMs?: number;
  /** Default delay between deltas (ms, default 0). */
  chunkDelayMs?: number;
  /** Default code points per delta (default 4). */
  chunkSize?: number;
  /** Delay added to every console request (ms, default 0). */
  consoleLatencyMs?: number;
  /** Keep-alive ping period of streams (default 10 000, as Dify). */
  pingIntervalMs?: number;
  /** How long a hung stream stays open before the server closes it (default 300 000, as Dify's idle timeout). */
  hangCloseMs?: number;
  /** The console admin account (fake dev credentials). */
  account?: { email?: string; password?: string; name?: string };
  /** `banned` → login 400 account_banned; `no-workspace` → login 200 `{"result":"fail"}` (default `active`). */
  accountStatus?: 'active' | 'banned' | 'no-workspace';
  /** ADMIN_API_KEY for `Authorization: Bearer` + `X-WORKSPACE-ID`; `false` disables the mode. Default: generated. */
  adminApiKey?: string | false;
  /** Emulate CONSOLE_WEB_URL/CONSOLE_API_URL on https: `Secure` cookies and, where the version says so, `__Host-` names. */
  secureCookies?: boolean;
  /** COOKIE_DOMAIN (plain cookie names with `Domain=` from 1.10). */
  cookieDomain?: string;
  /** `false` answers POST /login with 403 (SSO-only instances). */
  passwordLoginEnabled?: boolean;
  /** LOGIN_MAX_ERROR_LIMITS (default 5). */
  loginMaxErrors?: number;
  /** LOGIN_LOCKOUT_DURATION in ms (default 24 h). */
  loginLockoutMs?: number;
  /** ACCESS_TOKEN_EXPIRE_MINUTES in ms (default 60 min). */
  accessTokenTtlMs?: number;
  /** How long a pending (202) import can be confirmed (default 10 min). */
  importConfirmTtlMs?: number;
  /** Plugin ids installed in the workspace, for check-dependencies (default openai and time). */
  installedPlugins?: string[];
  /** FILES_URL: the origin of signed file URLs. Default the simulator's own; '' gives relative URLs as Dify does when unset. */
  filesUrl?: string;
  /** Upload size limits in MB (defaults 15, 10, 50, 100 as Dify's). */
  uploadLimitsMb?: { file?: number; image?: number; audio?: number; video?: number };
  logger?: Logger;
}

/** A running Dify simulator. */
export interface DifySimulator {
  /** `http://host:port` */
  readonly origin: string;
  /** The Service API base, like Dify's `…/v1`. */
  readonly serviceBase: string;
  /** The Console API base, `…/console/api`. */
  readonly consoleBase: string;
  /** The inspection/control API base, `…/_sim`. */
  readonly controlBase: string;
  /** The console admin's fake credentials. */
  readonly credentials: { email: string; password: string };
  /** ADMIN_API_KEY, when admin-key mode is on. */
  readonly adminApiKey: string | undefined;
  /** The workspace (tenant) id for `X-WORKSPACE-ID`. */
  readonly workspaceId: string;
  /** The current apps. */
  readonly apps: SimAppInfo[];
  /** The version currently simulated. */
  readonly version: string;
  /** The behaviour switches in force. */
  behaviour(): DifyBehaviour;
  /** One app by id, API key or name. */
  app(idKeyOrName: string): SimAppInfo | undefined;
  /** Replaces the scripted answers of an app (by id or key). */
  script(appIdOrKey: string, rules: ScriptRule | ScriptRule[]): void;
  /** Recorded requests, oldest first. */
  calls(filter?: SimCallFilter): SimCall[];
  clearCalls(): void;
  /** Switches the simulated version (and optional behaviour overrides) on the fly. */
  setVersion(version: string, overrides?: DifyBehaviourOverrides): void;
  /** Back to the initial apps, with no conversations, files, scripts, calls, sessions or lockouts. */
  reset(): void;
  /** Adds one app. */
  addApp(init: SimAppInit): SimAppInfo;
  /** Adds `count` generated apps (modes in rotation). */
  seedApps(count: number): SimAppInfo[];
  /** Makes console exports of an app fail (`false` clears). */
  failExport(appId: string, failure?: ExportFailure | false): void;
  /** Delay added to every console request. */
  setConsoleLatency(ms: number): void;
  /** Invalidates every console access token (the next call gets 401 and must refresh). */
  expireConsoleTokens(): void;
  close(): Promise<void>;
}
