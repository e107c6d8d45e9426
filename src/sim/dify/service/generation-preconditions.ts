import type { FastifyReply } from 'fastify';
import type { AnswerPlan } from '../answer-plan.js';
import type { SimContext } from '../context.js';
import { DifyHttpError, internalServerError, invalidParam, notFound } from '../http-errors.js';
import { sendBadGateway } from '../reply.js';
import type { PublishedWorkflow, SimAppRecord } from '../state.js';
import { canonicalUuid, isUuid } from './request-parsing.js';

/** What must hold before a generation starts: the concurrency limit, a published workflow, scripted early failures. */

/** The per-app concurrency error: 400 invalid_param on stock Dify, 429 too_many_requests where configured. */
export function concurrencyError(ctx: SimContext, app: SimAppRecord): DifyHttpError {
  const limit = app.maxActiveRequests || 1;
  const message = `Too many requests. Please try again later. The current maximum concurrent requests allowed for ${app.id} is ${limit}.`;
  return ctx.behaviour.concurrencyLimitStatus === 429 ? new DifyHttpError(429, 'too_many_requests', message) : invalidParam(message);
}

/** Throws the concurrency error when the app's in-flight generations are at its limit. */
export function checkConcurrency(ctx: SimContext, app: SimAppRecord): void {
  if (app.maxActiveRequests > 0 && app.active >= app.maxActiveRequests) throw concurrencyError(ctx, app);
}

/** The published workflow a call runs: pinned by `workflow_id`, else the newest. */
export function pickWorkflow(app: SimAppRecord, workflowId: string | undefined): PublishedWorkflow {
  if (workflowId === undefined || workflowId === '') {
    const latest = app.published.at(-1);
    if (!latest) throw invalidParam('Workflow not published');
    return latest;
  }
  if (!isUuid(workflowId)) throw new DifyHttpError(400, 'bad_request', `Invalid workflow_id format: '${workflowId}'. Please provide a valid UUID.`);
  const id = canonicalUuid(workflowId);
  if (id === app.draftWorkflowId) {
    throw new DifyHttpError(400, 'bad_request', 'Cannot use draft workflow version. Workflow ID: ' + id + '. Please use a published workflow version or leave workflow_id empty.');
  }
  const wf = app.published.find((w) => w.id === id);
  if (!wf) throw notFound(`Workflow not found with id: ${id}`);
  return wf;
}

/** Scripted failures that happen before any generation: 5xx, the concurrency error, a proxy's 502. */
export function earlyFailure(ctx: SimContext, app: SimAppRecord, plan: AnswerPlan, reply: FastifyReply): FastifyReply | undefined {
  if (plan.fail === '5xx') throw internalServerError();
  if (plan.fail === 'rate-limit') throw concurrencyError(ctx, app);
  if (plan.fail === 'bad-gateway') return sendBadGateway(reply);
  return undefined;
}

