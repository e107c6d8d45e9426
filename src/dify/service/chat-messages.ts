import type { DifyAnswer, DifyMessageMetadata } from '../answer-types.js';
import type { DifyEventStream } from '../chat-stream.js';
import { encodePath } from '../http-transport.js';
import type { DifyCallOptions, DifyServiceClient } from '../service-client.js';

/** A file attached to a request: a public URL, or an id from `files.upload`. */
export type DifyFileInput =
  | { type: 'image' | 'document' | 'audio' | 'video' | 'custom'; transfer_method: 'remote_url'; url: string }
  | { type: 'image' | 'document' | 'audio' | 'video' | 'custom'; transfer_method: 'local_file'; upload_file_id: string };

/** Body of `POST /chat-messages` (without `response_mode`, which each method sets). */
export interface ChatMessageParams {
  query: string;
  /** The app's variables; Dify requires the key, so `{}` is sent when omitted. Validated on every message. */
  inputs?: Record<string, unknown>;
  /** The end user's id (≤ 255 characters); scopes conversations, messages and files. */
  user: string;
  /** Omit (or `''`) to start a new conversation. */
  conversation_id?: string;
  files?: DifyFileInput[];
  auto_generate_name?: boolean;
  /** Chatflow only: pins a published workflow version. */
  workflow_id?: string;
}

/** Blocking answer of `POST /chat-messages` (§2.3); `event` is `workflow_paused` when a Chatflow paused. */
export interface ChatBlockingResponse {
  event: 'message' | 'workflow_paused';
  task_id: string;
  id: string;
  message_id: string;
  conversation_id: string;
  mode: string;
  answer: string;
  metadata: DifyMessageMetadata;
  created_at: number;
  workflow_run_id?: string;
}

/** `{"result": "success"}`. */
export interface DifyResultSuccess {
  result: string;
}

/** `POST /chat-messages` and its stop endpoint (chat, agent-chat, advanced-chat apps). */
export class ChatMessages {
  readonly #client: DifyServiceClient;
  constructor(client: DifyServiceClient) {
    this.#client = client;
  }

  /** Sends a message in blocking mode (rejected by agent apps: use `stream` or `client.chat`). */
  create(params: ChatMessageParams, options?: DifyCallOptions): Promise<ChatBlockingResponse> {
    return this.#client.json<ChatBlockingResponse>(
      { method: 'POST', path: '/chat-messages', json: chatBody(params, 'blocking') },
      options,
    );
  }

  /** Sends a message in streaming mode. */
  stream(params: ChatMessageParams, options?: DifyCallOptions): Promise<DifyEventStream> {
    return this.#client.stream({ method: 'POST', path: '/chat-messages', json: chatBody(params, 'streaming') }, options);
  }

  /** Stops a streaming generation (`task_id` from any event). Always succeeds, even for unknown tasks. */
  stop(taskId: string, user: string, options?: DifyCallOptions): Promise<DifyResultSuccess> {
    return this.#client.json<DifyResultSuccess>(
      { method: 'POST', path: encodePath`/chat-messages/${taskId}/stop`, json: { user } },
      options,
    );
  }
}

function chatBody(params: ChatMessageParams, responseMode: 'blocking' | 'streaming'): Record<string, unknown> {
  return { ...params, inputs: params.inputs ?? {}, response_mode: responseMode };
}

/** Converts a blocking chat (or completion) answer into the same shape as a streamed one. */
export function answerFromBlocking(response: ChatBlockingResponse | CompletionLikeBlocking): DifyAnswer {
  const metadata = response.metadata ?? {};
  return {
    answer: typeof response.answer === 'string' ? response.answer : '',
    conversationId: 'conversation_id' in response ? response.conversation_id : undefined,
    messageId: response.message_id ?? response.id,
    taskId: response.task_id,
    workflowRunId: 'workflow_run_id' in response ? response.workflow_run_id : undefined,
    files: [],
    usage: metadata.usage,
    thoughts: [],
    retrieverResources: Array.isArray(metadata.retriever_resources) ? metadata.retriever_resources : [],
    status: response.event === 'workflow_paused' ? 'paused' : 'completed',
  };
}

/** The fields `answerFromBlocking` reads from a completion answer. */
export interface CompletionLikeBlocking {
  event: string;
  task_id: string;
  id: string;
  message_id: string;
  answer: string;
  metadata: DifyMessageMetadata;
}
