import { parse as parseYaml, stringify as stringifyYaml, YAMLError } from 'yaml';
import type { DifyBehaviour } from './version-profile.js';

/**
 * Dify's app DSL (reference §19–§20): the YAML that export writes and import reads. An app is stored as its DSL
 * parts, so that export of an imported app gives back what was imported.
 */

/** The five app modes of Dify 1.x. */
export type AppMode = 'chat' | 'agent-chat' | 'advanced-chat' | 'workflow' | 'completion';

/** Every app mode, in the order the simulator seeds them. */
export const APP_MODES: readonly AppMode[] = ['chat', 'agent-chat', 'advanced-chat', 'workflow', 'completion'];

/** Modes whose app is a workflow graph rather than a model config. */
export function isWorkflowMode(mode: AppMode): boolean {
  return mode === 'workflow' || mode === 'advanced-chat';
}

/** Checks a string is one of the five modes. */
export function isAppMode(value: unknown): value is AppMode {
  return typeof value === 'string' && (APP_MODES as readonly string[]).includes(value);
}

/** A JSON-like object as parsed from YAML. */
export type DslObject = Record<string, unknown>;

/** The `app:` section of a DSL. */
export interface AppMeta {
  name: string;
  mode: AppMode;
  icon: string;
  icon_type: string;
  icon_background: string;
  description: string;
  use_icon_as_answer_icon: boolean;
}

/** An app's content as the simulator stores it: what export writes besides `version` and `kind`. */
export interface AppSource {
  meta: AppMeta;
  dependencies: unknown[];
  /** chat, agent-chat, completion. */
  modelConfig?: DslObject;
  /** workflow, advanced-chat: the draft. */
  workflow?: DslObject;
}

/** Why an import failed, with Dify's error text. */
export class DslImportError extends Error {}

/** Dumps like PyYAML `yaml.dump(..., allow_unicode=True)`: block style, keys sorted at every level. */
export function dumpDslYaml(doc: unknown): string {
  return stringifyYaml(doc, { sortMapEntries: true, indentSeq: false, lineWidth: 0, singleQuote: true, aliasDuplicateObjects: false });
}

/** Deep copy of plain YAML data. */
export function cloneDsl<T>(value: T): T {
  return structuredClone(value);
}

function isObject(v: unknown): v is DslObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parses YAML text into a mapping; throws DslImportError with Dify's messages. */
export function parseDslYaml(text: string): DslObject {
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (e) {
    const msg = e instanceof YAMLError ? e.message : String(e);
    throw new DslImportError(`Invalid YAML format: ${msg}`);
  }
  if (!isObject(data)) throw new DslImportError('Invalid YAML format: content must be a mapping');
  return data;
}

/** The DSL version declared by a parsed document: missing → "0.1.0"; not a string → an import failure. */
export function declaredDslVersion(doc: DslObject): string {
  const v = doc.version;
  if (v === undefined || v === null || v === '') return '0.1.0';
  if (typeof v !== 'string') {
    const pyType = typeof v === 'number' ? (Number.isInteger(v) ? 'int' : 'float') : typeof v === 'boolean' ? 'bool' : 'dict';
    throw new DslImportError(`Invalid version type, expected str, got <class '${pyType}'>`);
  }
  return v;
}

/** The four outcomes of an import. */
export type ImportStatus = 'completed' | 'completed-with-warnings' | 'pending' | 'failed';

function parseLooseVersion(v: string): [number, number, number] | undefined {
  const m = /^\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?\s*$/.exec(v);
  if (!m) return undefined;
  return [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)];
}

/** Dify's version compatibility check between an imported DSL and the instance's own DSL version. */
export function importStatusFor(imported: string, current: string, rule: DifyBehaviour['importRule']): ImportStatus {
  const i = parseLooseVersion(imported);
  const c = parseLooseVersion(current);
  if (!i || !c) return 'failed';
  if (rule === 'pre-1.4') {
    if (i[0] !== c[0] || i[1] !== c[1]) return 'pending';
    return i[2] !== c[2] ? 'completed-with-warnings' : 'completed';
  }
  const cmp = i[0] - c[0] || i[1] - c[1] || i[2] - c[2];
  if (cmp > 0) return 'pending';
  if (i[0] < c[0]) return 'pending';
  if (i[1] < c[1]) return 'completed-with-warnings';
  return 'completed';
}

function str(v: unknown, fallback: string): string {
  return typeof v === 'string' ? v : fallback;
}

/** Reads an app's stored parts out of a parsed DSL; throws DslImportError with Dify's messages. */
export function appSourceFromDsl(doc: DslObject): AppSource {
  const app = doc.app;
  if (!isObject(app)) throw new DslImportError('Missing app data in YAML content');
  const mode = app.mode;
  if (!isAppMode(mode)) throw new DslImportError(`invalid mode value ${String(mode)}`);
  const meta: AppMeta = {
    name: str(app.name, ''),
    mode,
    icon: str(app.icon, '🤖'),
    icon_type: str(app.icon_type, 'emoji'),
    icon_background: str(app.icon_background, '#FFEAD5'),
    description: str(app.description, ''),
    use_icon_as_answer_icon: app.use_icon_as_answer_icon === true,
  };
  const dependencies = Array.isArray(doc.dependencies) ? cloneDsl(doc.dependencies) : [];
  if (isWorkflowMode(mode)) {
    if (!isObject(doc.workflow)) throw new DslImportError('Missing workflow data for workflow/advanced chat app');
    return { meta, dependencies, workflow: cloneDsl(doc.workflow) };
  }
  if (!isObject(doc.model_config)) throw new DslImportError('Missing model_config for chat/agent-chat/completion app');
  return { meta, dependencies, modelConfig: cloneDsl(doc.model_config) };
}

/** Removes `credential_id` from agent tools and tool nodes (export without include_secret). */
function stripCredentialIds(value: unknown): void {
  if (Array.isArray(value)) {
    for (const v of value) stripCredentialIds(v);
  } else if (isObject(value)) {
    delete value.credential_id;
    for (const v of Object.values(value)) stripCredentialIds(v);
  }
}

/** Export options. */
export interface ExportOptions {
  includeSecret: boolean;
  dslVersion: string;
}

/** The exported DSL text of an app (draft or a given workflow version passed as `workflow`). */
export function exportDslYaml(source: AppSource, opts: ExportOptions, workflow?: DslObject): string {
  const doc: DslObject = {
    app: { ...source.meta },
    dependencies: cloneDsl(source.dependencies),
    kind: 'app',
    version: opts.dslVersion,
  };
  if (isWorkflowMode(source.meta.mode)) {
    const wf = cloneDsl(workflow ?? source.workflow ?? {});
    if (!opts.includeSecret) {
      const env = wf.environment_variables;
      if (Array.isArray(env)) {
        for (const v of env) if (isObject(v) && v.value_type === 'secret') v.value = '';
      }
      stripCredentialIds(wf.graph);
    }
    doc.workflow = wf;
  } else {
    const mc = cloneDsl(source.modelConfig ?? {});
    if (!opts.includeSecret) stripCredentialIds(mc.agent_mode);
    doc.model_config = mc;
  }
  return dumpDslYaml(doc);
}

/** The plugin ids (`langgenius/openai`) a DSL's `dependencies` name. */
export function dependencyPluginIds(dependencies: readonly unknown[]): Array<{ pluginId: string; dependency: unknown }> {
  const out: Array<{ pluginId: string; dependency: unknown }> = [];
  for (const dep of dependencies) {
    if (!isObject(dep) || !isObject(dep.value)) continue;
    const v = dep.value;
    const identifier =
      (typeof v.marketplace_plugin_unique_identifier === 'string' && v.marketplace_plugin_unique_identifier) ||
      (typeof v.github_plugin_unique_identifier === 'string' && v.github_plugin_unique_identifier) ||
      (typeof v.plugin_unique_identifier === 'string' && v.plugin_unique_identifier) ||
      (typeof v.package === 'string' && v.package) ||
      '';
    const pluginId = identifier.split(':')[0] ?? '';
    if (pluginId) out.push({ pluginId, dependency: dep });
  }
  return out;
}
