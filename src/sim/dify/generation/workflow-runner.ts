import { usageOf } from '../answer-plan.js';
import type { GraphNodeInfo } from '../app-config.js';
import { autoPlaysSpeech, elapsedSeconds, messageEndFiles, TTS_AUDIO_CHUNK, type GenerationJob } from './job.js';
import type { RunIo, RunOutcome } from './run-io.js';

/**
 * The graph pipelines (reference §2.4–§2.5, §5): Chatflow (`advanced-chat`) wraps `message` deltas in
 * workflow and node events and ends with `message_end` and `workflow_finished` in the version's order; Workflow
 * streams `text_chunk`s and ends with `workflow_finished`.
 */

type Flavour = 'chatflow' | 'workflow';

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** Top-level fields of a graph event. */
function graphEvent(job: GenerationJob, flavour: Flavour, name: string, fields: Record<string, unknown>): Record<string, unknown> {
  if (flavour === 'workflow') return { event: name, workflow_run_id: job.workflowRunId, task_id: job.taskId, ...fields };
  return {
    event: name,
    conversation_id: job.conversationId,
    message_id: job.messageId,
    created_at: job.createdAt,
    task_id: job.taskId,
    ...fields,
  };
}

function systemInputs(job: GenerationJob, flavour: Flavour): Record<string, unknown> {
  const sys: Record<string, unknown> = {
    'sys.files': [],
    'sys.user_id': job.user,
    'sys.app_id': job.app.id,
    'sys.workflow_id': job.workflowId,
    'sys.workflow_run_id': job.workflowRunId,
  };
  if (flavour === 'chatflow') {
    sys['sys.query'] = job.query;
    sys['sys.conversation_id'] = job.conversationId;
    sys['sys.dialogue_count'] = 1;
  }
  return { ...job.inputs, ...sys };
}

interface NodeExecution {
  execId: string;
  node: GraphNodeInfo;
  index: number;
  predecessor: string | null;
  startedAt: number;
}

function nodeStartedData(x: NodeExecution): Record<string, unknown> {
  return {
    id: x.execId,
    node_id: x.node.id,
    node_type: x.node.type,
    title: x.node.title,
    index: x.index,
    predecessor_node_id: x.predecessor,
    inputs: null,
    inputs_truncated: false,
    created_at: x.startedAt,
    extras: {},
    iteration_id: null,
    loop_id: null,
    agent_strategy: null,
  };
}

function nodeFinishedData(
  job: GenerationJob,
  x: NodeExecution,
  result: { status: 'succeeded' | 'failed'; outputs: Record<string, unknown> | null; error: string | null; llm: boolean },
): Record<string, unknown> {
  return {
    ...nodeStartedData(x),
    inputs: {},
    process_data: null,
    process_data_truncated: false,
    outputs: result.outputs,
    outputs_truncated: false,
    status: result.status,
    error: result.error,
    elapsed_time: elapsedSeconds(job),
    execution_metadata: result.llm
      ? { total_tokens: job.plan.promptTokens + job.plan.completionTokens, total_price: '0.0000000', currency: 'USD' }
      : null,
    finished_at: nowSeconds(),
    files: [],
  };
}

function workflowFinishedData(
  job: GenerationJob,
  status: 'succeeded' | 'failed' | 'stopped',
  outputs: Record<string, unknown>,
  error: string | null,
  steps: number,
): Record<string, unknown> {
  return {
    id: job.workflowRunId,
    workflow_id: job.workflowId,
    status,
    outputs,
    error,
    elapsed_time: elapsedSeconds(job),
    total_tokens: job.plan.promptTokens + job.plan.completionTokens,
    total_steps: steps,
    created_by: { id: job.endUserId, user: job.user },
    created_at: job.createdAt,
    finished_at: nowSeconds(),
    exceptions_count: 0,
    files: messageEndFiles(job.assistantFiles) ?? [],
  };
}

/** Runs a Chatflow or Workflow generation. */
export async function runGraph(job: GenerationJob, io: RunIo, flavour: Flavour): Promise<RunOutcome> {
  const plan = job.plan;
  // ≥ 1.13 the relay closes the stream at workflow_finished: later events are never delivered.
  let relayClosed = false;
  const emit = (e: Record<string, unknown>) => {
    if (!relayClosed) io.emit(e);
    if (e.event === 'workflow_finished' && job.behaviour.streamClosesAtWorkflowFinished) relayClosed = true;
  };

  if ((await io.wait(plan.latencyMs)) === 'gone') return { kind: 'gone' };
  if (plan.fail === 'hang') return { kind: 'hang' };

  emit(
    graphEvent(job, flavour, 'workflow_started', {
      workflow_run_id: job.workflowRunId,
      data: { id: job.workflowRunId, workflow_id: job.workflowId, inputs: systemInputs(job, flavour), created_at: job.createdAt, reason: 'initial' },
    }),
  );

  const failsAtNode = plan.fail === 'cut' || plan.fail === 'error-event' || plan.fail === 'workflow-failed' || plan.fail === 'provider-quota';
  const outputName = job.runtime.outputNames[0] ?? 'text';
  let answer = '';
  let stopped = false;
  let steps = 0;
  let failure: string | undefined;
  let predecessor: string | null = null;
  const nodes = job.runtime.nodes.length > 0 ? job.runtime.nodes : [{ id: 'llm', type: 'llm', title: 'LLM' }];

  for (const [index, node] of nodes.entries()) {
    const x: NodeExecution = { execId: crypto.randomUUID(), node, index: index + 1, predecessor, startedAt: nowSeconds() };
    predecessor = node.id;
    steps++;
    emit(graphEvent(job, flavour, 'node_started', { workflow_run_id: job.workflowRunId, data: nodeStartedData(x) }));
    const streamsHere = node.id === (job.runtime.answerNodeId ?? nodes[0]?.id);
    if (streamsHere) {
      const failAfter = plan.fail === 'provider-quota' ? 0 : plan.failAfterChunks;
      for (const [i, chunk] of plan.chunks.entries()) {
        if (failsAtNode && i >= failAfter) break;
        const r = await io.wait(i === 0 ? 0 : plan.chunkDelayMs);
        if (r === 'gone') return { kind: 'gone' };
        if (r === 'stopped') {
          stopped = true;
          break;
        }
        const selector = node.type === 'llm' ? [node.id, 'text'] : null;
        if (flavour === 'chatflow') {
          emit(graphEvent(job, flavour, 'message', { id: job.messageId, answer: chunk, from_variable_selector: selector }));
        } else {
          emit(graphEvent(job, flavour, 'text_chunk', { workflow_run_id: job.workflowRunId, data: { text: chunk, from_variable_selector: selector } }));
        }
        answer += chunk;
        if (job.message) job.message.answer = answer;
      }
      if (stopped) break;
      if (failsAtNode) {
        if (plan.fail === 'cut') return { kind: 'cut' };
        failure = plan.error.message;
        emit(
          graphEvent(job, flavour, 'node_finished', {
            workflow_run_id: job.workflowRunId,
            data: nodeFinishedData(job, x, { status: 'failed', outputs: null, error: failure, llm: node.type === 'llm' }),
          }),
        );
        break;
      }
    } else if ((await io.wait(0)) === 'gone') {
      return { kind: 'gone' };
    }
    const outputs: Record<string, unknown> =
      node.type === 'llm'
        ? { text: answer, usage: usageOf(plan, elapsedSeconds(job)), finish_reason: 'stop' }
        : node.type === 'answer'
          ? { answer }
          : node.type === 'end'
            ? { [outputName]: answer }
            : node.type === 'start'
              ? systemInputs(job, flavour)
              : {};
    emit(
      graphEvent(job, flavour, 'node_finished', {
        workflow_run_id: job.workflowRunId,
        data: nodeFinishedData(job, x, { status: 'succeeded', outputs, error: null, llm: node.type === 'llm' }),
      }),
    );
  }

  if (failure !== undefined) {
    emit(graphEvent(job, flavour, 'workflow_finished', { workflow_run_id: job.workflowRunId, data: workflowFinishedData(job, 'failed', {}, failure, steps) }));
    const error =
      flavour === 'chatflow'
        ? { code: 'invalid_param', message: `Run failed: ${failure}`, status: 400 }
        : { code: plan.error.code, message: plan.error.message, status: plan.error.status };
    // Chatflow follows the failed workflow_finished with an `error` (lost ≥ 1.13); Workflow sends none, unless the
    // script asked for an error event. `error` events carry no task_id.
    if (flavour === 'chatflow' || plan.fail === 'error-event') {
      const where =
        flavour === 'chatflow'
          ? { conversation_id: job.conversationId, message_id: job.messageId, created_at: job.createdAt }
          : { workflow_run_id: job.workflowRunId };
      emit({ event: 'error', ...where, status: error.status, code: error.code, message: error.message });
    }
    if (job.message) {
      job.message.status = 'error';
      job.message.error = failure;
    }
    return { kind: 'failed', answer, error, workflowFailed: plan.fail !== 'error-event' || flavour === 'chatflow' };
  }

  if (plan.replace !== undefined && !stopped) {
    emit(graphEvent(job, flavour, 'message_replace', { answer: plan.replace, reason: 'output_moderation' }));
    answer = plan.replace;
    if (job.message) job.message.answer = answer;
  }

  const files = messageEndFiles(job.assistantFiles);
  const outputs: Record<string, unknown> =
    flavour === 'chatflow' ? { answer, ...(files ? { files } : {}) } : { [outputName]: answer, ...(files ? { files } : {}), ...(plan.outputs ?? {}) };
  const finished = graphEvent(job, flavour, 'workflow_finished', {
    workflow_run_id: job.workflowRunId,
    data: workflowFinishedData(job, stopped ? 'stopped' : 'succeeded', outputs, null, steps),
  });
  const tts = flavour === 'chatflow' && autoPlaysSpeech(job);
  if (tts) emit(graphEvent(job, flavour, 'tts_message', { audio: TTS_AUDIO_CHUNK }));
  if (flavour === 'workflow') {
    emit(finished);
  } else {
    const messageEnd = graphEvent(job, flavour, 'message_end', {
      id: job.messageId,
      metadata: { usage: usageOf(plan, elapsedSeconds(job)), retriever_resources: [] },
      files,
    });
    // A stopped run always reports workflow_finished first; success follows the version's order.
    const order = stopped || job.behaviour.chatflowTerminalOrder === 'workflow_finished-first' ? [finished, messageEnd] : [messageEnd, finished];
    for (const e of order) emit(e);
  }
  if (tts) emit(graphEvent(job, flavour, 'tts_message_end', { audio: '' }));
  return { kind: 'finished', answer, stopped, outputs };
}
