import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AnswerAccumulator } from './answer-accumulator.js';
import { DifyApiError, DifyTransportError } from './errors.js';
import { decodeDifyEvent, type DifyStreamEvent } from './stream-events.js';

const EP = 'POST /chat-messages';
const base = { task_id: 't1', message_id: 'm1', conversation_id: 'c1', created_at: 1 };

/** Decodes raw JSON payloads the way the stream does, then folds them. */
function fold(payloads: Record<string, unknown>[]): AnswerAccumulator {
  const acc = new AnswerAccumulator(EP);
  for (const p of payloads) acc.push(decodeDifyEvent({ event: undefined, data: JSON.stringify(p), id: undefined, retry: undefined }, EP));
  return acc;
}

const usage = { prompt_tokens: 3, completion_tokens: 5, total_tokens: 8, total_price: '0.0010330', currency: 'USD', latency: 0.5 };
const chatflowStart = [
  { event: 'workflow_started', task_id: 't1', workflow_run_id: 'r1', data: { id: 'r1', workflow_id: 'w1', created_at: 1 } },
  { event: 'node_started', task_id: 't1', workflow_run_id: 'r1', data: { id: 'n1', node_id: 'llm', node_type: 'llm', title: 'LLM', index: 1, created_at: 1 } },
  { event: 'message', ...base, id: 'm1', answer: '你好' },
  { event: 'message', ...base, id: 'm1', answer: '，世界' },
  { event: 'node_finished', task_id: 't1', workflow_run_id: 'r1', data: { id: 'n1', node_id: 'llm', node_type: 'llm', title: 'LLM', index: 1, created_at: 1, status: 'succeeded' } },
];
const messageEnd = { event: 'message_end', ...base, id: 'm1', metadata: { usage, retriever_resources: [] } };
const workflowFinished = (status: string, extra: Record<string, unknown> = {}) => ({
  event: 'workflow_finished',
  ...base,
  workflow_run_id: 'r1',
  data: { id: 'r1', workflow_id: 'w1', status, outputs: { answer: '你好，世界' }, total_tokens: 8, ...extra },
});

describe('AnswerAccumulator', () => {
  it('builds a chat answer from message deltas and message_end', () => {
    const result = fold([
      { event: 'message', ...base, id: 'm1', answer: 'Hello' },
      { event: 'message', ...base, id: 'm1', answer: ', 🌍' },
      messageEnd,
    ]).result();
    assert.equal(result.answer, 'Hello, 🌍');
    assert.equal(result.conversationId, 'c1');
    assert.equal(result.messageId, 'm1');
    assert.equal(result.taskId, 't1');
    assert.deepEqual(result.usage, usage);
    assert.equal(result.status, 'completed');
  });

  for (const [name, order] of [
    ['message_end then workflow_finished', [messageEnd, workflowFinished('succeeded')]],
    ['workflow_finished then message_end', [workflowFinished('succeeded'), messageEnd]],
    ['only workflow_finished (≥ 1.13 relay)', [workflowFinished('succeeded')]],
    ['only message_end', [messageEnd]],
  ] as const) {
    it(`accepts a Chatflow ending with ${name}`, () => {
      const result = fold([...chatflowStart, ...order]).result();
      assert.equal(result.answer, '你好，世界');
      assert.equal(result.workflowRunId, 'r1');
      assert.equal(result.messageId, 'm1');
      assert.equal(result.usage?.total_tokens, 8);
    });
  }

  it('lets message_replace discard the answer so far', () => {
    const result = fold([
      { event: 'message', ...base, id: 'm1', answer: 'something rude' },
      { event: 'message_replace', ...base, answer: '***', reason: 'output_moderation' },
      messageEnd,
    ]).result();
    assert.equal(result.answer, '***');
  });

  it('collects message_file files and treats a message_file without url as a text delta', () => {
    const result = fold([
      { event: 'message', ...base, id: 'm1', answer: 'Here: ' },
      { event: 'message_file', ...base, id: 'f1', type: 'image', belongs_to: 'assistant', url: 'http://x/f1.png' },
      { event: 'message_file', ...base, id: 'm1', answer: 'a cat.' },
      { ...messageEnd, files: [{ id: 'f1', type: 'image', url: 'http://x/f1.png', filename: 'f1.png', mime_type: 'image/png' }] },
    ]).result();
    assert.equal(result.answer, 'Here: a cat.');
    assert.deepEqual(result.files, [
      { id: 'f1', type: 'image', url: 'http://x/f1.png', filename: 'f1.png', mimeType: 'image/png', belongsTo: 'assistant' },
    ]);
  });

  it('folds agent messages and keeps the latest version of each thought, in position order', () => {
    const thought = (id: string, position: number, observation: string) => ({
      event: 'agent_thought', ...base, id, position, thought: 'think', observation, tool: 'search', tool_labels: {}, tool_input: '{}', message_files: [],
    });
    const result = fold([
      thought('th2', 2, ''),
      thought('th1', 1, ''),
      { event: 'agent_message', ...base, id: 'm1', answer: 'It is ' },
      thought('th1', 1, 'sunny'),
      { event: 'agent_message', ...base, id: 'm1', answer: 'sunny.' },
      messageEnd,
    ]).result();
    assert.equal(result.answer, 'It is sunny.');
    assert.deepEqual(result.thoughts.map((t) => [t.id, t.observation]), [['th1', 'sunny'], ['th2', '']]);
  });

  it('uses workflow text chunks and outputs for workflow apps', () => {
    const chunks = fold([
      { event: 'text_chunk', task_id: 't1', workflow_run_id: 'r1', data: { text: '结果' } },
      { event: 'text_chunk', task_id: 't1', workflow_run_id: 'r1', data: { text: ' ok' } },
      { event: 'workflow_finished', task_id: 't1', workflow_run_id: 'r1', data: { id: 'r1', workflow_id: 'w', status: 'succeeded', outputs: { a: 1, b: 'x' } } },
    ]).result();
    assert.equal(chunks.answer, '结果 ok');
    assert.deepEqual(chunks.outputs, { a: 1, b: 'x' });
    const onlyOutputs = fold([
      { event: 'workflow_finished', task_id: 't1', workflow_run_id: 'r1', data: { id: 'r1', workflow_id: 'w', status: 'succeeded', outputs: { result: 'done' } } },
    ]).result();
    assert.equal(onlyOutputs.answer, 'done');
  });

  it('reports a stopped Chatflow with its partial answer', () => {
    const result = fold([...chatflowStart, workflowFinished('stopped')]).result();
    assert.equal(result.status, 'stopped');
    assert.equal(result.answer, '你好，世界');
  });

  it('throws workflow_failed with Dify\'s error text for a failed workflow', () => {
    assert.throws(
      () => fold([...chatflowStart, workflowFinished('failed', { error: 'LLM node timed out' })]),
      (err: unknown) =>
        err instanceof DifyApiError && err.difyCode === 'workflow_failed' && err.difyMessage === 'Run failed: LLM node timed out',
    );
  });

  it('throws a DifyApiError for an error event', () => {
    assert.throws(
      () => fold([{ event: 'message', ...base, id: 'm1', answer: 'x' }, { event: 'error', message_id: 'm1', status: 400, code: 'provider_quota_exceeded', message: 'quota' }]),
      (err: unknown) => err instanceof DifyApiError && err.status === 400 && err.difyCode === 'provider_quota_exceeded' && err.endpoint === EP,
    );
  });

  it('calls a stream without a terminal event cut', () => {
    const acc = fold([{ event: 'message', ...base, id: 'm1', answer: 'half an ans' }]);
    assert.equal(acc.complete, false);
    assert.throws(() => acc.result(), (err: unknown) => err instanceof DifyTransportError && err.reason === 'stream_cut');
  });
});

describe('decodeDifyEvent', () => {
  const frame = (data: string, event?: string) => ({ event, data, id: undefined, retry: undefined });

  it('decodes a bare `event: ping` frame', () => {
    assert.deepEqual(decodeDifyEvent(frame('', 'ping'), EP), { event: 'ping' });
  });

  it('keeps events it does not know, whole', () => {
    const event: DifyStreamEvent = decodeDifyEvent(frame('{"event":"brand_new","x":1}'), EP);
    assert.deepEqual(event, { event: 'unknown', name: 'brand_new', payload: { event: 'brand_new', x: 1 } });
  });

  it('types informational workflow events', () => {
    assert.equal(decodeDifyEvent(frame('{"event":"iteration_next","data":{}}'), EP).event, 'iteration_next');
  });

  it('rejects data that is not a JSON object as a protocol error', () => {
    for (const data of ['not json', '[1,2]', '{"no":"type"}']) {
      assert.throws(() => decodeDifyEvent(frame(data), EP), (err: unknown) => err instanceof DifyTransportError && err.reason === 'protocol');
    }
  });
});
