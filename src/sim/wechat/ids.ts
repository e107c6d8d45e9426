import { randomBytes, randomInt } from 'node:crypto';

const URL_SAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `length` characters drawn uniformly from `alphabet` (crypto-random). */
export function randomString(length: number, alphabet: string = URL_SAFE): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

/** Lower-case hex of `bytes` random bytes. */
export function randomHex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

/** An AppID as WeChat issues them: `wx` + 16 hex. */
export function newAppId(): string {
  return `wx${randomHex(8)}`;
}

/** An AppSecret: 32 hex. */
export function newAppSecret(): string {
  return randomHex(16);
}

/** A server-configuration Token (developer-chosen in real life; 3–32 letters/digits). */
export function newCallbackToken(): string {
  return randomString(32, ALNUM);
}

/** An EncodingAESKey: exactly 43 chars of `[a-zA-Z0-9]`. */
export function newEncodingAESKey(): string {
  return randomString(43, ALNUM);
}

/** An original id: `gh_` + 12 hex. */
export function newGhId(): string {
  return `gh_${randomHex(6)}`;
}

/**
 * A per-account openid prefix: real openids of one account share their first characters
 * (e.g. `oJqxQ…`), which makes openids of another account recognisably foreign.
 */
export function newOpenidPrefix(): string {
  return `o${randomString(5)}`;
}

/** A 28-char openid `o…` under the account's prefix. */
export function newOpenid(prefix: string): string {
  return prefix + randomString(28 - prefix.length);
}

const TWO_POW_54 = 1n << 54n;
const TWO_POW_63 = 1n << 63n;

/** A MsgId: a 64-bit decimal string always above 2^53, so code that turns it into a Number loses digits. */
export function newMsgId(): string {
  const r = BigInt(`0x${randomHex(8)}`) % (TWO_POW_63 - TWO_POW_54);
  return (TWO_POW_54 + r).toString();
}

/** An access token: long, `[A-Za-z0-9_-]`, with the numeric generation prefix real tokens have. */
export function newAccessToken(): string {
  return `${randomInt(70, 100)}_${randomString(134)}`;
}

/** A temporary media id (~64 chars). */
export function newTempMediaId(): string {
  return randomString(64);
}

/** A permanent material / draft media id (43 chars). */
export function newPermanentId(): string {
  return randomString(43);
}

/** A request id as WeChat appends to errmsg: `8hex-8hex-8hex` (the first part is the time). */
export function newRid(nowMs: number): string {
  const t = Math.floor(nowMs / 1000).toString(16).padStart(8, '0').slice(-8);
  return `${t}-${randomHex(4)}-${randomHex(4)}`;
}

/** A 9–10 digit nonce as WeChat puts in callback URLs. */
export function newNonce(): string {
  return String(randomInt(100_000_000, 2_147_483_647));
}
