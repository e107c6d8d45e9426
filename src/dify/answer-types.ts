/** Token usage and cost of one message. Prices are decimal strings, as Dify sends them. */
export interface DifyUsage {
  prompt_tokens?: number;
  prompt_unit_price?: string;
  prompt_price_unit?: string;
  prompt_price?: string;
  completion_tokens?: number;
  completion_unit_price?: string;
  completion_price_unit?: string;
  completion_price?: string;
  total_tokens?: number;
  total_price?: string;
  currency?: string;
  latency?: number;
  time_to_first_token?: number;
  time_to_generate?: number;
}

/** A citation from a knowledge base (all fields nullable in Dify). */
export interface DifyRetrieverResource {
  position?: number | null;
  dataset_id?: string | null;
  dataset_name?: string | null;
  document_id?: string | null;
  document_name?: string | null;
  segment_id?: string | null;
  score?: number | null;
  content?: string | null;
  [key: string]: unknown;
}

/** `metadata` of a blocking answer and of `message_end`. */
export interface DifyMessageMetadata {
  usage?: DifyUsage;
  retriever_resources?: DifyRetrieverResource[];
  annotation_reply?: { id: string; account: { id: string; name: string } } | null;
  [key: string]: unknown;
}

/** A file in an answer (image, document…), normalised from `message_file`, `message_end.files` or workflow files. */
export interface DifyAnswerFile {
  id: string | undefined;
  /** `image`, `document`, `audio`, `video`, `custom`. */
  type: string | undefined;
  url: string | undefined;
  filename: string | undefined;
  mimeType: string | undefined;
  /** `assistant` or `user`. */
  belongsTo: string | undefined;
}

/** One agent step (agent-chat). */
export interface DifyAgentThought {
  id: string;
  position: number;
  thought: string;
  observation: string;
  tool: string;
  toolInput: string;
}

/** The final result of a chat, completion or workflow call, whether it was blocking or streamed. */
export interface DifyAnswer {
  /** The full text, with `message_replace` applied. */
  answer: string;
  conversationId: string | undefined;
  messageId: string | undefined;
  /** Needed for the stop endpoints. */
  taskId: string | undefined;
  workflowRunId: string | undefined;
  files: DifyAnswerFile[];
  usage: DifyUsage | undefined;
  /** Workflow / Chatflow outputs (from `workflow_finished`). */
  outputs?: Record<string, unknown>;
  /** Agent steps, in order. */
  thoughts: DifyAgentThought[];
  retrieverResources: DifyRetrieverResource[];
  /**
   * `completed`; `stopped` (a stop call ended the run, `answer` is partial); `paused` (a Chatflow or
   * Workflow waits on a Human Input node, `answer` is what came before it).
   */
  status: 'completed' | 'stopped' | 'paused';
}
