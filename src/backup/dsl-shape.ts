import { parse as parseYaml } from 'yaml';

/** What a DSL file says about itself, or why it is not a Dify app DSL. */
export type DslInspection =
  | { ok: true; dslVersion: string; name: string | undefined; mode: string | undefined }
  | { ok: false; problem: string };

/**
 * Checks that `text` is YAML and looks like a Dify app DSL (dify-api.md §19.1): a mapping with an `app`
 * mapping, `kind: app` and a string `version`.
 */
export function inspectDsl(text: string): DslInspection {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    return { ok: false, problem: `is not valid YAML: ${firstLine((err as Error).message)}` };
  }
  if (!isMapping(doc)) return { ok: false, problem: 'is not a Dify DSL: the YAML is not a mapping' };
  const missing = ['app', 'kind', 'version'].filter((key) => !(key in doc));
  if (missing.length > 0) return { ok: false, problem: `is not a Dify DSL: no ${missing.join(', ')} key${missing.length > 1 ? 's' : ''}` };
  if (!isMapping(doc.app)) return { ok: false, problem: 'is not a Dify DSL: `app` is not a mapping' };
  if (doc.kind !== 'app') return { ok: false, problem: `is not a Dify app DSL: kind is ${JSON.stringify(doc.kind)}, not "app"` };
  if (typeof doc.version !== 'string') return { ok: false, problem: 'is not a Dify DSL: `version` is not a string' };
  const name = typeof doc.app.name === 'string' ? doc.app.name : undefined;
  const mode = typeof doc.app.mode === 'string' ? doc.app.mode : undefined;
  return { ok: true, dslVersion: doc.version, name, mode };
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}
