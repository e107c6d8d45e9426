import fs from 'node:fs/promises';
import path from 'node:path';
import { openArchive } from './archive-source.js';
import { MANIFEST_FILE, parseManifest } from './manifest.js';

/** Name prefix of dated archives; retention never touches anything else in the folder. */
const PREFIX = 'dify-backup-';
const DATED_NAME = /^dify-backup-(\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z)(?:-(\d+))?(\.zip)?$/;

/** `dify-backup-2026-11-22T04-05-06Z`: UTC, sortable, no colons (Windows cannot have them). */
export function datedArchiveName(at: Date): string {
  return `${PREFIX}${at.toISOString().slice(0, 19).replace(/:/g, '-')}Z`;
}

/** A fresh dated archive path in `parent` (with `-2`, `-3`… when two runs start in the same second). */
export async function allocateDatedArchive(parent: string, at: Date, zip: boolean): Promise<string> {
  const base = datedArchiveName(at);
  for (let n = 1; ; n += 1) {
    const candidate = path.join(parent, `${base}${n === 1 ? '' : `-${n}`}${zip ? '.zip' : ''}`);
    const taken = await fs.stat(candidate).then(
      () => true,
      () => false,
    );
    if (!taken) return candidate;
  }
}

/** One dated archive found in a parent folder. */
export interface DatedArchive {
  path: string;
  name: string;
  /** The time in the name, then the `-n` suffix: the order they were made in. */
  sortKey: string;
}

/** The dated archives (folders and zips) in `parent`, oldest first. */
export async function listDatedArchives(parent: string): Promise<DatedArchive[]> {
  const names = await fs.readdir(parent).catch(() => [] as string[]);
  return names
    .map((name) => ({ name, match: DATED_NAME.exec(name) }))
    .filter((x): x is { name: string; match: RegExpExecArray } => x.match !== null)
    .map(({ name, match }) => ({ path: path.join(parent, name), name, sortKey: `${match[1]}#${(match[2] ?? '1').padStart(6, '0')}` }))
    .sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));
}

/**
 * Applies `keep`: the `keep` newest *complete* archives stay (a readable manifest with no failures),
 * and so does anything newer than the oldest of them; older archives are deleted. A run of failed
 * backups can therefore never push the last good archives out. Returns the deleted paths.
 */
export async function pruneDatedArchives(parent: string, keep: number): Promise<string[]> {
  if (!Number.isInteger(keep) || keep < 1) throw new RangeError(`keep must be a whole number ≥ 1 (got ${keep})`);
  const archives = await listDatedArchives(parent);
  let complete = 0;
  let cut = -1; // index of the oldest archive to keep
  for (let i = archives.length - 1; i >= 0; i -= 1) {
    if (await isComplete((archives[i] as DatedArchive).path)) complete += 1;
    if (complete === keep) {
      cut = i;
      break;
    }
  }
  if (cut <= 0) return [];
  const doomed = archives.slice(0, cut);
  for (const archive of doomed) await fs.rm(archive.path, { recursive: true, force: true });
  return doomed.map((archive) => archive.path);
}

async function isComplete(location: string): Promise<boolean> {
  try {
    const source = await openArchive(location);
    try {
      if (!source.files.includes(MANIFEST_FILE)) return false;
      const parsed = parseManifest((await source.read(MANIFEST_FILE)).toString('utf8'));
      return parsed.ok && (parsed.manifest.failures ?? []).length === 0;
    } finally {
      await source.close();
    }
  } catch {
    return false;
  }
}
