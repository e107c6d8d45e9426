/**
 * What changes on the wire between Dify releases (reference dify-api.md §2.5, §6, §9, §14–§16, §19, §20).
 * Every knob is derived from the version string and can be overridden one by one, so a test can reproduce a
 * deployment that differs from stock (e.g. a flask-restx that answers the concurrency limit with 429).
 */

/** How console login hands out tokens: ≤ 1.9.1 in the body; 1.9.2+ in cookies; 1.11.2+ also wants a Base64 password. */
export type LoginFamily = 'body-tokens' | 'cookies' | 'cookies-base64-password';

/** Which Chatflow terminal event the generator yields first. */
export type ChatflowTerminalOrder = 'workflow_finished-first' | 'message_end-first';

/** The behaviour switches of one simulated Dify version. */
export interface DifyBehaviour {
  /** The version reported in `X-Version` and `GET /v1/`. */
  readonly version: string;
  readonly loginFamily: LoginFamily;
  /** ≥ 1.10.0: the `__Host-` prefix needs https **and** an empty COOKIE_DOMAIN (1.9.2–1.9.x: https alone). */
  readonly hostPrefixNeedsNoCookieDomain: boolean;
  /** ≥ 1.11.3: the login email is matched case-insensitively. */
  readonly emailCaseInsensitive: boolean;
  /** ≤ 1.9.1: `GET /logout`; later `POST`. */
  readonly logoutMethod: 'GET' | 'POST';
  /** ≥ 1.11.0: the admin API key skips the CSRF check. */
  readonly adminKeyBypassesCsrf: boolean;
  /** DELETE /v1/conversations/:id: 200 `{"result":"success"}` (early 2025) or 204 with no body (mid 2025 on). */
  readonly deleteConversationStatus: 200 | 204;
  /** ≥ 1.13.0: Chatflow and Workflow streams open with a bare `event: ping`. */
  readonly pingFirstFrame: boolean;
  /** Chatflow success: `workflow_finished` then `message_end` (< 1.14), or the reverse (≥ 1.14). */
  readonly chatflowTerminalOrder: ChatflowTerminalOrder;
  /**
   * ≥ 1.13.0: the Redis SSE relay closes the stream as soon as it relays `workflow_finished`, so anything the
   * generator yields after it (1.13's `message_end`, a failure's `error`, a stop's `message_end`) never arrives.
   */
  readonly streamClosesAtWorkflowFinished: boolean;
  /** Per-app concurrency limit: stock flask-restx 1.3.2 maps it to 400 invalid_param; the docs (and other builds) say 429. */
  readonly concurrencyLimitStatus: 400 | 429;
  /** Streaming Chatflow with an unknown/foreign conversation: 404, or (1.13.0–1.14.1, Celery) a ping and then silence. */
  readonly chatflowBadConversation: 'not_found' | 'hang';
  /** Streaming Chatflow with invalid inputs or files: a 400, or (≥ 1.13.0) a ping and then silence. */
  readonly chatflowSetupErrors: 'error' | 'hang';
  /** `CURRENT_DSL_VERSION` written by export and compared by import. */
  readonly dslVersion: string;
  /** Import version check: 1.0–1.3 (major/minor mismatch → pending) or ≥ 1.4 (newer → pending, older minor → warnings). */
  readonly importRule: 'pre-1.4' | '1.4+';
  /** ≥ 1.8.1: export honours `workflow_id`. */
  readonly exportSupportsWorkflowId: boolean;
  /** Default `limit` of GET /apps/:id/workflows (20 in 1.0, 10 in 1.14.1; the switch point is approximate). */
  readonly workflowsDefaultLimit: number;
  /** 1.14.1: `tag_ids` only in the indexed form `tag_ids[0]=…`; a comma list gives 400. */
  readonly indexedTagIds: boolean;
}

/** A parsed `major.minor.patch` version. */
export interface SemVer {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
}

/** The newest Dify release the reference describes; the simulator's default. */
export const LATEST_DIFY_VERSION = '1.14.1';

/** The three version families the reference singles out, one representative each. */
export const DIFY_VERSION_FAMILIES = ['1.9.1', '1.10.1', '1.14.1'] as const;

/** Parses `1.14.1` (a `v` prefix and a `-beta…` suffix are tolerated); throws a TypeError naming the value otherwise. */
export function parseDifyVersion(version: string): SemVer {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?(?:[-+].*)?$/.exec(version.trim());
  if (!m) throw new TypeError(`Dify simulator: version "${version}" is not of the form 1.14.1`);
  const v = { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3] ?? 0) };
  if (v.major < 1) throw new TypeError(`Dify simulator: version ${version} is older than 1.0.0, which the simulator does not cover`);
  return v;
}

/** -1, 0 or 1 as `a` is older than, equal to or newer than `b` (`b` given as a string like '1.9.2'). */
export function compareVersion(a: SemVer, b: string): number {
  const other = parseDifyVersion(b);
  for (const key of ['major', 'minor', 'patch'] as const) {
    if (a[key] !== other[key]) return a[key] < other[key] ? -1 : 1;
  }
  return 0;
}

function dslVersionFor(v: SemVer): string {
  const at = (x: string) => compareVersion(v, x) >= 0;
  if (at('1.13.0')) return '0.6.0';
  if (at('1.10.0')) return '0.5.0';
  if (at('1.8.0')) return '0.4.0';
  if (at('1.7.0')) return '0.3.1';
  if (at('1.4.0')) return '0.3.0';
  if (at('1.3.0')) return '0.2.0';
  return '0.1.5';
}

/** The behaviour of `version`, with `overrides` applied on top. */
export function difyBehaviour(version: string, overrides: Partial<Omit<DifyBehaviour, 'version'>> = {}): DifyBehaviour {
  const v = parseDifyVersion(version);
  const at = (x: string) => compareVersion(v, x) >= 0;
  const base: DifyBehaviour = {
    version: `${v.major}.${v.minor}.${v.patch}`,
    loginFamily: at('1.11.2') ? 'cookies-base64-password' : at('1.9.2') ? 'cookies' : 'body-tokens',
    hostPrefixNeedsNoCookieDomain: at('1.10.0'),
    emailCaseInsensitive: at('1.11.3'),
    logoutMethod: at('1.9.2') ? 'POST' : 'GET',
    adminKeyBypassesCsrf: at('1.11.0'),
    deleteConversationStatus: at('1.5.0') ? 204 : 200,
    pingFirstFrame: at('1.13.0'),
    chatflowTerminalOrder: at('1.14.0') ? 'message_end-first' : 'workflow_finished-first',
    streamClosesAtWorkflowFinished: at('1.13.0'),
    concurrencyLimitStatus: 400,
    chatflowBadConversation: at('1.13.0') && !at('1.14.2') ? 'hang' : 'not_found',
    chatflowSetupErrors: at('1.13.0') ? 'hang' : 'error',
    dslVersion: dslVersionFor(v),
    importRule: at('1.4.0') ? '1.4+' : 'pre-1.4',
    exportSupportsWorkflowId: at('1.8.1'),
    workflowsDefaultLimit: at('1.13.0') ? 10 : 20,
    indexedTagIds: at('1.14.1'),
  };
  return { ...base, ...overrides, version: base.version };
}
