import type { DifyRetrieverResource } from '../answer-types.js';
import type { DifyCallOptions, DifyServiceClient } from '../service-client.js';

/** One message (a query and its answer) of a conversation. */
export interface DifyMessage {
  id: string;
  conversation_id: string;
  parent_message_id?: string | null;
  inputs: Record<string, unknown>;
  query: string;
  answer: string;
  feedback: { rating: string } | null;
  retriever_resources: DifyRetrieverResource[];
  created_at: number;
  agent_thoughts: Record<string, unknown>[];
  message_files: Record<string, unknown>[];
  status?: string;
  error?: string | null;
  [key: string]: unknown;
}

/** Query of `GET /messages`. */
export interface MessageListParams {
  /** Required by Dify; an empty value gives an empty page. */
  conversation_id: string;
  user?: string;
  /** Paging cursor towards older messages. */
  first_id?: string;
  /** 1–100, default 20. */
  limit?: number;
}

/** The newest `limit` messages, ordered oldest → newest within the page. */
export interface MessagePage {
  limit: number;
  has_more: boolean;
  data: DifyMessage[];
}

/** Message history of a conversation. */
export class Messages {
  readonly #client: DifyServiceClient;
  constructor(client: DifyServiceClient) {
    this.#client = client;
  }

  /** Lists one page of messages; 404 "Conversation Not Exists." for an unknown or foreign conversation. */
  list(params: MessageListParams, options?: DifyCallOptions): Promise<MessagePage> {
    return this.#client.json<MessagePage>({ method: 'GET', path: '/messages', query: { ...params }, idempotent: true }, options);
  }
}
