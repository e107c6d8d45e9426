import type { DifyMessageMetadata } from '../answer-types.js';
import type { DifyEventStream } from '../chat-stream.js';
import { encodePath } from '../http-transport.js';
import type { DifyCallOptions, DifyServiceClient } from '../service-client.js';
import type { DifyFileInput, DifyResultSuccess } from './chat-messages.js';

/** Body of `POST /completion-messages` (Text Generator apps). */
export interface CompletionMessageParams {
  inputs?: Record<string, unknown>;
  /** Legacy field; newer apps take their text from `inputs`. */
  query?: string;
  user: string;
  files?: DifyFileInput[];
}

/** Blocking answer of `POST /completion-messages` (no conversation). */
export interface CompletionBlockingResponse {
  event: 'message';
  task_id: string;
  id: string;
  message_id: string;
  mode: 'completion';
  answer: string;
  metadata: DifyMessageMetadata;
  created_at: number;
}

/** `POST /completion-messages` and its stop endpoint. Other app modes answer 400 `app_unavailable`. */
export class CompletionMessages {
  readonly #client: DifyServiceClient;
  constructor(client: DifyServiceClient) {
    this.#client = client;
  }

  /** Generates in blocking mode. */
  create(params: CompletionMessageParams, options?: DifyCallOptions): Promise<CompletionBlockingResponse> {
    return this.#client.json<CompletionBlockingResponse>(
      { method: 'POST', path: '/completion-messages', json: completionBody(params, 'blocking') },
      options,
    );
  }

  /** Generates in streaming mode. */
  stream(params: CompletionMessageParams, options?: DifyCallOptions): Promise<DifyEventStream> {
    return this.#client.stream(
      { method: 'POST', path: '/completion-messages', json: completionBody(params, 'streaming') },
      options,
    );
  }

  /** Stops a streaming generation. Always succeeds. */
  stop(taskId: string, user: string, options?: DifyCallOptions): Promise<DifyResultSuccess> {
    return this.#client.json<DifyResultSuccess>(
      { method: 'POST', path: encodePath`/completion-messages/${taskId}/stop`, json: { user } },
      options,
    );
  }
}

function completionBody(params: CompletionMessageParams, responseMode: 'blocking' | 'streaming'): Record<string, unknown> {
  return { ...params, inputs: params.inputs ?? {}, response_mode: responseMode };
}
