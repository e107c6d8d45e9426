import fs from 'node:fs/promises';
import path from 'node:path';
import { isTempFile, writeFileAtomic, writeTempFile } from './atomic-file.js';
import { MANIFEST_FILE, parseManifest, referencedFiles, serializeManifest, type Manifest } from './manifest.js';
import { sha256Hex } from './sha256.js';

/** Renames done at once at commit (the libuv pool has 4 threads; a few more keep it busy). */
const RENAME_BATCH = 16;

/** Options of `ArchiveWriter.open`. */
export interface ArchiveWriterOptions {
  /** Mode of new files (0o600 when the archive holds secrets). */
  fileMode?: number;
  /** Mode of new directories (0o700 when the archive holds secrets). */
  dirMode?: number;
}

/** What `put` did with a file. */
export interface PutResult {
  sha256: string;
  /** False when the file already had exactly these bytes and was left untouched. */
  changed: boolean;
}

/**
 * Writes one archive directory, possibly over an earlier backup. Files whose bytes did not change are
 * left alone; changed ones are written to temporary files and renamed into place at `commit`, which
 * then removes files the new manifest no longer lists and writes `manifest.json` last, atomically.
 * A crash therefore never leaves a half-written manifest or file, only `*.mpgate-tmp` leftovers,
 * which the next run removes.
 */
export class ArchiveWriter {
  readonly root: string;
  /** The manifest of the backup already in this directory, when there is a readable one. */
  readonly previous: Manifest | undefined;
  readonly #options: ArchiveWriterOptions;
  readonly #pending = new Map<string, string>(); // target → temp
  readonly #written = new Set<string>();
  readonly #madeDirs = new Set<string>();
  #done = false;

  private constructor(root: string, previous: Manifest | undefined, options: ArchiveWriterOptions) {
    this.root = root;
    this.previous = previous;
    this.#options = options;
  }

  /** Creates the directory if needed, reads an existing manifest and removes leftovers of a crashed run. */
  static async open(location: string, options: ArchiveWriterOptions = {}): Promise<ArchiveWriter> {
    const root = path.resolve(location);
    await fs.mkdir(root, { recursive: true, mode: options.dirMode });
    let previous: Manifest | undefined;
    const text = await fs.readFile(path.join(root, MANIFEST_FILE), 'utf8').catch(() => undefined);
    if (text !== undefined) {
      const parsed = parseManifest(text);
      if (parsed.ok) previous = parsed.manifest;
    }
    const entries = await fs.readdir(root, { recursive: true, withFileTypes: true });
    await Promise.all(entries.filter((e) => e.isFile() && isTempFile(e.name)).map((e) => fs.rm(path.join(e.parentPath, e.name), { force: true })));
    return new ArchiveWriter(root, previous, options);
  }

  /** Stages a file (relative path with `/`); identical bytes already on disk are not rewritten. */
  async put(relPath: string, data: string | Uint8Array): Promise<PutResult> {
    this.#assertOpen();
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    const sha256 = sha256Hex(bytes);
    const target = this.#absolute(relPath);
    this.#written.add(relPath);
    const existing = await fs.readFile(target).catch(() => undefined);
    if (existing !== undefined && sha256Hex(existing) === sha256) {
      await this.#discardPending(target);
      return { sha256, changed: false };
    }
    const dir = path.dirname(target);
    if (dir !== this.root && !this.#madeDirs.has(dir)) {
      await fs.mkdir(dir, { recursive: true, mode: this.#options.dirMode });
      this.#madeDirs.add(dir);
    }
    const temp = await writeTempFile(target, bytes, { mode: this.#options.fileMode });
    await this.#discardPending(target);
    this.#pending.set(target, temp);
    return { sha256, changed: true };
  }

  /** Forgets staged files (an app whose export failed half-way): they are neither written nor kept. */
  async discard(relPaths: readonly string[]): Promise<void> {
    this.#assertOpen();
    for (const relPath of relPaths) {
      this.#written.delete(relPath);
      await this.#discardPending(this.#absolute(relPath));
    }
  }

  /** Keeps a file of the previous backup (e.g. the older copy of an app that failed this time). */
  keep(relPath: string): void {
    this.#assertOpen();
    this.#written.add(relPath);
  }

  /**
   * Moves the staged files into place, deletes the files of the previous manifest that `manifest`
   * no longer references, and writes the manifest atomically (flushed to disk before the rename).
   */
  async commit(manifest: Manifest): Promise<void> {
    this.#assertOpen();
    this.#done = true;
    const moves = [...this.#pending];
    this.#pending.clear();
    for (let i = 0; i < moves.length; i += RENAME_BATCH) {
      await Promise.all(moves.slice(i, i + RENAME_BATCH).map(([target, temp]) => fs.rename(temp, target)));
    }
    const now = new Set(referencedFiles(manifest).map((ref) => ref.file));
    const obsolete = this.previous ? referencedFiles(this.previous).map((ref) => ref.file).filter((file) => !now.has(file) && !this.#written.has(file)) : [];
    for (const file of obsolete) await this.#removeWithEmptyParents(file);
    await writeFileAtomic(path.join(this.root, MANIFEST_FILE), serializeManifest(manifest), { fsync: true, mode: this.#options.fileMode });
  }

  /** Drops every staged file (after a fatal error); the directory keeps its previous content. */
  async abort(): Promise<void> {
    this.#done = true;
    await Promise.all([...this.#pending.values()].map((temp) => fs.rm(temp, { force: true })));
    this.#pending.clear();
  }

  async #discardPending(target: string): Promise<void> {
    const temp = this.#pending.get(target);
    if (temp === undefined) return;
    this.#pending.delete(target);
    await fs.rm(temp, { force: true });
  }

  async #removeWithEmptyParents(relPath: string): Promise<void> {
    const target = this.#absolute(relPath);
    await fs.rm(target, { force: true });
    let dir = path.dirname(target);
    while (dir.startsWith(this.root + path.sep)) {
      try {
        await fs.rmdir(dir); // only succeeds when empty
      } catch {
        return;
      }
      dir = path.dirname(dir);
    }
  }

  #absolute(relPath: string): string {
    const target = path.resolve(this.root, ...relPath.split('/'));
    if (!target.startsWith(this.root.endsWith(path.sep) ? this.root : this.root + path.sep)) {
      throw new Error(`archive path ${relPath} points outside the archive`);
    }
    return target;
  }

  #assertOpen(): void {
    if (this.#done) throw new Error('ArchiveWriter: already committed or aborted');
  }
}
