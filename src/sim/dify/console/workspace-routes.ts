import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SimContext } from '../context.js';
import { DifyHttpError } from '../http-errors.js';
import { sendRestx } from '../reply.js';
import { readJsonBody } from '../service/request-parsing.js';
import { authenticateConsole } from './console-auth.js';

/** Version probes and workspace endpoints (reference §13, §17). */
export function registerWorkspaceRoutes(app: FastifyInstance, ctx: SimContext): void {
  const cs = ctx.consoleState;
  const setupAt = new Date(cs.workspace.createdAt * 1000).toISOString().replace(/\.\d+Z$/, '');

  app.get('/console/api/setup', async (_req, reply) => sendRestx(reply, 200, { step: 'finished', setup_at: setupAt }));

  app.get('/console/api/system-features', async (_req, reply) =>
    sendRestx(reply, 200, {
      sso_enforced_for_signin: false,
      sso_enforced_for_signin_protocol: '',
      enable_marketplace: true,
      max_plugin_package_size: 52428800,
      enable_email_code_login: false,
      enable_email_password_login: ctx.options.passwordLoginEnabled,
      enable_social_oauth_login: false,
      is_allow_register: false,
      is_allow_create_workspace: false,
      is_email_setup: false,
      license: { status: 'none', expired_at: '' },
      branding: { enabled: false, application_title: '', login_page_logo: '', workspace_logo: '', favicon: '' },
      webapp_auth: { enabled: false, allow_sso: false, sso_config: { protocol: '' }, allow_email_code_login: false, allow_email_password_login: false },
      plugin_installation_permission: { plugin_installation_scope: 'all', restrict_to_marketplace_only: false },
      enable_change_email: true,
    }),
  );

  app.get('/console/api/version', async (req, reply) => {
    const current = (req.query as Record<string, string | undefined>).current_version ?? ctx.behaviour.version;
    // Dify reports the newest *available* release from CHECK_UPDATE_URL, echoing current_version when offline.
    return sendRestx(reply, 200, { version: current, release_date: '', release_notes: '', can_auto_update: false, features: { can_replace_logo: false, model_load_balancing_enabled: false } });
  });

  app.get('/console/api/account/profile', async (req, reply) => {
    authenticateConsole(req, ctx);
    const a = cs.account;
    return sendRestx(reply, 200, {
      id: a.id,
      name: a.name,
      avatar: null,
      avatar_url: null,
      email: a.email,
      is_password_set: true,
      interface_language: 'en-US',
      interface_theme: 'light',
      timezone: 'UTC',
      last_login_at: Math.floor(Date.now() / 1000),
      last_login_ip: '127.0.0.1',
      created_at: cs.workspace.createdAt,
    });
  });

  const workspaceJson = () => ({
    id: cs.workspace.id,
    name: cs.workspace.name,
    status: 'normal',
    created_at: cs.workspace.createdAt,
    plan: 'sandbox',
    current: true,
  });
  app.get('/console/api/workspaces', async (req, reply) => {
    authenticateConsole(req, ctx);
    return sendRestx(reply, 200, { workspaces: [workspaceJson()] });
  });
  const current = async (req: FastifyRequest, reply: FastifyReply) => {
    authenticateConsole(req, ctx);
    return sendRestx(reply, 200, { ...workspaceJson(), role: 'owner', in_trial: null, trial_end_reason: null, custom_config: null });
  };
  app.get('/console/api/workspaces/current', current);
  app.post('/console/api/workspaces/current', current);
  app.post('/console/api/workspaces/switch', async (req, reply) => {
    authenticateConsole(req, ctx);
    const body = readJsonBody(req);
    if (body.tenant_id !== cs.workspace.id) throw new DifyHttpError(400, 'account_not_link_tenant', 'Account not link tenant');
    return sendRestx(reply, 200, { result: 'success', new_tenant: workspaceJson() });
  });
}
