/**
 * What a user can do about an errcode. Only codes with a concrete action get a hint; the text names the
 * setting or limit involved (reference wechat-platform.md §4–9), never a credential.
 */

/** Codes meaning "this access token is no longer good": refresh and retry once. */
export const TOKEN_INVALID_CODES: ReadonlySet<number> = new Set([40001, 40014, 42001]);

/** Errcode -1: WeChat is busy; the only code retried with backoff. */
export const BUSY_CODE = -1;

const TOKEN_PATHS = new Set(['/cgi-bin/token', '/cgi-bin/stable_token']);

const HINTS: Record<number, string> = {
  [-1]: 'WeChat is busy (system error); retried with backoff, try again later',
  40002: 'the token request must use grant_type=client_credential',
  40003: 'the openid does not belong to this account (openids are per 公众号)',
  40004: 'invalid media type: use image, voice, video or thumb (news for batchget)',
  40005: 'WeChat did not accept the file type: send a filename whose extension matches the content',
  40006: 'file too large for WeChat: temporary images may be capped at 2 MB even though the doc says 10 MB — compress it or upload it as permanent material',
  40007: 'invalid media_id: temporary media expires after 3 days; drafts and articles need permanent material ids',
  40009: 'image too large or of the wrong type (article images: jpg/png under 1 MB)',
  40013: 'invalid AppID: check the account appId',
  40125: 'invalid AppSecret: check the account appSecret (reset it in 公众平台 → 设置与开发 → 基本配置 if unsure)',
  40243: 'the AppSecret is frozen: unfreeze or reset it in 公众平台',
  41005: 'WeChat received no file: the multipart field must be "media" with a filename',
  43002: 'this API requires POST',
  43004: 'the user has not followed (subscribed to) the account',
  45007: 'voice too long: WeChat accepts at most 60 s',
  45008: 'a news message may carry only 1 article',
  45009: 'the daily API quota is used up; it resets at midnight (Beijing time) or with clear_quota — not retried',
  45011: 'the per-minute API quota is used up; retry next minute',
  45015: 'the 客服 window is closed: the user has not written in the last 48 h, or has unsubscribed',
  45047: 'the 客服 quota for this user is used up (5 messages per user message within 48 h)',
  45080: 'typing needs an interaction with the user in the last 30 s',
  45081: 'already typing: the indicator lasts 15 s and cannot be re-sent while active',
  45166: 'WeChat rejected the article content',
  46003: 'the account has no menu',
  48001: 'the account lacks permission for this API (unverified account? 客服 and freepublish need a verified 公众号)',
  48005: 'the material is still referenced by a menu or an auto-reply',
  50004: 'the token API is forbidden for this account',
  50007: 'the account is frozen',
  53503: 'the draft failed the publish check',
  53504: 'this draft must be published from the MP website',
  53505: 'save the draft manually in the MP website first',
  53600: 'invalid article_id: use the article_id from freepublish/get or PUBLISHJOBFINISH',
  89503: 'this IP needs the administrator to confirm the call in 公众平台',
  89506: 'the administrator rejected calls from this IP; retry after 24 h',
  89507: 'the administrator rejected calls from this IP; retry after 1 h',
};

/** The actionable hint for an errcode on `path`, or undefined when there is nothing specific to do. */
export function hintFor(errcode: number, errmsg: string, path: string): string | undefined {
  if (errcode === 40164) {
    const ip = /invalid ip\s+(\S+?),?\s/i.exec(`${errmsg} `)?.[1];
    const who = ip ? `this server's egress IP (${ip})` : "this server's egress IP";
    return `add ${who} to the IP whitelist (公众平台 → 设置与开发 → 基本配置 → IP白名单), or set wechat.apiBase to a proxy whose IP is whitelisted`;
  }
  if (errcode === 40001 && TOKEN_PATHS.has(path)) return 'invalid credential: check the account appSecret';
  if (TOKEN_INVALID_CODES.has(errcode)) {
    return 'the access token was rejected even after a refresh: another program may be refreshing this AppID\'s token (share one token store)';
  }
  return HINTS[errcode];
}
