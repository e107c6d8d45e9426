import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SimContext } from '../context.js';
import { parseCookieHeader, serializeSetCookie } from '../cookies.js';
import { DifyHttpError, WERKZEUG_MESSAGES } from '../http-errors.js';
import { signJwt, verifyJwt } from '../jwt.js';
import { PayloadChecker } from '../pydantic-errors.js';
import { sendRestx } from '../reply.js';
import { readJsonBody } from '../service/request-parsing.js';

/**
 * Console login, refresh, logout and the per-request authentication (reference §14–§15), for the three login
 * families: ≤ 1.9.1 tokens in the body; 1.9.2+ cookies with a CSRF header; 1.11.2+ also a Base64 password.
 */

const CSRF_EXEMPT = /^\/console\/api\/apps\/[0-9a-f-]{36}\/workflows\/draft$/i;

/** Who a console request acts as. */
export interface ConsoleSession {
  accountId: string;
  viaAdminKey: boolean;
}

function unauthorized(message: string): DifyHttpError {
  return new DifyHttpError(401, 'unauthorized', message);
}

/** The login manager's bare 401 (no `status` key). */
function loginRequired(): DifyHttpError {
  return new DifyHttpError(401, 'unauthorized', 'Unauthorized.', { body: { code: 'unauthorized', message: 'Unauthorized.' } });
}

/** The cookie name in force for `base` (`access_token` → `__Host-access_token` on https without COOKIE_DOMAIN). */
export function consoleCookieName(ctx: SimContext, base: 'access_token' | 'refresh_token' | 'csrf_token'): string {
  const { secureCookies, cookieDomain } = ctx.options;
  const hostPrefix = secureCookies && (!ctx.behaviour.hostPrefixNeedsNoCookieDomain || !cookieDomain);
  return hostPrefix ? `__Host-${base}` : base;
}

function cookieDomainAttr(ctx: SimContext, name: string): string | undefined {
  if (name.startsWith('__Host-') || !ctx.options.cookieDomain || !ctx.behaviour.hostPrefixNeedsNoCookieDomain) return undefined;
  return ctx.options.cookieDomain.replace(/^\./, '');
}

interface IssuedTokens {
  accessToken: string;
  refreshToken: string;
  csrfToken: string;
}

function issueTokens(ctx: SimContext, accountId: string): IssuedTokens {
  const now = Date.now();
  const exp = Math.floor((now + ctx.options.accessTokenTtlMs) / 1000);
  const accessToken = signJwt({ user_id: accountId, exp, iss: 'SELF_HOSTED', sub: 'Console API Passport' }, ctx.secret);
  const csrfToken = signJwt({ exp, sub: accountId }, ctx.secret);
  const refreshToken = randomBytes(64).toString('hex');
  const cs = ctx.consoleState;
  cs.issuedTokens.set(accessToken, now);
  cs.issuedTokens.set(csrfToken, now);
  for (const [token, rec] of cs.refreshTokens) if (rec.accountId === accountId) cs.refreshTokens.delete(token);
  cs.refreshTokens.set(refreshToken, { accountId, expiresAt: now + 30 * 86_400_000 });
  return { accessToken, refreshToken, csrfToken };
}

function setTokenCookies(ctx: SimContext, reply: FastifyReply, tokens: IssuedTokens | undefined): void {
  const secure = ctx.options.secureCookies;
  const accessAge = Math.floor(ctx.options.accessTokenTtlMs / 1000);
  const cookies: Array<[base: 'access_token' | 'refresh_token' | 'csrf_token', value: string, maxAge: number, httpOnly: boolean]> = [
    ['access_token', tokens?.accessToken ?? '', tokens ? accessAge : 0, true],
    ['csrf_token', tokens?.csrfToken ?? '', tokens ? accessAge : 0, false],
    ['refresh_token', tokens?.refreshToken ?? '', tokens ? 30 * 86_400 : 0, true],
  ];
  reply.header(
    'Set-Cookie',
    cookies.map(([base, value, maxAgeSeconds, httpOnly]) => {
      const name = consoleCookieName(ctx, base);
      const domain = cookieDomainAttr(ctx, name);
      return serializeSetCookie(name, value, { maxAgeSeconds, httpOnly, secure, ...(domain ? { domain } : {}) });
    }),
  );
}

/** Checks an access or CSRF JWT, including tokens force-expired by the simulator. */
function checkToken(ctx: SimContext, token: string): { ok: true; payload: Record<string, unknown> } | { ok: false; reason: 'invalid' | 'expired' } {
  const r = verifyJwt(token, ctx.secret, Date.now());
  if (!r.ok) return r;
  const issued = ctx.consoleState.issuedTokens.get(token);
  if (issued !== undefined && issued < ctx.consoleState.tokensExpiredBefore) return { ok: false, reason: 'expired' };
  return r;
}

function bearerToken(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization;
  if (!h) return undefined;
  const space = h.indexOf(' ');
  if (space < 0 || h.slice(0, space).toLowerCase() !== 'bearer') return undefined;
  return h.slice(space + 1).trim();
}

/** `login_required` (+ the CSRF check from 1.9.2): the session of a console request, or a 401. */
export function authenticateConsole(req: FastifyRequest, ctx: SimContext): ConsoleSession {
  const b = ctx.behaviour;
  const cookies = parseCookieHeader(req.headers.cookie);
  const cookieMode = b.loginFamily !== 'body-tokens';
  let token: string | undefined;
  if (cookieMode) token = cookies.get(consoleCookieName(ctx, 'access_token')) ?? bearerToken(req);
  else {
    const h = req.headers.authorization;
    if (h && (h.indexOf(' ') < 0 || h.slice(0, h.indexOf(' ')).toLowerCase() !== 'bearer')) {
      throw unauthorized("Invalid Authorization header format. Expected 'Bearer <api-key>' format.");
    }
    token = bearerToken(req) ?? (req.query as Record<string, string | undefined>)._token;
  }
  if (!token) throw loginRequired();

  const account = ctx.consoleState.account;
  const adminKey = ctx.options.adminApiKey;
  if (adminKey && token === adminKey) {
    // The admin key acts as the owner of the workspace named by X-WORKSPACE-ID.
    const workspaceId = req.headers['x-workspace-id'];
    if (workspaceId !== ctx.consoleState.workspace.id) throw unauthorized('Invalid token.');
    if (cookieMode && !b.adminKeyBypassesCsrf) checkCsrf(req, ctx, cookies, account.id);
    return { accountId: account.id, viaAdminKey: true };
  }
  const r = checkToken(ctx, token);
  if (!r.ok) throw unauthorized(r.reason === 'expired' ? 'Token has expired.' : 'Invalid token.');
  if (r.payload.user_id !== account.id) throw unauthorized('Invalid token.');
  if (cookieMode) checkCsrf(req, ctx, cookies, account.id);
  return { accountId: account.id, viaAdminKey: false };
}

function checkCsrf(req: FastifyRequest, ctx: SimContext, cookies: Map<string, string>, accountId: string): void {
  if (req.method === 'OPTIONS') return;
  const path = req.url.split('?')[0] ?? '';
  if (CSRF_EXEMPT.test(path)) return;
  const header = req.headers['x-csrf-token'];
  const cookie = cookies.get(consoleCookieName(ctx, 'csrf_token'));
  const bad = () => unauthorized('CSRF token is missing or invalid.');
  if (typeof header !== 'string' || !header || header !== cookie) throw bad();
  const r = checkToken(ctx, header);
  if (!r.ok || r.payload.sub !== accountId) throw bad();
}

/** Decodes the ≥ 1.11.2 password field like Python's `base64.b64decode` + UTF-8; undefined when it cannot. */
function decodeBase64Password(value: string): string | undefined {
  const cleaned = value.replace(/[^A-Za-z0-9+/=]/g, '');
  if (cleaned.length % 4 !== 0) return undefined;
  if (/=[^=]/.test(cleaned)) return undefined;
  const bytes = Buffer.from(cleaned, 'base64');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** Registers /login, /refresh-token and /logout. */
export function registerConsoleAuthRoutes(app: FastifyInstance, ctx: SimContext): void {
  app.post('/console/api/login', async (req, reply) => {
    const cs = ctx.consoleState;
    if (!ctx.options.passwordLoginEnabled) throw new DifyHttpError(403, 'forbidden', WERKZEUG_MESSAGES.forbidden);
    const body = readJsonBody(req);
    const c = new PayloadChecker('LoginPayload', body);
    const email = c.string('email', { required: true });
    const password = c.string('password', { required: true });
    const msg = c.errorMessage();
    if (msg || email === undefined || password === undefined) throw new DifyHttpError(400, 'invalid_param', msg ?? 'invalid login payload');
    const caseless = ctx.behaviour.emailCaseInsensitive;
    const key = caseless ? email.toLowerCase() : email;
    const now = Date.now();
    const failures = cs.loginFailures.get(key);
    if (failures && failures.expiresAt <= now) cs.loginFailures.delete(key);
    const count = cs.loginFailures.get(key)?.count ?? 0;
    if (count > ctx.options.loginMaxErrors) {
      throw new DifyHttpError(429, 'email_code_login_limit', 'Too many incorrect password attempts. Please try again later.');
    }
    const fail = (counted: boolean) => {
      if (counted) cs.loginFailures.set(key, { count: count + 1, expiresAt: now + ctx.options.loginLockoutMs });
      return new DifyHttpError(401, 'authentication_failed', 'Invalid email or password.');
    };
    let plain: string | undefined = password;
    if (ctx.behaviour.loginFamily === 'cookies-base64-password') {
      plain = decodeBase64Password(password);
      // A password that does not decode is refused without counting towards the lockout.
      if (plain === undefined) throw fail(false);
    }
    const account = cs.account;
    const emailMatches = caseless ? key === account.email.toLowerCase() : email === account.email;
    if (emailMatches && ctx.options.accountStatus === 'banned') throw new DifyHttpError(400, 'account_banned', 'Account is banned.');
    if (!emailMatches || plain !== account.password) throw fail(true);
    cs.loginFailures.delete(key);
    if (ctx.options.accountStatus === 'no-workspace') {
      // A 200 that is not a success: clients must check `result`.
      return sendRestx(reply, 200, { result: 'fail', data: 'workspace not found, please contact system admin to invite you to join in a workspace' });
    }
    const tokens = issueTokens(ctx, account.id);
    if (ctx.behaviour.loginFamily === 'body-tokens') {
      return sendRestx(reply, 200, { result: 'success', data: { access_token: tokens.accessToken, refresh_token: tokens.refreshToken } });
    }
    setTokenCookies(ctx, reply, tokens);
    return sendRestx(reply, 200, { result: 'success' });
  });

  app.post('/console/api/refresh-token', async (req, reply) => {
    const cs = ctx.consoleState;
    if (ctx.behaviour.loginFamily === 'body-tokens') {
      const body = readJsonBody(req);
      const given = typeof body.refresh_token === 'string' ? body.refresh_token : '';
      const rec = cs.refreshTokens.get(given);
      if (!rec || rec.expiresAt <= Date.now()) {
        throw new DifyHttpError(401, 'unauthorized', 'Invalid refresh token', { body: { result: 'fail', data: 'Invalid refresh token' } });
      }
      cs.refreshTokens.delete(given);
      const tokens = issueTokens(ctx, rec.accountId);
      return sendRestx(reply, 200, { result: 'success', data: { access_token: tokens.accessToken, refresh_token: tokens.refreshToken } });
    }
    const given = parseCookieHeader(req.headers.cookie).get(consoleCookieName(ctx, 'refresh_token'));
    if (!given) {
      throw new DifyHttpError(401, 'unauthorized', 'No refresh token provided', { body: { result: 'fail', message: 'No refresh token provided' } });
    }
    const rec = cs.refreshTokens.get(given);
    if (!rec || rec.expiresAt <= Date.now()) {
      throw new DifyHttpError(401, 'unauthorized', 'Invalid refresh token', { body: { result: 'fail', message: 'Invalid refresh token' } });
    }
    cs.refreshTokens.delete(given);
    setTokenCookies(ctx, reply, issueTokens(ctx, rec.accountId));
    return sendRestx(reply, 200, { result: 'success' });
  });

  const logout = async (req: FastifyRequest, reply: FastifyReply) => {
    const wanted = ctx.behaviour.logoutMethod;
    if (req.method !== wanted) throw new DifyHttpError(405, 'method_not_allowed', WERKZEUG_MESSAGES.methodNotAllowed);
    const session = authenticateConsole(req, ctx);
    for (const [token, rec] of ctx.consoleState.refreshTokens) if (rec.accountId === session.accountId) ctx.consoleState.refreshTokens.delete(token);
    if (ctx.behaviour.loginFamily !== 'body-tokens') setTokenCookies(ctx, reply, undefined);
    return sendRestx(reply, 200, { result: 'success' });
  };
  app.get('/console/api/logout', logout);
  app.post('/console/api/logout', logout);
}
