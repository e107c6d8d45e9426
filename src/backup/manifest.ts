import { z } from 'zod';

/** The manifest's file name at the archive root (contract). */
export const MANIFEST_FILE = 'manifest.json';

/** The archive format this code writes and reads. */
export const ARCHIVE_FORMAT_VERSION = 1;

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, { error: 'must be 64 lowercase hex digits (a SHA-256)' });
const relPath = z.string().min(1, { error: 'must not be empty' });
const isoTime = z.string().refine((value) => !Number.isNaN(Date.parse(value)), { error: 'must be an ISO 8601 time' });

const versionEntrySchema = z.object({
  /** The published workflow's id (`workflow_id` of the export). */
  id: z.string().min(1),
  /** Dify's version string, the publication time (`2025-11-20 10:00:00.123456`). */
  version: z.string(),
  markedName: z.string().optional(),
  markedComment: z.string().optional(),
  file: relPath,
  sha256,
});

const annotationsEntrySchema = z.object({
  file: relPath,
  sha256,
  count: z.number().int().min(0),
});

const appEntrySchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  /** The mode the console lists (`agent-chat` for a legacy chat app with agent mode). */
  mode: z.string(),
  file: relPath,
  /** SHA-256 of the DSL file's bytes. */
  sha256,
  /** `version` declared in the DSL. */
  dslVersion: z.string().optional(),
  /** When this copy was exported (an app that failed in a later run keeps its older copy). */
  exportedAt: isoTime.optional(),
  /** Dify's `updated_at` of the app (Unix seconds) when it was exported. */
  updatedAt: z.number().optional(),
  versions: z.array(versionEntrySchema).optional(),
  annotations: annotationsEntrySchema.optional(),
});

const failureSchema = z.object({
  id: z.string(),
  name: z.string(),
  mode: z.string().optional(),
  /** Why the export failed, as the user should read it. */
  error: z.string(),
  /** True when the archive still holds an older copy of the app (from a previous run). */
  keptPreviousCopy: z.boolean().optional(),
});

/** The schema of `manifest.json` (contract fields plus optional extras). */
export const manifestSchema = z.object({
  formatVersion: z.number().int().min(1),
  /** The Dify version (`X-Version`) the apps were exported from, when known. */
  difyVersion: z.string().optional(),
  createdAt: isoTime,
  /** `mpgate <version>`. */
  tool: z.string().optional(),
  source: z.object({
    url: z.string(),
    workspace: z.string().optional(),
    workspaceName: z.string().optional(),
  }),
  /** What the backup was asked to include. */
  options: z
    .object({
      includeSecret: z.boolean(),
      versions: z.boolean(),
      annotations: z.boolean(),
      modes: z.array(z.string()).optional(),
    })
    .optional(),
  apps: z.array(appEntrySchema),
  /** Apps the last run could not export; an archive with failures is incomplete. */
  failures: z.array(failureSchema).optional(),
});

export type Manifest = z.infer<typeof manifestSchema>;
export type ManifestApp = z.infer<typeof appEntrySchema>;
export type ManifestVersion = z.infer<typeof versionEntrySchema>;
export type ManifestAnnotations = z.infer<typeof annotationsEntrySchema>;
export type ManifestFailure = z.infer<typeof failureSchema>;

/** The outcome of reading a manifest: the manifest, or the problems that make it unusable. */
export type ManifestParseResult = { ok: true; manifest: Manifest } | { ok: false; problems: string[] };

/** Parses and validates `manifest.json` text; each problem names the JSON path it is about. */
export function parseManifest(text: string): ManifestParseResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    return { ok: false, problems: [`${MANIFEST_FILE} is not valid JSON: ${(err as Error).message}`] };
  }
  const parsed = manifestSchema.safeParse(data);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((issue) => `${MANIFEST_FILE}: ${issue.path.length > 0 ? `${formatPath(issue.path)}: ` : ''}${issue.message}`),
    };
  }
  if (parsed.data.formatVersion > ARCHIVE_FORMAT_VERSION) {
    return {
      ok: false,
      problems: [`${MANIFEST_FILE}: formatVersion ${parsed.data.formatVersion} is newer than this mpgate understands (${ARCHIVE_FORMAT_VERSION}); upgrade mpgate`],
    };
  }
  return { ok: true, manifest: parsed.data };
}

/** The manifest as written: stable key order, two-space indentation, a final newline. */
export function serializeManifest(manifest: Manifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/** Every file a manifest references, with what it is for (used by verify and by the writer's clean-up). */
export function referencedFiles(manifest: Manifest): Array<{ file: string; sha256: string; kind: 'app' | 'version' | 'annotations'; app: ManifestApp }> {
  const out: Array<{ file: string; sha256: string; kind: 'app' | 'version' | 'annotations'; app: ManifestApp }> = [];
  for (const app of manifest.apps) {
    out.push({ file: app.file, sha256: app.sha256, kind: 'app', app });
    for (const version of app.versions ?? []) out.push({ file: version.file, sha256: version.sha256, kind: 'version', app });
    if (app.annotations) out.push({ file: app.annotations.file, sha256: app.annotations.sha256, kind: 'annotations', app });
  }
  return out;
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => (typeof key === 'number' ? `${out}[${key}]` : out === '' ? String(key) : `${out}.${String(key)}`), '');
}
