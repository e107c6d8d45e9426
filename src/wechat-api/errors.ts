import { MpgateError } from '../errors.js';

/** A WeChat API call answered with a non-zero errcode. `errmsg` has the ` rid:`/` hint:` suffix removed. */
export class WeChatApiError extends MpgateError {
  readonly errcode: number;
  readonly errmsg: string;
  /** WeChat's request id, queryable for 7 days (openapi/rid/get); undefined when the answer carried none. */
  readonly rid: string | undefined;
  /** The API path called, e.g. `/cgi-bin/message/custom/send` (never the query string: it holds the token). */
  readonly path: string;
  constructor(init: { errcode: number; errmsg: string; rid?: string | undefined; path: string; hint?: string }) {
    const rid = init.rid ? ` (rid ${init.rid})` : '';
    const hint = init.hint ? ` — ${init.hint}` : '';
    super('WECHAT_API_ERROR', `WeChat ${init.path} failed: ${init.errcode} ${init.errmsg}${rid}${hint}`);
    this.errcode = init.errcode;
    this.errmsg = init.errmsg;
    this.rid = init.rid;
    this.path = init.path;
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
