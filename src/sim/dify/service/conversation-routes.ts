import type { FastifyInstance } from 'fastify';
import type { SimContext } from '../context.js';
import { CONVERSATION_NOT_EXISTS, invalidParam, notFound } from '../http-errors.js';
import { PayloadChecker } from '../pydantic-errors.js';
import { sendRestx } from '../reply.js';
import type { ConversationRecord, MessageRecord } from '../state.js';
import { authenticateApp, isChatFamily, notChatApp } from './app-auth.js';
import { canonicalUuid, isUuid, queryParam, readJsonBody, userFromBody, userFromQuery } from './request-parsing.js';

/** Conversations and messages (reference §6): every lookup is scoped to (app, user). */

function conversationJson(c: ConversationRecord): Record<string, unknown> {
  return { id: c.id, name: c.name, inputs: c.inputs, status: 'normal', introduction: c.introduction, created_at: c.createdAt, updated_at: c.updatedAt };
}

function messageJson(m: MessageRecord): Record<string, unknown> {
  return {
    id: m.id,
    conversation_id: m.conversationId,
    parent_message_id: m.parentMessageId,
    inputs: m.inputs,
    query: m.query,
    answer: m.answer,
    message_files: m.files.map((f) => ({
      id: f.id,
      filename: f.filename,
      type: f.type,
      url: f.url,
      mime_type: f.mimeType,
      size: f.size,
      transfer_method: f.transferMethod,
      belongs_to: f.belongsTo,
      upload_file_id: f.transferMethod === 'local_file' ? f.id : null,
    })),
    feedback: m.feedback,
    retriever_resources: [],
    created_at: m.createdAt,
    agent_thoughts: m.agentThoughts.map((t) => ({
      id: t.id,
      chain_id: null,
      message_id: m.id,
      position: t.position,
      thought: t.thought,
      tool: t.tool,
      tool_labels: t.toolLabels,
      tool_input: t.toolInput,
      created_at: t.createdAt,
      observation: t.observation,
      files: t.messageFiles,
    })),
    status: m.status === 'error' ? 'error' : 'normal',
    error: m.error,
    extra_contents: [],
  };
}

/** A `limit` query parameter: default 20, 1–100, else 400. */
function limitParam(raw: string | undefined, model: string): number {
  if (raw === undefined || raw === '') return 20;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 100) {
    const c = new PayloadChecker(model, { limit: raw });
    c.add('limit', Number.isInteger(n) ? (n < 1 ? 'Input should be greater than or equal to 1' : 'Input should be less than or equal to 100') : 'Input should be a valid integer, unable to parse string as an integer', Number.isInteger(n) ? (n < 1 ? 'greater_than_equal' : 'less_than_equal') : 'int_parsing');
    throw invalidParam(c.errorMessage() ?? 'invalid limit');
  }
  return n;
}

const SORTS = ['created_at', '-created_at', 'updated_at', '-updated_at'] as const;
type Sort = (typeof SORTS)[number];

/** Registers the conversation and message endpoints. */
export function registerConversationRoutes(app: FastifyInstance, ctx: SimContext): void {
  app.get('/v1/conversations', async (req, reply) => {
    const appRec = authenticateApp(req, ctx);
    if (!isChatFamily(appRec)) throw notChatApp();
    const user = userFromQuery(req);
    ctx.calls.of(req).user = user;
    const limit = limitParam(queryParam(req, 'limit'), 'ConversationListQuery');
    const sortRaw = queryParam(req, 'sort_by') ?? '-updated_at';
    if (!(SORTS as readonly string[]).includes(sortRaw)) {
      const c = new PayloadChecker('ConversationListQuery', { sort_by: sortRaw });
      c.add('sort_by', "Input should be 'created_at', '-created_at', 'updated_at' or '-updated_at'", 'literal_error');
      throw invalidParam(c.errorMessage() ?? 'invalid sort_by');
    }
    const sort = sortRaw as Sort;
    const field = sort.replace('-', '') as 'created_at' | 'updated_at';
    const desc = sort.startsWith('-');
    const key = (c: ConversationRecord): [number, number] => (field === 'created_at' ? [c.createdAt, c.createdSeq] : [c.updatedAt, c.updatedSeq]);
    const cmp = (a: ConversationRecord, b: ConversationRecord) => {
      const [a1, a2] = key(a);
      const [b1, b2] = key(b);
      const d = a1 - b1 || a2 - b2;
      return desc ? -d : d;
    };
    let list = [...ctx.state.conversations.values()].filter((c) => c.appId === appRec.id && c.user === user && !c.deleted).sort(cmp);
    const lastId = queryParam(req, 'last_id');
    if (lastId) {
      const idx = list.findIndex((c) => c.id === lastId);
      if (idx < 0) throw notFound('Last Conversation Not Exists.');
      list = list.slice(idx + 1);
    }
    return sendRestx(reply, 200, { limit, has_more: list.length > limit, data: list.slice(0, limit).map(conversationJson) });
  });

  app.delete<{ Params: { c_id: string } }>('/v1/conversations/:c_id', async (req, reply) => {
    const appRec = authenticateApp(req, ctx);
    if (!isUuid(req.params.c_id)) throw notFound();
    const body = readJsonBody(req);
    const user = userFromBody(body, false);
    ctx.calls.of(req).user = user;
    if (!isChatFamily(appRec)) throw notChatApp();
    const id = canonicalUuid(req.params.c_id);
    ctx.calls.of(req).conversation = id;
    const c = ctx.state.ownedConversation(appRec.id, user, id);
    if (!c) throw notFound(CONVERSATION_NOT_EXISTS);
    c.deleted = true;
    if (ctx.behaviour.deleteConversationStatus === 204) return reply.code(204).send();
    return sendRestx(reply, 200, { result: 'success' });
  });

  app.post<{ Params: { c_id: string } }>('/v1/conversations/:c_id/name', async (req, reply) => {
    const appRec = authenticateApp(req, ctx);
    if (!isUuid(req.params.c_id)) throw notFound();
    const body = readJsonBody(req);
    const user = userFromBody(body, false);
    ctx.calls.of(req).user = user;
    if (!isChatFamily(appRec)) throw notChatApp();
    const c = new PayloadChecker('ConversationRenamePayload', body);
    const name = c.string('name', { nullable: true });
    const autoGenerate = c.boolean('auto_generate', false);
    if (!autoGenerate && (name === undefined || name.trim() === '')) {
      c.issues.push({ msg: 'Value error, name is required when auto_generate is false', type: 'value_error', input: body });
    }
    const msg = c.errorMessage();
    if (msg) throw invalidParam(msg);
    const id = canonicalUuid(req.params.c_id);
    const conv = ctx.state.ownedConversation(appRec.id, user, id);
    if (!conv) throw notFound(CONVERSATION_NOT_EXISTS);
    if (autoGenerate) {
      const first = ctx.state.conversationMessages(conv.id)[0];
      const q = Array.from(first?.query ?? conv.name);
      conv.name = q.length > 50 ? `${q.slice(0, 47).join('')}...` : q.join('');
    } else {
      conv.name = name ?? conv.name;
    }
    conv.updatedAt = Math.floor(Date.now() / 1000);
    conv.updatedSeq = ctx.state.nextSeq();
    return sendRestx(reply, 200, conversationJson(conv));
  });

  app.get('/v1/messages', async (req, reply) => {
    const appRec = authenticateApp(req, ctx);
    if (!isChatFamily(appRec)) throw notChatApp();
    const user = userFromQuery(req);
    ctx.calls.of(req).user = user;
    const conversationId = queryParam(req, 'conversation_id');
    if (conversationId === undefined) {
      const c = new PayloadChecker('MessageListQuery', Object.fromEntries(Object.entries(req.query as Record<string, unknown>)));
      c.missing('conversation_id');
      throw invalidParam(c.errorMessage() ?? 'conversation_id is required');
    }
    const limit = limitParam(queryParam(req, 'limit'), 'MessageListQuery');
    if (conversationId === '') return sendRestx(reply, 200, { limit, has_more: false, data: [] });
    ctx.calls.of(req).conversation = conversationId;
    const conv = isUuid(conversationId) ? ctx.state.ownedConversation(appRec.id, user, canonicalUuid(conversationId)) : undefined;
    if (!conv) throw notFound(CONVERSATION_NOT_EXISTS);
    let all = ctx.state.conversationMessages(conv.id);
    const firstId = queryParam(req, 'first_id');
    if (firstId) {
      const idx = all.findIndex((m) => m.id === firstId);
      if (idx < 0) throw notFound('First Message Not Exists.');
      all = all.slice(0, idx);
    }
    // The newest `limit` messages, oldest first within the page; `first_id` pages back to older ones.
    const page = all.slice(Math.max(0, all.length - limit));
    return sendRestx(reply, 200, { limit, has_more: all.length > limit, data: page.map(messageJson) });
  });

  app.post<{ Params: { message_id: string } }>('/v1/messages/:message_id/feedbacks', async (req, reply) => {
    const appRec = authenticateApp(req, ctx);
    const body = readJsonBody(req);
    const user = userFromBody(body, true);
    const m = ctx.state.messages.get(req.params.message_id);
    if (!m || m.appId !== appRec.id || m.user !== user) throw notFound('Message Not Exists.');
    const rating = body.rating;
    m.feedback = rating === 'like' || rating === 'dislike' ? { rating } : null;
    return sendRestx(reply, 200, { result: 'success' });
  });
}
