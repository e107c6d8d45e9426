import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import Fastify, { type FastifyError } from 'fastify';
import { pino } from 'pino';
import { buildAppRecord, generateApiKey, generatedAppInit, randomToken } from './app-factory.js';
import { CallLog } from './call-log.js';
import { registerConsoleAppRoutes } from './console/app-routes.js';
import { registerConsoleAuthRoutes } from './console/console-auth.js';
import { ConsoleState } from './console/console-state.js';
import { registerImportRoutes } from './console/import-routes.js';
import { registerWorkspaceRoutes } from './console/workspace-routes.js';
import { SimContext, type ResolvedOptions } from './context.js';
import { registerControlRoutes } from './control-routes.js';
import { APP_MODES, isAppMode } from './dsl.js';
import { registerFileServingRoutes } from './file-serving-routes.js';
import { DEFAULT_UPLOAD_LIMITS_MB } from './file-rules.js';
import { DifyHttpError, internalServerError, WERKZEUG_MESSAGES } from './http-errors.js';
import { isDifyHttpError, sendDifyError } from './reply.js';
import { methodsForPath, RULE_STRINGS } from './route-rules.js';
import { registerAppInfoRoutes } from './service/app-info-routes.js';
import { registerConversationRoutes } from './service/conversation-routes.js';
import { registerFileRoutes } from './service/file-routes.js';
import { registerGenerationRoutes } from './service/generation-routes.js';
import { canonicalUuid, isUuid } from './service/request-parsing.js';
import { SimState, type SeededApp, type SimAppRecord } from './state.js';
import type { DifySimulator, DifySimulatorOptions, ExportFailure, ScriptRule, SimAppInfo, SimAppInit, SimCallFilter } from './types.js';
import { difyBehaviour, LATEST_DIFY_VERSION, type DifyBehaviour } from './version-profile.js';

/** Dify's request bodies are capped by nginx at 100 MB; the simulator accepts a little more so its own checks answer. */
const BODY_LIMIT = 110 * 1024 * 1024;

function nonNegative(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0) throw new TypeError(`Dify simulator: option ${name} must be a non-negative number, got ${value}`);
  return value;
}

function resolveOptions(o: DifySimulatorOptions): ResolvedOptions {
  return {
    latencyMs: nonNegative('latencyMs', o.latencyMs, 0),
    chunkDelayMs: nonNegative('chunkDelayMs', o.chunkDelayMs, 0),
    chunkSize: Math.max(1, nonNegative('chunkSize', o.chunkSize, 4)),
    pingIntervalMs: nonNegative('pingIntervalMs', o.pingIntervalMs, 10_000),
    hangCloseMs: nonNegative('hangCloseMs', o.hangCloseMs, 300_000),
    account: {
      email: o.account?.email ?? 'admin@mpgate.local',
      password: o.account?.password ?? 'mpgate-sim-Passw0rd',
      name: o.account?.name ?? 'Simulated Admin',
    },
    accountStatus: o.accountStatus ?? 'active',
    adminApiKey: o.adminApiKey === false ? undefined : (o.adminApiKey ?? `sim-admin-${randomToken(32)}`),
    secureCookies: o.secureCookies ?? false,
    cookieDomain: o.cookieDomain,
    passwordLoginEnabled: o.passwordLoginEnabled ?? true,
    loginMaxErrors: nonNegative('loginMaxErrors', o.loginMaxErrors, 5),
    loginLockoutMs: nonNegative('loginLockoutMs', o.loginLockoutMs, 86_400_000),
    accessTokenTtlMs: nonNegative('accessTokenTtlMs', o.accessTokenTtlMs, 3_600_000),
    importConfirmTtlMs: nonNegative('importConfirmTtlMs', o.importConfirmTtlMs, 600_000),
    installedPlugins: o.installedPlugins ?? ['langgenius/openai', 'langgenius/time'],
    filesUrl: o.filesUrl,
    uploadLimits: { ...DEFAULT_UPLOAD_LIMITS_MB, ...o.uploadLimitsMb },
  };
}

function appInfo(a: SimAppRecord): SimAppInfo {
  return { id: a.id, name: a.source.meta.name, mode: a.source.meta.mode, apiKey: a.apiKeys[0] ?? '' };
}

/** Starts a Dify simulator: the Service API, the Console API and the `/_sim/` control API on one port. */
export async function startDifySimulator(options: DifySimulatorOptions = {}): Promise<DifySimulator> {
  const host = options.host ?? '127.0.0.1';
  const baseOverrides = options.behaviour ?? {};
  const resolved = resolveOptions(options);
  const logger = options.logger ?? pino({ level: 'silent' });
  const nowSec = Math.floor(Date.now() / 1000);
  const consoleState = new ConsoleState(
    { id: crypto.randomUUID(), email: resolved.account.email, password: resolved.account.password, name: resolved.account.name },
    { id: crypto.randomUUID(), name: "Simulated Admin's Workspace", createdAt: nowSec - 86_400 },
  );
  const state = new SimState();
  const calls = new CallLog();
  const ctx = new SimContext(state, consoleState, calls, resolved, difyBehaviour(options.version ?? LATEST_DIFY_VERSION, baseOverrides), randomBytes(32).toString('hex'), logger);

  // ---- apps ----
  const seeded: SeededApp[] = [];
  let generated = 0;
  const addRecord = (init: SimAppInit, at: number): SimAppRecord => {
    if (!isAppMode(init.mode)) throw new TypeError(`Dify simulator: app mode must be one of ${APP_MODES.join(', ')}, got ${String(init.mode)}`);
    const id = init.id === undefined ? crypto.randomUUID() : isUuid(init.id) ? canonicalUuid(init.id) : undefined;
    if (!id) throw new TypeError(`Dify simulator: app id ${init.id} is not a UUID (Dify routes app ids as UUIDs)`);
    if (state.apps.has(id)) throw new TypeError(`Dify simulator: an app with id ${id} already exists`);
    const apiKey = init.apiKey ?? generateApiKey();
    if (state.appByKey(apiKey)) throw new TypeError('Dify simulator: that API key is already used by another app');
    const rec = buildAppRecord({ ...init, id, apiKey }, at, state.nextSeq());
    state.apps.set(rec.id, rec);
    return rec;
  };
  const initialInits: SimAppInit[] =
    options.apps === undefined
      ? APP_MODES.map((mode) => ({ mode }))
      : Array.isArray(options.apps)
        ? options.apps
        : Array.from({ length: options.apps.count }, (_, i) => generatedAppInit(i + 1));
  if (!Array.isArray(options.apps) && options.apps !== undefined) generated = options.apps.count;
  const startMs = Date.now();
  for (const [i, init] of initialInits.entries()) {
    // Older apps first, one second apart, so the console's "created_at desc" order is stable.
    const at = startMs - (initialInits.length - i) * 1000;
    const rec = addRecord(init, at);
    seeded.push({ init: { ...init, id: rec.id, apiKey: rec.apiKeys[0] ?? '' }, createdAt: at });
  }

  // ---- HTTP ----
  const app = Fastify({ logger: false, forceCloseConnections: true, bodyLimit: BODY_LIMIT, return503OnClosing: false });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: BODY_LIMIT }, (_req, body, done) => done(null, body));

  app.addHook('onRequest', async (req) => {
    const path = req.url;
    if (path.startsWith('/v1')) calls.start(req, 'service');
    else if (path.startsWith('/console/api')) {
      calls.start(req, 'console');
      if (consoleState.latencyMs > 0) await delay(consoleState.latencyMs, undefined, { signal: ctx.closing.signal }).catch(() => undefined);
    } else if (path.startsWith('/files/')) calls.start(req, 'files');
  });
  app.addHook('onSend', async (_req, reply, payload) => {
    for (const [k, v] of Object.entries(ctx.versionHeaders())) reply.header(k, v);
    return payload;
  });
  app.addHook('onResponse', async (req, reply) => {
    const call = calls.of(req);
    call.status ??= reply.statusCode;
  });
  app.setErrorHandler((err: FastifyError | DifyHttpError | Error, req, reply) => {
    if (isDifyHttpError(err)) return sendDifyError(req, reply, err, RULE_STRINGS);
    const fe = err as FastifyError;
    if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return sendDifyError(req, reply, new DifyHttpError(413, 'request_entity_too_large', WERKZEUG_MESSAGES.requestEntityTooLarge), RULE_STRINGS);
    }
    if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
      return sendDifyError(req, reply, new DifyHttpError(400, 'bad_request', WERKZEUG_MESSAGES.badRequest), RULE_STRINGS);
    }
    // The path only: a query string can carry a console token (`?_token=`).
    logger.error({ err, method: req.method, path: req.url.split('?')[0] }, 'Dify simulator: unexpected error');
    return sendDifyError(req, reply, internalServerError(), RULE_STRINGS);
  });
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0] ?? req.url;
    const methods = methodsForPath(path);
    if (methods.length > 0 && !methods.includes(req.method)) {
      return sendDifyError(req, reply.header('Allow', [...methods, 'OPTIONS'].join(', ')), new DifyHttpError(405, 'method_not_allowed', WERKZEUG_MESSAGES.methodNotAllowed), RULE_STRINGS);
    }
    return sendDifyError(req, reply, new DifyHttpError(404, 'not_found', WERKZEUG_MESSAGES.notFound), RULE_STRINGS);
  });

  registerAppInfoRoutes(app, ctx);
  registerGenerationRoutes(app, ctx);
  registerConversationRoutes(app, ctx);
  registerFileRoutes(app, ctx);
  registerFileServingRoutes(app, ctx);
  registerWorkspaceRoutes(app, ctx);
  registerConsoleAuthRoutes(app, ctx);
  registerConsoleAppRoutes(app, ctx);
  registerImportRoutes(app, ctx);

  const resolveApp = (idKeyOrName: string): SimAppRecord => {
    const rec = state.findApp(idKeyOrName) ?? (isUuid(idKeyOrName) ? state.apps.get(canonicalUuid(idKeyOrName)) : undefined);
    if (!rec) throw new TypeError(`Dify simulator: no app with id, API key or name "${idKeyOrName.startsWith('app-') ? `${idKeyOrName.slice(0, 8)}…` : idKeyOrName}"`);
    return rec;
  };

  const sim: DifySimulator = {
    get origin() {
      return ctx.origin;
    },
    get serviceBase() {
      return `${ctx.origin}/v1`;
    },
    get consoleBase() {
      return `${ctx.origin}/console/api`;
    },
    get controlBase() {
      return `${ctx.origin}/_sim`;
    },
    credentials: { email: resolved.account.email, password: resolved.account.password },
    adminApiKey: resolved.adminApiKey,
    workspaceId: consoleState.workspace.id,
    get apps() {
      return [...state.apps.values()].sort((a, b) => a.seq - b.seq).map(appInfo);
    },
    get version() {
      return ctx.behaviour.version;
    },
    behaviour(): DifyBehaviour {
      return ctx.behaviour;
    },
    app(idKeyOrName: string) {
      const rec = state.findApp(idKeyOrName);
      return rec ? appInfo(rec) : undefined;
    },
    script(appIdOrKey: string, rules: ScriptRule | ScriptRule[]) {
      const rec = resolveApp(appIdOrKey);
      rec.script = (Array.isArray(rules) ? rules : [rules]).map((rule) => ({ rule, remaining: rule.times }));
    },
    calls(filter?: SimCallFilter) {
      return calls.list(filter, (x) => state.findApp(x)?.id);
    },
    clearCalls() {
      calls.clear();
    },
    setVersion(version: string, overrides = {}) {
      ctx.behaviour = difyBehaviour(version, overrides);
    },
    reset() {
      state.clearRuntime();
      consoleState.clear();
      calls.clear();
      state.apps.clear();
      generated = Array.isArray(options.apps) || options.apps === undefined ? 0 : options.apps.count;
      for (const s of seeded) addRecord(s.init, s.createdAt);
    },
    addApp(init: SimAppInit) {
      return appInfo(addRecord(init, Date.now()));
    },
    seedApps(count: number) {
      if (!Number.isInteger(count) || count < 0) throw new TypeError(`Dify simulator: seedApps needs a non-negative integer, got ${count}`);
      const out: SimAppInfo[] = [];
      const at = Date.now();
      for (let i = 0; i < count; i++) {
        generated++;
        out.push(appInfo(addRecord(generatedAppInit(generated), at - (count - i) * 1000)));
      }
      return out;
    },
    failExport(appId: string, failure: ExportFailure | false = '5xx') {
      const rec = resolveApp(appId);
      if (failure === false) consoleState.exportFailures.delete(rec.id);
      else consoleState.exportFailures.set(rec.id, failure);
    },
    setConsoleLatency(ms: number) {
      consoleState.latencyMs = nonNegative('consoleLatencyMs', ms, 0);
    },
    expireConsoleTokens() {
      consoleState.tokensExpiredBefore = Date.now() + 1;
    },
    async close() {
      ctx.closing.abort();
      await app.close();
    },
  };
  consoleState.latencyMs = nonNegative('consoleLatencyMs', options.consoleLatencyMs, 0);
  registerControlRoutes(app, sim);

  await app.listen({ host, port: options.port ?? 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  ctx.origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  logger.info({ origin: ctx.origin, version: ctx.behaviour.version, apps: state.apps.size }, 'Dify simulator listening');
  return sim;
}
