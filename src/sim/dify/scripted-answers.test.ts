import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startDifySimulator, type DifySimulator } from './index.js';
import { dataEvents, eventNames, postJson, readSse, SseCursor } from './test-support/http.js';

/** Scripted answers and failure injection, each observed on the wire with plain fetch. */

let sim: DifySimulator;
const chat = (body: Record<string, unknown>, key = keyOf('chat')) =>
  postJson(`${sim.serviceBase}/chat-messages`, key, { inputs: {}, user: 'u', ...body });
function keyOf(mode: string): string {
  return sim.apps.find((a) => a.mode === mode)?.apiKey ?? '';
}

before(async () => {
  sim = await startDifySimulator({ version: '1.14.1', pingIntervalMs: 0, hangCloseMs: 300 });
});
after(() => sim.close());

describe('failure injection', () => {
  test('5xx: 500 internal_server_error JSON before anything streams', async () => {
    sim.script(keyOf('chat'), { match: 'boom', fail: '5xx' });
    for (const mode of ['blocking', 'streaming']) {
      const res = await chat({ query: 'boom', response_mode: mode });
      assert.equal(res.status, 500);
      assert.deepEqual(await res.json(), {
        code: 'internal_server_error',
        message: 'The server encountered an internal error and was unable to complete your request. Either the server is overloaded or there is an error in the application.',
        status: 500,
      });
    }
  });

  test('bad-gateway: a 502 HTML page, not JSON', async () => {
    sim.script(keyOf('chat'), { fail: 'bad-gateway' });
    const res = await chat({ query: 'any' });
    assert.equal(res.status, 502);
    assert.match(res.headers.get('content-type') ?? '', /text\/html/);
    assert.match(await res.text(), /502 Bad Gateway/);
  });

  test('hang before the first event: headers (and the opening ping of graph apps), then silence until the server gives up', async () => {
    sim.script(keyOf('chat'), { fail: 'hang' });
    const res = await chat({ query: 'hang', response_mode: 'streaming' });
    assert.equal(res.status, 200);
    const read = await readSse(res, 2000);
    assert.deepEqual(read.frames, []);
    assert.equal(read.ending, 'end', 'closed after hangCloseMs, no terminal event');

    sim.script(keyOf('advanced-chat'), { fail: 'hang' });
    const flow = await postJson(`${sim.serviceBase}/chat-messages`, keyOf('advanced-chat'), { query: 'h', inputs: {}, user: 'u', response_mode: 'streaming' });
    assert.deepEqual(eventNames((await readSse(flow, 2000)).frames), ['ping']);

    const started = Date.now();
    const blocking = chat({ query: 'hang' }, keyOf('chat'));
    await assert.rejects(blocking.then((r) => r.text()), 'a hung blocking call gets no answer (the connection is dropped)');
    assert.ok(Date.now() - started >= 250);
  });

  test('cut mid-stream: some deltas, then the connection breaks with no terminal event', async () => {
    sim.script(keyOf('chat'), { fail: 'cut', answer: 'abcdefghijkl', chunkSize: 2, failAfterChunks: 3 });
    const read = await readSse(await chat({ query: 'cut', response_mode: 'streaming' }));
    assert.equal(read.ending, 'error');
    assert.deepEqual(eventNames(read.frames), ['message', 'message', 'message']);
    const blocking = chat({ query: 'cut' });
    await assert.rejects(blocking.then((r) => r.text()));
  });

  test('error event: deltas, then {event:error,status,code,message} without task_id, then close', async () => {
    sim.script(keyOf('chat'), { fail: 'error-event', failAfterChunks: 1, error: { code: 'completion_request_error', message: '[openai] Error: rate limited', status: 400 } });
    const read = await readSse(await chat({ query: 'errors please', response_mode: 'streaming' }));
    assert.equal(read.ending, 'end');
    const events = dataEvents(read.frames);
    assert.deepEqual(events.map((e) => e.event), ['message', 'error']);
    const err = events[1] as Record<string, unknown>;
    assert.deepEqual([err.status, err.code, err.message], [400, 'completion_request_error', '[openai] Error: rate limited']);
    assert.ok(!('task_id' in err));
    assert.ok('conversation_id' in err && 'message_id' in err);
    const blocking = await chat({ query: 'errors please' });
    assert.deepEqual(await blocking.json(), { code: 'completion_request_error', message: '[openai] Error: rate limited', status: 400 });
  });

  test('provider quota and forced rate-limit errors', async () => {
    sim.script(keyOf('chat'), [{ match: 'quota', fail: 'provider-quota' }, { match: 'busy', fail: 'rate-limit' }]);
    const q = await chat({ query: 'quota' });
    assert.equal(((await q.json()) as { code: string }).code, 'provider_quota_exceeded');
    const qs = dataEvents((await readSse(await chat({ query: 'quota', response_mode: 'streaming' }))).frames);
    assert.deepEqual(qs.map((e) => [e.event, e.code]), [['error', 'provider_quota_exceeded']]);
    const busy = await chat({ query: 'busy' });
    assert.equal(busy.status, 400);
    assert.match(((await busy.json()) as { message: string }).message, /^Too many requests\./);
  });

  test('workflow failure: chatflow blocking → 400 "Run failed: …"; workflow blocking → 200 with status failed', async () => {
    sim.script(keyOf('advanced-chat'), { fail: 'workflow-failed', error: { message: 'LLM node exploded' } });
    const flow = await postJson(`${sim.serviceBase}/chat-messages`, keyOf('advanced-chat'), { query: 'x', inputs: {}, user: 'u' });
    assert.deepEqual(await flow.json(), { code: 'invalid_param', message: 'Run failed: LLM node exploded', status: 400 });
    const stream = await postJson(`${sim.serviceBase}/chat-messages`, keyOf('advanced-chat'), { query: 'x', inputs: {}, user: 'u', response_mode: 'streaming' });
    const events = dataEvents((await readSse(stream)).frames);
    const finished = events.find((e) => e.event === 'workflow_finished') as { data: { status: string; error: string } };
    assert.deepEqual([finished.data.status, finished.data.error], ['failed', 'LLM node exploded']);
    assert.equal(events.at(-1)?.event, 'workflow_finished', '1.14: the relay closes before the trailing error');

    sim.script(keyOf('workflow'), { fail: 'workflow-failed', error: { message: 'bad node' } });
    const run = await postJson(`${sim.serviceBase}/workflows/run`, keyOf('workflow'), { inputs: { text: 't' }, user: 'u' });
    assert.equal(run.status, 200);
    const body = (await run.json()) as { data: { status: string; error: string } };
    assert.deepEqual([body.data.status, body.data.error], ['failed', 'bad node']);
  });
});

describe('scripted content', () => {
  test('rules: first match wins, RegExp and JSON regex forms, `times` consumes, unmatched queries are echoed', async () => {
    sim.script(keyOf('chat'), [
      { match: /^weather/i, answer: 'Sunny, 25°C', times: 1 },
      { match: { regex: 'price$', flags: '' }, answer: ({ query, user }) => `${user} asked: ${query}` },
    ]);
    const answer = async (q: string) => ((await (await chat({ query: q })).json()) as { answer: string }).answer;
    assert.equal(await answer('Weather today?'), 'Sunny, 25°C');
    assert.equal(await answer('Weather today?'), 'Weather today?', 'the rule was used up');
    assert.equal(await answer('the price'), 'u asked: the price');
    sim.script(keyOf('chat'), []);
  });

  test('latency before the first event and pacing between deltas are applied', async () => {
    sim.script(keyOf('chat'), { answer: 'abcdef', chunkSize: 2, latencyMs: 150, chunkDelayMs: 60 });
    const started = Date.now();
    const res = await chat({ query: 'slow', response_mode: 'streaming' });
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const firstAt = (await reader.read(), Date.now());
    while (!(await reader.read()).done);
    const endAt = Date.now();
    assert.ok(firstAt - started >= 140, `first event after ${firstAt - started} ms`);
    assert.ok(endAt - firstAt >= 110, `two more deltas paced over ${endAt - firstAt} ms`);
  });

  test('Markdown, <think> blocks and message_replace', async () => {
    sim.script(keyOf('chat'), { answer: '**Bold** and `code`', think: 'reasoning…', replace: 'Moderated.' });
    const events = dataEvents((await readSse(await chat({ query: 'md', response_mode: 'streaming' }))).frames);
    const streamed = events.filter((e) => e.event === 'message').map((e) => e.answer).join('');
    assert.equal(streamed, '<think>\nreasoning…\n</think>\n\n**Bold** and `code`');
    const replace = events.find((e) => e.event === 'message_replace');
    assert.deepEqual([replace?.answer, replace?.reason], ['Moderated.', '']);
    assert.deepEqual(events.slice(-2).map((e) => e.event), ['message_replace', 'message_end']);
    const blocking = (await (await chat({ query: 'md' })).json()) as { answer: string };
    assert.equal(blocking.answer, 'Moderated.');
  });

  test('files: message_file with a signed URL the simulator serves; later deltas use the message_file quirk', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
    sim.script(keyOf('chat'), { answer: 'Here is your chart', files: [{ filename: 'chart.png', data: png }] });
    const events = dataEvents((await readSse(await chat({ query: 'img', response_mode: 'streaming' }))).frames);
    const file = events[0] as Record<string, unknown>;
    assert.deepEqual([file.event, file.type, file.belongs_to], ['message_file', 'image', 'assistant']);
    const url = String(file.url);
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/files\/tools\/[0-9a-f-]+\.png\?timestamp=\d+&nonce=[0-9a-f]+&sign=/);
    const got = await fetch(url);
    assert.equal(got.headers.get('content-type'), 'image/png');
    assert.deepEqual(Buffer.from(await got.arrayBuffer()), png);
    assert.equal((await fetch(url.replace(/sign=./, 'sign=X'))).status, 403, 'a tampered signature is refused');
    const deltas = events.filter((e) => e.event === 'message_file' && 'answer' in e);
    assert.ok(deltas.length > 0 && deltas.every((e) => !('url' in e)), 'text deltas arrive as message_file without url');
    assert.equal(deltas.map((e) => e.answer).join(''), 'Here is your chart');
    const end = events.at(-1) as { event: string; files: Array<{ url: string }> };
    assert.equal(end.event, 'message_end');
    assert.equal(end.files[0]?.url, url);
  });

  test('agent apps: agent_thought (tool call, observation), message_file, agent_message deltas, message_end', async () => {
    sim.script(keyOf('agent-chat'), {
      answer: 'It is 10:00.',
      thoughts: [{ thought: 'Let me check the time', tool: 'current_time', toolInput: { timezone: 'UTC' }, observation: '10:00', files: [{}] }],
    });
    const events = dataEvents((await readSse(await postJson(`${sim.serviceBase}/chat-messages`, keyOf('agent-chat'), { query: 'time?', inputs: {}, user: 'u', response_mode: 'streaming' }))).frames);
    assert.deepEqual(
      events.map((e) => e.event),
      ['agent_thought', 'message_file', 'agent_thought', 'agent_thought', ...Array(3).fill('agent_message'), 'agent_thought', 'message_end'],
    );
    const toolStep = events[2] as Record<string, unknown>;
    assert.deepEqual([toolStep.position, toolStep.tool, toolStep.tool_input, toolStep.observation], [1, 'current_time', '{"current_time":{"timezone":"UTC"}}', '10:00']);
    assert.equal((toolStep.message_files as string[]).length, 1);
    assert.deepEqual(toolStep.tool_labels, { current_time: { en_US: 'Current Time', zh_Hans: 'Current Time' } });
    const final = events.at(-2) as Record<string, unknown>;
    assert.deepEqual([final.position, final.thought], [2, 'It is 10:00.']);
    assert.equal(events.filter((e) => e.event === 'agent_message').map((e) => e.answer).join(''), 'It is 10:00.');
  });

  test('text to speech with autoPlay: tts_message before message_end, tts_message_end after it', async () => {
    const app = sim.addApp({ mode: 'chat', textToSpeech: true });
    const names = eventNames((await readSse(await postJson(`${sim.serviceBase}/chat-messages`, app.apiKey, { query: 'speak', inputs: {}, user: 'u', response_mode: 'streaming' }))).frames);
    assert.deepEqual(names.slice(-3), ['tts_message', 'message_end', 'tts_message_end']);
  });
});

describe('keep-alive and stop of other modes', () => {
  test('keep-alive pings every pingIntervalMs while a slow answer is pending', async () => {
    const pinging = await startDifySimulator({ pingIntervalMs: 40, apps: [{ mode: 'chat', script: [{ latencyMs: 300 }] }] });
    try {
      const app = pinging.apps[0];
      const res = await postJson(`${pinging.serviceBase}/chat-messages`, app?.apiKey ?? '', { query: 'slow', inputs: {}, user: 'u', response_mode: 'streaming' });
      const names = eventNames((await readSse(res)).frames);
      const firstData = names.findIndex((n) => n !== 'ping');
      assert.ok(firstData >= 1, `pings before the first event: ${names.slice(0, firstData).join(',')}`);
      assert.ok(names.slice(0, firstData).every((n) => n === 'ping'));
      assert.equal(names.at(-1), 'message_end');
    } finally {
      await pinging.close();
    }
  });

  test('workflow stop (no user check) ends with workflow_finished status stopped; completion stop ends with message_end', async () => {
    sim.script(keyOf('workflow'), { answer: 'z'.repeat(60), chunkSize: 1, chunkDelayMs: 5 });
    const res = await postJson(`${sim.serviceBase}/workflows/run`, keyOf('workflow'), { inputs: { text: 't' }, user: 'u', response_mode: 'streaming' });
    const cursor = new SseCursor(res);
    const first = await cursor.nextData();
    const stop = await postJson(`${sim.serviceBase}/workflows/tasks/${String(first?.task_id)}/stop`, keyOf('workflow'), { user: 'anyone' });
    assert.deepEqual(await stop.json(), { result: 'success' });
    const events = dataEvents(await cursor.drain());
    const finished = events.at(-1) as { event: string; data: { status: string } };
    assert.deepEqual([finished.event, finished.data.status], ['workflow_finished', 'stopped']);

    sim.script(keyOf('completion'), { answer: 'w'.repeat(60), chunkSize: 1, chunkDelayMs: 5 });
    const c = await postJson(`${sim.serviceBase}/completion-messages`, keyOf('completion'), { inputs: { query: 'q' }, user: 'u', response_mode: 'streaming' });
    const cc = new SseCursor(c);
    const cfirst = await cc.nextData();
    await postJson(`${sim.serviceBase}/completion-messages/${String(cfirst?.task_id)}/stop`, keyOf('completion'), { user: 'u' });
    const cevents = dataEvents(await cc.drain());
    assert.equal(cevents.at(-1)?.event, 'message_end');
    assert.ok(cevents.filter((e) => e.event === 'message').length < 60);
    assert.ok(!('conversation_id' in (cevents[0] as object)), 'completion events carry no conversation_id');
  });

  test('routing: 405 for a known path with the wrong method, 404 with flask-restx help for a near miss', async () => {
    const wrong = await fetch(`${sim.serviceBase}/chat-messages`, { headers: { Authorization: `Bearer ${keyOf('chat')}` } });
    assert.deepEqual([wrong.status, ((await wrong.json()) as { code: string }).code], [405, 'method_not_allowed']);
    const near = await fetch(`${sim.serviceBase}/chat-message`);
    const body = (await near.json()) as { code: string; message: string };
    assert.equal(near.status, 404);
    assert.match(body.message, /^The requested URL was not found on the server\. If you entered the URL manually please check your spelling and try again\. You have requested this URI \[\/v1\/chat-message\] but did you mean \/v1\/chat-messages/);
    assert.equal(near.headers.get('x-version'), '1.14.1');
  });
});
