// DifyServiceClient against the Dify simulator over real HTTP: every endpoint and every failure mode.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startDifySimulator } from '../sim/dify/index.js';
import { DifyApiError, DifyTransportError } from './errors.js';
import {
  isAppUnavailable,
  isConcurrencyLimit,
  isConversationNotFound,
  isProviderQuotaExceeded,
  isRateLimited,
} from './error-predicates.js';
import { DifyServiceClient, type DifyServiceClientOptions } from './service-client.js';
import type { DifyStreamEvent } from './stream-events.js';

type Sim = Awaited<ReturnType<typeof startDifySimulator>>;

let sim: Sim;
const keys: Record<string, string> = {};
const QUERY = '你好，世界 🙂👍🏽 hello';
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

before(async () => {
  sim = await startDifySimulator({
    port: 0,
    version: '1.14.0',
    hangCloseMs: 5_000,
    apps: [
      { mode: 'chat', name: 'chat', speechToText: true, textToSpeech: true, transcript: '语音转文字' },
      { mode: 'agent-chat', name: 'agent' },
      { mode: 'chat', name: 'chat-with-agent-mode', agent: true },
      { mode: 'advanced-chat', name: 'chatflow' },
      { mode: 'workflow', name: 'workflow' },
      { mode: 'completion', name: 'completion' },
      { mode: 'chat', name: 'disabled', status: 'api-disabled' },
      { mode: 'chat', name: 'one-at-a-time', maxActiveRequests: 1 },
    ],
  });
  for (const app of sim.apps) keys[app.name] = app.apiKey;
});

after(async () => {
  await sim.close();
});

beforeEach(() => {
  sim.reset();
  sim.setVersion('1.14.0');
});

function client(app: string, extra: Partial<DifyServiceClientOptions> = {}): DifyServiceClient {
  const apiKey = keys[app];
  assert.ok(apiKey, `no simulated app named ${app}`);
  // Small overall caps: a regression fails in seconds instead of hanging the suite.
  return new DifyServiceClient({ baseUrl: sim.serviceBase, apiKey, retryDelayMs: 5, timeoutMs: 5_000, streamTimeoutMs: 5_000, ...extra });
}

function generations(app: string) {
  return sim.calls({ app: keys[app] as string, kind: 'generation' });
}

async function collect(stream: AsyncIterable<DifyStreamEvent>): Promise<DifyStreamEvent[]> {
  const out: DifyStreamEvent[] = [];
  for await (const event of stream) out.push(event);
  return out;
}

describe('chat-messages', () => {
  it('answers in blocking mode and continues the conversation', async () => {
    const dify = client('chat');
    const first = await dify.chatMessages.create({ query: QUERY, user: 'u1' });
    assert.equal(first.event, 'message');
    assert.equal(first.answer, QUERY);
    assert.equal(first.id, first.message_id);
    assert.equal(typeof first.metadata.usage?.total_price, 'string');
    const second = await dify.chat({ query: 'again', user: 'u1', conversation_id: first.conversation_id }, { responseMode: 'blocking' });
    assert.equal(second.answer, 'again');
    assert.equal(second.conversationId, first.conversation_id);
    assert.deepEqual(generations('chat').map((c) => c.responseMode), ['blocking', 'blocking']);
  });

  it('streams typed events and folds them into the final answer', async () => {
    const dify = client('chat');
    const events = await collect(await dify.chatMessages.stream({ query: QUERY, user: 'u1' }));
    const kinds = new Set(events.map((e) => e.event));
    assert.ok(kinds.has('message') && kinds.has('message_end'), [...kinds].join(','));
    const text = events.map((e) => (e.event === 'message' ? e.answer : '')).join('');
    assert.equal(text, QUERY);
    const answer = await dify.chat({ query: QUERY, user: 'u1' });
    assert.equal(answer.answer, QUERY);
    assert.match(answer.conversationId ?? '', /^[0-9a-f-]{36}$/);
    assert.ok(answer.taskId);
    assert.ok((answer.usage?.total_tokens ?? 0) > 0);
    assert.equal(answer.status, 'completed');
  });

  it('carries files, <think> blocks and message_replace through the stream', async () => {
    sim.script(keys.chat as string, [
      { match: 'picture', answer: 'Here is a cat.', think: 'the user wants a cat', files: [{ type: 'image', filename: 'cat.png' }] },
      { match: 'rude', answer: 'something rude', replace: 'Sorry, I cannot say that.' },
    ]);
    const dify = client('chat');
    const picture = await dify.chat({ query: 'a picture please', user: 'u1' });
    assert.match(picture.answer, /^<think>\nthe user wants a cat\n<\/think>\n\nHere is a cat\.$/);
    assert.equal(picture.files.length, 1);
    assert.equal(picture.files[0]?.type, 'image');
    assert.match(picture.files[0]?.url ?? '', /^https?:\/\//);
    const image = await fetch(picture.files[0]?.url as string);
    assert.equal(image.status, 200);
    const rude = await dify.chat({ query: 'be rude', user: 'u1' });
    assert.equal(rude.answer, 'Sorry, I cannot say that.');
  });

  it('streams instead when an agent app rejects blocking, and remembers it', async () => {
    for (const app of ['agent', 'chat-with-agent-mode']) {
      sim.script(keys[app] as string, { answer: 'sunny', thoughts: [{ thought: 'check weather', tool: 'weather', observation: '25°C' }] });
      const dify = client(app);
      const answer = await dify.chat({ query: 'weather?', user: 'u1' }, { responseMode: 'blocking' });
      assert.equal(answer.answer, 'sunny');
      assert.equal(answer.thoughts[0]?.tool, 'weather');
      assert.equal(dify.streamingOnly, true);
      assert.deepEqual(generations(app).map((c) => [c.responseMode, c.status]), [['blocking', 400], ['streaming', 200]]);
      await dify.chat({ query: 'again', user: 'u1' }, { responseMode: 'blocking' });
      assert.deepEqual(generations(app).map((c) => c.responseMode), ['blocking', 'streaming', 'streaming']);
      const blocking = await client(app).chatMessages.create({ query: 'x', user: 'u1' }).catch((e: unknown) => e);
      assert.ok(blocking instanceof DifyApiError && blocking.status === 400 && blocking.difyCode === 'invalid_param');
      assert.equal(blocking.difyMessage, 'Agent Chat App does not support blocking mode');
    }
  });

  it('streams from the first call when the mode says agent', async () => {
    for (const mode of ['agent', 'agent-chat'] as const) {
      sim.clearCalls();
      const answer = await client('agent', { mode }).chat({ query: 'hi', user: 'u1' }, { responseMode: 'blocking' });
      assert.equal(answer.answer, 'hi');
      assert.deepEqual(generations('agent').map((c) => c.responseMode), ['streaming']);
    }
  });

  it('answers a Chatflow in every version family (terminal events in either order, or only one)', async () => {
    for (const version of ['1.9.1', '1.10.1', '1.13.0', '1.14.0']) {
      sim.setVersion(version);
      const dify = client('chatflow', { mode: 'chatflow' });
      const events = await collect(await dify.chatMessages.stream({ query: QUERY, user: 'u1' }));
      const names = events.map((e) => e.event);
      assert.ok(names.includes('workflow_finished'), `${version}: ${names.join(',')}`);
      assert.equal(names[0] === 'ping', version === '1.13.0' || version === '1.14.0', `${version} leading ping`);
      const answer = await dify.chat({ query: QUERY, user: 'u1' });
      assert.equal(answer.answer, QUERY, version);
      assert.ok(answer.workflowRunId, version);
      const blocking = await dify.chat({ query: 'b', user: 'u1' }, { responseMode: 'blocking' });
      assert.equal(blocking.answer, 'b', version);
    }
  });

  it('stops a streaming generation: stop succeeds and the stream ends with the partial answer', async () => {
    sim.script(keys.chat as string, { answer: 'one two three four five six seven eight', chunkSize: 4, chunkDelayMs: 40 });
    const dify = client('chat');
    const stream = await dify.chatMessages.stream({ query: 'long', user: 'u1' });
    let answer = '';
    let stopped = false;
    for await (const event of stream) {
      if (event.event === 'message') {
        answer += event.answer;
        if (!stopped) {
          stopped = true;
          assert.deepEqual(await dify.chatMessages.stop(event.task_id, 'u1'), { result: 'success' });
        }
      }
    }
    assert.ok(answer.length < 'one two three four five six seven eight'.length, `partial: ${answer}`);
    assert.deepEqual(await dify.chatMessages.stop('no-such-task', 'u1'), { result: 'success' });
  });
});

describe('completion-messages and workflows', () => {
  it('completes in blocking and streaming mode, and stops', async () => {
    const dify = client('completion');
    const blocking = await dify.completionMessages.create({ inputs: { query: '写一首诗' }, user: 'u1' });
    assert.equal(blocking.mode, 'completion');
    assert.equal(typeof blocking.answer, 'string');
    const stream = await dify.completionMessages.stream({ inputs: { query: '写一首诗' }, user: 'u1' });
    const answer = await stream.finalAnswer();
    assert.equal(answer.answer, blocking.answer);
    assert.equal(answer.conversationId, undefined);
    assert.deepEqual(await dify.completionMessages.stop('t', 'u1'), { result: 'success' });
    const wrongApp = await client('chat').completionMessages.create({ inputs: { query: 'x' }, user: 'u1' }).catch((e: unknown) => e);
    assert.ok(isAppUnavailable(wrongApp), String(wrongApp));
  });

  it('runs a workflow blocking and streaming, reads the run, and stops', async () => {
    sim.script(keys.workflow as string, { answer: '工作流结果 ✅' });
    const dify = client('workflow');
    const run = await dify.workflows.run({ inputs: { text: 'go' }, user: 'u1' });
    assert.equal(run.data.status, 'succeeded');
    assert.ok(Object.values(run.data.outputs ?? {}).includes('工作流结果 ✅'));
    const detail = await dify.workflows.getRun(run.workflow_run_id);
    assert.equal(detail.id, run.workflow_run_id);
    assert.equal(detail.status, 'succeeded');
    const streamed = await (await dify.workflows.stream({ inputs: { text: 'go' }, user: 'u1' })).finalAnswer();
    assert.equal(streamed.answer, '工作流结果 ✅');
    assert.ok(streamed.workflowRunId);
    assert.deepEqual(streamed.outputs, run.data.outputs);
    assert.deepEqual(await dify.workflows.stop(streamed.taskId as string, 'u1'), { result: 'success' });
    await assert.rejects(dify.workflows.getRun('00000000-0000-4000-8000-000000000000'), (e: unknown) => e instanceof DifyApiError && e.status === 404);
  });

  it('reports a failed workflow: 200 + status failed when blocking, workflow_failed when streaming', async () => {
    sim.script(keys.workflow as string, { fail: 'workflow-failed' });
    const dify = client('workflow');
    const run = await dify.workflows.run({ inputs: { text: 'go' }, user: 'u1' });
    assert.equal(run.data.status, 'failed');
    assert.ok(run.data.error);
    await assert.rejects(
      (await dify.workflows.stream({ inputs: { text: 'go' }, user: 'u1' })).finalAnswer(),
      (e: unknown) => e instanceof DifyApiError && e.difyCode === 'workflow_failed' && e.difyMessage.startsWith('Run failed: '),
    );
    for (const version of ['1.10.1', '1.14.0']) {
      sim.setVersion(version);
      sim.script(keys.chatflow as string, { fail: 'workflow-failed' });
      await assert.rejects(client('chatflow').chat({ query: 'x', user: 'u1' }), (e: unknown) => e instanceof DifyApiError, version);
    }
  });
});

describe('conversations and messages', () => {
  it('lists, renames and deletes conversations (204 on ≥ 1.5, 200 before)', async () => {
    const dify = client('chat');
    const a = await dify.chat({ query: 'first', user: 'u1' });
    const b = await dify.chat({ query: 'second', user: 'u1' });
    await dify.chat({ query: 'other user', user: 'u2' });
    const page = await dify.conversations.list({ user: 'u1', limit: 1 });
    assert.equal(page.data.length, 1);
    assert.equal(page.has_more, true);
    const all = await dify.conversations.list({ user: 'u1', sort_by: 'created_at' });
    assert.deepEqual(all.data.map((c) => c.id), [a.conversationId, b.conversationId]);
    const renamed = await dify.conversations.rename(a.conversationId as string, { name: '新名字', user: 'u1' });
    assert.equal(renamed.name, '新名字');
    await dify.conversations.delete(a.conversationId as string, 'u1');
    await assert.rejects(dify.conversations.delete(a.conversationId as string, 'u1'), isConversationNotFound);
    sim.setVersion('1.4.0');
    await dify.conversations.delete(b.conversationId as string, 'u1');
    assert.deepEqual(
      sim.calls({ method: 'DELETE' }).map((c) => c.status),
      [204, 404, 200],
    );
    assert.equal((await dify.conversations.list({ user: 'u1' })).data.length, 0);
  });

  it('lists messages oldest to newest within a page', async () => {
    const dify = client('chat');
    const first = await dify.chat({ query: 'one', user: 'u1' });
    await dify.chat({ query: 'two', user: 'u1', conversation_id: first.conversationId });
    const page = await dify.messages.list({ conversation_id: first.conversationId as string, user: 'u1' });
    assert.deepEqual(page.data.map((m) => [m.query, m.answer]), [['one', 'one'], ['two', 'two']]);
    await assert.rejects(dify.messages.list({ conversation_id: first.conversationId as string, user: 'someone-else' }), isConversationNotFound);
  });
});

describe('files, audio, app info', () => {
  it('uploads a file and sends it with a message', async () => {
    const dify = client('chat');
    const file = await dify.files.upload({ data: PNG, filename: 'pixel.png', contentType: 'image/png', user: 'u1' });
    assert.equal(file.name, 'pixel.png');
    assert.equal(file.size, PNG.length);
    assert.equal(file.mime_type, 'image/png');
    const answer = await dify.chat({
      query: 'what is this?',
      user: 'u1',
      files: [{ type: 'image', transfer_method: 'local_file', upload_file_id: file.id }],
    });
    assert.equal(answer.answer, 'what is this?');
    const foreign = await dify.chat({
      query: 'x',
      user: 'u2',
      files: [{ type: 'image', transfer_method: 'local_file', upload_file_id: file.id }],
    }).catch((e: unknown) => e);
    assert.ok(foreign instanceof DifyApiError && foreign.status === 400, String(foreign));
  });

  it('transcribes WeChat AMR voice and rejects audio/mpeg with 415', async () => {
    const dify = client('chat');
    const amr = Buffer.concat([Buffer.from('#!AMR\n'), Buffer.alloc(64)]);
    assert.deepEqual(await dify.audio.toText({ data: amr, filename: 'voice.amr', contentType: 'audio/amr', user: 'u1' }), { text: '语音转文字' });
    await assert.rejects(
      dify.audio.toText({ data: amr, filename: 'voice.mp3', contentType: 'audio/mpeg' }),
      (e: unknown) => e instanceof DifyApiError && e.status === 415 && e.difyCode === 'unsupported_audio_type',
    );
  });

  it('synthesises speech, and resolves null for an unknown message', async () => {
    const dify = client('chat');
    const audio = await dify.audio.fromText({ text: '你好', user: 'u1' });
    assert.ok(audio && audio.data.length > 0);
    assert.match(audio.contentType, /^audio\//);
    assert.equal(await dify.audio.fromText({ message_id: '00000000-0000-4000-8000-000000000000', user: 'u1' }), null);
  });

  it('reads info, parameters and meta', async () => {
    const dify = client('chat');
    const info = await dify.app.info();
    assert.equal(info.name, 'chat');
    assert.equal(info.mode, 'chat');
    assert.equal((await client('chat-with-agent-mode').app.info()).mode, 'chat');
    const parameters = await dify.app.parameters();
    assert.ok(Array.isArray(parameters.user_input_form));
    assert.equal(parameters.speech_to_text.enabled, true);
    assert.equal(typeof parameters.system_parameters.image_file_size_limit, 'number');
    const meta = await dify.app.meta();
    assert.equal(typeof meta.tool_icons, 'object');
  });
});

describe('failure modes', () => {
  it('5xx: a DifyApiError, and the generation POST is sent once', async () => {
    sim.script(keys.chat as string, { fail: '5xx' });
    await assert.rejects(client('chat').chat({ query: 'x', user: 'u1' }), (e: unknown) => e instanceof DifyApiError && e.status === 500);
    sim.script(keys.chat as string, { fail: 'bad-gateway' });
    await assert.rejects(
      client('chat').chat({ query: 'x', user: 'u1' }, { responseMode: 'blocking' }),
      (e: unknown) => e instanceof DifyApiError && e.status === 502 && e.difyCode === 'http_error',
    );
    assert.equal(generations('chat').length, 2);
  });

  it('hang before the first event: first_event_timeout (Chatflow sends a ping first)', async () => {
    for (const app of ['chat', 'chatflow']) {
      sim.script(keys[app] as string, { fail: 'hang' });
      await assert.rejects(
        client(app, { firstEventTimeoutMs: 150 }).chat({ query: 'x', user: 'u1' }),
        (e: unknown) => e instanceof DifyTransportError && e.reason === 'first_event_timeout',
        app,
      );
      assert.equal(generations(app).length, 1);
    }
  });

  it('a blocking call that hangs hits the overall timeout', async () => {
    sim.script(keys.chat as string, { fail: 'hang' });
    await assert.rejects(
      client('chat', { timeoutMs: 150 }).chat({ query: 'x', user: 'u1' }, { responseMode: 'blocking' }),
      (e: unknown) => e instanceof DifyTransportError && e.reason === 'timeout',
    );
  });

  it('a stalled stream: idle_timeout', async () => {
    sim.script(keys.chat as string, { answer: 'slow answer here', chunkSize: 2, chunkDelayMs: 400 });
    await assert.rejects(
      client('chat', { idleTimeoutMs: 100 }).chat({ query: 'x', user: 'u1' }),
      (e: unknown) => e instanceof DifyTransportError && e.reason === 'idle_timeout',
    );
  });

  it('cut mid-stream: stream_cut', async () => {
    sim.script(keys.chat as string, { answer: 'a long answer that will be cut', fail: 'cut', failAfterChunks: 2 });
    await assert.rejects(client('chat').chat({ query: 'x', user: 'u1' }), (e: unknown) => e instanceof DifyTransportError && e.reason === 'stream_cut');
  });

  it('error event: DifyApiError with the event\'s code; provider quota recognised', async () => {
    sim.script(keys.chat as string, { fail: 'error-event', error: { code: 'completion_request_error', message: 'model overloaded', status: 400 } });
    await assert.rejects(
      client('chat').chat({ query: 'x', user: 'u1' }),
      (e: unknown) => e instanceof DifyApiError && e.difyCode === 'completion_request_error' && e.difyMessage === 'model overloaded',
    );
    sim.script(keys.chat as string, { fail: 'provider-quota' });
    await assert.rejects(client('chat').chat({ query: 'x', user: 'u1' }), isProviderQuotaExceeded);
    sim.script(keys.chat as string, { fail: 'provider-quota' });
    await assert.rejects(client('chat').chat({ query: 'x', user: 'u1' }, { responseMode: 'blocking' }), isProviderQuotaExceeded);
  });

  it('conversation not found: 404 for unknown and foreign ids, blocking and streaming', async () => {
    const dify = client('chat');
    const mine = await dify.chat({ query: 'hi', user: 'owner' });
    for (const conversation_id of ['3f1b7c9e-0000-4000-8000-00000000abcd', mine.conversationId as string]) {
      for (const responseMode of ['blocking', 'streaming'] as const) {
        const err = await dify.chat({ query: 'x', user: 'intruder', conversation_id }, { responseMode }).catch((e: unknown) => e);
        assert.ok(isConversationNotFound(err), `${responseMode}: ${String(err)}`);
        assert.match(err.difyMessage, /^Conversation Not Exists\./);
      }
    }
  });

  it('conversation not found on a hanging Chatflow (1.13–1.14.1): first_event_timeout; 404 where fixed', async () => {
    const bogus = '3f1b7c9e-0000-4000-8000-00000000abcd';
    await assert.rejects(
      client('chatflow', { firstEventTimeoutMs: 150 }).chat({ query: 'x', user: 'u1', conversation_id: bogus }),
      (e: unknown) => e instanceof DifyTransportError && e.reason === 'first_event_timeout',
    );
    sim.setVersion('1.10.1');
    await assert.rejects(client('chatflow').chat({ query: 'x', user: 'u1', conversation_id: bogus }), isConversationNotFound);
  });

  it('rate limit in both forms (400 invalid_param and 429), scripted and real', async () => {
    sim.script(keys.chat as string, { fail: 'rate-limit' });
    const as400 = await client('chat').chat({ query: 'x', user: 'u1' }).catch((e: unknown) => e);
    assert.ok(isRateLimited(as400) && isConcurrencyLimit(as400), String(as400));
    assert.equal(as400.status, 400);
    sim.setVersion('1.14.0', { concurrencyLimitStatus: 429 });
    sim.script(keys.chat as string, { fail: 'rate-limit' });
    const as429 = await client('chat').chat({ query: 'x', user: 'u1' }, { responseMode: 'blocking' }).catch((e: unknown) => e);
    assert.ok(isRateLimited(as429), String(as429));
    assert.equal(as429.status, 429);

    // Real concurrency: a stream holds the only slot until it closes.
    sim.setVersion('1.14.0');
    sim.script(keys['one-at-a-time'] as string, [{ match: 'slow', answer: 'slow answer', chunkSize: 1, chunkDelayMs: 30 }]);
    const slow = client('one-at-a-time').chat({ query: 'slow', user: 'u1' });
    for (let i = 0; i < 400 && generations('one-at-a-time').length === 0; i += 1) await new Promise((r) => setTimeout(r, 5));
    assert.equal(generations('one-at-a-time').length, 1, 'the slow stream holds the slot');
    const busy = await client('one-at-a-time').chat({ query: 'fast', user: 'u2' }).catch((e: unknown) => e);
    assert.ok(isRateLimited(busy), String(busy));
    assert.equal((await slow).answer, 'slow answer');
    assert.equal((await client('one-at-a-time').chat({ query: 'fast', user: 'u2' })).answer, 'fast');
  });

  it('app unavailable (API disabled) and a bad key', async () => {
    await assert.rejects(client('disabled').chat({ query: 'x', user: 'u1' }), isAppUnavailable);
    const bad = new DifyServiceClient({ baseUrl: sim.serviceBase, apiKey: 'app-not-a-real-key', maxRetries: 0 });
    const err = await bad.app.info().catch((e: unknown) => e);
    assert.ok(err instanceof DifyApiError && err.status === 401 && err.difyCode === 'unauthorized');
    assert.ok(!err.message.includes('app-not-a-real-key'));
  });

  it('a wrong app route: not_chat_app', async () => {
    await assert.rejects(
      client('workflow').chat({ query: 'x', user: 'u1' }),
      (e: unknown) => e instanceof DifyApiError && e.difyCode === 'not_chat_app',
    );
  });
});
