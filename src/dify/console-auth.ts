import type { Logger } from 'pino';
import { CookieJar } from './cookie-jar.js';
import { formatDifyVersion, isDifyVersionAtLeast, parseDifyVersion, type DifyVersion } from './dify-version.js';
import { DifyLoginError, type DifyLoginFailureReason } from './errors.js';
import { jsonObjectOf, type DifyHttp, type DifyHttpResponse, type DifyRequest } from './http-transport.js';

/**
 * How a Dify version logs in (dify-api.md §14, §16):
 * ≤ 1.9.1 tokens in the body, used as Bearer; 1.9.2–1.11.1 cookies + `X-CSRF-Token`;
 * ≥ 1.11.2 the same, and the password is sent Base64-encoded.
 */
export type ConsoleLoginFamily = 'body-tokens' | 'cookies' | 'cookies-base64-password';

/** How requests are authenticated once logged in. */
export type ConsoleAuthMode = 'bearer' | 'cookies' | 'admin-key';

/** The newest version the reference describes; assumed when a server sends no `X-Version`. */
export const NEWEST_KNOWN_DIFY_VERSION = '1.14.1';

const ACCESS_COOKIES = ['__Host-access_token', 'access_token'] as const;
const CSRF_COOKIES = ['__Host-csrf_token', 'csrf_token'] as const;
/** Refresh this long before the access token's `exp`. */
const REFRESH_MARGIN_MS = 60_000;

/** The login family of a version. */
export function loginFamilyFor(version: DifyVersion): ConsoleLoginFamily {
  if (isDifyVersionAtLeast(version, '1.11.2')) return 'cookies-base64-password';
  if (isDifyVersionAtLeast(version, '1.9.2')) return 'cookies';
  return 'body-tokens';
}

/** The `password` field as `family` expects it: Base64 of the UTF-8 bytes from 1.11.2, plain before. */
export function encodeLoginPassword(password: string, family: ConsoleLoginFamily): string {
  return family === 'cookies-base64-password' ? Buffer.from(password, 'utf8').toString('base64') : password;
}

/** Credentials of a console session: email + password, or an admin API key (+ workspace id). */
export interface ConsoleCredentials {
  email?: string | undefined;
  password?: string | undefined;
  /** `ADMIN_API_KEY` of a self-hosted Dify (`ADMIN_API_KEY_ENABLE=true`); acts as the workspace owner. */
  adminApiKey?: string | undefined;
  /** Sent as `X-WORKSPACE-ID` in admin-key mode. */
  workspaceId?: string | undefined;
  rememberMe?: boolean | undefined;
  /** Use this version instead of the `X-Version` header (needed only when a proxy strips the header). */
  version?: string | undefined;
}

/**
 * The authentication state of one console client: version detection, one login, token refresh,
 * and the headers every request needs. A failed login is remembered and rethrown: the password is
 * never sent twice (Dify locks an email out after 5 failures).
 */
export class ConsoleAuth {
  readonly #http: DifyHttp;
  readonly #credentials: ConsoleCredentials;
  readonly #logger: Logger;
  readonly #jar = new CookieJar();
  #version: string | undefined;
  #family: ConsoleLoginFamily | undefined;
  #mode: ConsoleAuthMode | undefined;
  #accessToken: string | undefined;
  #refreshToken: string | undefined;
  #generation = 0;
  #login: Promise<void> | undefined;
  #refresh: Promise<void> | undefined;

  constructor(http: DifyHttp, credentials: ConsoleCredentials, logger: Logger) {
    this.#http = http;
    this.#credentials = credentials;
    this.#logger = logger;
  }

  /** The Dify version detected (or configured), once known. */
  get version(): string | undefined {
    return this.#version;
  }

  /** How requests are authenticated, once logged in. */
  get mode(): ConsoleAuthMode | undefined {
    return this.#mode;
  }

  /** The login family used, once logged in with a password. */
  get family(): ConsoleLoginFamily | undefined {
    return this.#family;
  }

  /** Bumped on every token change, so a 401 on stale tokens retries instead of refreshing twice. */
  get generation(): number {
    return this.#generation;
  }

  /** Logs in once; concurrent and later callers share the outcome (a failure is rethrown, never retried). */
  ensureLoggedIn(): Promise<void> {
    this.#login ??= this.#logIn().catch((err: unknown) => {
      // A verdict on the credentials sticks; a network failure gave none, so a later call may try again.
      if (!(err instanceof DifyLoginError)) this.#login = undefined;
      throw err;
    });
    return this.#login;
  }

  /** Reads `X-Version` from `GET /system-features` (no auth needed) and whether password login is enabled. */
  async detectVersion(): Promise<{ version: string | undefined; passwordLoginEnabled: boolean | undefined }> {
    const response = await this.#http.send({ method: 'GET', path: '/system-features', idempotent: true });
    const header = response.headers.get('x-version') ?? undefined;
    const body = response.status === 200 ? jsonObjectOf(response) : undefined;
    const enabled = body?.enable_email_password_login;
    return { version: header, passwordLoginEnabled: typeof enabled === 'boolean' ? enabled : undefined };
  }

  /** Adds the session's credentials to a request. */
  decorate(request: DifyRequest): DifyRequest {
    const headers: Record<string, string> = { ...request.headers };
    switch (this.#mode) {
      case 'admin-key':
        headers.Authorization = `Bearer ${this.#credentials.adminApiKey ?? ''}`;
        if (this.#credentials.workspaceId) headers['X-WORKSPACE-ID'] = this.#credentials.workspaceId;
        break; // no cookies: a cookie token would take precedence over the key
      case 'bearer':
        if (this.#accessToken) headers.Authorization = `Bearer ${this.#accessToken}`;
        break;
      case 'cookies': {
        const cookie = this.#jar.header();
        if (cookie) headers.Cookie = cookie;
        const csrf = this.#jar.find(CSRF_COOKIES);
        if (csrf) headers['X-CSRF-Token'] = csrf.value; // required on every method, GET included
        break;
      }
      default:
        break;
    }
    return { ...request, headers };
  }

  /** Keeps cookies Dify sets on any answer (cookie mode). */
  absorb(response: DifyHttpResponse): void {
    if (this.#mode === 'cookies') this.#jar.absorb(response.headers);
  }

  /**
   * After a 401: true when the request should be sent again — tokens changed since it was sent, or a
   * refresh just succeeded. Throws `DifyLoginError('session_expired')` when the refresh is rejected.
   */
  async recoverFrom401(sentWithGeneration: number): Promise<boolean> {
    if (this.#mode === 'admin-key' || this.#mode === undefined) return false;
    if (sentWithGeneration !== this.#generation) return true;
    await this.refresh();
    return true;
  }

  /** Refreshes proactively when the access token (a JWT) expires within a minute. */
  async refreshIfExpiring(now: number = Date.now()): Promise<void> {
    if (this.#mode !== 'bearer' && this.#mode !== 'cookies') return;
    const token = this.#mode === 'bearer' ? this.#accessToken : this.#jar.find(ACCESS_COOKIES)?.value;
    const expiresAt = token === undefined ? undefined : jwtExpiry(token);
    if (expiresAt !== undefined && expiresAt - now < REFRESH_MARGIN_MS) await this.refresh();
  }

  /** Exchanges the refresh token for new tokens (it rotates); concurrent callers share one exchange. */
  refresh(): Promise<void> {
    this.#refresh ??= this.#doRefresh().finally(() => {
      this.#refresh = undefined;
    });
    return this.#refresh;
  }

  /** Ends the session (`POST /logout`, or `GET` on ≤ 1.9.1) and forgets the tokens; a later call logs in again. */
  async logout(): Promise<void> {
    if (this.#mode === 'bearer' || this.#mode === 'cookies') {
      const method = this.#mode === 'bearer' ? 'GET' : 'POST';
      await this.#http.send(this.decorate({ method, path: '/logout' })).catch((err: unknown) => {
        this.#logger.warn({ err: errorName(err) }, 'dify console logout failed; forgetting the session anyway');
      });
    }
    this.#jar.clear();
    this.#accessToken = undefined;
    this.#refreshToken = undefined;
    this.#mode = undefined;
    this.#login = undefined;
    this.#generation += 1;
  }

  async #logIn(): Promise<void> {
    const { email, password, adminApiKey } = this.#credentials;
    if (adminApiKey) return this.#useAdminKey();
    if (!email || !password) {
      throw new DifyLoginError({ reason: 'no_credentials', message: 'Dify console: set an email and password, or an admin API key' });
    }
    const version = await this.#resolveVersion();
    if (version.passwordLoginEnabled === false) {
      throw this.#failure('password_login_disabled', 'this Dify has email/password login disabled (use SSO, or an admin API key)');
    }
    const family = loginFamilyFor(version.parsed);
    this.#family = family;
    this.#logger.debug({ version: this.#version, family, email }, 'dify console login');
    // Exactly one attempt: a second try with another encoding would count towards the lockout.
    const response = await this.#http.send({
      method: 'POST',
      path: '/login',
      json: { email, password: encodeLoginPassword(password, family), remember_me: this.#credentials.rememberMe ?? true },
    });
    this.#noteVersion(response);
    this.#acceptLogin(response, email);
    this.#generation += 1;
    this.#logger.info({ version: this.#version, mode: this.#mode, email }, 'dify console logged in');
  }

  #acceptLogin(response: DifyHttpResponse, email: string): void {
    const body = jsonObjectOf(response);
    if (response.status === 200 && body?.result === 'success') {
      const data = body.data as Record<string, unknown> | undefined;
      if (data && typeof data.access_token === 'string') {
        this.#mode = 'bearer';
        this.#accessToken = data.access_token;
        this.#refreshToken = typeof data.refresh_token === 'string' ? data.refresh_token : undefined;
        return;
      }
      this.#jar.absorb(response.headers);
      if (this.#jar.find(ACCESS_COOKIES) === undefined) {
        const why = 'Dify accepted the login but sent no access token (neither in the body nor as a cookie)';
        throw this.#failure('unexpected', why, response);
      }
      this.#mode = 'cookies';
      return;
    }
    throw this.#loginRejected(response, body, email);
  }

  #loginRejected(response: DifyHttpResponse, body: Record<string, unknown> | undefined, email: string): DifyLoginError {
    const code = typeof body?.code === 'string' ? body.code : undefined;
    const message = typeof body?.message === 'string' ? body.message : undefined;
    const as = `as ${email}`;
    const fail = (reason: DifyLoginFailureReason, text: string) => this.#failure(reason, text, response, code);
    if (response.status === 200 && body?.result === 'fail') {
      return fail('no_workspace', `login ${as} refused: ${typeof body.data === 'string' ? body.data : 'the account has no workspace'}`);
    }
    switch (response.status) {
      case 401:
        if (code === 'not_setup' || code === 'not_init_validated') return fail('not_setup', 'this Dify has not been set up yet');
        return fail(
          'bad_credentials',
          `login ${as} failed: wrong email or password (Dify ${this.#version ?? 'of unknown version'}, password sent ` +
            `${this.#family === 'cookies-base64-password' ? 'Base64-encoded' : 'as plain text'}; ` +
            'each failure counts towards Dify\'s lockout after 5, so it is not retried)',
        );
      case 429:
        return fail('account_locked', `login ${as} refused: too many failed attempts, Dify has locked this email out (24 h by default)`);
      case 403:
        return fail('password_login_disabled', 'this Dify has email/password login disabled (use SSO, or an admin API key)');
      case 400:
        if (code === 'account_banned') return fail('account_banned', `login ${as} refused: the account is banned`);
        if (code === 'account_in_freeze') return fail('account_frozen', `login ${as} refused: the account is frozen`);
        break;
      default:
        break;
    }
    return fail('unexpected', `login ${as} failed: HTTP ${response.status}${code ? ` ${code}` : ''}${message ? `: ${message}` : ''}`);
  }

  async #useAdminKey(): Promise<void> {
    const version = await this.#resolveVersion();
    // The admin key skips the CSRF check only from 1.11.0; 1.9.2–1.10.x demand a CSRF cookie it cannot have.
    if (isDifyVersionAtLeast(version.parsed, '1.9.2') && !isDifyVersionAtLeast(version.parsed, '1.11.0')) {
      throw this.#failure(
        'version_not_supported',
        `admin API key mode does not work on Dify ${this.#version} ` +
          '(its CSRF check has no admin-key bypass before 1.11.0); log in with email and password',
      );
    }
    this.#mode = 'admin-key';
    this.#generation += 1;
    // Prove the key now, so a wrong key or workspace fails as a login error and not in the middle of a backup.
    const probe: DifyRequest = { method: 'GET', path: '/apps', query: { page: 1, limit: 1 }, idempotent: true };
    const response = await this.#http.send(this.decorate(probe));
    if (response.status === 401 || response.status === 403) {
      this.#mode = undefined;
      const body = jsonObjectOf(response);
      const workspace = this.#credentials.workspaceId ? ` for workspace ${this.#credentials.workspaceId}` : '';
      throw this.#failure(
        'bad_credentials',
        `the admin API key${workspace} was rejected (HTTP ${response.status})`,
        response,
        typeof body?.code === 'string' ? body.code : undefined,
      );
    }
    this.#logger.info({ version: this.#version, mode: this.#mode }, 'dify console using the admin API key');
  }

  async #resolveVersion(): Promise<{ parsed: DifyVersion; passwordLoginEnabled: boolean | undefined }> {
    const detected = await this.detectVersion();
    const text = this.#credentials.version ?? detected.version;
    if (text === undefined) {
      this.#logger.warn({ assumed: NEWEST_KNOWN_DIFY_VERSION }, 'dify sent no X-Version header; assuming the newest behaviour');
    }
    const parsed = parseDifyVersion(text ?? NEWEST_KNOWN_DIFY_VERSION);
    if (!parsed) {
      throw this.#failure('version_not_supported', `"${text}" is not a Dify version (from the X-Version header)`);
    }
    this.#version = text === undefined ? undefined : formatDifyVersion(parsed);
    if (!isDifyVersionAtLeast(parsed, '1.0.0')) {
      throw this.#failure('version_not_supported', `Dify ${this.#version} is not supported (mpgate needs 1.0.0 or later)`);
    }
    return { parsed, passwordLoginEnabled: detected.passwordLoginEnabled };
  }

  async #doRefresh(): Promise<void> {
    const endpoint = 'POST /refresh-token';
    let response: DifyHttpResponse;
    if (this.#mode === 'bearer') {
      if (!this.#refreshToken) throw this.#failure('session_expired', 'the session expired and Dify gave no refresh token; log in again');
      response = await this.#http.send({ method: 'POST', path: '/refresh-token', json: { refresh_token: this.#refreshToken } });
      const body = jsonObjectOf(response);
      const data = body?.data as Record<string, unknown> | undefined;
      if (response.status === 200 && body?.result === 'success' && data && typeof data.access_token === 'string') {
        this.#accessToken = data.access_token;
        if (typeof data.refresh_token === 'string') this.#refreshToken = data.refresh_token;
        this.#generation += 1;
        this.#logger.debug({ endpoint }, 'dify console session refreshed');
        return;
      }
    } else {
      const cookie = this.#jar.header();
      response = await this.#http.send({ method: 'POST', path: '/refresh-token', headers: cookie ? { Cookie: cookie } : {} });
      if (response.status === 200) {
        this.#jar.absorb(response.headers);
        this.#generation += 1;
        this.#logger.debug({ endpoint }, 'dify console session refreshed');
        return;
      }
    }
    const body = jsonObjectOf(response);
    const why = typeof body?.message === 'string' ? body.message : typeof body?.data === 'string' ? body.data : `HTTP ${response.status}`;
    throw this.#failure('session_expired', `the console session expired and could not be refreshed (${why}); log in again`, response);
  }

  #noteVersion(response: DifyHttpResponse): void {
    if (this.#version !== undefined || this.#credentials.version !== undefined) return;
    const header = response.headers.get('x-version');
    const parsed = header ? parseDifyVersion(header) : undefined;
    if (parsed) this.#version = formatDifyVersion(parsed);
  }

  #failure(reason: DifyLoginFailureReason, message: string, response?: DifyHttpResponse, difyCode?: string): DifyLoginError {
    return new DifyLoginError({
      reason,
      message: `Dify console: ${message}`,
      status: response?.status,
      difyCode,
      version: this.#version,
    });
  }
}

/** The `exp` of a JWT in milliseconds, or undefined when the token is not a readable JWT. */
export function jwtExpiry(token: string): number | undefined {
  const payload = token.split('.')[1];
  if (payload === undefined) return undefined;
  try {
    const exp = (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown }).exp;
    return typeof exp === 'number' ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

function errorName(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
