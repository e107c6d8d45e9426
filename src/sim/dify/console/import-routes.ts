import type { FastifyInstance, FastifyReply } from 'fastify';
import { buildImportedAppRecord, generateApiKey } from '../app-factory.js';
import type { SimContext } from '../context.js';
import {
  appSourceFromDsl,
  declaredDslVersion,
  dependencyPluginIds,
  DslImportError,
  importStatusFor,
  isWorkflowMode,
  parseDslYaml,
  type AppSource,
  type ImportStatus,
} from '../dsl.js';
import { invalidParam, notFound } from '../http-errors.js';
import { sendRestx } from '../reply.js';
import { canonicalUuid, isUuid, readJsonBody } from '../service/request-parsing.js';
import { authenticateConsole } from './console-auth.js';

/** DSL import: `POST /apps/imports` → 200 completed / 202 pending → confirm / 400 failed (reference §20). */

const YAML_URL_LIMIT = 10 * 1024 * 1024;

interface ImportResult {
  id: string;
  status: ImportStatus;
  app_id: string | null;
  app_mode: string | null;
  current_dsl_version: string;
  imported_dsl_version: string;
  error: string;
}

function statusCode(status: ImportStatus): number {
  return status === 'failed' ? 400 : status === 'pending' ? 202 : 200;
}

async function fetchYaml(url: string): Promise<string> {
  const raw = url.replace(/^https:\/\/github\.com\/([^/]+)\/([^/]+)\/blob\//, 'https://raw.githubusercontent.com/$1/$2/');
  const res = await fetch(raw, { signal: AbortSignal.timeout(10_000) });
  if (!res.ok) throw new DslImportError(`Error fetching YAML from URL: ${res.status} ${res.statusText}`);
  const buf = Buffer.from(await res.arrayBuffer());
  if (buf.length > YAML_URL_LIMIT) throw new DslImportError('File size exceeds the limit of 10MB');
  return buf.toString('utf8');
}

/** Registers the import endpoints. */
export function registerImportRoutes(app: FastifyInstance, ctx: SimContext): void {
  const cs = ctx.consoleState;

  const createOrUpdate = (source: AppSource, targetId: string | undefined): string => {
    const now = Date.now();
    if (targetId) {
      const target = ctx.state.apps.get(targetId);
      if (target) {
        target.source = source;
        target.updatedAt = Math.floor(now / 1000);
        target.draftUpdatedAt = target.updatedAt;
        return target.id;
      }
    }
    const rec = buildImportedAppRecord(source, crypto.randomUUID(), generateApiKey(), now, ctx.state.nextSeq());
    ctx.state.apps.set(rec.id, rec);
    return rec.id;
  };

  const answer = (reply: FastifyReply, r: ImportResult) => sendRestx(reply, statusCode(r.status), r);

  app.post('/console/api/apps/imports', async (req, reply) => {
    authenticateConsole(req, ctx);
    const body = readJsonBody(req);
    const mode = body.mode;
    if (mode !== 'yaml-content' && mode !== 'yaml-url') throw invalidParam(`Invalid import_mode: ${String(mode)}`);
    const id = crypto.randomUUID();
    const current = ctx.behaviour.dslVersion;
    const result: ImportResult = { id, status: 'failed', app_id: null, app_mode: null, current_dsl_version: current, imported_dsl_version: '', error: '' };
    try {
      let text: string;
      if (mode === 'yaml-content') {
        if (typeof body.yaml_content !== 'string' || !body.yaml_content) throw new DslImportError('yaml_content is required when import_mode is yaml-content');
        text = body.yaml_content;
      } else {
        if (typeof body.yaml_url !== 'string' || !body.yaml_url) throw new DslImportError('yaml_url is required when import_mode is yaml-url');
        text = await fetchYaml(body.yaml_url);
      }
      const doc = parseDslYaml(text);
      const imported = declaredDslVersion(doc);
      result.imported_dsl_version = imported;
      const status = importStatusFor(imported, current, ctx.behaviour.importRule);
      if (status === 'failed') throw new DslImportError(`Invalid version format: ${imported}`);
      const source = appSourceFromDsl(doc);
      for (const key of ['name', 'description', 'icon_type', 'icon', 'icon_background'] as const) {
        if (typeof body[key] === 'string' && body[key]) source.meta[key] = body[key] as string;
      }
      let targetId: string | undefined;
      if (typeof body.app_id === 'string' && body.app_id) {
        const target = isUuid(body.app_id) ? ctx.state.apps.get(canonicalUuid(body.app_id)) : undefined;
        if (!target) throw new DslImportError('App not found');
        if (!isWorkflowMode(target.source.meta.mode)) throw new DslImportError('Only workflow or advanced chat apps can be overwritten');
        targetId = target.id;
      }
      if (status === 'pending') {
        cs.pendingImports.set(id, { id, source, appId: targetId, importedVersion: imported, expiresAt: Date.now() + ctx.options.importConfirmTtlMs });
        return answer(reply, { ...result, status, app_id: targetId ?? null });
      }
      const appId = createOrUpdate(source, targetId);
      return answer(reply, { ...result, status, app_id: appId, app_mode: source.meta.mode });
    } catch (e) {
      if (!(e instanceof DslImportError)) throw e;
      return answer(reply, { ...result, status: 'failed', error: e.message });
    }
  });

  app.post<{ Params: { import_id: string } }>('/console/api/apps/imports/:import_id/confirm', async (req, reply) => {
    authenticateConsole(req, ctx);
    const pending = cs.pendingImports.get(req.params.import_id);
    const base = { id: req.params.import_id, app_mode: null, current_dsl_version: ctx.behaviour.dslVersion, error: '' };
    if (!pending || pending.expiresAt <= Date.now()) {
      cs.pendingImports.delete(req.params.import_id);
      return answer(reply, { ...base, status: 'failed', app_id: null, imported_dsl_version: '', error: 'Import information expired or does not exist' });
    }
    cs.pendingImports.delete(pending.id);
    const appId = createOrUpdate(pending.source, pending.appId);
    return answer(reply, { ...base, status: 'completed', app_id: appId, app_mode: pending.source.meta.mode, imported_dsl_version: pending.importedVersion });
  });

  app.get<{ Params: { app_id: string } }>('/console/api/apps/imports/:app_id/check-dependencies', async (req, reply) => {
    authenticateConsole(req, ctx);
    if (!isUuid(req.params.app_id)) throw notFound();
    const a = ctx.state.apps.get(canonicalUuid(req.params.app_id));
    if (!a) throw notFound('App not found.');
    const installed = new Set(ctx.options.installedPlugins);
    const leaked = dependencyPluginIds(a.source.dependencies)
      .filter((d) => !installed.has(d.pluginId))
      .map((d) => d.dependency);
    return sendRestx(reply, 200, { leaked_dependencies: leaked });
  });
}
