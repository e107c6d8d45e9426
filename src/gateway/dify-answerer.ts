import type { Logger } from 'pino';
import type { AiConfig } from '../config/account-schema.js';
import type { DifyAnswer } from '../dify/answer-types.js';
import { isConversationNotFound } from '../dify/error-predicates.js';
import type { DifyChatOptions, DifyServiceClient } from '../dify/service-client.js';
import type { Owner } from '../store/store.js';
import type { AiApp, AiFile } from './ai-app.js';
import type { AppFeatures } from './app-features.js';
import { fitInputs, type InputValue } from './app-inputs.js';
import { AppParameters } from './app-parameters.js';
import type { Conversations } from './conversations.js';
import type { MediaFile } from './file-download.js';

/** The text (Markdown) and files the AI answered. */
export interface AiAnswer {
  text: string;
  files: DifyAnswer['files'];
}

export interface DifyAnswererOptions {
  /** How long the app's `/parameters` are trusted before they are read again. Default 5 min. */
  parametersTtlMs?: number;
  now?: () => number;
}

/**
 * Asks the account's Dify app, whatever its type: chat, agent and chatflow through `/chat-messages` (streaming)
 * with the follower's conversation; workflow and completion with the message in the configured input variable.
 * `user` is the follower's OpenID. A stale conversation id ("Conversation Not Exists") is dropped and the call
 * retried once without it. Inputs are fitted to what the app declares (read from `/parameters`, cached), so an app
 * never fails on an undeclared, oversized or missing input. Also the app's files and speech for the gateway.
 */
export class DifyAnswerer implements AiApp {
  readonly #client: DifyServiceClient;
  readonly #ai: AiConfig;
  readonly #conversations: Conversations;
  readonly #log: Logger | undefined;
  readonly #parameters: AppParameters;
  readonly #origin: string;
  readonly #chatOptions: DifyChatOptions;

  constructor(client: DifyServiceClient, ai: AiConfig, conversations: Conversations, logger?: Logger, options: DifyAnswererOptions = {}) {
    this.#client = client;
    this.#ai = ai;
    this.#conversations = conversations;
    this.#log = logger;
    this.#parameters = new AppParameters(() => client.app.parameters(), { ttlMs: options.parametersTtlMs, now: options.now, logger });
    this.#origin = new URL(client.baseUrl).origin;
    // Per call, so the app's timeout bounds a blocking call too (not only a stream).
    this.#chatOptions = { responseMode: ai.responseMode, timeoutMs: ai.timeoutMs };
  }

  /** Asks the app; throws DifyApiError / DifyTransportError when Dify fails. */
  async ask(owner: Owner, query: string, inputs: Record<string, string> = {}, files: readonly AiFile[] = []): Promise<AiAnswer> {
    const user = owner.openid;
    const withFiles = files.length > 0 ? { files: [...files] } : {};
    switch (this.#ai.app) {
      case 'workflow': {
        const all = await this.#inputs(owner, inputs, { [this.#variable()]: query });
        const stream = await this.#client.workflows.stream({ inputs: all, user, ...withFiles });
        const result = await stream.finalAnswer();
        return { text: workflowText(result, this.#ai.outputVariable), files: result.files };
      }
      case 'completion': {
        const all = await this.#inputs(owner, inputs, { [this.#variable()]: query });
        const stream = await this.#client.completionMessages.stream({ inputs: all, user, ...withFiles });
        const result = await stream.finalAnswer();
        return { text: result.answer, files: result.files };
      }
      default:
        return this.#chat(owner, query, await this.#inputs(owner, inputs), files);
    }
  }

  /**
   * The inputs to send: the configured `ai.inputs`, overridden by the message's facts, fitted to the app's form.
   * When the form cannot be read, only the configured inputs go (as before mpgate knew the app).
   */
  async #inputs(owner: Owner, facts: Record<string, string>, message: Record<string, string> = {}): Promise<Record<string, InputValue>> {
    const features = await this.#parameters.get();
    if (!features) return { ...this.#ai.inputs, ...message };
    const fitted = fitInputs(features.inputs, { ...this.#ai.inputs, ...facts, ...message });
    if (fitted.truncated.length + fitted.refused.length + fitted.filled.length > 0) {
      // Names only: the values are the follower's words.
      this.#log?.info({ account: owner.account, truncated: fitted.truncated, refused: fitted.refused, filled: fitted.filled }, 'inputs fitted to the Dify app form');
    }
    return fitted.inputs;
  }

  async #chat(owner: Owner, query: string, inputs: Record<string, unknown>, files: readonly AiFile[]): Promise<AiAnswer> {
    const conversationId = await this.#conversations.get(owner);
    const base = { query, inputs, user: owner.openid, ...(files.length > 0 && { files: [...files] }) };
    let result: DifyAnswer;
    try {
      result = await this.#client.chat({ ...base, ...(conversationId && { conversation_id: conversationId }) }, this.#chatOptions);
    } catch (err) {
      if (!conversationId || !isConversationNotFound(err)) throw err;
      this.#log?.info({ account: owner.account }, 'dify conversation no longer exists; starting a new one');
      await this.#conversations.drop(owner, conversationId);
      result = await this.#client.chat(base, this.#chatOptions);
    }
    if (result.conversationId) await this.#conversations.set(owner, result.conversationId);
    return { text: result.answer, files: result.files };
  }

  #variable(): string {
    // The config schema requires inputVariable for workflow and completion apps.
    return this.#ai.inputVariable ?? 'query';
  }

  features(): Promise<AppFeatures | undefined> {
    return this.#parameters.get();
  }

  async upload(owner: Owner, file: MediaFile & { filename: string }): Promise<string> {
    const uploaded = await this.#client.files.upload({ data: file.data, filename: file.filename, contentType: file.contentType, user: owner.openid });
    return uploaded.id;
  }

  async transcribe(owner: Owner, audio: MediaFile & { filename: string }): Promise<string> {
    const result = await this.#client.audio.toText({ data: audio.data, filename: audio.filename, contentType: audio.contentType, user: owner.openid });
    return typeof result.text === 'string' ? result.text : '';
  }

  async speak(owner: Owner, text: string): Promise<MediaFile | undefined> {
    const audio = await this.#client.audio.fromText({ text, user: owner.openid });
    return audio ? { data: audio.data, contentType: audio.contentType, filename: undefined } : undefined;
  }

  resolveFileUrl(url: string): string | undefined {
    if (/^https?:\/\//i.test(url)) return url;
    // Without FILES_URL, Dify writes file links relative to its own origin.
    return url.startsWith('/') && !url.startsWith('//') ? `${this.#origin}${url}` : undefined;
  }

  isAppFile(url: string): boolean {
    try {
      return new URL(url).origin === this.#origin;
    } catch {
      return false;
    }
  }
}

/** The answer of a workflow run: the configured output, else `text`/`answer`/`result`, else the only string output. */
function workflowText(result: DifyAnswer, outputVariable: string | undefined): string {
  const outputs = result.outputs ?? {};
  const pick = (name: string): string | undefined => (typeof outputs[name] === 'string' ? (outputs[name] as string) : undefined);
  if (outputVariable) return pick(outputVariable) ?? '';
  const named = pick('text') ?? pick('answer') ?? pick('result') ?? pick('output');
  if (named !== undefined) return named;
  const strings = Object.values(outputs).filter((v): v is string => typeof v === 'string');
  return strings.length === 1 ? strings[0]! : result.answer;
}
