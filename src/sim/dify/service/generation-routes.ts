import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { planAnswer, type AnswerPlan } from '../answer-plan.js';
import type { AppRuntimeConfig } from '../app-config.js';
import type { SimContext } from '../context.js';
import { blockingMetadata, runChatLike } from '../generation/chat-runner.js';
import { JobDriver } from '../generation/job-driver.js';
import { elapsedSeconds, type GenerationJob } from '../generation/job.js';
import { runGraph } from '../generation/workflow-runner.js';
import { CONVERSATION_NOT_EXISTS, DifyHttpError, invalidParam, notFound } from '../http-errors.js';
import { prepareUserInputs } from '../input-validation.js';
import { sendRestx } from '../reply.js';
import type { ConversationRecord, MessageFileRecord, SimAppRecord } from '../state.js';
import { appUnavailable, authenticateApp, isChatFamily, notChatApp, notWorkflowApp } from './app-auth.js';
import { parseChatPayload, parseRunPayload } from './generation-payloads.js';
import { checkConcurrency, earlyFailure, pickWorkflow } from './generation-preconditions.js';
import { resolveRequestFiles, storeAnswerFiles } from './message-files.js';
import { readJsonBody, userFromBody } from './request-parsing.js';

/**
 * POST /chat-messages, /completion-messages, /workflows/run and the stop endpoints (reference §2–§5), in Dify's
 * order of checks: auth, app state, JSON, user, mode, payload, concurrency, then generation set-up.
 */

function seconds(ms: number): number {
  return Math.floor(ms / 1000);
}

/** A conversation title like Dify's fallback: the query, shortened. */
function conversationTitle(query: string): string {
  const points = Array.from(query.trim());
  return points.length > 50 ? `${points.slice(0, 47).join('')}...` : points.join('');
}

/** Registers the generation endpoints. */
export function registerGenerationRoutes(app: FastifyInstance, ctx: SimContext): void {
  const defaults = () => ({ latencyMs: ctx.options.latencyMs, chunkDelayMs: ctx.options.chunkDelayMs, chunkSize: ctx.options.chunkSize });

  const driver = new JobDriver(ctx);

  function newJob(
    appRec: SimAppRecord,
    runtime: AppRuntimeConfig,
    plan: AnswerPlan,
    fields: Pick<GenerationJob, 'user' | 'query' | 'inputs'> & Partial<GenerationJob>,
  ): GenerationJob {
    const now = Date.now();
    return {
      app: appRec,
      runtime,
      behaviour: ctx.behaviour,
      plan,
      taskId: crypto.randomUUID(),
      messageId: crypto.randomUUID(),
      conversationId: undefined,
      message: undefined,
      createdAt: seconds(now),
      startedMs: now,
      endUserId: ctx.state.endUserId(appRec.id, fields.user),
      workflowRunId: crypto.randomUUID(),
      workflowId: appRec.draftWorkflowId,
      // Files of agent tool steps first (the thought runner hands them out in order), then the answer's own.
      assistantFiles: storeAnswerFiles([...plan.thoughts.flatMap((t) => t.files ?? []), ...plan.files], ctx),
      ...fields,
    };
  }

  function persistMessage(job: GenerationJob, conversation: ConversationRecord | undefined, userFiles: MessageFileRecord[]): void {
    const previous = conversation ? ctx.state.conversationMessages(conversation.id).at(-1) : undefined;
    job.message = {
      id: job.messageId,
      appId: job.app.id,
      conversationId: conversation?.id,
      user: job.user,
      query: job.query,
      answer: '',
      inputs: conversation?.inputs ?? job.inputs,
      createdAt: job.createdAt,
      seq: ctx.state.nextSeq(),
      status: 'normal',
      error: null,
      feedback: null,
      parentMessageId: previous?.id ?? null,
      files: [...userFiles, ...job.assistantFiles],
      agentThoughts: [],
    };
    ctx.state.messages.set(job.messageId, job.message);
  }

  // ---- chat-messages -------------------------------------------------------------------------------------------
  app.post('/v1/chat-messages', async (req, reply) => {
    const call = ctx.calls.of(req);
    call.kind = 'generation';
    const appRec = authenticateApp(req, ctx);
    const body = readJsonBody(req);
    const user = userFromBody(body, true);
    call.user = user;
    if (!isChatFamily(appRec)) throw notChatApp();
    const p = parseChatPayload(body);
    call.query = p.query;
    call.responseMode = p.responseMode;
    if (p.conversationId) call.conversation = p.conversationId;
    checkConcurrency(ctx, appRec);
    const b = ctx.behaviour;
    const mode = appRec.source.meta.mode;
    const published = mode === 'advanced-chat' ? pickWorkflow(appRec, p.workflowId) : undefined;
    const runtime = ctx.runtimeFor(appRec, published);
    if (runtime.isAgent && p.responseMode !== 'streaming') throw invalidParam('Agent Chat App does not support blocking mode');

    let conversation: ConversationRecord | undefined;
    let inputs: Record<string, unknown> = {};
    let userFiles: MessageFileRecord[] = [];
    let conversationMissing = false;
    const setUp = () => {
      if (!p.query) throw invalidParam('query is required');
      if (p.conversationId) {
        conversation = ctx.state.ownedConversation(appRec.id, user, p.conversationId);
        if (!conversation) {
          conversationMissing = true;
          throw notFound(CONVERSATION_NOT_EXISTS);
        }
      }
      inputs = prepareUserInputs(runtime.inputs, p.inputs, mode === 'advanced-chat');
      userFiles = resolveRequestFiles(p.files, runtime.fileUpload, ctx, appRec, user);
    };
    const chatflowStreaming = mode === 'advanced-chat' && p.responseMode === 'streaming';
    if (chatflowStreaming && (b.chatflowSetupErrors === 'hang' || b.chatflowBadConversation === 'hang')) {
      // The eager conversation check of later versions answers 404 before the Celery task starts.
      if (p.conversationId && b.chatflowBadConversation === 'not_found' && !ctx.state.ownedConversation(appRec.id, user, p.conversationId)) {
        throw notFound(CONVERSATION_NOT_EXISTS);
      }
      try {
        setUp();
      } catch (e) {
        const hangs = conversationMissing ? b.chatflowBadConversation === 'hang' : b.chatflowSetupErrors === 'hang';
        if (e instanceof DifyHttpError && hangs) {
          await driver.hangChatflow(req, reply);
          return undefined;
        }
        throw e;
      }
    } else {
      setUp();
    }

    const plan = planAnswer(appRec.script, { query: p.query, inputs: p.inputs, user, conversationId: p.conversationId, appId: appRec.id }, p.query, defaults());
    const early = earlyFailure(ctx, appRec, plan, reply);
    if (early) return early;

    const job = newJob(appRec, runtime, plan, { user, query: p.query, inputs });
    if (published) job.workflowId = published.id;
    if (!conversation) {
      conversation = {
        id: crypto.randomUUID(),
        appId: appRec.id,
        user,
        inputs,
        name: p.autoGenerateName ? conversationTitle(p.query) : 'New conversation',
        introduction: runtime.openingStatement ?? '',
        createdAt: job.createdAt,
        updatedAt: job.createdAt,
        createdSeq: ctx.state.nextSeq(),
        updatedSeq: ctx.state.nextSeq(),
        deleted: false,
      };
      ctx.state.conversations.set(conversation.id, conversation);
    } else {
      conversation.updatedAt = job.createdAt;
      conversation.updatedSeq = ctx.state.nextSeq();
    }
    // Inputs are frozen per conversation: later turns run with the first turn's values.
    job.inputs = conversation.inputs;
    job.conversationId = conversation.id;
    call.conversation = conversation.id;
    persistMessage(job, conversation, userFiles);

    const kind = runtime.isAgent ? 'agent' : 'chat';
    const chatMode = mode === 'advanced-chat' ? 'advanced-chat' : 'chat';
    return driver.run(
      req,
      reply,
      job,
      p.responseMode === 'streaming',
      mode === 'advanced-chat' && b.pingFirstFrame,
      (io) => (mode === 'advanced-chat' ? runGraph(job, io, 'chatflow') : runChatLike(job, io, kind)),
      {
        finished: (o) => ({
          event: 'message',
          task_id: job.taskId,
          id: job.messageId,
          message_id: job.messageId,
          conversation_id: job.conversationId,
          mode: chatMode,
          answer: o.answer,
          metadata: blockingMetadata(job, mode !== 'advanced-chat'),
          created_at: job.createdAt,
        }),
        failed: (o) => {
          throw new DifyHttpError(o.error.status, o.error.code, o.error.message);
        },
      },
    );
  });

  // ---- completion-messages -------------------------------------------------------------------------------------
  app.post('/v1/completion-messages', async (req, reply) => {
    const call = ctx.calls.of(req);
    call.kind = 'generation';
    const appRec = authenticateApp(req, ctx);
    const body = readJsonBody(req);
    const user = userFromBody(body, true);
    call.user = user;
    if (appRec.source.meta.mode !== 'completion') throw appUnavailable();
    const { inputs: givenInputs, query, responseMode, files: rawFiles } = parseRunPayload('CompletionRequestPayload', body);
    call.responseMode = responseMode;
    checkConcurrency(ctx, appRec);
    const runtime = ctx.runtimeFor(appRec);
    const inputs = prepareUserInputs(runtime.inputs, givenInputs, false);
    const userFiles = resolveRequestFiles(rawFiles, runtime.fileUpload, ctx, appRec, user);
    const text = typeof inputs.query === 'string' && inputs.query ? inputs.query : query;
    call.query = text;
    const echo = text || JSON.stringify(inputs);
    const plan = planAnswer(appRec.script, { query: text, inputs: givenInputs, user, conversationId: undefined, appId: appRec.id }, echo, defaults());
    const early = earlyFailure(ctx, appRec, plan, reply);
    if (early) return early;
    const job = newJob(appRec, runtime, plan, { user, query, inputs });
    persistMessage(job, undefined, userFiles);
    return driver.run(req, reply, job, responseMode === 'streaming', false, (io) => runChatLike(job, io, 'completion'), {
      finished: (o) => ({
        event: 'message',
        task_id: job.taskId,
        id: job.messageId,
        message_id: job.messageId,
        mode: 'completion',
        answer: o.answer,
        metadata: blockingMetadata(job, false),
        created_at: job.createdAt,
      }),
      failed: (o) => {
        throw new DifyHttpError(o.error.status, o.error.code, o.error.message);
      },
    });
  });

  // ---- workflows/run -------------------------------------------------------------------------------------------
  const runWorkflow = async (req: FastifyRequest, reply: FastifyReply, pinnedId: string | undefined) => {
    const call = ctx.calls.of(req);
    call.kind = 'generation';
    const appRec = authenticateApp(req, ctx);
    const body = readJsonBody(req);
    const user = userFromBody(body, true);
    call.user = user;
    if (appRec.source.meta.mode !== 'workflow') throw notWorkflowApp();
    const { inputs: givenInputs, responseMode, files: rawFiles } = parseRunPayload('WorkflowRunPayload', body);
    call.responseMode = responseMode;
    checkConcurrency(ctx, appRec);
    const published = pickWorkflow(appRec, pinnedId);
    const runtime = ctx.runtimeFor(appRec, published);
    const inputs = prepareUserInputs(runtime.inputs, givenInputs, true);
    resolveRequestFiles(rawFiles, runtime.fileUpload, ctx, appRec, user);
    const firstText = runtime.inputs.map((v) => inputs[v.variable]).find((v): v is string => typeof v === 'string' && v !== '');
    call.query = firstText;
    const echo = firstText ?? JSON.stringify(inputs);
    const plan = planAnswer(appRec.script, { query: firstText ?? '', inputs: givenInputs, user, conversationId: undefined, appId: appRec.id }, echo, defaults());
    const early = earlyFailure(ctx, appRec, plan, reply);
    if (early) return early;
    const job = newJob(appRec, runtime, plan, { user, query: firstText ?? '', inputs });
    job.workflowId = published.id;
    const run = {
      id: job.workflowRunId,
      appId: appRec.id,
      workflowId: published.id,
      status: 'running' as 'running' | 'succeeded' | 'failed' | 'stopped',
      inputs,
      outputs: null as Record<string, unknown> | null,
      error: null as string | null,
      totalSteps: runtime.nodes.length,
      totalTokens: plan.promptTokens + plan.completionTokens,
      createdAt: job.createdAt,
      finishedAt: null as number | null,
      elapsedTime: 0,
    };
    ctx.state.workflowRuns.set(run.id, run);
    const data = (status: string, outputs: Record<string, unknown>, error: string | null) => ({
      id: job.workflowRunId,
      workflow_id: job.workflowId,
      status,
      outputs,
      error,
      elapsed_time: elapsedSeconds(job),
      total_tokens: run.totalTokens,
      total_steps: run.totalSteps,
      created_at: job.createdAt,
      finished_at: seconds(Date.now()),
    });
    return driver.run(
      req,
      reply,
      job,
      responseMode === 'streaming',
      ctx.behaviour.pingFirstFrame,
      async (io) => {
        const outcome = await runGraph(job, io, 'workflow');
        run.finishedAt = seconds(Date.now());
        run.elapsedTime = elapsedSeconds(job);
        if (outcome.kind === 'finished') {
          run.status = outcome.stopped ? 'stopped' : 'succeeded';
          run.outputs = outcome.outputs ?? {};
        } else if (outcome.kind === 'failed') {
          run.status = 'failed';
          run.error = outcome.error.message;
        }
        return outcome;
      },
      {
        finished: (o) => ({
          task_id: job.taskId,
          workflow_run_id: job.workflowRunId,
          data: data(o.stopped ? 'stopped' : 'succeeded', o.outputs ?? {}, null),
        }),
        failed: (o) => {
          if (!o.workflowFailed) throw new DifyHttpError(o.error.status, o.error.code, o.error.message);
          return { task_id: job.taskId, workflow_run_id: job.workflowRunId, data: data('failed', {}, o.error.message) };
        },
      },
    );
  };
  app.post('/v1/workflows/run', (req, reply) => runWorkflow(req, reply, undefined));
  app.post<{ Params: { workflow_id: string } }>('/v1/workflows/:workflow_id/run', (req, reply) => runWorkflow(req, reply, req.params.workflow_id));

  app.get<{ Params: { run_id: string } }>('/v1/workflows/run/:run_id', async (req, reply) => {
    const appRec = authenticateApp(req, ctx);
    if (appRec.source.meta.mode !== 'workflow') throw notWorkflowApp();
    const run = ctx.state.workflowRuns.get(req.params.run_id);
    if (!run || run.appId !== appRec.id) throw notFound('Workflow run not found.');
    return sendRestx(reply, 200, {
      id: run.id,
      workflow_id: run.workflowId,
      status: run.status,
      inputs: run.inputs,
      outputs: run.outputs,
      error: run.error,
      total_steps: run.totalSteps,
      total_tokens: run.totalTokens,
      created_at: run.createdAt,
      finished_at: run.finishedAt,
      elapsed_time: run.elapsedTime,
    });
  });

  // ---- stop ----------------------------------------------------------------------------------------------------
  const stopTask = (appId: string, taskId: string, user: string | undefined) => {
    const task = ctx.state.tasks.get(taskId);
    // Always "success": an unknown task or another user's task is a silent no-op.
    if (task && task.appId === appId && (user === undefined || task.user === user)) task.stop.abort();
  };
  app.post<{ Params: { task_id: string } }>('/v1/chat-messages/:task_id/stop', async (req, reply) => {
    const appRec = authenticateApp(req, ctx);
    const user = userFromBody(readJsonBody(req), true);
    if (!isChatFamily(appRec)) throw notChatApp();
    stopTask(appRec.id, req.params.task_id, user);
    return sendRestx(reply, 200, { result: 'success' });
  });
  app.post<{ Params: { task_id: string } }>('/v1/completion-messages/:task_id/stop', async (req, reply) => {
    const appRec = authenticateApp(req, ctx);
    const user = userFromBody(readJsonBody(req), true);
    if (appRec.source.meta.mode !== 'completion') throw appUnavailable();
    stopTask(appRec.id, req.params.task_id, user);
    return sendRestx(reply, 200, { result: 'success' });
  });
  app.post<{ Params: { task_id: string } }>('/v1/workflows/tasks/:task_id/stop', async (req, reply) => {
    const appRec = authenticateApp(req, ctx);
    userFromBody(readJsonBody(req), true);
    if (appRec.source.meta.mode !== 'workflow') throw notWorkflowApp();
    // The workflow stop does not check the user.
    stopTask(appRec.id, req.params.task_id, undefined);
    return sendRestx(reply, 200, { result: 'success' });
  });
}
