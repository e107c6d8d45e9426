import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startDifySimulator, type DifySimulator } from './index.js';
import { dataEvents, eventNames, postJson, readSse, SseCursor } from './test-support/http.js';

/**
 * The version switch on the wire: for each family of the reference (1.9.1, 1.10.x, 1.14.x) the conversation delete
 * status, the leading ping, the Chatflow terminal order, the concurrency error, and 404 vs hang for a bad
 * conversation. One simulator, switched with setVersion.
 */

let sim: DifySimulator;
const appKey = (mode: string) => sim.apps.find((a) => a.mode === mode)?.apiKey ?? '';

before(async () => {
  sim = await startDifySimulator({ pingIntervalMs: 0, hangCloseMs: 400 });
});
after(() => sim.close());

interface Expectation {
  version: string;
  deleteStatus: number;
  leadingPing: boolean;
  terminal: string[];
  badConversation: 'not_found' | 'hang';
}

const families: Expectation[] = [
  { version: '1.9.1', deleteStatus: 204, leadingPing: false, terminal: ['workflow_finished', 'message_end'], badConversation: 'not_found' },
  { version: '1.10.1', deleteStatus: 204, leadingPing: false, terminal: ['workflow_finished', 'message_end'], badConversation: 'not_found' },
  { version: '1.14.1', deleteStatus: 204, leadingPing: true, terminal: ['message_end', 'workflow_finished'], badConversation: 'hang' },
];

for (const f of families) {
  describe(`Dify ${f.version}`, () => {
    before(() => sim.setVersion(f.version));

    test('X-Version and GET /v1/ report the version', async () => {
      const res = await fetch(`${sim.serviceBase}/`);
      assert.equal(res.headers.get('x-version'), f.version);
      assert.equal(((await res.json()) as { server_version: string }).server_version, f.version);
    });

    test(`conversation delete answers ${f.deleteStatus}`, async () => {
      const c = (await (await postJson(`${sim.serviceBase}/chat-messages`, appKey('chat'), { query: 'hi', inputs: {}, user: 'u' })).json()) as { conversation_id: string };
      const res = await fetch(`${sim.serviceBase}/conversations/${c.conversation_id}`, {
        method: 'DELETE',
        headers: { Authorization: `Bearer ${appKey('chat')}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ user: 'u' }),
      });
      assert.equal(res.status, f.deleteStatus);
      assert.equal(await res.text(), '');
    });

    test(`chatflow stream: leading ping ${f.leadingPing ? 'yes' : 'no'}, terminal order ${f.terminal.join(' → ')}`, async () => {
      const res = await postJson(`${sim.serviceBase}/chat-messages`, appKey('advanced-chat'), { query: 'hello', inputs: {}, user: 'u', response_mode: 'streaming' });
      const names = eventNames((await readSse(res)).frames);
      assert.equal(names[0] === 'ping', f.leadingPing);
      const start = f.leadingPing ? 1 : 0;
      assert.equal(names[start], 'workflow_started');
      assert.deepEqual(names.slice(-2), f.terminal);
      const wf = await postJson(`${sim.serviceBase}/workflows/run`, appKey('workflow'), { inputs: { text: 'x' }, user: 'u', response_mode: 'streaming' });
      assert.equal(eventNames((await readSse(wf)).frames)[0] === 'ping', f.leadingPing, 'workflow streams too');
      const chat = await postJson(`${sim.serviceBase}/chat-messages`, appKey('chat'), { query: 'x', inputs: {}, user: 'u', response_mode: 'streaming' });
      assert.notEqual(eventNames((await readSse(chat)).frames)[0], 'ping', 'chatbot streams never open with a ping');
    });

    test(`bad conversation on streaming chatflow: ${f.badConversation}`, async () => {
      const res = await postJson(`${sim.serviceBase}/chat-messages`, appKey('advanced-chat'), {
        query: 'hello',
        inputs: {},
        user: 'u',
        response_mode: 'streaming',
        conversation_id: '00000000-0000-4000-8000-000000000000',
      });
      if (f.badConversation === 'not_found') {
        assert.equal(res.status, 404);
        assert.match(((await res.json()) as { message: string }).message, /^Conversation Not Exists\./);
      } else {
        assert.equal(res.status, 200);
        const read = await readSse(res, 2000);
        assert.deepEqual(eventNames(read.frames), ['ping'], 'a ping, then nothing');
        assert.equal(read.ending, 'end', 'the server closes the idle stream (hangCloseMs) with no terminal event');
      }
      // Chatbot apps check eagerly in every version.
      const chat = await postJson(`${sim.serviceBase}/chat-messages`, appKey('chat'), {
        query: 'x',
        inputs: {},
        user: 'u',
        response_mode: 'streaming',
        conversation_id: '00000000-0000-4000-8000-000000000000',
      });
      assert.equal(chat.status, 404);
    });

    test('concurrency limit: stock Dify answers 400 invalid_param "Too many requests…"; forced 429 too_many_requests', async () => {
      const limited = sim.addApp({ mode: 'chat', maxActiveRequests: 1, script: [{ match: 'slow', latencyMs: 60_000 }] });
      for (const forced of [undefined, 429] as const) {
        sim.setVersion(f.version, forced ? { concurrencyLimitStatus: forced } : {});
        const holder = new AbortController();
        // A stream holds its slot until it closes; this one waits a minute before its first event.
        const first = await postJson(`${sim.serviceBase}/chat-messages`, limited.apiKey, { query: 'slow', inputs: {}, user: 'a', response_mode: 'streaming' }, { signal: holder.signal });
        assert.equal(first.status, 200);
        const second = await postJson(`${sim.serviceBase}/chat-messages`, limited.apiKey, { query: 'quick', inputs: {}, user: 'b' });
        const body = (await second.json()) as { code: string; message: string; status: number };
        if (forced) assert.deepEqual([second.status, body.code], [429, 'too_many_requests']);
        else assert.deepEqual([second.status, body.code], [400, 'invalid_param']);
        assert.equal(body.message, `Too many requests. Please try again later. The current maximum concurrent requests allowed for ${limited.id} is 1.`);
        holder.abort();
        let status = 0;
        for (let i = 0; i < 100 && status !== 200; i++) {
          await new Promise((r) => setTimeout(r, 20));
          status = (await postJson(`${sim.serviceBase}/chat-messages`, limited.apiKey, { query: 'quick', inputs: {}, user: 'b' })).status;
        }
        assert.equal(status, 200, 'the slot is released when the stream closes');
      }
      sim.setVersion(f.version);
    });
  });
}

describe('other version behaviours', () => {
  test('early 2025 (1.0.0) answers delete with 200 {"result": "success"}', async () => {
    sim.setVersion('1.0.0');
    const c = (await (await postJson(`${sim.serviceBase}/chat-messages`, appKey('chat'), { query: 'hi', inputs: {}, user: 'u' })).json()) as { conversation_id: string };
    const res = await fetch(`${sim.serviceBase}/conversations/${c.conversation_id}`, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${appKey('chat')}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ user: 'u' }),
    });
    assert.equal(res.status, 200);
    assert.equal(await res.text(), '{"result": "success"}\n');
    const noJson = await fetch(`${sim.serviceBase}/conversations/${c.conversation_id}`, { method: 'DELETE', headers: { Authorization: `Bearer ${appKey('chat')}` } });
    assert.equal(noJson.status, 415);
  });

  test('1.13.x: the relay closes at workflow_finished, so message_end never arrives', async () => {
    sim.setVersion('1.13.3');
    const res = await postJson(`${sim.serviceBase}/chat-messages`, appKey('advanced-chat'), { query: 'hello', inputs: {}, user: 'u', response_mode: 'streaming' });
    const names = eventNames((await readSse(res)).frames);
    assert.equal(names.at(-1), 'workflow_finished');
    assert.ok(!names.includes('message_end'));
  });

  test('after the eager check (> 1.14.1) a bad conversation is a fast 404, but invalid inputs still hang', async () => {
    sim.setVersion('1.14.2');
    const app = sim.addApp({ mode: 'advanced-chat', inputs: [{ variable: 'lang', required: true }] });
    const bad = await postJson(`${sim.serviceBase}/chat-messages`, app.apiKey, {
      query: 'x',
      inputs: { lang: 'en' },
      user: 'u',
      response_mode: 'streaming',
      conversation_id: '00000000-0000-4000-8000-000000000000',
    });
    assert.equal(bad.status, 404);
    const missing = await postJson(`${sim.serviceBase}/chat-messages`, app.apiKey, { query: 'x', inputs: {}, user: 'u', response_mode: 'streaming' });
    assert.equal(missing.status, 200);
    const read = await readSse(missing, 2000);
    assert.deepEqual(eventNames(read.frames), ['ping']);
    const blocking = await postJson(`${sim.serviceBase}/chat-messages`, app.apiKey, { query: 'x', inputs: {}, user: 'u' });
    assert.equal(blocking.status, 400, 'blocking chatflow reports the error');
    sim.setVersion('1.10.1');
    const old = await postJson(`${sim.serviceBase}/chat-messages`, app.apiKey, { query: 'x', inputs: {}, user: 'u', response_mode: 'streaming' });
    assert.equal(old.status, 400, 'before 1.13 the error is a plain 400');
  });

  test('chatflow stop: workflow_finished (stopped) first; ≥ 1.13 the trailing message_end is lost', async () => {
    for (const [version, expectEnd] of [
      ['1.10.1', true],
      ['1.14.1', false],
    ] as const) {
      sim.setVersion(version);
      const app = sim.addApp({ mode: 'advanced-chat', script: [{ answer: 'y'.repeat(100), chunkSize: 1, chunkDelayMs: 5 }] });
      const res = await postJson(`${sim.serviceBase}/chat-messages`, app.apiKey, { query: 'go', inputs: {}, user: 'u', response_mode: 'streaming' });
      const cursor = new SseCursor(res);
      const first = await cursor.nextData();
      await postJson(`${sim.serviceBase}/chat-messages/${String(first?.task_id)}/stop`, app.apiKey, { user: 'u' });
      const frames = await cursor.drain();
      const finished = dataEvents(frames).find((e) => e.event === 'workflow_finished') as { data: { status: string } } | undefined;
      assert.equal(finished?.data.status, 'stopped');
      assert.equal(eventNames(frames).includes('message_end'), expectEnd, `${version}: message_end after stop`);
      assert.ok(dataEvents(frames).filter((e) => e.event === 'message').length < 100, 'the answer was cut short');
    }
  });
});
