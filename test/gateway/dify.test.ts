/**
 * The AI path through the Dify simulator over real HTTP: every app type, conversations (idle reset, reset
 * command, "conversation not exists" recovery), answer shaping, and Dify failures turned into an apology.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_MESSAGES } from '../../src/config/follower-messages.js';
import { startDifySimulator } from '../../src/sim/dify/simulator.js';
import type { DifySimulator, SimAppInfo, SimAppMode } from '../../src/sim/dify/types.js';
import { startBed, WINDOW_MS, type Bed, passiveText } from './support.js';


let dify: DifySimulator;
before(async () => {
  dify = await startDifySimulator({ port: 0, pingIntervalMs: 1000 });
});
after(async () => {
  await dify.close();
});

function app(mode: SimAppMode): SimAppInfo {
  const found = dify.apps.find((a) => a.mode === mode);
  assert.ok(found, `the simulator has a ${mode} app`);
  return found;
}

async function bedFor(mode: SimAppMode, ai: Record<string, unknown> = {}): Promise<Bed> {
  const a = app(mode);
  const kind = { chat: 'chat', 'agent-chat': 'agent', 'advanced-chat': 'chatflow', workflow: 'workflow', completion: 'completion' }[mode as string] ?? 'chat';
  return startBed({
    aiBaseUrl: dify.serviceBase,
    aiApiKey: a.apiKey,
    account: { ai: { baseUrl: dify.serviceBase, apiKey: a.apiKey, app: kind, timeoutMs: 20_000, firstEventTimeoutMs: 5_000, idleTimeoutMs: 5_000, ...ai } },
  });
}

const generations = (appId: string, user?: string) =>
  dify.calls({ app: appId }).filter((c) => c.kind === 'generation' && (user === undefined || c.user === user));

test('chat app: the follower OpenID is the Dify user, the answer is shaped (Markdown, <think> removed)', async () => {
  const a = app('chat');
  dify.script(a.apiKey, { match: '天气', think: '先想一想', answer: '## 今天\n\n- **晴**\n- 25°C' });
  const bed = await bedFor('chat');
  try {
    const openid = 'oDifyChat0000000000000000001';
    const view = await bed.send('天气怎么样', { openid });
    assert.equal(passiveText(view), '今天\n\n• 晴\n• 25°C');
    const calls = generations(a.id, openid);
    assert.equal(calls.length, 1);
    assert.equal(calls[0]?.query, '天气怎么样');
  } finally {
    dify.script(a.apiKey, []);
    await bed.close();
  }
});

test('responseMode blocking: chat and chatflow apps are asked in blocking mode, conversations continue, answers are shaped', async () => {
  for (const mode of ['chat', 'advanced-chat'] as const) {
    const a = app(mode);
    dify.script(a.apiKey, { match: '天气', think: '先想一想', answer: '## 今天\n\n- **晴**' });
    const bed = await bedFor(mode, { responseMode: 'blocking' });
    try {
      const openid = `oDifyBlocking${mode === 'chat' ? 'Chat' : 'Flow'}000000001`;
      assert.equal(passiveText(await bed.send('天气怎么样', { openid })), '今天\n\n• 晴');
      await bed.send('还有呢', { openid });
      const calls = generations(a.id, openid);
      assert.deepEqual(calls.map((c) => c.responseMode), ['blocking', 'blocking'], mode);
      assert.ok(calls[0]?.conversation && calls[1]?.conversation === calls[0].conversation, `${mode}: one conversation`);
    } finally {
      dify.script(a.apiKey, []);
      await bed.close();
    }
  }
});

test('conversations continue, reset on the command, and recover when Dify lost them', async () => {
  const a = app('chat');
  const bed = await bedFor('chat');
  try {
    const openid = 'oDifyConversation00000000001';
    await bed.send('第一句', { openid });
    await bed.send('第二句', { openid });
    // The simulator records the conversation each call ended up in.
    const [first, second] = generations(a.id, openid);
    assert.ok(first?.conversation, 'Dify opened a conversation');
    assert.equal(second?.conversation, first.conversation, 'the second message continues it');

    // Dify forgets it (deleted in the console): the next message recovers with one retry.
    const res = await fetch(`${dify.serviceBase}/conversations/${first.conversation}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${a.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ user: openid }),
    });
    assert.ok(res.ok);
    const view = await bed.send('第三句', { openid });
    assert.equal(passiveText(view), '第三句', 'echoed by the simulator after the retry');
    const third = generations(a.id, openid).slice(2);
    assert.deepEqual(third.map((c) => c.status), [404, 200], 'the failed call and one retry');
    assert.ok(third[1]?.conversation && third[1].conversation !== first.conversation, 'a new conversation');

    await bed.send('/new', { openid });
    await bed.send('第四句', { openid });
    const last = generations(a.id, openid).at(-1);
    assert.ok(last?.conversation && last.conversation !== third[1]?.conversation, 'after /new: a new conversation');
  } finally {
    await bed.close();
  }
});

for (const mode of ['agent-chat', 'advanced-chat'] as const) {
  test(`${mode} app answers through streaming`, async () => {
    const bed = await bedFor(mode);
    try {
      const view = await bed.send(`你好 ${mode}`);
      assert.ok(passiveText(view)?.includes(`你好 ${mode}`), passiveText(view));
    } finally {
      await bed.close();
    }
  });
}

test('workflow and completion apps get the message in their input variable', async () => {
  for (const [mode, variable] of [['workflow', 'text'], ['completion', 'query']] as const) {
    const a = app(mode);
    dify.script(a.apiKey, { answer: (ctx) => `收到：${JSON.stringify(ctx.inputs ?? {})}` });
    const bed = await bedFor(mode, { inputVariable: variable });
    try {
      const view = await bed.send('工作流');
      assert.match(passiveText(view) ?? '', /工作流/, `${mode}: ${passiveText(view)}`);
    } finally {
      dify.script(a.apiKey, []);
      await bed.close();
    }
  }
});

test('Dify failures (5xx, error event, cut stream, hang) → the apology, never an invalid reply', async () => {
  const a = app('chat');
  const bed = await bedFor('chat', { firstEventTimeoutMs: WINDOW_MS });
  try {
    for (const fail of ['5xx', 'error-event', 'cut', 'hang'] as const) {
      dify.script(a.apiKey, { fail, times: 1 });
      const view = await bed.send(`失败 ${fail}`, { expectPush: fail === 'hang' ? 1 : 0 });
      assert.equal(view.invalidNotice, undefined, fail);
      const seen = passiveText(view) === DEFAULT_MESSAGES.aiFailed || view.customerService.some((m) => m.text === DEFAULT_MESSAGES.aiFailed);
      assert.ok(seen, `${fail}: the follower gets the apology (got ${passiveText(view)})`);
    }
  } finally {
    dify.script(a.apiKey, []);
    await bed.close();
  }
});
