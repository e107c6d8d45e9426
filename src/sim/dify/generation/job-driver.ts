import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SimContext } from '../context.js';
import { sendGenerateJson } from '../reply.js';
import type { GenerationJob } from './job.js';
import { interruptibleWait, type RunIo, type RunOutcome } from './run-io.js';
import { SseStream } from './sse-stream.js';

/**
 * Runs a generation job over HTTP: as an SSE stream, or as a blocking request answered at the end. It registers the
 * task for the stop endpoints, holds a concurrency slot until the response ends, and turns cut/hang outcomes into
 * what the wire shows (a dropped connection, a silent open stream).
 */

/** How a blocking request turns a run's outcome into the answer. */
export interface BlockingResponder {
  finished(outcome: Extract<RunOutcome, { kind: 'finished' }>): unknown;
  /** Throws the HTTP error, or returns a 200 body (a failed workflow run is still 200). */
  failed(outcome: Extract<RunOutcome, { kind: 'failed' }>): unknown;
}

/** Runs jobs for the routes of one simulator. */
export class JobDriver {
  constructor(private readonly ctx: SimContext) {}

  /** Keeps a hung stream or request open until the client leaves, the simulator closes, or Dify's idle timeout. */
  async holdOpen(gone: AbortSignal): Promise<void> {
    await interruptibleWait(this.ctx.options.hangCloseMs, new AbortController().signal, gone);
  }

  /** Streaming Chatflow whose set-up failed inside the Celery worker (1.13+): a ping, then nothing. */
  async hangChatflow(req: FastifyRequest, reply: FastifyReply): Promise<void> {
    const ctx = this.ctx;
    reply.hijack();
    const stream = new SseStream(reply.raw, ctx.versionHeaders());
    stream.open({ pingFirst: true, pingIntervalMs: ctx.options.pingIntervalMs });
    ctx.calls.of(req).status = 200;
    await this.holdOpen(AbortSignal.any([stream.gone.signal, ctx.closing.signal]));
    stream.end();
  }

  /** Runs `job`: streaming when asked, else blocking with `respond` building the answer. */
  async run(
    req: FastifyRequest,
    reply: FastifyReply,
    job: GenerationJob,
    streaming: boolean,
    pingFirst: boolean,
    run: (io: RunIo) => Promise<RunOutcome>,
    respond: BlockingResponder,
  ): Promise<FastifyReply | undefined> {
    const ctx = this.ctx;
    const stop = new AbortController();
    ctx.state.tasks.set(job.taskId, { id: job.taskId, appId: job.app.id, user: job.user, stop });
    job.app.active++;
    const call = ctx.calls.of(req);
    try {
      if (streaming) {
        reply.hijack();
        const stream = new SseStream(reply.raw, ctx.versionHeaders());
        stream.open({ pingFirst, pingIntervalMs: ctx.options.pingIntervalMs });
        call.status = 200;
        const gone = AbortSignal.any([stream.gone.signal, ctx.closing.signal]);
        const io: RunIo = {
          streaming: true,
          emit: (e) => stream.send(e),
          wait: (ms) => interruptibleWait(ms, stop.signal, gone),
          stopped: () => stop.signal.aborted,
        };
        let outcome: RunOutcome;
        try {
          outcome = await run(io);
        } catch (err) {
          // A simulator bug must not leave the client hanging: report it the way Dify reports unexpected errors.
          ctx.logger.error({ err, path: call.path }, 'Dify simulator: generation failed');
          stream.send({ event: 'error', status: 500, code: 'internal_server_error', message: 'Internal Server Error, please contact support.' });
          stream.end();
          return undefined;
        }
        if (outcome.kind === 'cut') await stream.cut();
        else if (outcome.kind === 'hang') {
          await this.holdOpen(gone);
          stream.end();
        } else stream.end();
        return undefined;
      }
      const clientGone = new AbortController();
      reply.raw.on('close', () => {
        if (!reply.raw.writableFinished) clientGone.abort();
      });
      const gone = AbortSignal.any([clientGone.signal, ctx.closing.signal]);
      const io: RunIo = {
        streaming: false,
        emit: () => undefined,
        wait: (ms) => interruptibleWait(ms, stop.signal, gone),
        stopped: () => stop.signal.aborted,
      };
      const outcome = await run(io);
      switch (outcome.kind) {
        case 'gone':
          reply.hijack();
          return undefined;
        case 'cut':
          reply.hijack();
          reply.raw.socket?.destroy();
          return undefined;
        case 'hang':
          reply.hijack();
          await this.holdOpen(gone);
          reply.raw.socket?.destroy();
          return undefined;
        case 'failed':
          return sendGenerateJson(reply, respond.failed(outcome));
        case 'finished':
          return sendGenerateJson(reply, respond.finished(outcome));
      }
    } finally {
      job.app.active--;
      ctx.state.tasks.delete(job.taskId);
    }
  }
}
