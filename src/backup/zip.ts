import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import yauzl, { type Entry, type ZipFile as ZipReaderFile } from 'yauzl';
import yazl from 'yazl';
import { tempPathFor } from './atomic-file.js';

/** Options of `writeZipFromDirectory`. */
export interface WriteZipOptions {
  /** The time stored for every entry (default now). */
  mtime?: Date;
  /** Mode of the zip file itself (0o600 when the archive holds secrets). */
  mode?: number;
}

/**
 * Zips `files` (paths relative to `dir`, with `/`) into `zipPath`, streaming each file from disk.
 * The zip is written under a temporary name and renamed into place, so `zipPath` is never half a zip.
 */
export async function writeZipFromDirectory(dir: string, files: readonly string[], zipPath: string, options: WriteZipOptions = {}): Promise<void> {
  const zip = new yazl.ZipFile();
  const mtime = options.mtime ?? new Date();
  for (const file of files) zip.addFile(path.join(dir, ...file.split('/')), file, { mtime, mode: 0o100644 });
  zip.end();
  const temp = tempPathFor(zipPath);
  try {
    await pipeline(zip.outputStream as Readable, createWriteStream(temp, { mode: options.mode ?? 0o666, flags: 'wx' }));
    const handle = await fs.open(temp, 'r+');
    await handle.sync().finally(() => handle.close());
    await fs.rename(temp, zipPath);
  } catch (err) {
    await fs.rm(temp, { force: true });
    throw err;
  }
}

/** An open zip: the names of its file entries, and their contents on demand. */
export interface ZipReader {
  /** File entries (directories left out), in the zip's order. */
  readonly names: readonly string[];
  /** The uncompressed bytes of one entry (CRC and size are checked while reading). */
  read(name: string): Promise<Buffer>;
  close(): void;
}

/**
 * Opens a zip for reading. yauzl refuses absolute and `..` entry names and checks entry sizes, so a
 * tampered zip fails here instead of reaching outside the archive.
 */
export async function openZip(zipPath: string): Promise<ZipReader> {
  const zipfile: ZipReaderFile = await yauzl.openPromise(zipPath, { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: true });
  const entries = new Map<string, Entry>();
  try {
    for await (const entry of zipfile.eachEntry()) {
      if (!entry.fileName.endsWith('/')) entries.set(entry.fileName, entry);
    }
  } catch (err) {
    zipfile.close();
    throw err;
  }
  return {
    names: [...entries.keys()],
    async read(name: string): Promise<Buffer> {
      const entry = entries.get(name);
      if (!entry) throw new Error(`no entry ${name} in the zip`);
      const stream = await zipfile.openReadStreamPromise(entry);
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    },
    close() {
      zipfile.close();
    },
  };
}
