import type { Logger } from 'pino';
import { appRuntimeConfig, type AppRuntimeConfig } from './app-config.js';
import type { CallLog } from './call-log.js';
import type { ConsoleState } from './console/console-state.js';
import { isWorkflowMode } from './dsl.js';
import type { UploadLimitsMb } from './file-rules.js';
import type { PublishedWorkflow, SimAppRecord, SimState } from './state.js';
import type { DifyBehaviour } from './version-profile.js';

/** Options after defaults. */
export interface ResolvedOptions {
  latencyMs: number;
  chunkDelayMs: number;
  chunkSize: number;
  pingIntervalMs: number;
  hangCloseMs: number;
  account: { email: string; password: string; name: string };
  accountStatus: 'active' | 'banned' | 'no-workspace';
  adminApiKey: string | undefined;
  secureCookies: boolean;
  cookieDomain: string | undefined;
  passwordLoginEnabled: boolean;
  loginMaxErrors: number;
  loginLockoutMs: number;
  accessTokenTtlMs: number;
  importConfirmTtlMs: number;
  installedPlugins: string[];
  filesUrl: string | undefined;
  uploadLimits: UploadLimitsMb;
}

/** What every route of the simulator shares. */
export class SimContext {
  behaviour: DifyBehaviour;
  origin = '';
  readonly closing = new AbortController();

  constructor(
    readonly state: SimState,
    readonly consoleState: ConsoleState,
    readonly calls: CallLog,
    readonly options: ResolvedOptions,
    behaviour: DifyBehaviour,
    /** SECRET_KEY: signs console JWTs and file URLs. */
    readonly secret: string,
    readonly logger: Logger,
  ) {
    this.behaviour = behaviour;
  }

  /** FILES_URL: the base of signed file URLs ('' = relative). */
  filesBase(): string {
    return this.options.filesUrl ?? this.origin;
  }

  /** The published workflow the Service API runs (the newest), or undefined when never published. */
  latestPublished(app: SimAppRecord): PublishedWorkflow | undefined {
    return app.published.at(-1);
  }

  /** The configuration the Service API uses: the published workflow for graph apps, the model config otherwise. */
  runtimeFor(app: SimAppRecord, workflow?: PublishedWorkflow): AppRuntimeConfig {
    if (!isWorkflowMode(app.source.meta.mode)) return appRuntimeConfig(app.source);
    const wf = workflow ?? this.latestPublished(app);
    return appRuntimeConfig(app.source, wf?.workflow);
  }

  /** Headers on every response (reference §13). */
  versionHeaders(): Record<string, string> {
    return { 'X-Version': this.behaviour.version, 'X-Env': 'PRODUCTION' };
  }
}
