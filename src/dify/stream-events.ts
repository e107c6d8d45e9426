import { DifyTransportError } from './errors.js';
import type { SseEvent } from './sse-parser.js';
import type { DifyMessageMetadata } from './answer-types.js';

/** Fields on every chat-family event except `ping` and `error` (dify-api.md §2.4). */
export interface DifyChatEventBase {
  task_id: string;
  /** Absent on completion apps. */
  conversation_id?: string;
  message_id: string;
  /** The message's creation time (Unix seconds), the same on every event of the message. */
  created_at: number;
}

/** Fields on workflow and node events (workflow apps, and Chatflow where the chat fields are also present). */
export interface DifyWorkflowEventBase {
  task_id: string;
  workflow_run_id: string;
  conversation_id?: string;
  message_id?: string;
  created_at?: number;
}

/** A text delta to append to the answer (chat, advanced-chat, completion). */
export interface DifyMessageEvent extends DifyChatEventBase {
  event: 'message';
  id: string;
  answer: string;
  from_variable_selector?: string[] | null;
}

/** A text delta from an agent app. */
export interface DifyAgentMessageEvent extends DifyChatEventBase {
  event: 'agent_message';
  id: string;
  answer: string;
}

/** One agent reasoning / tool step. */
export interface DifyAgentThoughtEvent extends DifyChatEventBase {
  event: 'agent_thought';
  id: string;
  position: number;
  thought: string;
  observation: string;
  /** Tool names joined by `;`. */
  tool: string;
  tool_labels: Record<string, unknown>;
  /** A JSON string. */
  tool_input: string;
  message_files: string[] | null;
}

/**
 * A file produced by the assistant. Quirk (§2.4): once such a file exists, the Chatbot pipeline sends its
 * text chunks as `message_file` with `answer` and no `url` — those are text deltas.
 */
export interface DifyMessageFileEvent extends DifyChatEventBase {
  event: 'message_file';
  id: string;
  type?: string;
  belongs_to?: string;
  url?: string;
  answer?: string;
}

/** The message is complete: usage, citations, files. */
export interface DifyMessageEndEvent extends DifyChatEventBase {
  event: 'message_end';
  id: string;
  metadata?: DifyMessageMetadata;
  files?: Record<string, unknown>[] | null;
}

/** Output moderation fired: `answer` replaces everything accumulated so far. */
export interface DifyMessageReplaceEvent extends DifyChatEventBase {
  event: 'message_replace';
  answer: string;
  reason: string;
}

/** A base64 MP3 chunk (TTS auto-play). */
export interface DifyTtsMessageEvent extends DifyChatEventBase {
  event: 'tts_message';
  audio: string;
}

/** End of the TTS audio; comes after the closing event. */
export interface DifyTtsMessageEndEvent extends DifyChatEventBase {
  event: 'tts_message_end';
  audio: string;
}

export interface DifyWorkflowStartedEvent extends DifyWorkflowEventBase {
  event: 'workflow_started';
  data: { id: string; workflow_id: string; inputs?: Record<string, unknown>; created_at: number; reason?: string };
}

/** Fields shared by `node_started` and `node_finished`. */
export interface DifyNodeData {
  id: string;
  node_id: string;
  node_type: string;
  title: string;
  index: number;
  predecessor_node_id?: string | null;
  inputs?: Record<string, unknown> | null;
  created_at: number;
  iteration_id?: string | null;
  loop_id?: string | null;
  [key: string]: unknown;
}

export interface DifyNodeStartedEvent extends DifyWorkflowEventBase {
  event: 'node_started';
  data: DifyNodeData;
}

export interface DifyNodeFinishedEvent extends DifyWorkflowEventBase {
  event: 'node_finished';
  data: DifyNodeData & {
    outputs?: Record<string, unknown> | null;
    status: string;
    error?: string | null;
    elapsed_time?: number;
    finished_at?: number;
  };
}

/** `succeeded`, `failed`, `partial-succeeded`, `stopped`. */
export type DifyWorkflowStatus = 'succeeded' | 'failed' | 'partial-succeeded' | 'stopped' | (string & {});

export interface DifyWorkflowFinishedEvent extends DifyWorkflowEventBase {
  event: 'workflow_finished';
  data: {
    id: string;
    workflow_id: string;
    status: DifyWorkflowStatus;
    outputs?: Record<string, unknown> | null;
    error?: string | null;
    elapsed_time?: number;
    total_tokens?: number;
    total_steps?: number;
    created_at?: number;
    finished_at?: number;
    exceptions_count?: number;
    files?: Record<string, unknown>[] | null;
    [key: string]: unknown;
  };
}

/** A Chatflow or Workflow paused on a Human Input node; the relay closes the stream after it. */
export interface DifyWorkflowPausedEvent extends DifyWorkflowEventBase {
  event: 'workflow_paused';
  data: Record<string, unknown>;
}

/** Streamed workflow output text (workflow apps). */
export interface DifyTextChunkEvent extends DifyWorkflowEventBase {
  event: 'text_chunk';
  data: { text: string; from_variable_selector?: string[] | null };
}

/** Events that only inform (progress of iterations, loops, retries, agent logs, human input). */
export const DIFY_INFORMATIONAL_EVENTS = [
  'node_retry',
  'iteration_started',
  'iteration_next',
  'iteration_completed',
  'loop_started',
  'loop_next',
  'loop_completed',
  'agent_log',
  'reasoning_chunk',
  'human_input_required',
  'human_input_form_filled',
  'human_input_form_timeout',
] as const;

export interface DifyInformationalEvent extends Partial<DifyWorkflowEventBase> {
  event: (typeof DIFY_INFORMATIONAL_EVENTS)[number];
  data?: Record<string, unknown>;
}

/** A failure after the stream started. No `task_id`. */
export interface DifyErrorEvent {
  event: 'error';
  status?: number;
  code: string;
  message: string;
  conversation_id?: string;
  message_id?: string;
}

/** Keep-alive (`event: ping` with no data). */
export interface DifyPingEvent {
  event: 'ping';
}

/** An event this client does not know (a newer Dify); kept whole. */
export interface DifyUnknownEvent {
  event: 'unknown';
  /** The event's own name (its `event` field, or the SSE `event:` line). */
  name: string;
  payload: Record<string, unknown>;
}

/** Every event a Dify stream can carry, discriminated on `event`. */
export type DifyStreamEvent =
  | DifyMessageEvent
  | DifyAgentMessageEvent
  | DifyAgentThoughtEvent
  | DifyMessageFileEvent
  | DifyMessageEndEvent
  | DifyMessageReplaceEvent
  | DifyTtsMessageEvent
  | DifyTtsMessageEndEvent
  | DifyWorkflowStartedEvent
  | DifyNodeStartedEvent
  | DifyNodeFinishedEvent
  | DifyWorkflowFinishedEvent
  | DifyWorkflowPausedEvent
  | DifyTextChunkEvent
  | DifyInformationalEvent
  | DifyErrorEvent
  | DifyPingEvent
  | DifyUnknownEvent;

const KNOWN_EVENTS: ReadonlySet<string> = new Set<string>([
  'message',
  'agent_message',
  'agent_thought',
  'message_file',
  'message_end',
  'message_replace',
  'tts_message',
  'tts_message_end',
  'workflow_started',
  'node_started',
  'node_finished',
  'workflow_finished',
  'workflow_paused',
  'text_chunk',
  'error',
  'ping',
  ...DIFY_INFORMATIONAL_EVENTS,
]);

/** Events after which a Dify stream has said all it will say (the server closes soon after). */
export function isTerminalEvent(event: DifyStreamEvent): boolean {
  return event.event === 'message_end' || event.event === 'workflow_finished' || event.event === 'workflow_paused';
}

/**
 * Turns one SSE frame into a typed Dify event: `event: ping` → ping; otherwise the data is JSON whose
 * `event` field names the type. Unknown names become `{event: 'unknown'}`. Pure; throws a
 * `DifyTransportError` (reason `protocol`) when the data is not a JSON object.
 */
export function decodeDifyEvent(frame: SseEvent, endpoint: string): DifyStreamEvent {
  if (frame.data === '') {
    if (frame.event === 'ping' || frame.event === undefined) return { event: 'ping' };
    return { event: 'unknown', name: frame.event, payload: {} };
  }
  let payload: unknown;
  try {
    payload = JSON.parse(frame.data);
  } catch (cause) {
    throw new DifyTransportError(endpoint, 'protocol', `stream data is not JSON: ${frame.data.slice(0, 120)}`, { cause });
  }
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    throw new DifyTransportError(endpoint, 'protocol', `stream data is not a JSON object: ${frame.data.slice(0, 120)}`);
  }
  const record = payload as Record<string, unknown>;
  const name = typeof record.event === 'string' ? record.event : frame.event;
  if (name === undefined) {
    throw new DifyTransportError(endpoint, 'protocol', `stream event has no type: ${frame.data.slice(0, 120)}`);
  }
  if (name === 'unknown' || !KNOWN_EVENTS.has(name)) return { event: 'unknown', name, payload: record };
  // Dify is the authority on these shapes; the accumulator re-checks the few fields it relies on. The parsed
  // object is fresh, so it is returned as is when it already names its type (every Dify event does).
  if (record.event === name) return record as unknown as DifyStreamEvent;
  return { ...record, event: name } as DifyStreamEvent;
}
