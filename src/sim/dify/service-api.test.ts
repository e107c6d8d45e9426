import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startDifySimulator, type DifySimulator } from './index.js';
import { dataEvents, eventNames, getWithKey, postJson, readSse } from './test-support/http.js';

/** Service API over real HTTP with plain fetch: auth, check order, payloads, modes, inputs, ownership. */

let sim: DifySimulator;
const key = (mode: string) => {
  const a = sim.apps.find((x) => x.mode === mode);
  if (!a) throw new Error(`no ${mode} app`);
  return a.apiKey;
};

before(async () => {
  sim = await startDifySimulator({ version: '1.14.1' });
});
after(() => sim.close());

describe('auth and the order of checks', () => {
  test('401 shapes: missing header, wrong scheme, unknown key — each with WWW-Authenticate', async () => {
    const url = `${sim.serviceBase}/info`;
    const cases: Array<[Record<string, string>, string]> = [
      [{}, "Authorization header must be provided and start with 'Bearer'"],
      [{ Authorization: 'Bearer' }, "Authorization header must be provided and start with 'Bearer'"],
      [{ Authorization: 'Basic abc' }, "Authorization scheme must be 'Bearer'"],
      [{ Authorization: 'bearer app-unknown' }, 'Access token is invalid'],
    ];
    for (const [headers, message] of cases) {
      const res = await fetch(url, { headers });
      assert.equal(res.status, 401);
      assert.equal(res.headers.get('www-authenticate'), 'Bearer realm="api"');
      assert.equal(await res.text(), `{"code": "unauthorized", "message": "${message}", "status": 401}\n`);
    }
  });

  test('403 for a disabled app; 415 before the user check; then user; then mode', async () => {
    const disabled = sim.addApp({ mode: 'chat', status: 'api-disabled' });
    let res = await getWithKey(`${sim.serviceBase}/info`, disabled.apiKey);
    assert.equal(res.status, 403);
    assert.equal(((await res.json()) as { message: string }).message, "The app's API service has been disabled.");

    res = await fetch(`${sim.serviceBase}/chat-messages`, { method: 'POST', headers: { Authorization: `Bearer ${key('chat')}`, 'Content-Type': 'text/plain' }, body: '{}' });
    assert.equal(res.status, 415);
    assert.equal(((await res.json()) as { code: string }).code, 'unsupported_media_type');

    res = await fetch(`${sim.serviceBase}/chat-messages`, { method: 'POST', headers: { Authorization: `Bearer ${key('chat')}`, 'Content-Type': 'application/json' } });
    assert.deepEqual(await res.json(), { code: 'bad_request', message: 'Invalid JSON payload received or JSON payload is empty.', status: 400 });

    res = await postJson(`${sim.serviceBase}/chat-messages`, key('chat'), { query: 'hi', inputs: {} });
    assert.deepEqual(await res.json(), { code: 'invalid_param', message: 'Arg user must be provided.', status: 400 });

    res = await postJson(`${sim.serviceBase}/chat-messages`, key('workflow'), { query: 'hi', inputs: {}, user: 'u' });
    assert.deepEqual(await res.json(), { code: 'not_chat_app', message: 'Please check if your app mode matches the right API route.', status: 400 });
    res = await postJson(`${sim.serviceBase}/completion-messages`, key('chat'), { inputs: {}, user: 'u' });
    assert.equal(((await res.json()) as { code: string }).code, 'app_unavailable');
    res = await postJson(`${sim.serviceBase}/workflows/run`, key('chat'), { inputs: {}, user: 'u' });
    assert.equal(((await res.json()) as { code: string }).code, 'not_workflow_app');
  });

  test('payload validation: pydantic messages for missing inputs, bad response_mode, non-UUID conversation; "query is required"', async () => {
    let res = await postJson(`${sim.serviceBase}/chat-messages`, key('chat'), { query: 'hi', user: 'u', conversation_id: 'abc' });
    assert.equal(res.status, 400);
    const body = (await res.json()) as { code: string; message: string };
    assert.equal(body.code, 'invalid_param');
    assert.match(body.message, /^2 validation errors for ChatRequestPayload\ninputs\n {2}Field required \[type=missing/);
    assert.match(body.message, /conversation_id must be a valid UUID/);
    res = await postJson(`${sim.serviceBase}/chat-messages`, key('chat'), { query: '', inputs: {}, user: 'u' });
    assert.deepEqual(await res.json(), { code: 'invalid_param', message: 'query is required', status: 400 });
    res = await postJson(`${sim.serviceBase}/chat-messages`, key('chat'), { query: 'x', inputs: {}, user: 'u', response_mode: 'sse' });
    assert.match(((await res.json()) as { message: string }).message, /Input should be 'blocking' or 'streaming' \[type=literal_error/);
  });

  test('agent-chat rejects blocking (and an omitted response_mode) with the real 400; an agent-enabled chat app too', async () => {
    for (const body of [{ response_mode: 'blocking' }, {}]) {
      const res = await postJson(`${sim.serviceBase}/chat-messages`, key('agent-chat'), { query: 'hi', inputs: {}, user: 'u', ...body });
      assert.equal(res.status, 400);
      assert.deepEqual(await res.json(), { code: 'invalid_param', message: 'Agent Chat App does not support blocking mode', status: 400 });
    }
    const agentChat = sim.addApp({ mode: 'chat', agent: true, name: 'Agent in disguise' });
    const info = (await (await getWithKey(`${sim.serviceBase}/info`, agentChat.apiKey)).json()) as { mode: string };
    assert.equal(info.mode, 'chat', '/info cannot tell');
    const res = await postJson(`${sim.serviceBase}/chat-messages`, agentChat.apiKey, { query: 'hi', inputs: {}, user: 'u', response_mode: 'blocking' });
    assert.equal(res.status, 400);
    const stream = await postJson(`${sim.serviceBase}/chat-messages`, agentChat.apiKey, { query: 'hi', inputs: {}, user: 'u', response_mode: 'streaming' });
    assert.ok(eventNames((await readSse(stream)).frames).includes('agent_message'));
  });
});

describe('generation', () => {
  test('blocking chat answer: Python json.dumps body, id == message_id, decimal-string prices, echo of the query', async () => {
    const res = await postJson(`${sim.serviceBase}/chat-messages`, key('chat'), { query: '你好 there', inputs: {}, user: 'alice' });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('x-version'), '1.14.1');
    const text = await res.text();
    assert.match(text, /^\{"event": "message", "task_id": "/);
    assert.match(text, /"answer": "\\u4f60\\u597d there"/);
    const body = JSON.parse(text) as Record<string, unknown> & { metadata: { usage: Record<string, unknown>; retriever_resources: unknown[]; annotation_reply: unknown } };
    assert.equal(body.id, body.message_id);
    assert.equal(body.mode, 'chat');
    assert.equal(body.answer, '你好 there');
    assert.match(String(body.metadata.usage.total_price), /^\d+\.\d{7}$/);
    assert.equal(typeof body.metadata.usage.total_tokens, 'number');
    assert.deepEqual(body.metadata.retriever_resources, []);
    assert.equal(body.metadata.annotation_reply, null);
  });

  test('streaming chat: data frames with the common fields, task_id everywhere, deltas that add up, message_end last', async () => {
    const res = await postJson(`${sim.serviceBase}/chat-messages`, key('chat'), { query: 'stream me please', inputs: {}, user: 'alice', response_mode: 'streaming' });
    assert.equal(res.headers.get('content-type'), 'text/event-stream; charset=utf-8');
    const { frames, ending } = await readSse(res);
    assert.equal(ending, 'end');
    const events = dataEvents(frames);
    assert.equal(frames[0]?.ping, false, 'chat streams do not open with a ping');
    assert.equal(events.at(-1)?.event, 'message_end');
    const first = events[0] as Record<string, unknown>;
    for (const e of events) {
      for (const f of ['conversation_id', 'message_id', 'created_at', 'task_id']) assert.ok(f in e, `${String(e.event)} has ${f}`);
      assert.equal(e.created_at, first.created_at);
    }
    const answer = events.filter((e) => e.event === 'message').map((e) => e.answer).join('');
    assert.equal(answer, 'stream me please');
  });

  test('completion: query input echoed, no conversation_id; workflow: outputs under the configured name', async () => {
    let res = await postJson(`${sim.serviceBase}/completion-messages`, key('completion'), { inputs: { query: 'rewrite this' }, user: 'u' });
    const c = (await res.json()) as Record<string, unknown>;
    assert.equal(c.mode, 'completion');
    assert.equal(c.answer, 'rewrite this');
    assert.ok(!('conversation_id' in c));
    res = await postJson(`${sim.serviceBase}/completion-messages`, key('completion'), { inputs: {}, user: 'u' });
    assert.deepEqual(await res.json(), { code: 'invalid_param', message: 'query is required in input form', status: 400 });

    const wf = sim.addApp({ mode: 'workflow', outputName: 'answer', inputs: [{ variable: 'topic', required: true, maxLength: 10 }] });
    res = await postJson(`${sim.serviceBase}/workflows/run`, wf.apiKey, { inputs: { topic: 'tea' }, user: 'u' });
    const run = (await res.json()) as { workflow_run_id: string; data: { status: string; outputs: Record<string, unknown> } };
    assert.equal(run.data.status, 'succeeded');
    assert.deepEqual(run.data.outputs, { answer: 'tea' });
    res = await getWithKey(`${sim.serviceBase}/workflows/run/${run.workflow_run_id}`, wf.apiKey);
    assert.equal(((await res.json()) as { status: string }).status, 'succeeded');
    res = await postJson(`${sim.serviceBase}/workflows/run`, wf.apiKey, { inputs: { topic: 'x'.repeat(11) }, user: 'u' });
    assert.deepEqual(await res.json(), { code: 'invalid_param', message: 'topic in input form must be less than 10 characters', status: 400 });

    const stream = await postJson(`${sim.serviceBase}/workflows/run`, wf.apiKey, { inputs: { topic: 'tea' }, user: 'u', response_mode: 'streaming' });
    const events = dataEvents((await readSse(stream)).frames);
    assert.equal(events[0]?.event, 'workflow_started');
    assert.equal(events.at(-1)?.event, 'workflow_finished');
    assert.ok(events.some((e) => e.event === 'text_chunk'));
    for (const e of events) assert.ok('workflow_run_id' in e && 'task_id' in e && 'data' in e);
  });

  test('inputs: undeclared dropped, required missing → 400 with Dify message, frozen per conversation', async () => {
    const app = sim.addApp({ mode: 'chat', inputs: [{ variable: 'city', required: true, maxLength: 8 }] });
    let res = await postJson(`${sim.serviceBase}/chat-messages`, app.apiKey, { query: 'q', inputs: {}, user: 'u' });
    assert.deepEqual(await res.json(), { code: 'invalid_param', message: 'city is required in input form', status: 400 });
    res = await postJson(`${sim.serviceBase}/chat-messages`, app.apiKey, { query: 'q', inputs: { city: 'Shanghai-long' }, user: 'u' });
    assert.equal(((await res.json()) as { message: string }).message, 'city in input form must be less than 8 characters');
    res = await postJson(`${sim.serviceBase}/chat-messages`, app.apiKey, { query: 'q', inputs: { city: 'Paris', junk: 1 }, user: 'u' });
    const first = (await res.json()) as { conversation_id: string };
    res = await postJson(`${sim.serviceBase}/chat-messages`, app.apiKey, { query: 'q2', inputs: { city: 'Berlin' }, user: 'u', conversation_id: first.conversation_id });
    assert.equal(res.status, 200);
    res = await getWithKey(`${sim.serviceBase}/conversations?user=u`, app.apiKey);
    const list = (await res.json()) as { data: Array<{ inputs: Record<string, unknown> }> };
    assert.deepEqual(list.data[0]?.inputs, { city: 'Paris' }, 'first-turn values, undeclared key dropped');
    res = await getWithKey(`${sim.serviceBase}/messages?user=u&conversation_id=${first.conversation_id}`, app.apiKey);
    const msgs = (await res.json()) as { data: Array<{ inputs: Record<string, unknown>; query: string }> };
    assert.deepEqual(
      msgs.data.map((m) => [m.query, m.inputs.city]),
      [
        ['q', 'Paris'],
        ['q2', 'Paris'],
      ],
    );
  });

  test('conversation ownership: another user, another app or a deleted id → 404 "Conversation Not Exists."', async () => {
    let res = await postJson(`${sim.serviceBase}/chat-messages`, key('chat'), { query: 'mine', inputs: {}, user: 'owner' });
    const { conversation_id } = (await res.json()) as { conversation_id: string };
    res = await postJson(`${sim.serviceBase}/chat-messages`, key('chat'), { query: 'same user', inputs: {}, user: 'owner', conversation_id });
    assert.equal(((await res.json()) as { conversation_id: string }).conversation_id, conversation_id, 'the same conversation continues');
    const attempts: Array<[string, string]> = [
      [key('chat'), 'intruder'],
      [key('advanced-chat'), 'owner'],
    ];
    for (const [k, user] of attempts) {
      res = await postJson(`${sim.serviceBase}/chat-messages`, k, { query: 'x', inputs: {}, user, conversation_id });
      assert.equal(res.status, 404);
      const body = (await res.json()) as { code: string; message: string; status: number };
      assert.equal(body.code, 'not_found');
      assert.match(body.message, /^Conversation Not Exists\. You have requested this URI \[\/v1\/chat-messages\] but did you mean /);
    }
    res = await fetch(`${sim.serviceBase}/conversations/${conversation_id}`, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${key('chat')}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ user: 'intruder' }),
    });
    assert.equal(res.status, 404, "another user's delete is refused");
    res = await getWithKey(`${sim.serviceBase}/messages?user=intruder&conversation_id=${conversation_id}`, key('chat'));
    assert.equal(res.status, 404);
  });

  test('stop: always success; the owner stops a live stream, which ends with message_end carrying the partial answer', async () => {
    sim.script(key('chat'), { match: 'long', answer: 'x'.repeat(200), chunkSize: 1, chunkDelayMs: 5 });
    const res = await postJson(`${sim.serviceBase}/chat-messages`, key('chat'), { query: 'long one', inputs: {}, user: 'stopper', response_mode: 'streaming' });
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const firstChunk = new TextDecoder().decode((await reader.read()).value);
    const taskId = (JSON.parse(firstChunk.split('\n')[0]?.slice(6) ?? '{}') as { task_id: string }).task_id;
    const other = await postJson(`${sim.serviceBase}/chat-messages/${taskId}/stop`, key('chat'), { user: 'someone-else' });
    assert.deepEqual(await other.json(), { result: 'success' });
    const stop = await postJson(`${sim.serviceBase}/chat-messages/${taskId}/stop`, key('chat'), { user: 'stopper' });
    assert.deepEqual(await stop.json(), { result: 'success' });
    let rest = firstChunk;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      rest += new TextDecoder().decode(value);
    }
    const events = rest.split('\n\n').filter((b) => b.startsWith('data: ')).map((b) => JSON.parse(b.slice(6)) as Record<string, unknown>);
    assert.equal(events.at(-1)?.event, 'message_end');
    const partial = events.filter((e) => e.event === 'message').length;
    assert.ok(partial > 0 && partial < 200, `stopped after ${partial} of 200 deltas`);
    sim.script(key('chat'), []);
  });

  test('info, parameters and meta describe the app', async () => {
    const params = (await (await getWithKey(`${sim.serviceBase}/parameters`, key('chat'))).json()) as Record<string, unknown>;
    assert.deepEqual(params.user_input_form, [{ 'text-input': { default: '', label: 'City', max_length: 48, required: false, variable: 'city' } }]);
    assert.equal(params.opening_statement, 'Hello! I am the customer-service assistant. How can I help you today?');
    assert.deepEqual((params.file_upload as { allowed_file_types: string[] }).allowed_file_types, ['image']);
    assert.deepEqual(params.system_parameters, { image_file_size_limit: 10, video_file_size_limit: 100, audio_file_size_limit: 50, file_size_limit: 15, workflow_file_upload_limit: 10 });
    const wfParams = (await (await getWithKey(`${sim.serviceBase}/parameters`, key('workflow'))).json()) as { user_input_form: Array<Record<string, { type: string }>> };
    assert.equal(wfParams.user_input_form[0]?.paragraph?.type, 'paragraph', 'workflow variables repeat their type');
    const meta = (await (await getWithKey(`${sim.serviceBase}/meta`, key('agent-chat'))).json()) as { tool_icons: Record<string, unknown> };
    assert.ok('current_time' in meta.tool_icons);
    const root = (await (await fetch(`${sim.serviceBase}/`)).json()) as Record<string, unknown>;
    assert.deepEqual(root, { welcome: 'Dify OpenAPI', api_version: 'v1', server_version: '1.14.1' });
    const never = sim.addApp({ mode: 'advanced-chat', publishedVersions: 0 });
    const res = await getWithKey(`${sim.serviceBase}/parameters`, never.apiKey);
    assert.equal(((await res.json()) as { code: string }).code, 'app_unavailable');
  });

  test('calls() records generation calls per app, user and conversation', async () => {
    sim.clearCalls();
    const app = sim.addApp({ mode: 'chat' });
    const res = await postJson(`${sim.serviceBase}/chat-messages`, app.apiKey, { query: 'count me', inputs: {}, user: 'counter' });
    const { conversation_id } = (await res.json()) as { conversation_id: string };
    await postJson(`${sim.serviceBase}/chat-messages`, app.apiKey, { query: 'again', inputs: {}, user: 'counter', conversation_id });
    await getWithKey(`${sim.serviceBase}/info`, app.apiKey);
    const gens = sim.calls({ app: app.apiKey, kind: 'generation' });
    assert.equal(gens.length, 2);
    assert.deepEqual(
      gens.map((c) => [c.path, c.user, c.conversation, c.query, c.status]),
      [
        ['/v1/chat-messages', 'counter', conversation_id, 'count me', 200],
        ['/v1/chat-messages', 'counter', conversation_id, 'again', 200],
      ],
    );
    assert.equal(sim.calls({ app: app.id }).length, 3);
  });
});
