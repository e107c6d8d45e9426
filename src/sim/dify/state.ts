import type { AppSource, DslObject } from './dsl.js';
import type { ScriptRule, SimAppInit } from './types.js';

/** The in-memory records of the simulated Dify instance. */

/** A published workflow version of a workflow/chatflow app. */
export interface PublishedWorkflow {
  id: string;
  /** Dify's version string: the publish time, `2025-11-20 10:00:00.123456`. */
  version: string;
  markedName: string;
  markedComment: string;
  createdAt: number;
  workflow: DslObject;
}

/** An annotation (a curated question/answer pair). */
export interface AnnotationRecord {
  id: string;
  question: string;
  answer: string;
  hitCount: number;
  createdAt: number;
}

/** A scripted rule with its remaining uses. */
export interface ArmedRule {
  rule: ScriptRule;
  remaining: number | undefined;
}

/** One simulated app. */
export interface SimAppRecord {
  id: string;
  apiKeys: string[];
  source: AppSource;
  draftWorkflowId: string;
  draftUpdatedAt: number;
  published: PublishedWorkflow[];
  status: 'normal' | 'api-disabled' | 'deleted';
  maxActiveRequests: number;
  /** Unix seconds. */
  createdAt: number;
  updatedAt: number;
  /** Creation order, to break `created_at` ties in listings. */
  seq: number;
  tags: Array<{ id: string; name: string; type: 'app' }>;
  annotations: AnnotationRecord[];
  transcript: string;
  script: ArmedRule[];
  /** Generations in flight (the concurrency limit). */
  active: number;
  siteCode: string;
}

/** A conversation, owned by one end user of one app. */
export interface ConversationRecord {
  id: string;
  appId: string;
  user: string;
  /** Inputs frozen at creation (reference §10). */
  inputs: Record<string, unknown>;
  name: string;
  introduction: string;
  createdAt: number;
  updatedAt: number;
  /** Monotonic, to order conversations created in the same second. */
  createdSeq: number;
  /** Monotonic, to order conversations updated in the same second. */
  updatedSeq: number;
  deleted: boolean;
}

/** A file attached to or produced by a message. */
export interface MessageFileRecord {
  id: string;
  type: string;
  url: string;
  belongsTo: 'user' | 'assistant';
  transferMethod: string;
  filename: string;
  mimeType: string;
  size: number;
  extension: string;
}

/** An agent thought as stored on a message. */
export interface AgentThoughtRecord {
  id: string;
  position: number;
  thought: string;
  observation: string;
  tool: string;
  toolInput: string;
  toolLabels: Record<string, unknown>;
  createdAt: number;
  messageFiles: string[];
}

/** A chat or completion message. */
export interface MessageRecord {
  id: string;
  appId: string;
  conversationId: string | undefined;
  user: string;
  query: string;
  answer: string;
  inputs: Record<string, unknown>;
  createdAt: number;
  seq: number;
  status: 'normal' | 'error' | 'stopped';
  error: string | null;
  feedback: { rating: string } | null;
  parentMessageId: string | null;
  files: MessageFileRecord[];
  agentThoughts: AgentThoughtRecord[];
}

/** A file uploaded through `/files/upload`. */
export interface UploadRecord {
  id: string;
  appId: string;
  user: string;
  endUserId: string;
  name: string;
  size: number;
  extension: string;
  mimeType: string;
  createdAt: number;
  data: Buffer;
}

/** A file a scripted answer produced (Dify's tool files), served at a signed URL. */
export interface ToolFileRecord {
  id: string;
  extension: string;
  mimeType: string;
  filename: string;
  data: Buffer;
}

/** A workflow run, for GET /workflows/run/:id. */
export interface WorkflowRunRecord {
  id: string;
  appId: string;
  workflowId: string;
  status: 'running' | 'succeeded' | 'failed' | 'stopped';
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown> | null;
  error: string | null;
  totalSteps: number;
  totalTokens: number;
  createdAt: number;
  finishedAt: number | null;
  elapsedTime: number;
}

/** A generation in flight, addressable by the stop endpoints. */
export interface TaskRecord {
  id: string;
  appId: string;
  user: string;
  stop: AbortController;
}

/** All mutable data of the simulated instance. */
export class SimState {
  apps = new Map<string, SimAppRecord>();
  conversations = new Map<string, ConversationRecord>();
  messages = new Map<string, MessageRecord>();
  uploads = new Map<string, UploadRecord>();
  toolFiles = new Map<string, ToolFileRecord>();
  workflowRuns = new Map<string, WorkflowRunRecord>();
  tasks = new Map<string, TaskRecord>();
  /** End-user ids per `${appId}\n${user}` (Dify creates one EndUser per app and session id). */
  endUsers = new Map<string, string>();
  private seq = 0;

  /** A strictly increasing number for ordering records created in the same second. */
  nextSeq(): number {
    return ++this.seq;
  }

  /** The app a Service API key belongs to. */
  appByKey(key: string): SimAppRecord | undefined {
    for (const app of this.apps.values()) if (app.apiKeys.includes(key)) return app;
    return undefined;
  }

  /** Resolves an app by id, API key or name. */
  findApp(idKeyOrName: string): SimAppRecord | undefined {
    return this.apps.get(idKeyOrName) ?? this.appByKey(idKeyOrName) ?? [...this.apps.values()].find((a) => a.source.meta.name === idKeyOrName);
  }

  /** The end-user id of (`appId`, `user`), created on first use like Dify's get-or-create. */
  endUserId(appId: string, user: string): string {
    const key = `${appId}\n${user}`;
    let id = this.endUsers.get(key);
    if (!id) {
      id = crypto.randomUUID();
      this.endUsers.set(key, id);
    }
    return id;
  }

  /** The live conversation `id` of this app and user, or undefined (missing, foreign and deleted look the same). */
  ownedConversation(appId: string, user: string, id: string): ConversationRecord | undefined {
    const c = this.conversations.get(id);
    return c && c.appId === appId && c.user === user && !c.deleted ? c : undefined;
  }

  /** Messages of a conversation, oldest first. */
  conversationMessages(conversationId: string): MessageRecord[] {
    return [...this.messages.values()].filter((m) => m.conversationId === conversationId).sort((a, b) => a.seq - b.seq);
  }

  /** Forgets every conversation, message, file, run and task. */
  clearRuntime(): void {
    for (const t of this.tasks.values()) t.stop.abort();
    this.conversations.clear();
    this.messages.clear();
    this.uploads.clear();
    this.toolFiles.clear();
    this.workflowRuns.clear();
    this.tasks.clear();
    this.endUsers.clear();
  }
}

/** An app as it was created, kept so `reset()` can recreate it with the same id and key. */
export interface SeededApp {
  init: SimAppInit & { id: string; apiKey: string };
  createdAt: number;
}
