import type { DifyCallOptions, DifyServiceClient } from '../service-client.js';

/** `GET /info`. `mode` is `chat` even for an agent-enabled chat app. */
export interface DifyAppInfo {
  name: string;
  description: string;
  tags: string[];
  mode: string;
  author_name?: string;
}

/** One entry of `user_input_form`: `{ "<control type>": {label, variable, required, …} }`. */
export type DifyUserInputFormItem = Record<
  string,
  {
    label: string;
    variable: string;
    required: boolean;
    default?: unknown;
    max_length?: number;
    options?: string[];
    [key: string]: unknown;
  }
>;

/** `GET /parameters`: the app's input form and feature switches. */
export interface DifyAppParameters {
  opening_statement: string | null;
  suggested_questions: string[];
  suggested_questions_after_answer: { enabled: boolean };
  speech_to_text: { enabled: boolean };
  text_to_speech: { enabled: boolean; voice?: string; language?: string; autoPlay?: 'enabled' | 'disabled' };
  retriever_resource: { enabled: boolean };
  annotation_reply: { enabled: boolean };
  more_like_this: { enabled: boolean };
  sensitive_word_avoidance: { enabled: boolean; type?: string; configs?: unknown[] };
  user_input_form: DifyUserInputFormItem[];
  /** Legacy `{image: {...}}` or the newer `{enabled, allowed_file_types, …}`. */
  file_upload: Record<string, unknown>;
  system_parameters: {
    file_size_limit: number;
    image_file_size_limit: number;
    audio_file_size_limit: number;
    video_file_size_limit: number;
    workflow_file_upload_limit?: number;
  };
  [key: string]: unknown;
}

/** `GET /meta`. */
export interface DifyAppMeta {
  tool_icons: Record<string, string | { background: string; content: string }>;
}

/** Read-only app information. */
export class AppInfo {
  readonly #client: DifyServiceClient;
  constructor(client: DifyServiceClient) {
    this.#client = client;
  }

  /** Name, description, tags, mode. */
  info(options?: DifyCallOptions): Promise<DifyAppInfo> {
    return this.#client.json<DifyAppInfo>({ method: 'GET', path: '/info', idempotent: true }, options);
  }

  /** Input form and features; read at start-up (required inputs, `max_length`, file upload, speech to text). */
  parameters(options?: DifyCallOptions): Promise<DifyAppParameters> {
    return this.#client.json<DifyAppParameters>({ method: 'GET', path: '/parameters', idempotent: true }, options);
  }

  /** Tool icons. */
  meta(options?: DifyCallOptions): Promise<DifyAppMeta> {
    return this.#client.json<DifyAppMeta>({ method: 'GET', path: '/meta', idempotent: true }, options);
  }
}
