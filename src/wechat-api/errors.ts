import { MpgateError } from '../errors.js';

/** A WeChat API call answered with a non-zero errcode. `errmsg` has the ` rid:`/` hint:` suffix removed. */
export class WeChatApiError extends MpgateError {
  readonly errcode: number;
  readonly errmsg: string;
  /** WeChat's request id, queryable for 7 days (openapi/rid/get); undefined when the answer carried none. */
  readonly rid: string | undefined;
  /** The API path called, e.g. `/cgi-bin/message/custom/send` (never the query string: it holds the token). */
  readonly path: string;
  /** What to do about it, for the codes a user can act on (40164, 48001, 45009 …); undefined otherwise. */
  readonly hint: string | undefined;
  constructor(init: { errcode: number; errmsg: string; rid?: string | undefined; path: string; hint?: string | undefined }) {
    const rid = init.rid ? ` (rid ${init.rid})` : '';
    const hint = init.hint ? ` — ${init.hint}` : '';
    super('WECHAT_API_ERROR', `WeChat ${init.path} failed: ${init.errcode} ${init.errmsg}${rid}${hint}`);
    this.errcode = init.errcode;
    this.errmsg = init.errmsg;
    this.rid = init.rid;
    this.path = init.path;
    this.hint = init.hint;
  }
}

/** A WeChat API call that got no usable answer (network error, timeout, non-JSON body). */
export class WeChatTransportError extends MpgateError {
  readonly path: string;
  constructor(path: string, message: string, options?: { cause?: unknown }) {
    super('WECHAT_TRANSPORT_ERROR', `WeChat ${path}: ${message}`, options);
    this.path = path;
  }
}

/** Which rule an upload breaks. */
export type UploadRefusal = 'size' | 'format' | 'extension' | 'empty' | 'unreadable';

/**
 * A file refused before any request because WeChat would refuse it (size, format, extension).
 * The message names the file and the limit, e.g. `photo.png: 12.0 MB exceeds the 10 MB limit for image`.
 */
export class WeChatUploadError extends MpgateError {
  /** The file name as given (path basename or the caller's filename). */
  readonly file: string;
  /** The upload kind the limit belongs to, e.g. `image`, `thumb`, `article image`, `permanent voice`. */
  readonly kind: string;
  readonly reason: UploadRefusal;
  /** The size limit in bytes, when the refusal is about size. */
  readonly limitBytes: number | undefined;
  /** The file's size in bytes, when known (a stream over the limit is not read to its end). */
  readonly sizeBytes: number | undefined;
  constructor(init: {
    file: string;
    kind: string;
    reason: UploadRefusal;
    message: string;
    limitBytes?: number;
    sizeBytes?: number;
    cause?: unknown;
  }) {
    super('WECHAT_UPLOAD_REFUSED', `${init.file}: ${init.message}`, init.cause === undefined ? undefined : { cause: init.cause });
    this.file = init.file;
    this.kind = init.kind;
    this.reason = init.reason;
    this.limitBytes = init.limitBytes;
    this.sizeBytes = init.sizeBytes;
  }
}
