import { pino, type Logger } from 'pino';
import { VERSION } from '../version.js';
import { isStreamingOnlyMode, toDifyAppMode, type DifyAppKind, type DifyAppMode } from './app-mode.js';
import type { DifyAnswer } from './answer-types.js';
import { apiErrorFromResponse } from './api-error-body.js';
import { DifyEventStream } from './chat-stream.js';
import { DifyApiError } from './errors.js';
import { DifyHttp, endpointOf, type DifyHttpResponse, type DifyRequest } from './http-transport.js';
import { AppInfo } from './service/app-info.js';
import { Audio } from './service/audio.js';
import { answerFromBlocking, ChatMessages, type ChatMessageParams } from './service/chat-messages.js';
import { CompletionMessages } from './service/completion-messages.js';
import { Conversations } from './service/conversations.js';
import { Files } from './service/files.js';
import { Messages } from './service/messages.js';
import { Workflows } from './service/workflows.js';

/** Settings of a `DifyServiceClient`. */
export interface DifyServiceClientOptions {
  /** The Service API base, e.g. `https://api.dify.ai/v1` or `http://localhost/v1`. */
  baseUrl: string;
  /** The app's API key (`app-…`). Never logged. */
  apiKey: string;
  /**
   * The app's mode, if known. Agent modes (`agent-chat`, `agent`) make `chat()` always stream, since they
   * reject blocking requests. Unknown modes are learned: a blocking rejection switches `chat()` to streaming.
   */
  mode?: DifyAppMode | DifyAppKind;
  /** Whole-request timeout for non-streaming calls (blocking generation included). Default 120 000. */
  timeoutMs?: number;
  /** Overall cap on a stream. Default 600 000. */
  streamTimeoutMs?: number;
  /** Time from sending a streaming request to its first `data:` event (pings do not count). Default 60 000. */
  firstEventTimeoutMs?: number;
  /** Longest silence inside a stream (Dify pings every ~10 s). Default 60 000. */
  idleTimeoutMs?: number;
  /** Extra attempts for idempotent calls (GETs, uploads) on network errors, 5xx and 429. Default 2. */
  maxRetries?: number;
  /** First retry delay, doubled per attempt. Default 500. */
  retryDelayMs?: number;
  /** Default: silent. */
  logger?: Logger;
  /** Replaces the global fetch (tests, proxies). */
  fetch?: typeof fetch;
}

/** Per-call overrides. */
export interface DifyCallOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  firstEventTimeoutMs?: number;
  idleTimeoutMs?: number;
}

/** Options of `chat()`. */
export interface DifyChatOptions extends DifyCallOptions {
  /** Default `streaming` (works for every chat-family mode). Agent apps always stream. */
  responseMode?: 'blocking' | 'streaming';
}

/**
 * Typed client of Dify's Service API (`/v1`, one app per API key). One resource per property;
 * generation POSTs are never retried automatically (a timed-out POST may already have run).
 */
export class DifyServiceClient {
  readonly chatMessages: ChatMessages;
  readonly completionMessages: CompletionMessages;
  readonly workflows: Workflows;
  readonly conversations: Conversations;
  readonly messages: Messages;
  readonly files: Files;
  readonly audio: Audio;
  /** `info()`, `parameters()`, `meta()`. */
  readonly app: AppInfo;

  readonly #http: DifyHttp;
  readonly #authorization: string;
  readonly #logger: Logger;
  readonly #timeouts: { stream: number; firstEvent: number; idle: number };
  #mode: DifyAppMode | undefined;
  #streamingOnly: boolean;

  constructor(options: DifyServiceClientOptions) {
    if (!options.baseUrl) throw new TypeError('DifyServiceClient: baseUrl is required');
    if (!options.apiKey) throw new TypeError('DifyServiceClient: apiKey is required');
    this.#logger = options.logger ?? pino({ level: 'silent' });
    this.#http = new DifyHttp({
      baseUrl: options.baseUrl,
      timeoutMs: options.timeoutMs ?? 120_000,
      maxRetries: options.maxRetries ?? 2,
      retryDelayMs: options.retryDelayMs ?? 500,
      logger: this.#logger,
      fetch: options.fetch ?? globalThis.fetch,
      userAgent: `mpgate/${VERSION}`,
    });
    this.#authorization = `Bearer ${options.apiKey}`;
    this.#timeouts = {
      stream: options.streamTimeoutMs ?? 600_000,
      firstEvent: options.firstEventTimeoutMs ?? 60_000,
      idle: options.idleTimeoutMs ?? 60_000,
    };
    this.#mode = options.mode === undefined ? undefined : toDifyAppMode(options.mode);
    this.#streamingOnly = isStreamingOnlyMode(this.#mode);
    this.chatMessages = new ChatMessages(this);
    this.completionMessages = new CompletionMessages(this);
    this.workflows = new Workflows(this);
    this.conversations = new Conversations(this);
    this.messages = new Messages(this);
    this.files = new Files(this);
    this.audio = new Audio(this);
    this.app = new AppInfo(this);
  }

  /** The Service API base URL (no trailing slash). */
  get baseUrl(): string {
    return this.#http.baseUrl;
  }

  /** The configured app mode, if any. */
  get mode(): DifyAppMode | undefined {
    return this.#mode;
  }

  /** True when `chat()` streams even if blocking was asked (agent mode configured, or learned from Dify). */
  get streamingOnly(): boolean {
    return this.#streamingOnly;
  }

  /**
   * Sends a chat message and resolves with the final answer. Streams by default; `responseMode: 'blocking'`
   * is honoured except for agent apps. If Dify rejects blocking as an agent app (400 "Agent Chat App does not
   * support blocking mode"), the client switches to streaming for this and later calls — that rejection
   * happens before any generation, so re-sending cannot duplicate a message.
   */
  async chat(params: ChatMessageParams, options: DifyChatOptions = {}): Promise<DifyAnswer> {
    if (options.responseMode === 'blocking' && !this.#streamingOnly) {
      try {
        return answerFromBlocking(await this.chatMessages.create(params, options));
      } catch (err) {
        if (!isBlockingRejectedByAgent(err)) throw err;
        this.#streamingOnly = true;
        this.#logger.info({ endpoint: 'POST /chat-messages' }, 'dify app only streams (agent); switching to streaming');
      }
    }
    const stream = await this.chatMessages.stream(params, options);
    return stream.finalAnswer();
  }

  /** @internal Sends a request with the API key and returns the raw answer. */
  send(request: DifyRequest, options: DifyCallOptions = {}): Promise<DifyHttpResponse> {
    return this.#http.send(this.#authorize(request, options));
  }

  /** @internal Sends a request and parses its JSON answer; other statuses throw `DifyApiError`. */
  json<T>(request: DifyRequest, options: DifyCallOptions = {}, okStatuses: readonly number[] = [200]): Promise<T> {
    return this.#http.json<T>(this.#authorize(request, options), okStatuses);
  }

  /** @internal Opens an event stream under this client's timeouts. */
  async stream(request: DifyRequest, options: DifyCallOptions = {}): Promise<DifyEventStream> {
    const idle = options.idleTimeoutMs ?? this.#timeouts.idle;
    const opened = await this.#http.openStream(this.#authorize(request, options), {
      timeoutMs: options.timeoutMs ?? this.#timeouts.stream,
      firstEventTimeoutMs: options.firstEventTimeoutMs ?? this.#timeouts.firstEvent,
      idleTimeoutMs: idle,
    });
    return new DifyEventStream(opened, idle, this.#logger);
  }

  /** @internal The typed error for an unexpected answer. */
  apiError(response: DifyHttpResponse, request: Pick<DifyRequest, 'method' | 'path'>): DifyApiError {
    return apiErrorFromResponse(response.status, response.text(), endpointOf(request));
  }

  #authorize(request: DifyRequest, options: DifyCallOptions): DifyRequest {
    const out: DifyRequest = {
      ...request,
      headers: { ...request.headers, Authorization: this.#authorization },
    };
    if (options.signal) out.signal = options.signal;
    if (options.timeoutMs !== undefined) out.timeoutMs = options.timeoutMs;
    return out;
  }
}

/** Agent apps answer a blocking request with this 400 before generating anything. */
export function isBlockingRejectedByAgent(err: unknown): boolean {
  if (!(err instanceof DifyApiError) || err.status !== 400) return false;
  return (
    err.difyMessage.includes('does not support blocking mode') || err.difyMessage.includes('only supports streaming')
  );
}
