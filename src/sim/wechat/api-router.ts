import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AccountState } from './account-state.js';
import { ERRMSG, STALE_TOKEN_ERRMSG, SimApiError, ipNotWhitelistedErrmsg, refuse } from './api-errors.js';
import { newRid } from './ids.js';
import { parseJsonBody } from './json-body.js';
import type { UploadedFile } from './media-library.js';
import type { SimState } from './sim-state.js';

/** WeChat answers JSON with this exact Content-Type (reference §9). */
export const WECHAT_JSON_CONTENT_TYPE = 'application/json; encoding=utf-8';
/** Uploads are read up to this size, so oversize files are seen whole enough to be refused by limit. */
const MULTIPART_CAP_BYTES = 32 * 1024 * 1024;

/** A file answer (media/get, get_material) instead of JSON. */
export class BinaryAnswer {
  constructor(
    readonly bytes: Buffer,
    readonly contentType: string,
    readonly filename: string,
  ) {}
}

/** One API request as a handler sees it. */
export class ApiCall {
  /** The caller's account: set by token auth, or by a token endpoint once credentials check out. */
  account!: AccountState;
  /** Who the call is attributed to in the call log. */
  appId: string | undefined;
  /** The platform clock when the call arrived. */
  readonly now: number;
  private parsed: Record<string, unknown> | undefined;

  constructor(
    readonly req: FastifyRequest,
    readonly state: SimState,
    readonly path: string,
  ) {
    this.now = state.now();
  }

  /** A query-string parameter. */
  query(name: string): string | undefined {
    const v = (this.req.query as Record<string, unknown>)[name];
    return typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : undefined;
  }

  /** The JSON body (44002 empty, 47001 malformed). */
  json(): Record<string, unknown> {
    this.parsed ??= parseJsonBody(this.req.body as Buffer | undefined);
    return this.parsed;
  }

  /** The JSON body if it parses, else undefined (to attribute a call before validating it). */
  jsonIfAny(): Record<string, unknown> | undefined {
    try {
      return this.json();
    } catch {
      return undefined;
    }
  }

  /** Enters an account after its credentials were checked: IP whitelist (40164), then the daily quota (45009). */
  enter(account: AccountState): void {
    this.account = account;
    this.appId = account.account.appId;
    if (account.capabilities.ipWhitelist) refuse(40164, ipNotWhitelistedErrmsg(this.req.ip));
    if (!this.state.quotas.take(this.appId, this.path, this.now)) refuse(45009);
  }

  /** The multipart `media` file and the text fields (41005 when the request is not multipart). */
  async multipart(): Promise<{ file: UploadedFile | undefined; fields: Record<string, string> }> {
    if (!this.req.isMultipart()) refuse(41005);
    const fields: Record<string, string> = {};
    let file: UploadedFile | undefined;
    try {
      for await (const part of this.req.parts({ limits: { fileSize: MULTIPART_CAP_BYTES } })) {
        if (part.type === 'file') {
          const bytes = await part.toBuffer();
          if (part.fieldname === 'media' && !file) {
            file = { filename: part.filename, contentType: part.mimetype, bytes, truncated: part.file.truncated };
          }
        } else if (typeof part.value === 'string') {
          fields[part.fieldname] = part.value;
        }
      }
    } catch {
      refuse(41005);
    }
    return { file, fields };
  }
}

/** An API endpoint of the simulated platform. */
export interface ApiRoute {
  /** `POST` endpoints answer 43002 to other methods; `ANY` accepts GET and POST. */
  method: 'GET' | 'POST' | 'ANY';
  path: string;
  /** `token` = a business API authenticated by `access_token`; `none` = the handler authenticates (token endpoints). */
  auth: 'token' | 'none';
  /** Unverified accounts get 48001 (客服, freepublish, jssdk media). */
  verifiedOnly?: boolean;
  handler(call: ApiCall): unknown;
}

function sendJson(reply: FastifyReply, body: unknown): FastifyReply {
  // A Buffer, so fastify leaves WeChat's exact Content-Type alone (it would add a charset to a string body).
  return reply.code(200).header('content-type', WECHAT_JSON_CONTENT_TYPE).send(Buffer.from(JSON.stringify(body), 'utf8'));
}

/** The error envelope: HTTP 200, `{errcode, errmsg}` with the ` rid: …` suffix (reference §9). */
export function errorEnvelope(errcode: number, errmsg: string, nowMs: number): { errcode: number; errmsg: string } {
  return { errcode, errmsg: `${errmsg} rid: ${newRid(nowMs)}` };
}

function faultError(call: ApiCall, errcode: number, errmsg: string | undefined): SimApiError {
  if (errmsg !== undefined) return new SimApiError(errcode, errmsg);
  if (errcode === 40164) return new SimApiError(errcode, ipNotWhitelistedErrmsg(call.req.ip));
  if (errcode === 40001 && call.path !== '/cgi-bin/token' && call.path !== '/cgi-bin/stable_token') return new SimApiError(errcode, STALE_TOKEN_ERRMSG);
  return new SimApiError(errcode, ERRMSG[errcode] ?? 'system error');
}

/** The account hint of a call before it is authenticated (for fault matching and the call log). */
function claimedAppId(call: ApiCall, route: ApiRoute): string | undefined {
  if (route.auth === 'token') return call.state.tokens.ownerOf(call.query('access_token'));
  const fromBody = call.req.method === 'POST' ? call.jsonIfAny()?.appid : undefined;
  const claimed = call.query('appid') ?? (typeof fromBody === 'string' ? fromBody : undefined);
  return claimed !== undefined && call.state.accounts.has(claimed) ? claimed : undefined;
}

async function run(route: ApiRoute, call: ApiCall): Promise<unknown> {
  if (route.method === 'POST' && call.req.method !== 'POST') refuse(43002);
  call.appId = claimedAppId(call, route);
  const fault = call.state.faults.take(route.path, call.appId);
  if (fault) throw faultError(call, fault.errcode, fault.errmsg);
  if (route.auth === 'token') {
    const check = call.state.tokens.check(call.query('access_token'), call.now);
    if (!check.ok) refuse(check.errcode, check.errcode === 40001 ? STALE_TOKEN_ERRMSG : undefined);
    const account = call.state.accounts.get(check.appId);
    if (!account) refuse(40001, STALE_TOKEN_ERRMSG);
    call.enter(account);
    if (route.verifiedOnly && !account.capabilities.verified) refuse(48001);
  }
  return route.handler(call);
}

/** Mounts API routes: envelope, token auth, faults, IP whitelist, quotas and the call log around each handler. */
export function mountApiRoutes(app: FastifyInstance, state: SimState, routes: readonly ApiRoute[]): void {
  for (const route of routes) {
    const handler = async (req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
      const call = new ApiCall(req, state, route.path);
      let errcode = 0;
      try {
        const result = await run(route, call);
        if (result instanceof BinaryAnswer) {
          return await reply
            .code(200)
            .header('content-type', result.contentType)
            .header('content-disposition', `attachment; filename="${result.filename}"`)
            .send(result.bytes);
        }
        const body = result as Record<string, unknown>;
        if (typeof body.errcode === 'number') errcode = body.errcode;
        return await sendJson(reply, body);
      } catch (err) {
        const e = err instanceof SimApiError ? err : new SimApiError(-1);
        if (!(err instanceof SimApiError)) state.settings.logger?.error({ err, path: route.path }, 'wechat simulator: handler failed');
        errcode = e.errcode;
        return await sendJson(reply, errorEnvelope(e.errcode, e.errmsg, call.now));
      } finally {
        state.record({ method: req.method, path: route.path, ...(call.appId !== undefined ? { appId: call.appId } : {}), at: call.now, errcode });
        state.settings.logger?.debug({ path: route.path, appId: call.appId, errcode }, 'wechat simulator: api call');
      }
    };
    // Every endpoint is reachable by GET and POST so that a POST-only one can answer 43002 like WeChat does.
    app.route({ method: ['GET', 'POST'], url: route.path, handler });
  }
}
