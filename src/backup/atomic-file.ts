import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

/** Every temporary file the backup writes ends with this, so leftovers of a crash are recognisable. */
export const TEMP_FILE_SUFFIX = '.mpgate-tmp';

/** A temporary name next to `target` (same directory, hence the same file system, so rename is atomic). */
export function tempPathFor(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(6).toString('hex')}${TEMP_FILE_SUFFIX}`);
}

/** True for a temporary file left behind by an interrupted write. */
export function isTempFile(fileName: string): boolean {
  return fileName.endsWith(TEMP_FILE_SUFFIX);
}

/** Options of the file writes. */
export interface WriteFileOptions {
  /** File mode for new files, e.g. 0o600 for archives that hold secrets. */
  mode?: number;
  /** Flush the data to disk before the rename (for the manifest: it must never be half written). */
  fsync?: boolean;
}

/** Writes `data` to a temporary file next to `target` and returns its path; the caller renames it into place. */
export async function writeTempFile(target: string, data: string | Uint8Array, options: WriteFileOptions = {}): Promise<string> {
  const temp = tempPathFor(target);
  const handle = await fs.open(temp, 'wx', options.mode ?? 0o666);
  try {
    await handle.writeFile(data);
    if (options.fsync) await handle.sync();
  } catch (err) {
    await handle.close();
    await fs.rm(temp, { force: true });
    throw err;
  }
  await handle.close();
  return temp;
}

/** Replaces `target` atomically: readers see the old content or the new one, never a part. */
export async function writeFileAtomic(target: string, data: string | Uint8Array, options: WriteFileOptions = {}): Promise<void> {
  const temp = await writeTempFile(target, data, options);
  try {
    await fs.rename(temp, target);
  } catch (err) {
    await fs.rm(temp, { force: true });
    throw err;
  }
}
