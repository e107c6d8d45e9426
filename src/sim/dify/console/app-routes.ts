import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { generateApiKey, workflowVersionString } from '../app-factory.js';
import { appRuntimeConfig } from '../app-config.js';
import type { SimContext } from '../context.js';
import { cloneDsl, exportDslYaml, isAppMode, isWorkflowMode, type DslObject } from '../dsl.js';
import { DifyHttpError, internalServerError, invalidParam, notFound, WERKZEUG_MESSAGES } from '../http-errors.js';
import { PayloadChecker } from '../pydantic-errors.js';
import { sendRestx } from '../reply.js';
import { canonicalUuid, isUuid, queryParam, readJsonBody } from '../service/request-parsing.js';
import type { PublishedWorkflow, SimAppRecord } from '../state.js';
import { authenticateConsole } from './console-auth.js';

/** Console app endpoints used by backups (reference §18–§19, §21). */

function appNotFound(): DifyHttpError {
  return new DifyHttpError(404, 'app_not_found', 'App not found.');
}

function intParam(req: FastifyRequest, model: string, name: string, fallback: number, min: number, max: number): number {
  const raw = queryParam(req, name);
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  const c = new PayloadChecker(model, { [name]: raw });
  if (!/^-?\d+$/.test(raw.trim())) c.add(name, 'Input should be a valid integer, unable to parse string as an integer', 'int_parsing');
  else if (n < min) c.add(name, `Input should be greater than or equal to ${min}`, 'greater_than_equal');
  else if (n > max) c.add(name, `Input should be less than or equal to ${max}`, 'less_than_equal');
  const msg = c.errorMessage();
  if (msg) throw invalidParam(msg);
  return n;
}

function boolParam(req: FastifyRequest, name: string): boolean {
  const raw = queryParam(req, name);
  return raw !== undefined && /^(true|1|yes|on)$/i.test(raw.trim());
}

/** Which mode the list shows: a chat app with agent mode on appears as `agent-chat`. */
function displayedMode(app: SimAppRecord): string {
  return appRuntimeConfig(app.source).isAgent ? 'agent-chat' : app.source.meta.mode;
}

/** Registers the app endpoints. */
export function registerConsoleAppRoutes(app: FastifyInstance, ctx: SimContext): void {
  const account = () => ctx.consoleState.account;
  const accountRef = () => ({ id: account().id, name: account().name, email: account().email });

  const findApp = (raw: string): SimAppRecord => {
    if (!isUuid(raw)) throw notFound();
    const rec = ctx.state.apps.get(canonicalUuid(raw));
    if (!rec) throw appNotFound();
    return rec;
  };

  const appPartial = (a: SimAppRecord): Record<string, unknown> => {
    const meta = a.source.meta;
    const published = a.published.at(-1);
    const model = a.source.modelConfig && typeof a.source.modelConfig.model === 'object' ? a.source.modelConfig.model : null;
    return {
      id: a.id,
      name: meta.name,
      max_active_requests: a.maxActiveRequests || null,
      description: meta.description,
      mode: displayedMode(a),
      icon_type: meta.icon_type,
      icon: meta.icon,
      icon_background: meta.icon_background,
      icon_url: null,
      model_config: a.source.modelConfig
        ? { model, pre_prompt: a.source.modelConfig.pre_prompt ?? '', created_by: account().id, created_at: a.createdAt, updated_by: account().id, updated_at: a.updatedAt }
        : null,
      workflow: published ? { id: published.id, created_by: account().id, created_at: published.createdAt, updated_by: account().id, updated_at: published.createdAt } : null,
      use_icon_as_answer_icon: meta.use_icon_as_answer_icon,
      created_by: account().id,
      created_at: a.createdAt,
      updated_by: account().id,
      updated_at: a.updatedAt,
      tags: a.tags,
      access_mode: 'public',
      create_user_name: account().name,
      author_name: account().name,
      has_draft_trigger: false,
    };
  };

  app.get('/console/api/apps', async (req, reply) => {
    authenticateConsole(req, ctx);
    const page = intParam(req, 'AppListQuery', 'page', 1, 1, 99999);
    const limit = intParam(req, 'AppListQuery', 'limit', 20, 1, 100);
    const mode = queryParam(req, 'mode') ?? 'all';
    if (mode !== 'all' && mode !== 'channel' && !isAppMode(mode)) {
      const c = new PayloadChecker('AppListQuery', { mode });
      c.add('mode', "Input should be 'completion', 'chat', 'advanced-chat', 'workflow', 'agent-chat', 'channel' or 'all'", 'literal_error');
      throw invalidParam(c.errorMessage() ?? 'invalid mode');
    }
    const q = req.query as Record<string, string | string[] | undefined>;
    const indexedTags = Object.keys(q).filter((k) => /^tag_ids\[\d+\]$/.test(k)).map((k) => String(q[k]));
    let tagIds: string[] = indexedTags;
    if (q.tag_ids !== undefined) {
      if (ctx.behaviour.indexedTagIds) throw invalidParam('tag_ids must be passed as tag_ids[0]=…&tag_ids[1]=…');
      tagIds = String(q.tag_ids).split(',').filter(Boolean);
    }
    const name = (queryParam(req, 'name') ?? '').toLowerCase();
    let list = [...ctx.state.apps.values()].sort((a, b) => b.createdAt - a.createdAt || b.seq - a.seq);
    if (mode !== 'all') list = list.filter((a) => a.source.meta.mode === mode);
    if (name) list = list.filter((a) => a.source.meta.name.slice(0, 30).toLowerCase().includes(name));
    if (tagIds.length > 0) list = list.filter((a) => a.tags.some((t) => tagIds.includes(t.id)));
    const total = list.length;
    const data = list.slice((page - 1) * limit, page * limit);
    return sendRestx(reply, 200, { page, limit, total, has_more: page * limit < total, data: data.map(appPartial) });
  });

  app.get<{ Params: { app_id: string } }>('/console/api/apps/:app_id', async (req, reply) => {
    authenticateConsole(req, ctx);
    const a = findApp(req.params.app_id);
    const meta = a.source.meta;
    return sendRestx(reply, 200, {
      ...appPartial(a),
      enable_site: true,
      enable_api: a.status !== 'api-disabled',
      tracing: null,
      api_base_url: `${ctx.origin}/v1`,
      deleted_tools: [],
      site: {
        access_token: a.siteCode,
        code: a.siteCode,
        title: meta.name,
        icon_type: meta.icon_type,
        icon: meta.icon,
        icon_background: meta.icon_background,
        icon_url: null,
        description: meta.description,
        default_language: 'en-US',
        chat_color_theme: null,
        chat_color_theme_inverted: false,
        customize_domain: null,
        copyright: null,
        privacy_policy: null,
        custom_disclaimer: '',
        customize_token_strategy: 'not_allow',
        prompt_public: false,
        app_base_url: ctx.origin,
        show_workflow_steps: true,
        use_icon_as_answer_icon: meta.use_icon_as_answer_icon,
      },
    });
  });

  app.get<{ Params: { app_id: string } }>('/console/api/apps/:app_id/export', async (req, reply) => {
    authenticateConsole(req, ctx);
    const a = findApp(req.params.app_id);
    const failure = ctx.consoleState.exportFailures.get(a.id);
    if (failure === '5xx') throw internalServerError();
    if (failure === 'missing-draft') throw invalidParam('Missing draft workflow configuration, please check.');
    if (failure === 'hang') {
      await new Promise<void>((resolve) => {
        const done = () => resolve();
        req.raw.once('close', done);
        ctx.closing.signal.addEventListener('abort', done, { once: true });
      });
      return reply;
    }
    const includeSecret = boolParam(req, 'include_secret');
    const workflowId = queryParam(req, 'workflow_id');
    let workflow: DslObject | undefined;
    if (workflowId && ctx.behaviour.exportSupportsWorkflowId && isWorkflowMode(a.source.meta.mode)) {
      if (isUuid(workflowId) && canonicalUuid(workflowId) === a.draftWorkflowId) {
        throw invalidParam('Cannot export a draft workflow version; use a published version id or omit workflow_id.');
      }
      const wf = isUuid(workflowId) ? a.published.find((w) => w.id === canonicalUuid(workflowId)) : undefined;
      if (!wf) throw invalidParam('Missing draft workflow configuration, please check.');
      workflow = wf.workflow;
    }
    return sendRestx(reply, 200, { data: exportDslYaml(a.source, { includeSecret, dslVersion: ctx.behaviour.dslVersion }, workflow) });
  });

  const workflowJson = (a: SimAppRecord, wf: DslObject, fields: { id: string; version: string; markedName: string; markedComment: string; createdAt: number }) => {
    const env = Array.isArray(wf.environment_variables) ? cloneDsl(wf.environment_variables) : [];
    for (const v of env) {
      if (typeof v === 'object' && v !== null && (v as DslObject).value_type === 'secret') (v as DslObject).value = '********************';
    }
    return {
      id: fields.id,
      graph: wf.graph ?? {},
      features: wf.features ?? {},
      hash: createHash('sha256').update(JSON.stringify(wf.graph ?? {})).digest('hex'),
      version: fields.version,
      marked_name: fields.markedName,
      marked_comment: fields.markedComment,
      created_by: accountRef(),
      created_at: fields.createdAt,
      updated_by: accountRef(),
      updated_at: fields.createdAt,
      tool_published: false,
      environment_variables: env,
      conversation_variables: wf.conversation_variables ?? [],
      rag_pipeline_variables: wf.rag_pipeline_variables ?? [],
      app_id: a.id,
    };
  };
  const draftJson = (a: SimAppRecord) =>
    workflowJson(a, a.source.workflow ?? {}, { id: a.draftWorkflowId, version: 'draft', markedName: '', markedComment: '', createdAt: a.draftUpdatedAt });
  const publishedJson = (a: SimAppRecord, w: PublishedWorkflow) =>
    workflowJson(a, w.workflow, { id: w.id, version: w.version, markedName: w.markedName, markedComment: w.markedComment, createdAt: w.createdAt });

  const workflowApp = (raw: string): SimAppRecord => {
    const a = findApp(raw);
    if (!isWorkflowMode(a.source.meta.mode)) throw new DifyHttpError(404, 'app_not_found', 'App mode is not in the supported list');
    return a;
  };

  app.get<{ Params: { app_id: string } }>('/console/api/apps/:app_id/workflows', async (req, reply) => {
    authenticateConsole(req, ctx);
    const a = workflowApp(req.params.app_id);
    const page = intParam(req, 'WorkflowListQuery', 'page', 1, 1, 99999);
    const limit = intParam(req, 'WorkflowListQuery', 'limit', ctx.behaviour.workflowsDefaultLimit, 1, 100);
    const userId = queryParam(req, 'user_id');
    if (userId && userId !== account().id) throw new DifyHttpError(403, 'forbidden', WERKZEUG_MESSAGES.forbidden);
    const namedOnly = boolParam(req, 'named_only');
    // Ordered by version, newest first; the draft row ("draft") sorts first.
    const published = [...a.published].filter((w) => !namedOnly || w.markedName).sort((x, y) => (x.version < y.version ? 1 : -1));
    const rows = [...(namedOnly ? [] : [draftJson(a)]), ...published.map((w) => publishedJson(a, w))];
    const items = rows.slice((page - 1) * limit, page * limit);
    return sendRestx(reply, 200, { items, page, limit, has_more: page * limit < rows.length });
  });

  app.get<{ Params: { app_id: string } }>('/console/api/apps/:app_id/workflows/draft', async (req, reply) => {
    authenticateConsole(req, ctx);
    return sendRestx(reply, 200, draftJson(workflowApp(req.params.app_id)));
  });

  app.post<{ Params: { app_id: string } }>('/console/api/apps/:app_id/workflows/publish', async (req, reply) => {
    authenticateConsole(req, ctx);
    const a = workflowApp(req.params.app_id);
    const body = req.body && Buffer.isBuffer(req.body) && req.body.length > 0 ? readJsonBody(req) : {};
    const now = Date.now();
    a.published.push({
      id: crypto.randomUUID(),
      version: workflowVersionString(now),
      markedName: typeof body.marked_name === 'string' ? body.marked_name : '',
      markedComment: typeof body.marked_comment === 'string' ? body.marked_comment : '',
      createdAt: Math.floor(now / 1000),
      workflow: cloneDsl(a.source.workflow ?? {}),
    });
    return sendRestx(reply, 200, { result: 'success', created_at: Math.floor(now / 1000) });
  });

  app.get<{ Params: { app_id: string } }>('/console/api/apps/:app_id/annotations', async (req, reply) => {
    authenticateConsole(req, ctx);
    const a = findApp(req.params.app_id);
    const page = intParam(req, 'AnnotationListQuery', 'page', 1, 1, 99999);
    const limit = intParam(req, 'AnnotationListQuery', 'limit', 20, 1, 100);
    const keyword = (queryParam(req, 'keyword') ?? '').toLowerCase();
    const all = a.annotations.filter((x) => !keyword || x.question.toLowerCase().includes(keyword) || x.answer.toLowerCase().includes(keyword));
    const data = all.slice((page - 1) * limit, page * limit).map((x) => ({ id: x.id, question: x.question, answer: x.answer, hit_count: x.hitCount, created_at: x.createdAt }));
    // `has_more` is `len(data) == limit`, so a full last page is followed by an empty one.
    return sendRestx(reply, 200, { data, has_more: data.length === limit, limit, total: all.length, page });
  });

  app.get<{ Params: { app_id: string } }>('/console/api/apps/:app_id/annotations/export', async (req, reply) => {
    authenticateConsole(req, ctx);
    const a = findApp(req.params.app_id);
    return sendRestx(reply, 200, { data: a.annotations.map((x) => ({ id: x.id, question: x.question, answer: x.answer, hit_count: x.hitCount, created_at: x.createdAt })) });
  });

  app.get<{ Params: { app_id: string } }>('/console/api/apps/:app_id/annotation-setting', async (req, reply) => {
    authenticateConsole(req, ctx);
    findApp(req.params.app_id);
    return sendRestx(reply, 200, { enabled: false });
  });

  const keyJson = (token: string, a: SimAppRecord) => ({
    id: createHash('sha256').update(token).digest('hex').slice(0, 32).replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5'),
    type: 'app',
    token,
    last_used_at: null,
    created_at: a.createdAt,
  });
  app.get<{ Params: { app_id: string } }>('/console/api/apps/:app_id/api-keys', async (req, reply) => {
    authenticateConsole(req, ctx);
    const a = findApp(req.params.app_id);
    return sendRestx(reply, 200, { data: a.apiKeys.map((k) => keyJson(k, a)) });
  });
  app.post<{ Params: { app_id: string } }>('/console/api/apps/:app_id/api-keys', async (req, reply) => {
    authenticateConsole(req, ctx);
    const a = findApp(req.params.app_id);
    if (a.apiKeys.length >= 10) throw new DifyHttpError(400, 'max_keys_exceeded', 'Cannot create more than 10 API keys for this resource type.');
    const key = generateApiKey();
    a.apiKeys.push(key);
    return sendRestx(reply, 201, keyJson(key, a));
  });
}
