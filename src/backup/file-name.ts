/**
 * File names inside an archive. They must be safe on Windows, macOS and Linux, inside a zip, and unique
 * even when two apps share a name, so each one ends with the app's id. CJK and other scripts are kept
 * as they are (every current file system and zip tool handles UTF-8 names), which keeps them readable.
 */

/** Longest readable part of a name, in code points; the id suffix comes on top. */
const MAX_SLUG_CODE_POINTS = 40;
/** …and in UTF-8 bytes (CJK takes 3 bytes a character; a path component may have at most 255). */
const MAX_SLUG_BYTES = 90;

/**
 * A readable, file-system-safe slug of `text`: NFKC (full-width forms become ASCII), anything but letters,
 * marks, digits, `_` and `.` becomes `-`, no leading or trailing `-`/`.`/`_` (hidden files on Unix,
 * names Windows cannot hold). Empty when nothing readable is left.
 */
export function slugify(text: string): string {
  const normalized = text.normalize('NFKC');
  const replaced = normalized.replace(/[^\p{L}\p{M}\p{N}_.]+/gu, '-').replace(/-{2,}/g, '-');
  let slug = '';
  let bytes = 0;
  for (const ch of replaced) {
    const size = Buffer.byteLength(ch, 'utf8');
    if ([...slug].length >= MAX_SLUG_CODE_POINTS || bytes + size > MAX_SLUG_BYTES) break;
    slug += ch;
    bytes += size;
  }
  return slug.replace(/^[-._]+|[-._]+$/g, '');
}

/** An id as it may appear in a file name (Dify ids are UUIDs; anything else is reduced to `[A-Za-z0-9-]`). */
export function safeId(id: string): string {
  const cleaned = id.replace(/[^A-Za-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
  return cleaned === '' ? 'no-id' : cleaned;
}

/**
 * The stem of an app's files: `<slug of the name>--<app id>`, e.g. `客服助手--0b5a…`. The id makes it
 * unique (also on case-insensitive file systems) and keeps Windows' reserved names (CON, NUL…) out.
 */
export function appFileStem(name: string, id: string): string {
  return `${slugify(name) || 'app'}--${safeId(id)}`;
}

/** The archive-relative path of an app's DSL. */
export function appDslPath(stem: string): string {
  return `${stem}.yml`;
}

/** The archive-relative path of a published workflow version's DSL. */
export function versionDslPath(stem: string, version: string, workflowId: string): string {
  // "2025-11-20 10:00:00.123456" → "2025-11-20T10-00-00": sortable, no colons.
  const match = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(version);
  const label = match ? `${match[1]}T${match[2]}-${match[3]}-${match[4]}` : slugify(version) || 'version';
  return `${stem}/versions/${label}--${safeId(workflowId)}.yml`;
}

/** The archive-relative path of an app's annotations. */
export function annotationsPath(stem: string): string {
  return `${stem}/annotations.json`;
}

/**
 * Why an archive-relative path is unsafe to open, or undefined when it is fine: no absolute paths, no
 * `..`, no backslashes or drive letters (a tampered manifest or zip must not reach outside the archive).
 */
export function unsafePathReason(relPath: string): string | undefined {
  if (relPath === '') return 'empty path';
  if (relPath.includes('\\')) return 'contains a backslash';
  if (relPath.startsWith('/') || /^[A-Za-z]:/.test(relPath)) return 'is absolute';
  if (relPath.includes('\0')) return 'contains a NUL byte';
  if (relPath.split('/').some((part) => part === '..' || part === '.' || part === '')) return 'has an empty, "." or ".." segment';
  return undefined;
}
