import { MpgateError } from '../errors.js';

/** Dify answered with an error status or an `error` stream event. `code` is Dify's own (e.g. `not_found`). */
export class DifyApiError extends MpgateError {
  /** HTTP status; for an `error` event inside a 200 stream, the event's status (or 200 when absent). */
  readonly status: number;
  readonly difyCode: string;
  /** The endpoint called, e.g. `POST /chat-messages`. */
  readonly endpoint: string;
  constructor(init: { status: number; code: string; message: string; endpoint: string }) {
    super('DIFY_API_ERROR', `Dify ${init.endpoint} failed: ${init.status} ${init.code}: ${init.message}`);
    this.status = init.status;
    this.difyCode = init.code;
    this.endpoint = init.endpoint;
  }
}

/** Dify could not be reached, timed out, or sent something that is not Dify's protocol. */
export class DifyTransportError extends MpgateError {
  readonly endpoint: string;
  /** `first_event_timeout`, `idle_timeout`, `network`, `aborted`, `protocol`. */
  readonly reason: string;
  constructor(endpoint: string, reason: string, message: string, options?: { cause?: unknown }) {
    super('DIFY_TRANSPORT_ERROR', `Dify ${endpoint}: ${message}`, options);
    this.endpoint = endpoint;
    this.reason = reason;
  }
}
