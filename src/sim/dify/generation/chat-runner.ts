import { usageOf } from '../answer-plan.js';
import type { AgentThoughtRecord, MessageFileRecord } from '../state.js';
import { autoPlaysSpeech, elapsedSeconds, messageEndFiles, TTS_AUDIO_CHUNK, type GenerationJob } from './job.js';
import type { RunIo, RunOutcome } from './run-io.js';

/**
 * The Chatbot, Agent and Text-generator pipelines (reference §2.4–§2.5, §4): deltas, `message_file`,
 * `agent_thought`/`agent_message`, `message_replace`, `tts_message`, then `message_end` — or an `error` event.
 */

type Kind = 'chat' | 'agent' | 'completion';

function commonFields(job: GenerationJob, kind: Kind): Record<string, unknown> {
  return kind === 'completion'
    ? { message_id: job.messageId, created_at: job.createdAt }
    : { conversation_id: job.conversationId, message_id: job.messageId, created_at: job.createdAt };
}

function event(job: GenerationJob, kind: Kind, name: string, fields: Record<string, unknown>): Record<string, unknown> {
  return { event: name, ...commonFields(job, kind), task_id: job.taskId, ...fields };
}

/** The `error` event: common fields without `task_id`. */
function errorEvent(job: GenerationJob, kind: Kind, error: { code: string; message: string; status: number }): Record<string, unknown> {
  return { event: 'error', ...commonFields(job, kind), status: error.status, code: error.code, message: error.message };
}

function fileEvent(job: GenerationJob, kind: Kind, f: MessageFileRecord): Record<string, unknown> {
  return event(job, kind, 'message_file', { id: f.id, type: f.type, belongs_to: 'assistant', url: f.url });
}

function thoughtEvent(job: GenerationJob, t: AgentThoughtRecord): Record<string, unknown> {
  return event(job, 'agent', 'agent_thought', {
    id: t.id,
    position: t.position,
    thought: t.thought,
    observation: t.observation,
    tool: t.tool,
    tool_labels: t.toolLabels,
    tool_input: t.toolInput,
    message_files: t.messageFiles,
  });
}

/** Runs the agent's scripted tool steps; returns false when the client left. */
async function runThoughts(job: GenerationJob, io: RunIo): Promise<AgentThoughtRecord[] | undefined> {
  const thoughts: AgentThoughtRecord[] = [];
  const filesLeft = [...job.assistantFiles];
  for (const [i, step] of job.plan.thoughts.entries()) {
    const tools = (step.tool ?? '').split(';').filter(Boolean);
    const labels = Object.fromEntries(
      tools.map((name) => {
        const label = job.runtime.agentTools.find((t) => t.name === name)?.label ?? name;
        return [name, { en_US: label, zh_Hans: label }];
      }),
    );
    const record: AgentThoughtRecord = {
      id: crypto.randomUUID(),
      position: i + 1,
      thought: step.thought ?? '',
      observation: '',
      tool: step.tool ?? '',
      toolInput: tools.length > 0 ? JSON.stringify(Object.fromEntries(tools.map((n) => [n, step.toolInput ?? {}]))) : '',
      toolLabels: labels,
      createdAt: job.createdAt,
      messageFiles: [],
    };
    thoughts.push(record);
    io.emit(thoughtEvent(job, record));
    if ((await io.wait(job.plan.chunkDelayMs)) === 'gone') return undefined;
    const stepFiles = filesLeft.splice(0, step.files?.length ?? 0);
    for (const f of stepFiles) io.emit(fileEvent(job, 'agent', f));
    record.messageFiles = stepFiles.map((f) => f.id);
    record.observation =
      step.observation ?? (tools.length > 0 ? JSON.stringify(Object.fromEntries(tools.map((n) => [n, `${n} ran successfully`]))) : '');
    io.emit(thoughtEvent(job, record));
  }
  return thoughts;
}

/** Runs a chat, agent or completion generation. */
export async function runChatLike(job: GenerationJob, io: RunIo, kind: Kind): Promise<RunOutcome> {
  const plan = job.plan;
  const first = await io.wait(plan.latencyMs);
  if (first === 'gone') return { kind: 'gone' };
  if (plan.fail === 'hang') return { kind: 'hang' };
  if (plan.fail === 'provider-quota') {
    io.emit(errorEvent(job, kind, plan.error));
    return { kind: 'failed', answer: '', error: plan.error, workflowFailed: false };
  }

  let thoughts: AgentThoughtRecord[] = [];
  let finalThought: AgentThoughtRecord | undefined;
  let filesAnnounced = false;
  if (kind === 'agent') {
    const ran = await runThoughts(job, io);
    if (!ran) return { kind: 'gone' };
    thoughts = ran;
    finalThought = {
      id: crypto.randomUUID(),
      position: thoughts.length + 1,
      thought: '',
      observation: '',
      tool: '',
      toolInput: '',
      toolLabels: {},
      createdAt: job.createdAt,
      messageFiles: [],
    };
    io.emit(thoughtEvent(job, finalThought));
    // Files not tied to a tool step are announced after the opening thought.
    const attached = new Set(thoughts.flatMap((t) => t.messageFiles));
    for (const f of job.assistantFiles) if (!attached.has(f.id)) io.emit(fileEvent(job, kind, f));
  } else if (kind === 'chat') {
    for (const f of job.assistantFiles) io.emit(fileEvent(job, kind, f));
    filesAnnounced = job.assistantFiles.length > 0;
  }
  if (job.message) job.message.agentThoughts = thoughts;

  const failing = plan.fail === 'cut' || plan.fail === 'error-event' || plan.fail === 'workflow-failed';
  let answer = '';
  let stopped = false;
  for (const [i, chunk] of plan.chunks.entries()) {
    if (failing && i >= plan.failAfterChunks) break;
    if (i > 0) {
      const r = await io.wait(plan.chunkDelayMs);
      if (r === 'gone') return { kind: 'gone' };
      if (r === 'stopped') {
        stopped = true;
        break;
      }
    } else if (io.stopped()) {
      stopped = true;
      break;
    }
    // Quirk: once the message has an assistant file, the Chatbot pipeline sends text deltas as `message_file`.
    const name = kind === 'agent' ? 'agent_message' : filesAnnounced ? 'message_file' : 'message';
    const extra = kind === 'agent' || filesAnnounced ? {} : { from_variable_selector: null };
    io.emit(event(job, kind, name, { id: job.messageId, answer: chunk, ...extra }));
    answer += chunk;
    if (job.message) job.message.answer = answer;
  }

  if (failing && !stopped) {
    if (plan.fail === 'cut') return { kind: 'cut' };
    io.emit(errorEvent(job, kind, plan.error));
    if (job.message) {
      job.message.status = 'error';
      job.message.error = plan.error.message;
    }
    return { kind: 'failed', answer, error: plan.error, workflowFailed: false };
  }

  if (plan.replace !== undefined && !stopped) {
    io.emit(event(job, kind, 'message_replace', { answer: plan.replace, reason: '' }));
    answer = plan.replace;
    if (job.message) job.message.answer = answer;
  }
  if (finalThought) {
    finalThought.thought = answer;
    io.emit(thoughtEvent(job, finalThought));
    thoughts.push(finalThought);
  }
  const tts = autoPlaysSpeech(job);
  if (tts) io.emit(event(job, kind, 'tts_message', { audio: TTS_AUDIO_CHUNK }));
  const metadata: Record<string, unknown> = { usage: usageOf(plan, elapsedSeconds(job)), retriever_resources: [] };
  if (kind !== 'completion') metadata.annotation_reply = null;
  io.emit(event(job, kind, 'message_end', { id: job.messageId, metadata, files: messageEndFiles(job.assistantFiles) }));
  if (tts) io.emit(event(job, kind, 'tts_message_end', { audio: '' }));
  if (job.message && stopped) job.message.status = 'stopped';
  return { kind: 'finished', answer, stopped };
}

/** `metadata` of a blocking answer. */
export function blockingMetadata(job: GenerationJob, withAnnotation: boolean): Record<string, unknown> {
  const metadata: Record<string, unknown> = { usage: usageOf(job.plan, elapsedSeconds(job)), retriever_resources: [] };
  if (withAnnotation) metadata.annotation_reply = null;
  return metadata;
}
