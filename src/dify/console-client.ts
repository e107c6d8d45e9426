import { pino, type Logger } from 'pino';
import { VERSION } from '../version.js';
import { apiErrorFromResponse } from './api-error-body.js';
import { ConsoleAuth, type ConsoleAuthMode, type ConsoleLoginFamily } from './console-auth.js';
import { ConsoleAnnotations } from './console/annotations.js';
import { ConsoleApps } from './console/apps.js';
import { ConsoleImports } from './console/imports.js';
import { ConsoleWorkflows } from './console/workflows.js';
import { isDifyVersionAtLeast, parseDifyVersion } from './dify-version.js';
import type { DifyApiError } from './errors.js';
import { DifyHttp, endpointOf, readJson, type DifyHttpResponse, type DifyRequest } from './http-transport.js';

/** Settings of a `DifyConsoleClient`. Give an email + password, or an admin API key. */
export interface DifyConsoleClientOptions {
  /** The Dify host (`https://dify.example.com`) or its console API base (`…/console/api`). */
  baseUrl: string;
  email?: string;
  /** Never logged, never in an error; sent once per login (Base64-encoded from Dify 1.11.2). */
  password?: string;
  /** Self-hosted `ADMIN_API_KEY` (acts as the workspace owner; needs Dify ≤ 1.9.1 or ≥ 1.11.0). */
  adminApiKey?: string;
  /** `X-WORKSPACE-ID` for the admin API key. */
  workspaceId?: string;
  rememberMe?: boolean;
  /** Use this version instead of detecting it from `X-Version` (for proxies that strip the header). */
  version?: string;
  /** Per request. Default 60 000. */
  timeoutMs?: number;
  /** Extra attempts for GETs on network errors, 5xx and 429. Default 2. */
  maxRetries?: number;
  /** First retry delay, doubled per attempt. Default 500. */
  retryDelayMs?: number;
  /** Default: silent. */
  logger?: Logger;
  fetch?: typeof fetch;
}

/**
 * Typed client of Dify's Console API (`/console/api`) for backup and restore. Detects the version from
 * `X-Version`, logs in the way that version expects (once; a failure is never retried), refreshes the
 * session on 401, and reads every page of every list.
 */
export class DifyConsoleClient {
  readonly apps: ConsoleApps;
  readonly workflows: ConsoleWorkflows;
  readonly annotations: ConsoleAnnotations;
  readonly imports: ConsoleImports;

  readonly #http: DifyHttp;
  readonly #auth: ConsoleAuth;

  constructor(options: DifyConsoleClientOptions) {
    if (!options.baseUrl) throw new TypeError('DifyConsoleClient: baseUrl is required');
    const logger = options.logger ?? pino({ level: 'silent' });
    this.#http = new DifyHttp({
      baseUrl: consoleApiBase(options.baseUrl),
      timeoutMs: options.timeoutMs ?? 60_000,
      maxRetries: options.maxRetries ?? 2,
      retryDelayMs: options.retryDelayMs ?? 500,
      logger,
      fetch: options.fetch ?? globalThis.fetch,
      userAgent: `mpgate/${VERSION}`,
    });
    this.#auth = new ConsoleAuth(
      this.#http,
      {
        email: options.email,
        password: options.password,
        adminApiKey: options.adminApiKey,
        workspaceId: options.workspaceId,
        rememberMe: options.rememberMe,
        version: options.version,
      },
      logger,
    );
    this.apps = new ConsoleApps(this);
    this.workflows = new ConsoleWorkflows(this);
    this.annotations = new ConsoleAnnotations(this);
    this.imports = new ConsoleImports(this);
  }

  /** The console API base URL, e.g. `http://host/console/api`. */
  get baseUrl(): string {
    return this.#http.baseUrl;
  }

  /** The Dify version (from `X-Version`, or the `version` option), once `login()` ran; undefined if unknown. */
  get version(): string | undefined {
    return this.#auth.version;
  }

  /** `bearer` (≤ 1.9.1), `cookies` (≥ 1.9.2) or `admin-key`, once logged in. */
  get authMode(): ConsoleAuthMode | undefined {
    return this.#auth.mode;
  }

  /** The password login family used, once logged in with a password. */
  get loginFamily(): ConsoleLoginFamily | undefined {
    return this.#auth.family;
  }

  /** Reads the server's version without logging in (`X-Version` of `GET /system-features`). */
  async detectVersion(): Promise<string | undefined> {
    return (await this.#auth.detectVersion()).version;
  }

  /**
   * Detects the version and logs in (or checks the admin API key). Called implicitly by every request;
   * runs once. Throws `DifyLoginError` with a `reason`; a failed login is rethrown, never retried.
   */
  login(): Promise<void> {
    return this.#auth.ensureLoggedIn();
  }

  /** Ends the session; the next request logs in again. */
  logout(): Promise<void> {
    return this.#auth.logout();
  }

  /** True when the detected version is `minimum` or newer (false while unknown). */
  isVersionAtLeast(minimum: string): boolean {
    const version = this.version === undefined ? undefined : parseDifyVersion(this.version);
    return version !== undefined && isDifyVersionAtLeast(version, minimum);
  }

  /**
   * @internal Sends an authenticated request. On 401 it refreshes the session once and re-sends
   * (a 401 means the request was not executed).
   */
  async send(request: DifyRequest): Promise<DifyHttpResponse> {
    await this.#auth.ensureLoggedIn();
    await this.#auth.refreshIfExpiring();
    const generation = this.#auth.generation;
    let response = await this.#http.send(this.#auth.decorate(request));
    this.#auth.absorb(response);
    if (response.status === 401 && (await this.#auth.recoverFrom401(generation))) {
      response = await this.#http.send(this.#auth.decorate(request));
      this.#auth.absorb(response);
    }
    return response;
  }

  /** @internal Sends an authenticated request and parses its JSON answer (other statuses throw `DifyApiError`). */
  async json<T>(request: DifyRequest, okStatuses: readonly number[] = [200]): Promise<T> {
    return readJson<T>(await this.send(request), endpointOf(request), okStatuses);
  }

  /** @internal The typed error for an unexpected answer. */
  apiError(response: DifyHttpResponse, endpoint: string): DifyApiError {
    return apiErrorFromResponse(response.status, response.text(), endpoint);
  }
}

/** Accepts the host root or the console API base. */
export function consoleApiBase(baseUrl: string): string {
  const trimmed = baseUrl.replace(/\/+$/, '');
  return trimmed.endsWith('/console/api') ? trimmed : `${trimmed}/console/api`;
}
