import type { AppRuntimeConfig } from '../app-config.js';
import type { AnswerPlan } from '../answer-plan.js';
import type { MessageFileRecord, MessageRecord, SimAppRecord } from '../state.js';
import type { DifyBehaviour } from '../version-profile.js';

/** One generation request, validated and ready to run. */
export interface GenerationJob {
  app: SimAppRecord;
  runtime: AppRuntimeConfig;
  behaviour: DifyBehaviour;
  plan: AnswerPlan;
  taskId: string;
  /** Chat family and completion. */
  messageId: string;
  /** Chat family. */
  conversationId: string | undefined;
  /** The persisted message (chat family and completion), updated as the answer grows. */
  message: MessageRecord | undefined;
  /** Unix seconds: the message's (or run's) creation time, repeated on every event. */
  createdAt: number;
  startedMs: number;
  user: string;
  endUserId: string;
  query: string;
  inputs: Record<string, unknown>;
  /** Workflow family. */
  workflowRunId: string;
  workflowId: string;
  /** Files the answer carries, already stored as tool files with signed URLs. */
  assistantFiles: MessageFileRecord[];
}

/** Seconds since the job started, never a round number (Dify reports floats). */
export function elapsedSeconds(job: GenerationJob): number {
  const s = (Date.now() - job.startedMs) / 1000;
  return Number.isInteger(s) ? s + 0.000123 : s;
}

/** A fake MP3 frame, base64, for `tts_message` events (Dify streams provider audio chunks). */
export const TTS_AUDIO_CHUNK = Buffer.concat([Buffer.from([0xff, 0xfb, 0x90, 0x64]), Buffer.alloc(413)]).toString('base64');

/** The `files` array of `message_end` (null when the answer has none). */
export function messageEndFiles(files: readonly MessageFileRecord[]): unknown[] | null {
  if (files.length === 0) return null;
  return files.map((f) => ({
    related_id: f.id,
    extension: `.${f.extension}`,
    filename: f.filename,
    size: f.size,
    mime_type: f.mimeType,
    transfer_method: f.transferMethod,
    type: f.type,
    url: f.url,
    upload_file_id: null,
    remote_url: null,
  }));
}

/** Whether this app's streams carry `tts_message` events (TTS on with autoPlay). */
export function autoPlaysSpeech(job: GenerationJob): boolean {
  return job.runtime.textToSpeech.enabled && job.runtime.textToSpeech.autoPlay;
}
