import type { FastifyRequest } from 'fastify';
import type { SimContext } from '../context.js';
import { DifyHttpError } from '../http-errors.js';
import type { SimAppRecord } from '../state.js';

/** `validate_app_token`: the app key check and the app state check (reference §1). */

const WWW_AUTHENTICATE = { 'WWW-Authenticate': 'Bearer realm="api"' };

function unauthorized(message: string): DifyHttpError {
  return new DifyHttpError(401, 'unauthorized', message, { headers: WWW_AUTHENTICATE });
}

/** The app of the request's `Authorization: Bearer app-…`; throws 401 or 403 as Dify does. */
export function authenticateApp(req: FastifyRequest, ctx: SimContext): SimAppRecord {
  const header = req.headers.authorization;
  const space = header?.indexOf(' ') ?? -1;
  if (!header || space < 0) throw unauthorized("Authorization header must be provided and start with 'Bearer'");
  const scheme = header.slice(0, space);
  const token = header.slice(space + 1).trim();
  if (scheme.toLowerCase() !== 'bearer') throw unauthorized("Authorization scheme must be 'Bearer'");
  const app = ctx.state.appByKey(token);
  if (!app) throw unauthorized('Access token is invalid');
  if (app.status === 'deleted') throw new DifyHttpError(403, 'forbidden', 'The app no longer exists.');
  if (app.status === 'api-disabled') throw new DifyHttpError(403, 'forbidden', "The app's API service has been disabled.");
  ctx.calls.of(req).app = app.id;
  return app;
}

/** 400 `not_chat_app`. */
export function notChatApp(): DifyHttpError {
  return new DifyHttpError(400, 'not_chat_app', 'Please check if your app mode matches the right API route.');
}

/** 400 `not_workflow_app`. */
export function notWorkflowApp(): DifyHttpError {
  return new DifyHttpError(400, 'not_workflow_app', 'Please check if your app mode matches the right API route.');
}

/** 400 `app_unavailable`. */
export function appUnavailable(): DifyHttpError {
  return new DifyHttpError(400, 'app_unavailable', 'App unavailable, please check your app configurations.');
}

/** Whether an app is of the chat family (chat, agent-chat, advanced-chat). */
export function isChatFamily(app: SimAppRecord): boolean {
  const m = app.source.meta.mode;
  return m === 'chat' || m === 'agent-chat' || m === 'advanced-chat';
}
