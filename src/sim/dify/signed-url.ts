import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Dify serves files at signed URLs: `?timestamp=&nonce=&sign=` where sign = urlsafe-base64(HMAC-SHA256(SECRET_KEY,
 * "<purpose>|<id>|<timestamp>|<nonce>")), valid for FILES_ACCESS_TIMEOUT (300 s).
 */

/** FILES_ACCESS_TIMEOUT default. */
export const FILES_ACCESS_TIMEOUT_MS = 300_000;

function sign(secret: string, purpose: string, id: string, timestamp: string, nonce: string): string {
  return createHmac('sha256', secret).update(`${purpose}|${id}|${timestamp}|${nonce}`).digest('base64url');
}

/** The query string (without `?`) that signs access to `id` for `purpose`. */
export function signedQuery(secret: string, purpose: 'file-preview' | 'image-preview', id: string, nowMs: number): string {
  const timestamp = String(Math.floor(nowMs / 1000));
  const nonce = randomBytes(16).toString('hex');
  return `timestamp=${timestamp}&nonce=${nonce}&sign=${sign(secret, purpose, id, timestamp, nonce)}`;
}

/** Checks a signed query for `id`; false when the signature is wrong or older than FILES_ACCESS_TIMEOUT. */
export function verifySignedQuery(
  secret: string,
  purpose: 'file-preview' | 'image-preview',
  id: string,
  query: { timestamp?: string; nonce?: string; sign?: string },
  nowMs: number,
): boolean {
  const { timestamp, nonce, sign: given } = query;
  if (!timestamp || !nonce || !given) return false;
  const expected = Buffer.from(sign(secret, purpose, id, timestamp, nonce));
  const got = Buffer.from(given);
  if (expected.length !== got.length || !timingSafeEqual(expected, got)) return false;
  return nowMs - Number(timestamp) * 1000 <= FILES_ACCESS_TIMEOUT_MS;
}
