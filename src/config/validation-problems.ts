import type { z } from 'zod';
import type { ConfigProblem } from './config-error.js';
import { formatKeyPath } from './key-path.js';

// Turns zod's issues into ConfigProblems worded for someone editing YAML. Messages never quote the
// value that was given, except for fields whose values are words from a fixed list.

/** Per-parse zod error map for the configuration schema (schema-level messages take precedence). */
export function configErrorMap(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'is required' : `must be ${describeExpected(issue.expected)}, not ${describeValue(issue.input)}`;
    case 'unrecognized_keys': {
      const known = shapeKeys(issue.inst);
      // One line per key, split again by problemsFromIssues.
      return issue.keys.map((key) => unknownKeyMessage(key, known)).join('\n');
    }
    case 'too_small':
      if (issue.origin === 'array') return `must have at least ${issue.minimum} item${issue.minimum === 1 ? '' : 's'}`;
      if (issue.origin === 'string') return issue.minimum === 1 ? 'must not be empty' : `must be at least ${issue.minimum} characters`;
      return `must be at least ${issue.minimum}`;
    case 'too_big':
      if (issue.origin === 'array') return `must have at most ${issue.maximum} items`;
      if (issue.origin === 'string') return `must be at most ${issue.maximum} characters`;
      return `must be at most ${issue.maximum}`;
    case 'invalid_value':
      return `must be ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}`;
    case 'invalid_union':
      return 'has an invalid value';
    default:
      return undefined;
  }
}

/** Converts the issues of a failed parse into problems, one per key path (unknown keys: one per key). */
export function problemsFromIssues(issues: readonly z.core.$ZodIssue[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const seen = new Set<string>();
  const add = (path: PropertyKey[], message: string) => {
    const problem = { path: formatKeyPath(path), message };
    const id = `${problem.path}\n${message}`;
    if (!seen.has(id)) problems.push(problem);
    seen.add(id);
  };
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      const lines = issue.message.split('\n');
      issue.keys.forEach((key, i) => add([...issue.path, key], lines[i] ?? 'unknown key'));
    } else {
      add(issue.path, issue.message);
    }
  }
  return problems;
}

function describeExpected(expected: string): string {
  switch (expected) {
    case 'string':
      return 'text';
    case 'number':
    case 'int':
      return 'a number';
    case 'boolean':
      return 'true or false';
    case 'array':
      return 'a list';
    case 'object':
    case 'record':
      return 'a mapping of keys to values';
    default:
      return expected;
  }
}

function describeValue(value: unknown): string {
  if (value === null) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return 'text';
  if (typeof value === 'boolean') return 'true/false';
  return `a ${typeof value}`;
}

function shapeKeys(schema: unknown): string[] {
  const def = (schema as { _zod?: { def?: { shape?: unknown } } } | undefined)?._zod?.def;
  return def?.shape !== undefined && typeof def.shape === 'object' && def.shape !== null ? Object.keys(def.shape) : [];
}

function unknownKeyMessage(key: string, known: readonly string[]): string {
  const suggestion = closestKey(key, known);
  const hint = suggestion === undefined ? (known.length > 0 ? ` (known keys: ${known.join(', ')})` : '') : ` (did you mean ${suggestion}?)`;
  return `unknown key${hint}`;
}

/** The known key a misspelt one most likely meant: same letters ignoring case and `_`/`-`, or a small edit away. */
function closestKey(key: string, known: readonly string[]): string | undefined {
  const normal = (s: string) => s.toLowerCase().replace(/[-_]/g, '');
  const exact = known.find((k) => normal(k) === normal(key));
  if (exact !== undefined) return exact;
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.floor(key.length / 4)) + 1;
  for (const candidate of known) {
    const distance = editDistance(normal(key), normal(candidate));
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** Edit distance where swapping two neighbouring letters counts as one edit (`prot` → `port`). */
function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  const at = (i: number, j: number) => rows[i]?.[j] ?? 0;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      (rows[i] as number[])[j] = best;
    }
  }
  return at(a.length, b.length);
}
