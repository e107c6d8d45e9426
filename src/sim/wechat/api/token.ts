import { refuse } from '../api-errors.js';
import type { ApiCall, ApiRoute } from '../api-router.js';

/** Checks appid + secret: 41002/41004 missing, 40013 unknown appid, 40125 wrong secret; then enters the account. */
function authenticateApp(call: ApiCall, appid: unknown, secret: unknown): void {
  if (typeof appid !== 'string' || appid === '') refuse(41002);
  if (typeof secret !== 'string' || secret === '') refuse(41004);
  const account = call.state.accounts.get(appid);
  if (!account) refuse(40013);
  call.appId = appid;
  if (secret !== account.account.appSecret) refuse(40125);
  call.enter(account);
}

/** `GET /cgi-bin/token` and `POST /cgi-bin/stable_token` (reference §5). */
export const tokenRoutes: readonly ApiRoute[] = [
  {
    method: 'ANY',
    path: '/cgi-bin/token',
    auth: 'none',
    handler(call) {
      if (call.query('grant_type') !== 'client_credential') refuse(40002);
      authenticateApp(call, call.query('appid'), call.query('secret'));
      const t = call.state.tokens.issueToken(call.account.account.appId, call.now);
      return { access_token: t.accessToken, expires_in: t.expiresIn };
    },
  },
  {
    method: 'POST',
    path: '/cgi-bin/stable_token',
    auth: 'none',
    handler(call) {
      const body = call.json();
      if (body.grant_type !== 'client_credential') refuse(40002);
      authenticateApp(call, body.appid, body.secret);
      const force = body.force_refresh === true;
      const t = call.state.tokens.stableToken(call.account.account.appId, call.now, force, (ms) => call.state.dayOf(ms));
      return { access_token: t.accessToken, expires_in: t.expiresIn };
    },
  },
  {
    method: 'POST',
    path: '/cgi-bin/clear_quota',
    auth: 'token',
    handler(call) {
      // 10 resets a month (shared with clear_quota/v2); 48006 after that.
      const month = 30 * 86_400_000;
      const a = call.account;
      a.clearQuotaCalls = a.clearQuotaCalls.filter((t) => call.now - t < month);
      if (a.clearQuotaCalls.length >= 10) refuse(48006);
      a.clearQuotaCalls.push(call.now);
      call.state.quotas.clearAccount(a.account.appId);
      return { errcode: 0, errmsg: 'ok' };
    },
  },
];
