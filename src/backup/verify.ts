import { openArchive, type ArchiveSource } from './archive-source.js';
import { isTempFile } from './atomic-file.js';
import { inspectDsl } from './dsl-shape.js';
import { ArchiveReadError } from './errors.js';
import { unsafePathReason } from './file-name.js';
import { MANIFEST_FILE, parseManifest, referencedFiles, type Manifest, type ManifestFailure } from './manifest.js';
import { sha256Hex } from './sha256.js';

/** One thing wrong with an archive. */
export interface VerifyProblem {
  /** The archive-relative file it is about, when it is about one. */
  file?: string;
  message: string;
}

/** The outcome of `verifyArchive`. */
export interface VerifyReport {
  /** True when there is no problem (an archive that records failed apps can still be intact). */
  ok: boolean;
  archive: string;
  kind: 'directory' | 'zip' | undefined;
  problems: VerifyProblem[];
  /** The manifest, when it could be read. */
  manifest: Manifest | undefined;
  /** Apps the backup could not export (recorded in the manifest): the archive is intact but incomplete. */
  failures: ManifestFailure[];
  counts: { apps: number; versions: number; annotations: number; files: number };
}

/**
 * Checks an archive (directory or zip): the manifest is present and well-formed, every file it lists
 * exists with the recorded SHA-256, every DSL parses as YAML and looks like a Dify DSL, annotations
 * parse, and there is no file the manifest does not list.
 */
export async function verifyArchive(location: string): Promise<VerifyReport> {
  const report: VerifyReport = { ok: false, archive: location, kind: undefined, problems: [], manifest: undefined, failures: [], counts: { apps: 0, versions: 0, annotations: 0, files: 0 } };
  let source: ArchiveSource;
  try {
    source = await openArchive(location);
  } catch (err) {
    if (!(err instanceof ArchiveReadError)) throw err;
    report.problems.push({ message: err.message });
    return report;
  }
  try {
    report.kind = source.kind;
    await checkSource(source, report);
  } finally {
    await source.close();
  }
  report.ok = report.problems.length === 0;
  return report;
}

async function checkSource(source: ArchiveSource, report: VerifyReport): Promise<void> {
  const problems = report.problems;
  const present = new Set(source.files);
  report.counts.files = source.files.length;
  if (!present.has(MANIFEST_FILE)) {
    problems.push({ file: MANIFEST_FILE, message: `${MANIFEST_FILE} is missing: this is not an mpgate Dify archive, or it is incomplete` });
    return;
  }
  const parsed = parseManifest((await source.read(MANIFEST_FILE)).toString('utf8'));
  if (!parsed.ok) {
    for (const message of parsed.problems) problems.push({ file: MANIFEST_FILE, message });
    return;
  }
  const manifest = parsed.manifest;
  report.manifest = manifest;
  report.failures = manifest.failures ?? [];
  report.counts.apps = manifest.apps.length;

  const seenIds = new Set<string>();
  for (const app of manifest.apps) {
    if (seenIds.has(app.id)) problems.push({ file: MANIFEST_FILE, message: `app ${app.id} is listed twice` });
    seenIds.add(app.id);
  }

  const referenced = new Set<string>([MANIFEST_FILE]);
  for (const ref of referencedFiles(manifest)) {
    const label = `${ref.kind === 'app' ? 'DSL' : ref.kind === 'version' ? 'version DSL' : 'annotations'} of "${ref.app.name}" (${ref.app.id})`;
    const unsafe = unsafePathReason(ref.file);
    if (unsafe !== undefined) {
      problems.push({ file: ref.file, message: `the manifest names an unsafe path for the ${label}: it ${unsafe}` });
      continue;
    }
    if (referenced.has(ref.file)) {
      problems.push({ file: ref.file, message: `listed more than once in the manifest (again for the ${label})` });
      continue;
    }
    referenced.add(ref.file);
    if (ref.kind === 'version') report.counts.versions += 1;
    if (ref.kind === 'annotations') report.counts.annotations += 1;
    if (!present.has(ref.file)) {
      problems.push({ file: ref.file, message: `missing: the ${label} is in the manifest but not in the archive` });
      continue;
    }
    const bytes = await source.read(ref.file);
    const actual = sha256Hex(bytes);
    if (actual !== ref.sha256) {
      problems.push({ file: ref.file, message: `SHA-256 mismatch for the ${label}: the manifest says ${ref.sha256}, the file has ${actual} (changed after the backup)` });
    }
    const text = bytes.toString('utf8');
    if (ref.kind === 'annotations') {
      const problem = annotationsProblem(text, ref.app.annotations?.count ?? 0);
      if (problem) problems.push({ file: ref.file, message: problem });
    } else {
      const inspection = inspectDsl(text);
      if (!inspection.ok) problems.push({ file: ref.file, message: `the ${label} ${inspection.problem}` });
    }
  }

  for (const file of source.files) {
    if (referenced.has(file)) continue;
    problems.push({
      file,
      message: isTempFile(file.split('/').at(-1) ?? file) ? 'leftover temporary file of an interrupted backup' : 'extra file: not listed in the manifest',
    });
  }
}

function annotationsProblem(text: string, expected: number): string | undefined {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    return `annotations are not valid JSON: ${(err as Error).message}`;
  }
  const list = (data as { annotations?: unknown } | null)?.annotations;
  if (!Array.isArray(list)) return 'annotations file has no "annotations" list';
  if (list.length !== expected) return `annotations file holds ${list.length} annotations, the manifest says ${expected}`;
  return undefined;
}
