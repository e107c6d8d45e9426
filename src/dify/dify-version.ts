/** A Dify release number (`X-Version`), compared numerically. */
export interface DifyVersion {
  major: number;
  minor: number;
  patch: number;
}

/** Parses `1.14.1` (tolerates a `v` prefix and a `-suffix`); undefined when it is not a version. */
export function parseDifyVersion(text: string): DifyVersion | undefined {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?(?:[-+.].*)?$/.exec(text.trim());
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3] ?? 0) };
}

/** Negative, zero or positive as `a` is older than, equal to or newer than `b`. */
export function compareDifyVersions(a: DifyVersion, b: DifyVersion): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

/** True when `version` is `minimum` or newer (`minimum` written like `1.11.2`). */
export function isDifyVersionAtLeast(version: DifyVersion, minimum: string): boolean {
  const min = parseDifyVersion(minimum);
  if (!min) throw new TypeError(`not a version: ${minimum}`);
  return compareDifyVersions(version, min) >= 0;
}

/** Formats a version as `major.minor.patch`. */
export function formatDifyVersion(version: DifyVersion): string {
  return `${version.major}.${version.minor}.${version.patch}`;
}
