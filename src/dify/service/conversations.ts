import { encodePath } from '../http-transport.js';
import type { DifyCallOptions, DifyServiceClient } from '../service-client.js';

/** A conversation as `GET /conversations` lists it. `inputs` are frozen at the first turn. */
export interface DifyConversation {
  id: string;
  name: string;
  inputs: Record<string, unknown>;
  status: string;
  introduction: string | null;
  created_at: number;
  updated_at: number;
}

/** Query of `GET /conversations`. */
export interface ConversationListParams {
  user?: string;
  /** Paging cursor: the last id of the previous page (unknown id → 404 "Last Conversation Not Exists."). */
  last_id?: string;
  /** 1–100, default 20. */
  limit?: number;
  sort_by?: 'created_at' | '-created_at' | 'updated_at' | '-updated_at';
}

/** One page of conversations. */
export interface ConversationPage {
  limit: number;
  has_more: boolean;
  data: DifyConversation[];
}

/** Body of `POST /conversations/{id}/name`. */
export interface ConversationRenameParams {
  /** Required unless `auto_generate` is true. */
  name?: string;
  auto_generate?: boolean;
  user?: string;
}

/** Conversations of a chat-family app (other modes answer 400 `not_chat_app`). */
export class Conversations {
  readonly #client: DifyServiceClient;
  constructor(client: DifyServiceClient) {
    this.#client = client;
  }

  /** Lists one page of a user's conversations. */
  list(params: ConversationListParams = {}, options?: DifyCallOptions): Promise<ConversationPage> {
    return this.#client.json<ConversationPage>(
      { method: 'GET', path: '/conversations', query: { ...params }, idempotent: true },
      options,
    );
  }

  /**
   * Deletes a conversation. Dify answers 204 (≥ mid-2025) or 200 `{"result":"success"}` (older); both resolve.
   * Unknown, foreign or already deleted → 404 `not_found`.
   */
  async delete(conversationId: string, user: string | undefined, options?: DifyCallOptions): Promise<void> {
    await this.#client.json<unknown>(
      { method: 'DELETE', path: encodePath`/conversations/${conversationId}`, json: user === undefined ? {} : { user } },
      options,
      [200, 204],
    );
  }

  /** Renames a conversation (or asks Dify to generate a title); returns the updated conversation. */
  rename(conversationId: string, params: ConversationRenameParams, options?: DifyCallOptions): Promise<DifyConversation> {
    return this.#client.json<DifyConversation>(
      { method: 'POST', path: encodePath`/conversations/${conversationId}/name`, json: { auto_generate: false, ...params } },
      options,
    );
  }
}
