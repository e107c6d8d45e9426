import type { AppMode, AppSource, DslObject } from './dsl.js';
import { isWorkflowMode } from './dsl.js';

/**
 * What the Service API needs to know about an app, read from its DSL: the input form, the features
 * (/parameters), the file-upload settings and, for workflow graphs, the nodes to report in stream events.
 */

/** The control types of `user_input_form` (reference §8, §10). */
export type InputType = 'text-input' | 'paragraph' | 'select' | 'number' | 'checkbox' | 'file' | 'file-list' | 'json_object' | 'external_data_tool';

/** One declared input variable. */
export interface InputVariable {
  type: InputType;
  variable: string;
  label: string;
  required: boolean;
  max_length?: number;
  options?: string[];
  default?: unknown;
  allowed_file_types?: string[];
  allowed_file_extensions?: string[];
  allowed_file_upload_methods?: string[];
}

/** The app's file-upload feature, normalised from either DSL shape. */
export interface FileUploadSettings {
  enabled: boolean;
  allowedFileTypes: string[];
  allowedFileExtensions: string[];
  allowedUploadMethods: string[];
  /** Transfer methods allowed for images (the legacy `image.transfer_methods`). */
  imageTransferMethods: string[];
  numberLimits: number;
}

/** A workflow node as stream events report it. */
export interface GraphNodeInfo {
  id: string;
  type: string;
  title: string;
}

/** An agent tool (for `/meta` and agent thoughts). */
export interface AgentToolInfo {
  name: string;
  label: string;
  providerType: string;
  providerId: string;
}

/** Everything the Service API reads from an app's configuration. */
export interface AppRuntimeConfig {
  mode: AppMode;
  /** A chat app with agent mode on runs through the agent generator (streaming only). */
  isAgent: boolean;
  inputs: InputVariable[];
  /** `user_input_form` exactly as /parameters returns it. */
  userInputForm: unknown[];
  /** The feature dict /parameters reads (`opening_statement`, `speech_to_text`, …). */
  features: DslObject;
  fileUpload: FileUploadSettings;
  speechToText: boolean;
  textToSpeech: { enabled: boolean; voice: string; language: string; autoPlay: boolean };
  openingStatement: string | null;
  /** Graph nodes in execution order (workflow modes). */
  nodes: GraphNodeInfo[];
  /** The node whose text streams as the answer (the first LLM node). */
  answerNodeId: string | undefined;
  /** Workflow apps: the End node's output variables (the first receives the answer). */
  outputNames: string[];
  agentTools: AgentToolInfo[];
}

function isObject(v: unknown): v is DslObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

const INPUT_TYPES: readonly string[] = ['text-input', 'paragraph', 'select', 'number', 'checkbox', 'file', 'file-list', 'json_object', 'external_data_tool'];

function toInputVariable(type: string, raw: DslObject): InputVariable | undefined {
  if (!INPUT_TYPES.includes(type) || typeof raw.variable !== 'string') return undefined;
  const v: InputVariable = {
    type: type as InputType,
    variable: raw.variable,
    label: typeof raw.label === 'string' ? raw.label : raw.variable,
    required: raw.required === true,
  };
  if (typeof raw.max_length === 'number' && raw.max_length > 0) v.max_length = raw.max_length;
  if (Array.isArray(raw.options)) v.options = strings(raw.options);
  if ('default' in raw) v.default = raw.default;
  if (Array.isArray(raw.allowed_file_types)) v.allowed_file_types = strings(raw.allowed_file_types);
  if (Array.isArray(raw.allowed_file_extensions)) v.allowed_file_extensions = strings(raw.allowed_file_extensions);
  if (Array.isArray(raw.allowed_file_upload_methods)) v.allowed_file_upload_methods = strings(raw.allowed_file_upload_methods);
  return v;
}

/** Normalises a `file_upload` feature dict (new shape, or the legacy `{image: …}` one). */
export function fileUploadSettings(raw: unknown): FileUploadSettings {
  const disabled: FileUploadSettings = {
    enabled: false,
    allowedFileTypes: [],
    allowedFileExtensions: [],
    allowedUploadMethods: [],
    imageTransferMethods: [],
    numberLimits: 0,
  };
  if (!isObject(raw)) return disabled;
  const image = isObject(raw.image) ? raw.image : undefined;
  if ('enabled' in raw) {
    if (raw.enabled !== true) return disabled;
    const methods = strings(raw.allowed_file_upload_methods);
    return {
      enabled: true,
      allowedFileTypes: strings(raw.allowed_file_types),
      allowedFileExtensions: strings(raw.allowed_file_extensions).map((e) => e.toLowerCase()),
      allowedUploadMethods: methods,
      imageTransferMethods: image && Array.isArray(image.transfer_methods) ? strings(image.transfer_methods) : methods,
      numberLimits: typeof raw.number_limits === 'number' ? raw.number_limits : typeof image?.number_limits === 'number' ? image.number_limits : 3,
    };
  }
  if (image?.enabled !== true) return disabled;
  const methods = strings(image.transfer_methods);
  return {
    enabled: true,
    allowedFileTypes: ['image'],
    allowedFileExtensions: [],
    allowedUploadMethods: methods,
    imageTransferMethods: methods,
    numberLimits: typeof image.number_limits === 'number' ? image.number_limits : 3,
  };
}

function enabledFlag(v: unknown): boolean {
  return isObject(v) && v.enabled === true;
}

/** Orders graph nodes from the start node along edges (breadth first); unreachable nodes come last. */
function orderedNodes(graph: DslObject | undefined): GraphNodeInfo[] {
  const nodes = Array.isArray(graph?.nodes) ? graph.nodes.filter(isObject) : [];
  const edges = Array.isArray(graph?.edges) ? graph.edges.filter(isObject) : [];
  const info = new Map<string, GraphNodeInfo>();
  for (const n of nodes) {
    const data = isObject(n.data) ? n.data : {};
    if (typeof n.id !== 'string') continue;
    info.set(n.id, { id: n.id, type: typeof data.type === 'string' ? data.type : 'unknown', title: typeof data.title === 'string' ? data.title : n.id });
  }
  const start = [...info.values()].find((n) => n.type === 'start');
  const order: GraphNodeInfo[] = [];
  const seen = new Set<string>();
  const queue = start ? [start.id] : [];
  while (queue.length > 0) {
    const id = queue.shift() as string;
    const node = info.get(id);
    if (!node || seen.has(id)) continue;
    seen.add(id);
    order.push(node);
    for (const e of edges) if (e.source === id && typeof e.target === 'string') queue.push(e.target);
  }
  for (const n of info.values()) if (!seen.has(n.id)) order.push(n);
  return order;
}

function startVariables(graph: DslObject | undefined): DslObject[] {
  const nodes = Array.isArray(graph?.nodes) ? graph.nodes.filter(isObject) : [];
  const start = nodes.find((n) => isObject(n.data) && n.data.type === 'start');
  const vars = start && isObject(start.data) ? start.data.variables : undefined;
  return Array.isArray(vars) ? vars.filter(isObject) : [];
}

function endOutputNames(graph: DslObject | undefined): string[] {
  const nodes = Array.isArray(graph?.nodes) ? graph.nodes.filter(isObject) : [];
  const end = nodes.find((n) => isObject(n.data) && n.data.type === 'end');
  const outputs = end && isObject(end.data) ? end.data.outputs : undefined;
  const names = Array.isArray(outputs) ? outputs.filter(isObject).map((o) => o.variable).filter((v): v is string => typeof v === 'string') : [];
  return names.length > 0 ? names : ['text'];
}

function textToSpeech(raw: unknown): AppRuntimeConfig['textToSpeech'] {
  const o = isObject(raw) ? raw : {};
  return {
    enabled: o.enabled === true,
    voice: typeof o.voice === 'string' ? o.voice : '',
    language: typeof o.language === 'string' ? o.language : '',
    autoPlay: o.autoPlay === 'enabled',
  };
}

/** Reads the runtime configuration of an app; `workflow` selects a published graph instead of the draft. */
export function appRuntimeConfig(source: AppSource, workflow?: DslObject): AppRuntimeConfig {
  const mode = source.meta.mode;
  if (isWorkflowMode(mode)) {
    const wf = workflow ?? source.workflow ?? {};
    const graph = isObject(wf.graph) ? wf.graph : undefined;
    const features = isObject(wf.features) ? wf.features : {};
    const rawVars = startVariables(graph);
    const nodes = orderedNodes(graph);
    return {
      mode,
      isAgent: false,
      inputs: rawVars.map((v) => toInputVariable(String(v.type), v)).filter((v): v is InputVariable => v !== undefined),
      userInputForm: rawVars.map((v) => ({ [String(v.type)]: v })),
      features,
      fileUpload: fileUploadSettings(features.file_upload),
      speechToText: enabledFlag(features.speech_to_text),
      textToSpeech: textToSpeech(features.text_to_speech),
      openingStatement: typeof features.opening_statement === 'string' ? features.opening_statement : null,
      nodes,
      answerNodeId: nodes.find((n) => n.type === 'llm')?.id ?? nodes.find((n) => n.type === 'answer')?.id,
      outputNames: endOutputNames(graph),
      agentTools: [],
    };
  }
  const mc = source.modelConfig ?? {};
  const form = Array.isArray(mc.user_input_form) ? mc.user_input_form : [];
  const inputs: InputVariable[] = [];
  for (const item of form) {
    if (!isObject(item)) continue;
    const [type, raw] = Object.entries(item)[0] ?? [];
    if (type && isObject(raw)) {
      const v = toInputVariable(type, raw);
      if (v) inputs.push(v);
    }
  }
  const agentMode = isObject(mc.agent_mode) ? mc.agent_mode : {};
  const tools = Array.isArray(agentMode.tools) ? agentMode.tools.filter(isObject) : [];
  return {
    mode,
    isAgent: mode === 'agent-chat' || (mode === 'chat' && agentMode.enabled === true),
    inputs,
    userInputForm: form,
    features: mc,
    fileUpload: fileUploadSettings(mc.file_upload),
    speechToText: enabledFlag(mc.speech_to_text),
    textToSpeech: textToSpeech(mc.text_to_speech),
    openingStatement: typeof mc.opening_statement === 'string' ? mc.opening_statement : null,
    nodes: [],
    answerNodeId: undefined,
    outputNames: [],
    agentTools: tools
      .filter((t) => t.enabled !== false && typeof t.tool_name === 'string')
      .map((t) => ({
        name: String(t.tool_name),
        label: typeof t.tool_label === 'string' ? t.tool_label : String(t.tool_name),
        providerType: typeof t.provider_type === 'string' ? t.provider_type : 'builtin',
        providerId: typeof t.provider_id === 'string' ? t.provider_id : '',
      })),
  };
}
