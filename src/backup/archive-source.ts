import fs from 'node:fs/promises';
import path from 'node:path';
import { ArchiveReadError } from './errors.js';
import { openZip } from './zip.js';

/** A backup archive opened for reading, whether a directory or a zip of the same layout. */
export interface ArchiveSource {
  readonly kind: 'directory' | 'zip';
  /** The path as given. */
  readonly location: string;
  /** Every file in the archive, as `/`-separated paths relative to its root. */
  readonly files: readonly string[];
  /** The bytes of one file (relative path). */
  read(file: string): Promise<Buffer>;
  close(): Promise<void>;
}

const ZIP_MAGIC = Buffer.from([0x50, 0x4b]); // "PK"

/** Opens an archive directory or zip; throws `ArchiveReadError` naming the path when it cannot. */
export async function openArchive(location: string): Promise<ArchiveSource> {
  const stat = await fs.stat(location).catch((err: NodeJS.ErrnoException) => {
    throw new ArchiveReadError(location, err.code === 'ENOENT' ? 'no such archive (neither a directory nor a zip file)' : `cannot read: ${err.message}`, { cause: err });
  });
  if (stat.isDirectory()) return openDirectory(location);
  if (!stat.isFile()) throw new ArchiveReadError(location, 'is neither a directory nor a zip file');
  const head = Buffer.alloc(2);
  const handle = await fs.open(location, 'r');
  await handle.read(head, 0, 2, 0).finally(() => handle.close());
  if (!head.equals(ZIP_MAGIC)) throw new ArchiveReadError(location, 'is a file but not a zip archive');
  try {
    const zip = await openZip(location);
    return {
      kind: 'zip',
      location,
      files: zip.names,
      read: (file) => zip.read(file),
      close: async () => zip.close(),
    };
  } catch (err) {
    throw new ArchiveReadError(location, `broken zip: ${(err as Error).message}`, { cause: err });
  }
}

async function openDirectory(root: string): Promise<ArchiveSource> {
  const entries = await fs.readdir(root, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((entry) => entry.isFile() || entry.isSymbolicLink())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort();
  return {
    kind: 'directory',
    location: root,
    files,
    read: (file) => fs.readFile(path.join(root, ...file.split('/'))),
    close: async () => undefined,
  };
}
