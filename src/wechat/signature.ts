import * as nodeCrypto from 'node:crypto';
import { createHash, timingSafeEqual } from 'node:crypto';

// One-shot `crypto.hash` (Node ≥ 20.12) makes no Hash object; older 20.x lines fall back to createHash.
const oneShot = (nodeCrypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;
const sha1Hex: (data: string) => string = oneShot
  ? (data) => oneShot('sha1', data, 'hex')
  : (data) => createHash('sha1').update(data).digest('hex');

/**
 * WeChat's signature: lower-case hex SHA-1 of the parts sorted in code-unit order and joined with no separator.
 * All parts WeChat signs are ASCII, where JS's default sort equals the byte order the platform uses.
 */
export function sha1Signature(parts: readonly string[]): string {
  return digestSorted([...parts]);
}

/** The plain `signature` query parameter: sha1(sort([token, timestamp, nonce])). */
export function computeSignature(token: string, timestamp: string, nonce: string): string {
  return digestSorted([token, timestamp, nonce]);
}

/** The `msg_signature` of safe/compatible mode (and `MsgSignature` of an encrypted reply): adds the Encrypt value. */
export function computeMsgSignature(token: string, timestamp: string, nonce: string, encrypt: string): string {
  return digestSorted([token, timestamp, nonce, encrypt]);
}

/** Sorts `parts` in place (callers pass a fresh array) and hashes them. */
function digestSorted(parts: string[]): string {
  return sha1Hex(parts.sort().join(''));
}

/**
 * Constant-time comparison of a received signature with the expected one.
 * Only the length can leak, and the expected length (40 hex chars) is public anyway.
 */
export function signatureMatches(received: string | undefined | null, expected: string): boolean {
  if (typeof received !== 'string') return false;
  const a = Buffer.from(received, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
