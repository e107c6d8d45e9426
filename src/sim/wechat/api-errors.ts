/**
 * The errmsg WeChat returns for each errcode the simulator produces (reference §4–9). Where the reference
 * marks the English text as unverified, the text is the one SDK enums carry; clients must key on errcode.
 */
export const ERRMSG: Readonly<Record<number, string>> = {
  [-1]: 'system error',
  0: 'ok',
  40001: 'invalid credential, access_token is invalid or not latest',
  40002: 'invalid grant_type',
  40003: 'invalid openid',
  40004: 'invalid media type',
  40005: 'invalid file type',
  40006: 'invalid meida size',
  40007: 'invalid media_id',
  40008: 'invalid message type',
  40009: 'invalid image size',
  40010: 'invalid voice size',
  40011: 'invalid video size',
  40012: 'invalid thumb size',
  40013: 'invalid appid',
  40014: 'invalid access_token',
  40016: 'invalid button size',
  40017: 'invalid button type',
  40018: 'invalid button name size',
  40019: 'invalid button key size',
  40020: 'invalid button url size',
  40022: 'invalid sub_menu level',
  40023: 'invalid sub button size',
  40024: 'invalid sub button type',
  40025: 'invalid sub button name size',
  40026: 'invalid sub button key size',
  40027: 'invalid sub button url size',
  40066: 'invalid url',
  40114: 'invalid index value',
  40125: 'invalid appsecret',
  41001: 'access_token missing',
  41002: 'appid missing',
  41004: 'appsecret missing',
  41005: 'media data missing',
  41039: 'invalid content_source_url',
  42001: 'access_token expired',
  43002: 'require POST method',
  44001: 'empty media data',
  44002: 'empty post data',
  44003: 'empty news data',
  44004: 'empty content',
  45001: 'media size out of limit',
  45002: 'content size out of limit',
  45003: 'title size out of limit',
  45004: 'description size out of limit',
  45008: 'article size out of limit',
  45009: 'reach max api daily quota limit',
  45011: 'api minute-quota reach limit, must slower, retry next minute',
  45015: 'response out of time limit or subscription is canceled',
  45047: 'out of response count limit',
  45072: 'command字段取值不对',
  45080: '下发输入状态，需要之前30秒内跟用户有过消息交互',
  45081: '已经在输入状态，不可重复下发',
  45110: 'author size out of limit',
  45166: 'invalid content',
  46003: 'menu no exist',
  47001: 'data format error',
  48001: 'api unauthorized',
  48005: 'forbid to delete material used by auto-reply or menu',
  48006: 'forbid to clear quota because of reaching the limit',
  53600: 'invalid article id',
};

/** The modern 40001 text on business APIs (the reference's §5.3 suffix, before the rid). */
export const STALE_TOKEN_ERRMSG =
  'invalid credential, access_token is invalid or not latest, could get access_token by getStableAccessToken, more details at https://mmbizurl.cn/s/JtxxFh33r';

/** The 40164 text for a caller IP, in WeChat's format (`invalid ip X ipv6 ::ffff:X, not in whitelist`). */
export function ipNotWhitelistedErrmsg(ip: string): string {
  const v4 = ip.startsWith('::ffff:') ? ip.slice('::ffff:'.length) : ip;
  const v6 = v4.includes(':') ? v4 : `::ffff:${v4}`;
  return `invalid ip ${v4} ipv6 ${v6}, not in whitelist`;
}

/** A refusal thrown by an API handler; the router turns it into the `{errcode, errmsg}` envelope with a rid. */
export class SimApiError extends Error {
  readonly errcode: number;
  readonly errmsg: string;
  constructor(errcode: number, errmsg?: string) {
    const text = errmsg ?? ERRMSG[errcode] ?? 'system error';
    super(`${errcode} ${text}`);
    this.name = 'SimApiError';
    this.errcode = errcode;
    this.errmsg = text;
  }
}

/** Throws the errcode with its standard errmsg. */
export function refuse(errcode: number, errmsg?: string): never {
  throw new SimApiError(errcode, errmsg);
}
