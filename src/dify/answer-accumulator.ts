import { DifyApiError, DifyTransportError } from './errors.js';
import { apiErrorFromEvent } from './api-error-body.js';
import type { DifyAgentThought, DifyAnswer, DifyAnswerFile, DifyRetrieverResource, DifyUsage } from './answer-types.js';
import type { DifyStreamEvent } from './stream-events.js';

/**
 * Folds stream events into a `DifyAnswer`. Pure. Completion is `message_end` **or** `workflow_finished`
 * (in either order, or only one of them: Chatflow relays on ≥ 1.13 close the stream at `workflow_finished`,
 * older ones send `message_end` first), or `workflow_paused`.
 *
 * `push` throws a `DifyApiError` for an `error` event and for a failed workflow (code `workflow_failed`);
 * `result` throws a `DifyTransportError` (reason `stream_cut`) when no terminal event arrived.
 */
export class AnswerAccumulator {
  readonly #endpoint: string;
  #answer = '';
  #sawAnswerDelta = false;
  #textChunks = '';
  #conversationId: string | undefined;
  #messageId: string | undefined;
  #taskId: string | undefined;
  #workflowRunId: string | undefined;
  readonly #files = new Map<string, DifyAnswerFile>();
  #usage: DifyUsage | undefined;
  #outputs: Record<string, unknown> | undefined;
  readonly #thoughts = new Map<string, DifyAgentThought>();
  #retrieverResources: DifyRetrieverResource[] = [];
  #messageEnded = false;
  #workflowStatus: string | undefined;
  #paused = false;

  constructor(endpoint: string) {
    this.#endpoint = endpoint;
  }

  /** True once a terminal event (`message_end`, `workflow_finished`, `workflow_paused`) has been seen. */
  get complete(): boolean {
    return this.#messageEnded || this.#workflowStatus !== undefined || this.#paused;
  }

  /** Applies one event. */
  push(event: DifyStreamEvent): void {
    if (event.event === 'ping' || event.event === 'unknown') return;
    this.#noteIds(event as unknown as Record<string, unknown>);
    switch (event.event) {
      case 'message':
      case 'agent_message':
        this.#append(event.answer);
        break;
      case 'message_file':
        if (typeof event.url === 'string') this.#addFile(fileFromRecord(event as unknown as Record<string, unknown>));
        else this.#append(event.answer); // the text-delta quirk: a `message_file` with `answer` and no `url`
        break;
      case 'message_replace':
        this.#answer = typeof event.answer === 'string' ? event.answer : '';
        this.#sawAnswerDelta = true;
        break;
      case 'agent_thought':
        this.#thoughts.set(event.id, {
          id: event.id,
          position: event.position,
          thought: event.thought ?? '',
          observation: event.observation ?? '',
          tool: event.tool ?? '',
          toolInput: event.tool_input ?? '',
        });
        break;
      case 'message_end': {
        this.#messageEnded = true;
        if (event.metadata?.usage) this.#usage = event.metadata.usage;
        if (Array.isArray(event.metadata?.retriever_resources)) {
          this.#retrieverResources = event.metadata.retriever_resources;
        }
        for (const file of event.files ?? []) this.#addFile(fileFromRecord(file));
        break;
      }
      case 'text_chunk':
        if (typeof event.data?.text === 'string') this.#textChunks += event.data.text;
        break;
      case 'workflow_finished': {
        const data = event.data;
        this.#workflowStatus = data.status;
        if (data.outputs && typeof data.outputs === 'object') this.#outputs = data.outputs;
        for (const file of data.files ?? []) this.#addFile(fileFromRecord(file));
        if (this.#usage === undefined && typeof data.total_tokens === 'number') {
          this.#usage = { total_tokens: data.total_tokens };
        }
        if (data.status === 'failed') {
          throw new DifyApiError({
            status: 400,
            code: 'workflow_failed',
            message: `Run failed: ${data.error ?? 'unknown error'}`,
            endpoint: this.#endpoint,
          });
        }
        break;
      }
      case 'workflow_paused':
        this.#paused = true;
        break;
      case 'error':
        throw apiErrorFromEvent(event, this.#endpoint);
      default:
        break; // tts, workflow/node progress: nothing to fold
    }
  }

  /** The answer; throws `DifyTransportError('stream_cut')` when the stream ended before a terminal event. */
  result(): DifyAnswer {
    if (!this.complete) {
      throw new DifyTransportError(
        this.#endpoint,
        'stream_cut',
        `the stream ended before message_end or workflow_finished (${this.#answer.length} characters received)`,
      );
    }
    const answer: DifyAnswer = {
      answer: this.#finalText(),
      conversationId: this.#conversationId,
      messageId: this.#messageId,
      taskId: this.#taskId,
      workflowRunId: this.#workflowRunId,
      files: [...this.#files.values()],
      usage: this.#usage,
      thoughts: [...this.#thoughts.values()].sort((a, b) => a.position - b.position),
      retrieverResources: this.#retrieverResources,
      status: this.#workflowStatus === 'stopped' ? 'stopped' : this.#paused ? 'paused' : 'completed',
    };
    if (this.#outputs !== undefined) answer.outputs = this.#outputs;
    return answer;
  }

  /** Message deltas win; a workflow app's text chunks next; else a workflow's only string output. */
  #finalText(): string {
    if (this.#sawAnswerDelta) return this.#answer;
    if (this.#textChunks !== '') return this.#textChunks;
    const strings = Object.values(this.#outputs ?? {}).filter((v): v is string => typeof v === 'string');
    return strings.length === 1 ? (strings[0] as string) : '';
  }

  #append(delta: unknown): void {
    if (typeof delta !== 'string') return;
    this.#answer += delta;
    this.#sawAnswerDelta = true;
  }

  #noteIds(record: Record<string, unknown>): void {
    if (typeof record.conversation_id === 'string' && record.conversation_id !== '') {
      this.#conversationId = record.conversation_id;
    }
    if (typeof record.message_id === 'string' && record.message_id !== '') this.#messageId = record.message_id;
    if (typeof record.task_id === 'string' && record.task_id !== '') this.#taskId = record.task_id;
    if (typeof record.workflow_run_id === 'string' && record.workflow_run_id !== '') {
      this.#workflowRunId = record.workflow_run_id;
    }
  }

  #addFile(file: DifyAnswerFile): void {
    const key = file.id ?? file.url ?? `#${this.#files.size}`;
    const known = this.#files.get(key);
    this.#files.set(key, known ? mergeFile(known, file) : file);
  }
}

/** Normalises a Dify file record (`message_file` event or a File dict from `message_end`/`workflow_finished`). */
export function fileFromRecord(record: Record<string, unknown>): DifyAnswerFile {
  const str = (key: string): string | undefined => (typeof record[key] === 'string' ? (record[key] as string) : undefined);
  return {
    id: str('id') ?? str('related_id'),
    type: str('type'),
    url: str('url') ?? str('remote_url'),
    filename: str('filename'),
    mimeType: str('mime_type'),
    belongsTo: str('belongs_to'),
  };
}

function mergeFile(a: DifyAnswerFile, b: DifyAnswerFile): DifyAnswerFile {
  return {
    id: a.id ?? b.id,
    type: a.type ?? b.type,
    url: a.url ?? b.url,
    filename: a.filename ?? b.filename,
    mimeType: a.mimeType ?? b.mimeType,
    belongsTo: a.belongsTo ?? b.belongsTo,
  };
}
