import { MpgateError } from '../errors.js';

/** Dify answered with an error status or an `error` stream event. `code` is Dify's own (e.g. `not_found`). */
export class DifyApiError extends MpgateError {
  /** HTTP status; for an `error` event inside a 200 stream, the event's status (or 200 when absent). */
  readonly status: number;
  readonly difyCode: string;
  /** Dify's own message text (the `message` field of its error body), without mpgate's prefix. */
  readonly difyMessage: string;
  /** The endpoint called, e.g. `POST /chat-messages`. */
  readonly endpoint: string;
  /** Dify's optional `params` key (the offending field of some 400s). */
  readonly params: string | undefined;
  constructor(init: { status: number; code: string; message: string; endpoint: string; params?: string | undefined }) {
    super('DIFY_API_ERROR', `Dify ${init.endpoint} failed: ${init.status} ${init.code}: ${init.message}`);
    this.status = init.status;
    this.difyCode = init.code;
    this.difyMessage = init.message;
    this.endpoint = init.endpoint;
    this.params = init.params;
  }
}

/**
 * Why a Dify call got no usable answer:
 * `network` (connection failed), `timeout` (overall timeout), `first_event_timeout` (no data event in time),
 * `idle_timeout` (the stream went silent), `stream_cut` (the stream ended without a terminal event),
 * `aborted` (the caller's signal), `protocol` (an answer that is not Dify's protocol).
 */
export type DifyTransportReason =
  | 'network'
  | 'timeout'
  | 'first_event_timeout'
  | 'idle_timeout'
  | 'stream_cut'
  | 'aborted'
  | 'protocol';

/** Dify could not be reached, timed out, or sent something that is not Dify's protocol. */
export class DifyTransportError extends MpgateError {
  readonly endpoint: string;
  /** `first_event_timeout`, `idle_timeout`, `network`, `aborted`, `protocol`, … (see `DifyTransportReason`). */
  readonly reason: string;
  constructor(endpoint: string, reason: DifyTransportReason | (string & {}), message: string, options?: { cause?: unknown }) {
    super('DIFY_TRANSPORT_ERROR', `Dify ${endpoint}: ${message}`, options);
    this.endpoint = endpoint;
    this.reason = reason;
  }
}

/** Why a console login failed; each one calls for a different action by the user. */
export type DifyLoginFailureReason =
  /** 401 authentication_failed: wrong email or password (the attempt counted towards Dify's lockout). */
  | 'bad_credentials'
  /** 429 email_code_login_limit: too many failed attempts; Dify locks the email out (24 h by default). */
  | 'account_locked'
  /** 400 account_banned. */
  | 'account_banned'
  /** 400 account_in_freeze (Dify Cloud). */
  | 'account_frozen'
  /** 403: the instance has email/password login disabled (SSO or email-code only). */
  | 'password_login_disabled'
  /** 200 result "fail": the account belongs to no workspace. */
  | 'no_workspace'
  /** 401 not_setup / not_init_validated: the Dify instance has not been set up. */
  | 'not_setup'
  /** The detected Dify version (or this auth mode on it) is not supported. */
  | 'version_not_supported'
  /** The session could not be renewed (refresh token rejected); a new login is needed. */
  | 'session_expired'
  /** Neither a password nor an admin API key was configured. */
  | 'no_credentials'
  /** Any other answer. */
  | 'unexpected';

/** A console login (or session refresh) failed; `reason` says why. Never carries the password or a token. */
export class DifyLoginError extends MpgateError {
  readonly reason: DifyLoginFailureReason;
  /** HTTP status of the failing answer, when there was one. */
  readonly status: number | undefined;
  /** Dify's error code, when it sent one. */
  readonly difyCode: string | undefined;
  /** The Dify version detected before logging in, when known. */
  readonly version: string | undefined;
  constructor(init: {
    reason: DifyLoginFailureReason;
    message: string;
    status?: number | undefined;
    difyCode?: string | undefined;
    version?: string | undefined;
    cause?: unknown;
  }) {
    super('DIFY_LOGIN_ERROR', init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.reason = init.reason;
    this.status = init.status;
    this.difyCode = init.difyCode;
    this.version = init.version;
  }
}

/** A feature was asked of a Dify version that does not have it (e.g. export `workflow_id` before 1.8.1). */
export class DifyUnsupportedVersionError extends MpgateError {
  readonly feature: string;
  readonly version: string;
  readonly minimumVersion: string;
  constructor(init: { feature: string; version: string; minimumVersion: string }) {
    super(
      'DIFY_UNSUPPORTED_VERSION',
      `Dify ${init.version} does not support ${init.feature} (needs ${init.minimumVersion} or later)`,
    );
    this.feature = init.feature;
    this.version = init.version;
    this.minimumVersion = init.minimumVersion;
  }
}
