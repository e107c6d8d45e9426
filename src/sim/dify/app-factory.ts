import { randomBytes } from 'node:crypto';
import { appSourceFromDsl, cloneDsl, isWorkflowMode, parseDslYaml, type AppSource, type DslObject } from './dsl.js';
import { fixtureDslYaml } from './fixtures.js';
import type { PublishedWorkflow, SimAppRecord } from './state.js';
import type { SimAppInit, SimInputInit } from './types.js';

/** Builds simulated apps from a mode fixture (or a given DSL) plus the overrides of a `SimAppInit`. */

const KEY_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** A Service API key like Dify's: `app-` and 24 letters and digits. */
export function generateApiKey(): string {
  const bytes = randomBytes(24);
  let s = 'app-';
  for (const b of bytes) s += KEY_ALPHABET.charAt(b % KEY_ALPHABET.length);
  return s;
}

/** A random string of letters and digits (site codes, admin keys). */
export function randomToken(length: number): string {
  const bytes = randomBytes(length);
  let s = '';
  for (const b of bytes) s += KEY_ALPHABET.charAt(b % KEY_ALPHABET.length);
  return s;
}

/** Dify's workflow version string for a publish time: `2025-11-20 10:00:00.123456` (UTC). */
export function workflowVersionString(epochMs: number): string {
  const iso = new Date(epochMs).toISOString(); // 2025-11-20T10:00:00.123Z
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}.${iso.slice(20, 23)}000`;
}

function isObject(v: unknown): v is DslObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function inputToDsl(v: SimInputInit, withType: boolean): DslObject {
  const out: DslObject = { label: v.label ?? v.variable, variable: v.variable, required: v.required ?? false };
  if (withType) out.type = v.type ?? 'text-input';
  if (v.maxLength !== undefined) out.max_length = v.maxLength;
  if (v.options !== undefined) out.options = [...v.options];
  else if (withType) out.options = [];
  if (v.default !== undefined) out.default = v.default;
  else if (!withType) out.default = '';
  return out;
}

function startNode(workflow: DslObject): DslObject | undefined {
  const graph = isObject(workflow.graph) ? workflow.graph : undefined;
  const nodes = Array.isArray(graph?.nodes) ? graph.nodes.filter(isObject) : [];
  return nodes.find((n) => isObject(n.data) && n.data.type === 'start');
}

function endNode(workflow: DslObject): DslObject | undefined {
  const graph = isObject(workflow.graph) ? workflow.graph : undefined;
  const nodes = Array.isArray(graph?.nodes) ? graph.nodes.filter(isObject) : [];
  return nodes.find((n) => isObject(n.data) && n.data.type === 'end');
}

/** Applies the feature overrides of `init` to the stored DSL parts (so that export shows them). */
function applyOverrides(source: AppSource, init: SimAppInit): void {
  if (init.name !== undefined) source.meta.name = init.name;
  if (init.description !== undefined) source.meta.description = init.description;
  const workflowMode = isWorkflowMode(source.meta.mode);
  const features: DslObject = workflowMode
    ? ((source.workflow ??= {}), isObject(source.workflow.features) ? source.workflow.features : (source.workflow.features = {}))
    : (source.modelConfig ??= {});

  if (init.inputs) {
    if (workflowMode && source.workflow) {
      const start = startNode(source.workflow);
      if (start && isObject(start.data)) start.data.variables = init.inputs.map((v) => inputToDsl(v, true));
    } else {
      features.user_input_form = init.inputs.map((v) => ({ [v.type ?? 'text-input']: inputToDsl(v, false) }));
    }
  }
  if (init.fileUpload !== undefined) {
    if (init.fileUpload === false) {
      features.file_upload = { enabled: false, image: { enabled: false, number_limits: 3, transfer_methods: ['remote_url', 'local_file'] } };
    } else {
      const methods = init.fileUpload.allowedUploadMethods ?? ['local_file', 'remote_url'];
      const limit = init.fileUpload.numberLimits ?? 3;
      const types = init.fileUpload.allowedFileTypes ?? ['image'];
      features.file_upload = {
        allowed_file_extensions: init.fileUpload.allowedFileExtensions ?? [],
        allowed_file_types: types,
        allowed_file_upload_methods: methods,
        enabled: true,
        image: { enabled: types.includes('image'), number_limits: limit, transfer_methods: methods },
        number_limits: limit,
      };
    }
  }
  if (init.speechToText !== undefined) features.speech_to_text = { enabled: init.speechToText };
  if (init.textToSpeech !== undefined) {
    const t = init.textToSpeech;
    const on = t !== false;
    const opts = typeof t === 'object' ? t : {};
    features.text_to_speech = {
      enabled: on,
      language: opts.language ?? '',
      voice: opts.voice ?? '',
      ...(on ? { autoPlay: opts.autoPlay === false ? 'disabled' : 'enabled' } : {}),
    };
  }
  if (init.openingStatement !== undefined) features.opening_statement = init.openingStatement;
  if (init.suggestedQuestions !== undefined) features.suggested_questions = [...init.suggestedQuestions];
  if (init.outputName !== undefined && source.workflow) {
    const end = endNode(source.workflow);
    const outputs = end && isObject(end.data) && Array.isArray(end.data.outputs) ? end.data.outputs : undefined;
    const first = outputs?.[0];
    if (isObject(first)) first.variable = init.outputName;
  }
  if (init.agent !== undefined && source.modelConfig) {
    const agentMode = isObject(source.modelConfig.agent_mode) ? source.modelConfig.agent_mode : (source.modelConfig.agent_mode = {});
    agentMode.enabled = init.agent;
  }
}

/** Parsed fixtures, so seeding hundreds of apps parses each YAML once. */
const parsedFixtures = new Map<SimAppInit['mode'], AppSource>();

function fixtureSource(mode: SimAppInit['mode']): AppSource {
  let source = parsedFixtures.get(mode);
  if (!source) {
    source = appSourceFromDsl(parseDslYaml(fixtureDslYaml(mode)));
    parsedFixtures.set(mode, source);
  }
  return cloneDsl(source);
}

/** Reads the DSL an init starts from; throws a TypeError naming the problem. */
function sourceForInit(init: SimAppInit): AppSource {
  const source = init.dsl === undefined ? fixtureSource(init.mode) : appSourceFromDsl(parseDslYaml(init.dsl));
  if (source.meta.mode !== init.mode) {
    throw new TypeError(`Dify simulator: app "${init.name ?? init.id ?? '?'}" is declared as ${init.mode} but its DSL says ${source.meta.mode}`);
  }
  return source;
}

const DEFAULT_ANNOTATIONS = [
  { question: 'What are your opening hours?', answer: 'We are open from 9:00 to 18:00, Monday to Friday.' },
  { question: 'How do I contact a human?', answer: 'Reply "human" and an agent will get back to you.' },
];

/** Builds a new app record. `nowMs` is its creation time; `seq` orders apps created together. */
export function buildAppRecord(init: SimAppInit & { id: string; apiKey: string }, nowMs: number, seq: number): SimAppRecord {
  const source = sourceForInit(init);
  applyOverrides(source, init);
  const created = Math.floor(nowMs / 1000);
  const published: PublishedWorkflow[] = [];
  if (isWorkflowMode(source.meta.mode) && source.workflow) {
    const count = init.publishedVersions ?? 1;
    for (let i = 0; i < count; i++) {
      // Published one hour apart, the newest an hour before creation time.
      const at = nowMs - (count - i) * 3_600_000;
      published.push({
        id: crypto.randomUUID(),
        version: workflowVersionString(at),
        markedName: i === count - 1 ? 'current' : `v${i + 1}`,
        markedComment: '',
        createdAt: Math.floor(at / 1000),
        workflow: cloneDsl(source.workflow),
      });
    }
  }
  const annotations = (init.annotations ?? (source.meta.mode === 'chat' ? DEFAULT_ANNOTATIONS : [])).map((a) => ({
    id: crypto.randomUUID(),
    question: a.question,
    answer: a.answer,
    hitCount: 0,
    createdAt: created,
  }));
  return {
    id: init.id,
    apiKeys: [init.apiKey],
    source,
    draftWorkflowId: crypto.randomUUID(),
    draftUpdatedAt: created,
    published,
    status: init.status ?? 'normal',
    maxActiveRequests: init.maxActiveRequests ?? 0,
    createdAt: created,
    updatedAt: created,
    seq,
    tags: (init.tags ?? []).map((name) => ({ id: crypto.randomUUID(), name, type: 'app' as const })),
    annotations,
    transcript: init.transcript ?? 'This is a simulated transcript.',
    script: (init.script ?? []).map((rule) => ({ rule, remaining: rule.times })),
    active: 0,
    siteCode: randomToken(16),
  };
}

/** Builds an app record from an imported DSL (no API key is created by Dify itself; the simulator adds one). */
export function buildImportedAppRecord(source: AppSource, id: string, apiKey: string, nowMs: number, seq: number): SimAppRecord {
  const created = Math.floor(nowMs / 1000);
  return {
    id,
    apiKeys: [apiKey],
    source,
    draftWorkflowId: crypto.randomUUID(),
    draftUpdatedAt: created,
    published: [],
    status: 'normal',
    maxActiveRequests: 0,
    createdAt: created,
    updatedAt: created,
    seq,
    tags: [],
    annotations: [],
    transcript: 'This is a simulated transcript.',
    script: [],
    active: 0,
    siteCode: randomToken(16),
  };
}

const GENERATED_MODES = ['chat', 'advanced-chat', 'workflow', 'completion', 'agent-chat'] as const;

/** The init of the `n`-th generated app (1-based): modes in rotation, 1–3 published versions. */
export function generatedAppInit(n: number): SimAppInit {
  const mode = GENERATED_MODES[(n - 1) % GENERATED_MODES.length] ?? 'chat';
  return {
    mode,
    name: `Generated ${mode} app ${String(n).padStart(4, '0')}`,
    description: `Seeded app number ${n} for backup benchmarks.`,
    publishedVersions: 1 + ((n - 1) % 3),
  };
}
