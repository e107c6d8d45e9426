import { invalidParam } from '../http-errors.js';
import { PayloadChecker } from '../pydantic-errors.js';
import { canonicalUuid, isUuid } from './request-parsing.js';

/** The pydantic payloads of the generation endpoints (reference §2.1, §4, §5). */

/** `response_mode`: omitted or null means blocking. */
export type ResponseMode = 'blocking' | 'streaming';

/** Reads `response_mode` (a literal error for anything else). */
export function responseModeOf(c: PayloadChecker): ResponseMode {
  const v = c.body.response_mode;
  if (v === undefined || v === null || v === 'blocking') return 'blocking';
  if (v === 'streaming') return 'streaming';
  c.add('response_mode', "Input should be 'blocking' or 'streaming'", 'literal_error');
  return 'blocking';
}

/** Reads `files` (must be a list when present). */
export function filesOf(c: PayloadChecker): unknown {
  const v = c.body.files;
  if (v !== undefined && v !== null && !Array.isArray(v)) c.add('files', 'Input should be a valid list', 'list_type');
  return v;
}

/** A validated chat-messages payload. */
export interface ChatPayload {
  query: string;
  inputs: Record<string, unknown>;
  responseMode: ResponseMode;
  conversationId: string | undefined;
  files: unknown;
  autoGenerateName: boolean;
  workflowId: string | undefined;
}

/** Validates a chat-messages body like `ChatRequestPayload`; throws 400 invalid_param. */
export function parseChatPayload(body: Record<string, unknown>): ChatPayload {
  const c = new PayloadChecker('ChatRequestPayload', body);
  const query = c.string('query', { required: true }) ?? '';
  const inputs = c.dict('inputs', { required: true }) ?? {};
  const responseMode = responseModeOf(c);
  const rawConversation = c.string('conversation_id', { nullable: true });
  let conversationId: string | undefined;
  if (rawConversation !== undefined && rawConversation.trim() !== '') {
    if (isUuid(rawConversation)) conversationId = canonicalUuid(rawConversation);
    else c.add('conversation_id', 'Value error, conversation_id must be a valid UUID', 'value_error');
  }
  const files = filesOf(c);
  const autoGenerateName = c.boolean('auto_generate_name', true);
  const workflowId = c.string('workflow_id', { nullable: true });
  const msg = c.errorMessage();
  if (msg) throw invalidParam(msg);
  return { query: query.replace(/\0/g, ''), inputs, responseMode, conversationId, files, autoGenerateName, workflowId };
}


/** A validated completion-messages or workflows/run payload. */
export interface RunPayload {
  inputs: Record<string, unknown>;
  /** completion-messages only (a legacy field). */
  query: string;
  responseMode: ResponseMode;
  files: unknown;
}

/** Validates a completion-messages (`CompletionRequestPayload`) or workflows/run (`WorkflowRunPayload`) body. */
export function parseRunPayload(model: 'CompletionRequestPayload' | 'WorkflowRunPayload', body: Record<string, unknown>): RunPayload {
  const c = new PayloadChecker(model, body);
  const inputs = c.dict('inputs', { required: true }) ?? {};
  const query = model === 'CompletionRequestPayload' ? (c.string('query', { nullable: true }) ?? '') : '';
  const responseMode = responseModeOf(c);
  const files = filesOf(c);
  const msg = c.errorMessage();
  if (msg) throw invalidParam(msg);
  return { inputs, query, responseMode, files };
}
