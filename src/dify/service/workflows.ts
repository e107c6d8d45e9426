import type { DifyEventStream } from '../chat-stream.js';
import { encodePath } from '../http-transport.js';
import type { DifyCallOptions, DifyServiceClient } from '../service-client.js';
import type { DifyWorkflowStatus } from '../stream-events.js';
import type { DifyFileInput, DifyResultSuccess } from './chat-messages.js';

/** Body of `POST /workflows/run`. */
export interface WorkflowRunParams {
  inputs?: Record<string, unknown>;
  user: string;
  files?: DifyFileInput[];
  /** Pins a published version (`POST /workflows/{workflow_id}/run`). */
  workflow_id?: string;
}

/** A workflow run's result; a failed run is still HTTP 200 with `status: "failed"` and `error`. */
export interface WorkflowRunData {
  id: string;
  workflow_id: string;
  status: DifyWorkflowStatus;
  outputs: Record<string, unknown> | null;
  error: string | null;
  elapsed_time: number;
  total_tokens: number;
  total_steps: number;
  created_at: number;
  finished_at: number | null;
  [key: string]: unknown;
}

/** Blocking answer of `POST /workflows/run`. */
export interface WorkflowBlockingResponse {
  task_id: string;
  workflow_run_id: string;
  data: WorkflowRunData;
}

/** `GET /workflows/run/{id}`. */
export interface WorkflowRunDetail extends WorkflowRunData {
  inputs: Record<string, unknown> | string | null;
}

/** Workflow apps: run, stream, stop, read a run. Other modes answer 400 `not_workflow_app`. */
export class Workflows {
  readonly #client: DifyServiceClient;
  constructor(client: DifyServiceClient) {
    this.#client = client;
  }

  /** Runs in blocking mode. A failed run resolves with `data.status === "failed"` (Dify answers 200). */
  run(params: WorkflowRunParams, options?: DifyCallOptions): Promise<WorkflowBlockingResponse> {
    return this.#client.json<WorkflowBlockingResponse>(
      { method: 'POST', path: runPath(params), json: runBody(params, 'blocking') },
      options,
    );
  }

  /** Runs in streaming mode. */
  stream(params: WorkflowRunParams, options?: DifyCallOptions): Promise<DifyEventStream> {
    return this.#client.stream({ method: 'POST', path: runPath(params), json: runBody(params, 'streaming') }, options);
  }

  /** Stops a streaming run (`POST /workflows/tasks/{task_id}/stop`; the old SDK's URL was wrong). */
  stop(taskId: string, user: string, options?: DifyCallOptions): Promise<DifyResultSuccess> {
    return this.#client.json<DifyResultSuccess>(
      { method: 'POST', path: encodePath`/workflows/tasks/${taskId}/stop`, json: { user } },
      options,
    );
  }

  /** Reads a run's detail; 404 "Workflow run not found." for an unknown id. */
  getRun(workflowRunId: string, options?: DifyCallOptions): Promise<WorkflowRunDetail> {
    return this.#client.json<WorkflowRunDetail>(
      { method: 'GET', path: encodePath`/workflows/run/${workflowRunId}`, idempotent: true },
      options,
    );
  }
}

function runPath(params: WorkflowRunParams): string {
  return params.workflow_id ? encodePath`/workflows/${params.workflow_id}/run` : '/workflows/run';
}

function runBody(params: WorkflowRunParams, responseMode: 'blocking' | 'streaming'): Record<string, unknown> {
  const { workflow_id: _pinned, ...rest } = params;
  return { ...rest, inputs: params.inputs ?? {}, response_mode: responseMode };
}
