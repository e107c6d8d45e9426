import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { parseJsonBody } from './json-body.js';
import { MEDIA_KINDS, type MediaKind } from './media-library.js';
import type { WechatSimulator } from './simulator.js';
import type { CallbackMode, InteractionTrigger, SimAccountInit, WechatSimCapabilities, WechatSimFault } from './types.js';

const TRIGGERS: readonly InteractionTrigger[] = ['message', 'click', 'subscribe', 'scan', 'unsubscribe', 'other'];
const MODES: readonly CallbackMode[] = ['plain', 'compatible', 'safe'];

/** A bad inspection request: answered 400 with the reason. */
class InspectError extends Error {}

function body(req: FastifyRequest): Record<string, unknown> {
  const raw = req.body as Buffer | undefined;
  if (raw === undefined || raw.length === 0) return {};
  try {
    return parseJsonBody(raw);
  } catch {
    throw new InspectError('the body must be a JSON object');
  }
}

function param(req: FastifyRequest, name: string): string {
  return (req.params as Record<string, string>)[name] ?? '';
}

function queryValue(req: FastifyRequest, name: string): string | undefined {
  const v = (req.query as Record<string, unknown>)[name];
  return typeof v === 'string' ? v : undefined;
}

function optionalString(b: Record<string, unknown>, key: string): string | undefined {
  const v = b[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new InspectError(`${key} must be a string`);
  return v;
}

/**
 * The inspection/control API under `/_sim/` (JSON): accounts, followers and what they received, capabilities,
 * faults, token rotation, follower media, files, calls, publish jobs, platform callbacks, the clock, reset.
 */
export function mountInspectRoutes(app: FastifyInstance, simulator: () => WechatSimulator): void {
  const route = (method: 'GET' | 'POST' | 'DELETE', url: string, handle: (req: FastifyRequest, reply: FastifyReply) => unknown): void => {
    app.route({
      method,
      url,
      handler: async (req, reply) => {
        try {
          const result = await handle(req, reply);
          if (reply.sent) return reply;
          return await reply.code(200).send(result ?? { ok: true });
        } catch (err) {
          const message = err instanceof Error ? err.message : String(err);
          const status = err instanceof InspectError || err instanceof TypeError ? 400 : 500;
          return await reply.code(status).send({ error: message });
        }
      },
    });
  };

  route('GET', '/_sim', () => ({ apiBase: simulator().apiBase, now: simulator().now(), accounts: simulator().accounts() }));
  route('GET', '/_sim/accounts', () => simulator().accounts().map((a) => ({ ...a, capabilities: simulator().capabilities(a.appId) })));
  route('POST', '/_sim/accounts', (req) => simulator().addAccount(body(req) as SimAccountInit));
  route('GET', '/_sim/accounts/:appId/capabilities', (req) => simulator().capabilities(param(req, 'appId')));
  route('POST', '/_sim/accounts/:appId/capabilities', (req) => simulator().setCapability(param(req, 'appId'), body(req) as Partial<WechatSimCapabilities>));
  route('POST', '/_sim/accounts/:appId/callback', (req) => {
    const b = body(req);
    const mode = optionalString(b, 'mode');
    if (mode !== undefined && !MODES.includes(mode as CallbackMode)) throw new InspectError(`mode must be one of ${MODES.join(', ')}`);
    simulator().setCallback(param(req, 'appId'), { ...('url' in b ? { url: optionalString(b, 'url') } : {}), ...(mode ? { mode: mode as CallbackMode } : {}) });
    return { ok: true };
  });
  route('POST', '/_sim/accounts/:appId/rotate-token', (req) => simulator().rotateToken(param(req, 'appId')));

  route('GET', '/_sim/followers', (req) => simulator().followers(queryValue(req, 'appId')));
  route('POST', '/_sim/followers', (req) => {
    const b = body(req);
    const appId = optionalString(b, 'appId');
    const openid = optionalString(b, 'openid');
    return { openid: simulator().addFollower({ ...(appId ? { appId } : {}), ...(openid ? { openid } : {}) }) };
  });
  route('POST', '/_sim/followers/:openid/interactions', (req) => {
    const b = body(req);
    const trigger = (optionalString(b, 'trigger') ?? 'message') as InteractionTrigger;
    if (!TRIGGERS.includes(trigger)) throw new InspectError(`trigger must be one of ${TRIGGERS.join(', ')}`);
    const appId = optionalString(b, 'appId');
    const scene = optionalString(b, 'scene');
    const qrSceneStr = optionalString(b, 'qrSceneStr');
    const qrScene = typeof b.qrScene === 'number' ? b.qrScene : undefined;
    const openid = param(req, 'openid');
    simulator().interact(openid, trigger, {
      ...(appId ? { appId } : {}),
      ...(scene !== undefined ? { scene } : {}),
      ...(qrSceneStr !== undefined ? { qrSceneStr } : {}),
      ...(qrScene !== undefined ? { qrScene } : {}),
    });
    return simulator().followers().find((f) => f.openid === openid);
  });
  route('GET', '/_sim/followers/:openid/received', (req) => {
    const since = queryValue(req, 'since');
    return simulator().received(param(req, 'openid'), since === undefined ? -Infinity : Number(since));
  });

  route('POST', '/_sim/media', (req) => {
    const b = body(req);
    const kind = optionalString(b, 'kind') as MediaKind | undefined;
    if (!kind || !MEDIA_KINDS.includes(kind)) throw new InspectError(`kind must be one of ${MEDIA_KINDS.join(', ')}`);
    const base64 = optionalString(b, 'base64') ?? '';
    const filename = optionalString(b, 'filename') ?? `follower.${kind === 'voice' ? 'amr' : kind === 'video' ? 'mp4' : 'jpg'}`;
    const appId = optionalString(b, 'appId');
    return simulator().storeFollowerMedia({ ...(appId ? { appId } : {}), kind, bytes: Buffer.from(base64, 'base64'), filename });
  });
  route('GET', '/_sim/media/:appId/:mediaId', (req) => {
    const kinds = queryValue(req, 'kinds')?.split(',').filter((k): k is MediaKind => MEDIA_KINDS.includes(k as MediaKind));
    return { exists: simulator().hasMedia(param(req, 'appId'), param(req, 'mediaId'), kinds?.length ? kinds : undefined) };
  });
  const serveFile = (id: string, reply: FastifyReply): unknown => {
    const m = simulator().file(id);
    if (!m) return reply.code(404).send({ error: `no stored file ${id}` });
    return reply.code(200).header('content-type', m.contentType).send(m.bytes);
  };
  route('GET', '/_sim/files/:id', (req, reply) => serveFile(param(req, 'id'), reply));
  // mmbiz-style URLs map onto the simulator: http://mmbiz.qpic.cn/sz_mmbiz_png/ID/0 → /_sim/mmbiz/sz_mmbiz_png/ID/0
  route('GET', '/_sim/mmbiz/:dir/:id/*', (req, reply) => serveFile(param(req, 'id'), reply));

  route('GET', '/_sim/calls', (req) => {
    const appId = queryValue(req, 'appId');
    const path = queryValue(req, 'path');
    return simulator().calls({ ...(appId ? { appId } : {}), ...(path ? { path } : {}) });
  });
  route('GET', '/_sim/faults', () => simulator().faults());
  route('POST', '/_sim/faults', (req) => {
    const b = body(req);
    if (typeof b.errcode !== 'number') throw new InspectError('errcode must be a number');
    simulator().injectFault(b as unknown as WechatSimFault);
    return simulator().faults();
  });
  route('DELETE', '/_sim/faults', () => simulator().clearFaults());
  route('GET', '/_sim/publishes', () => simulator().publishes());
  route('POST', '/_sim/publishes/finish', () => simulator().finishPublishing());
  route('GET', '/_sim/callbacks', () => simulator().callbacks());
  route('GET', '/_sim/clock', () => ({ now: simulator().now() }));
  route('POST', '/_sim/clock/advance', (req) => {
    const ms = body(req).ms;
    if (typeof ms !== 'number') throw new InspectError('ms must be a number');
    return { now: simulator().advanceClock(ms) };
  });
  route('POST', '/_sim/reset', () => simulator().reset());
}
