import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { DifyBehaviourOverrides, DifySimulator, ExportFailure, ScriptRule, SimAppInit, SimCallFilter } from './types.js';

/**
 * The inspection/control API under `/_sim/` (JSON), mirroring the programmatic handle so a simulator started from
 * the CLI can be driven by tests in another process.
 */

function body(req: FastifyRequest): Record<string, unknown> {
  if (!Buffer.isBuffer(req.body) || req.body.length === 0) return {};
  const parsed: unknown = JSON.parse(req.body.toString('utf8'));
  return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
}

function appParam(req: FastifyRequest): string {
  return (req.params as { app: string }).app;
}

function send(reply: FastifyReply, status: number, value: unknown): FastifyReply {
  return reply.code(status).header('Content-Type', 'application/json').send(JSON.stringify(value));
}

function fail(reply: FastifyReply, status: number, message: string): FastifyReply {
  return send(reply, status, { error: message });
}

/** Registers `/_sim/*` against a simulator handle. */
export function registerControlRoutes(app: FastifyInstance, sim: DifySimulator): void {
  const guard =
    (handler: (req: FastifyRequest, reply: FastifyReply) => FastifyReply | Promise<FastifyReply>) =>
    async (req: FastifyRequest, reply: FastifyReply) => {
      try {
        return await handler(req, reply);
      } catch (e) {
        return fail(reply, 400, e instanceof Error ? e.message : String(e));
      }
    };

  const summary = () => ({
    version: sim.version,
    behaviour: sim.behaviour(),
    serviceBase: sim.serviceBase,
    consoleBase: sim.consoleBase,
    credentials: sim.credentials,
    adminApiKey: sim.adminApiKey ?? null,
    workspaceId: sim.workspaceId,
    apps: sim.apps,
  });

  app.get('/_sim/', guard((_req, reply) => send(reply, 200, summary())));
  app.get('/_sim/apps', guard((_req, reply) => send(reply, 200, sim.apps)));
  app.post('/_sim/apps', guard((req, reply) => send(reply, 201, sim.addApp(body(req) as unknown as SimAppInit))));
  app.post(
    '/_sim/apps/seed',
    guard((req, reply) => {
      const count = Number(body(req).count);
      return send(reply, 201, sim.seedApps(count));
    }),
  );
  app.put(
    '/_sim/apps/:app/script',
    guard((req, reply) => {
      const b = body(req);
      const rules = (Array.isArray(b.rules) ? b.rules : [b]) as ScriptRule[];
      sim.script(appParam(req), rules);
      return send(reply, 200, { ok: true, rules: rules.length });
    }),
  );
  app.delete(
    '/_sim/apps/:app/script',
    guard((req, reply) => {
      sim.script(appParam(req), []);
      return send(reply, 200, { ok: true });
    }),
  );
  app.put(
    '/_sim/apps/:app/export-failure',
    guard((req, reply) => {
      const failure = body(req).failure;
      const id = sim.app(appParam(req))?.id;
      if (!id) return fail(reply, 404, `no app ${appParam(req)}`);
      sim.failExport(id, failure === null || failure === false || failure === undefined ? false : (failure as ExportFailure));
      return send(reply, 200, { ok: true });
    }),
  );
  app.get(
    '/_sim/calls',
    guard((req, reply) => {
      const q = req.query as Record<string, string | undefined>;
      const filter: SimCallFilter = {};
      if (q.api) filter.api = q.api as SimCallFilter['api'];
      if (q.method) filter.method = q.method;
      if (q.path) filter.path = q.path;
      if (q.app) filter.app = q.app;
      if (q.user) filter.user = q.user;
      if (q.conversation) filter.conversation = q.conversation;
      if (q.kind) filter.kind = q.kind as SimCallFilter['kind'];
      if (q.since) filter.since = Number(q.since);
      return send(reply, 200, sim.calls(filter));
    }),
  );
  app.delete(
    '/_sim/calls',
    guard((_req, reply) => {
      sim.clearCalls();
      return send(reply, 200, { ok: true });
    }),
  );
  app.put(
    '/_sim/version',
    guard((req, reply) => {
      const b = body(req);
      sim.setVersion(String(b.version), (b.behaviour ?? {}) as DifyBehaviourOverrides);
      return send(reply, 200, summary());
    }),
  );
  app.post(
    '/_sim/reset',
    guard((_req, reply) => {
      sim.reset();
      return send(reply, 200, summary());
    }),
  );
  app.put(
    '/_sim/console',
    guard((req, reply) => {
      const b = body(req);
      if (b.latencyMs !== undefined) sim.setConsoleLatency(Number(b.latencyMs));
      if (b.expireTokens === true) sim.expireConsoleTokens();
      return send(reply, 200, { ok: true });
    }),
  );
}
