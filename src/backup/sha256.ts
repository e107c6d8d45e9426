import { createHash } from 'node:crypto';

/** Lowercase hex SHA-256 of bytes or UTF-8 text (the hash the manifest records for every file). */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
