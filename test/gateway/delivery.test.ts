/**
 * The delivery invariants of design.md, end to end over real HTTP: the WeChat simulator's follower side delivers
 * like WeChat (timeouts, retries), the gateway runs on a real SQLite store, the window is shrunk via config.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_MESSAGES } from '../../src/config/follower-messages.js';
import type { FollowerView } from '../../src/sim/wechat/follower.js';
import { startDifySimulator, type DifySimulator } from '../../src/sim/dify/index.js';
import { slowAnswerer, startBed, WINDOW_MS, type BedOptions, passiveText } from './support.js';

const pushedTexts = (view: FollowerView): string[] => view.customerService.flatMap((m) => (m.text !== undefined ? [m.text] : []));

/** No delivery may be answered after WeChat's window: the follower side measures each one. */
function assertInTime(view: FollowerView): void {
  for (const d of view.deliveries) {
    if (d.outcome === 'reply' || d.outcome === 'success') assert.ok(d.endedAt - d.startedAt < WINDOW_MS, `delivery ${d.n} answered after its deadline`);
  }
  assert.equal(view.invalidNotice, undefined, 'the follower never sees 该公众号暂时无法提供服务');
}

// The Dify simulator stands in for the AI: scripted latency, and its call log counts the AI calls.
let dify: DifySimulator;
before(async () => {
  dify = await startDifySimulator({ port: 0, pingIntervalMs: 1000 });
});
after(async () => {
  await dify.close();
});

/** A bed whose AI is the simulator's chat app answering `answer` after `latencyMs`. */
async function difyBed(latencyMs: number, answer: string, options: Omit<BedOptions, 'answerer' | 'aiBaseUrl' | 'aiApiKey'> = {}) {
  const app = dify.addApp({ mode: 'chat' });
  dify.script(app.apiKey, { latencyMs, answer });
  const bed = await startBed({ ...options, aiBaseUrl: dify.serviceBase, aiApiKey: app.apiKey });
  const aiCalls = (): number => dify.calls({ app: app.id }).filter((c) => c.kind === 'generation').length;
  return { bed, aiCalls };
}

for (const [factor, delivery] of [
  [0.2, 1],
  [1.5, 2],
  [2.5, 3],
] as const) {
  test(`AI at ${factor}× the window → passive reply on delivery ${delivery}, one AI call`, async () => {
    const { bed, aiCalls } = await difyBed(WINDOW_MS * factor, '**答案**：四十二');
    try {
      const view = await bed.send('生命的意义是什么？');
      assertInTime(view);
      assert.equal(view.passive?.delivery, delivery);
      assert.equal(passiveText(view), '答案：四十二', 'Markdown shaped to text');
      assert.equal(aiCalls(), 1);
      assert.deepEqual(view.customerService, []);
    } finally {
      await bed.close();
    }
  });
}

test('AI at 4× the window → waiting text on the final delivery, then one 客服 push', async () => {
  const { bed, aiCalls } = await difyBed(WINDOW_MS * 4, '迟到的答案');
  try {
    const view = await bed.send('慢问题', { expectPush: 1 });
    assertInTime(view);
    assert.equal(view.passive?.delivery, 3);
    assert.equal(passiveText(view), DEFAULT_MESSAGES.waiting);
    assert.deepEqual(pushedTexts(view), ['迟到的答案']);
    assert.equal(aiCalls(), 1);
  } finally {
    await bed.close();
  }
});

test('an unverified account → the fetch keyword returns the late answer, exactly once', async () => {
  const { bed, aiCalls } = await difyBed(WINDOW_MS * 4, '要领取的答案', { account: { verified: false }, verifiedInSim: false });
  try {
    const openid = 'oFetchKeyword0000000000000001';
    const view = await bed.send('慢问题', { openid });
    assertInTime(view);
    assert.equal(passiveText(view), DEFAULT_MESSAGES.fetchPrompt.replace('{keyword}', '继续'));
    await new Promise((r) => setTimeout(r, WINDOW_MS * 2)); // the answer arrives after the final delivery
    const fetched = await bed.send('继续', { openid });
    assert.equal(passiveText(fetched), '要领取的答案');
    const again = await bed.send('继续', { openid });
    assert.equal(passiveText(again), DEFAULT_MESSAGES.nothingPending);
    assert.equal(aiCalls(), 1, 'the keyword is not sent to the AI');
    assert.equal(bed.sim.received(openid).length, 0, 'nothing was pushed');
  } finally {
    await bed.close();
  }
});

test('verified: auto learns from 48001 that the account cannot push, and keeps the answer', async () => {
  const ai = slowAnswerer(WINDOW_MS * 4, '自动发现');
  const bed = await startBed({ answerer: ai, verifiedInSim: false });
  try {
    const openid = 'oAutoDetect00000000000000001';
    await bed.send('慢问题', { openid });
    await new Promise((r) => setTimeout(r, WINDOW_MS * 3));
    assert.equal(passiveText(await bed.send('继续', { openid })), '自动发现');
    // Now known: the next late answer prompts for the keyword instead of promising a push.
    const second = await bed.send('再来一个', { openid });
    assert.equal(passiveText(second), DEFAULT_MESSAGES.fetchPrompt.replace('{keyword}', '继续'));
  } finally {
    await bed.close();
  }
});

test('a 6,000-byte Chinese answer: first part passive, the rest pushed; parts ≤ 2048 bytes, nothing lost or repeated', async () => {
  const sentence = '微信公众号的被动回复有五秒的时限，超时后微信会重试三次。';
  let answer = '';
  while (Buffer.byteLength(answer) < 6000) answer += sentence;
  const bed = await startBed({ answerer: slowAnswerer(10, answer) });
  try {
    const view = await bed.send('长回答', { expectPush: 2 });
    assertInTime(view);
    const parts = [passiveText(view) ?? '', ...pushedTexts(view)];
    assert.equal(parts.length, 3);
    for (const p of parts) assert.ok(Buffer.byteLength(p) <= 2048, `part of ${Buffer.byteLength(p)} bytes`);
    assert.equal(parts.join(''), answer);
  } finally {
    await bed.close();
  }
});

test('"]]>" in an answer reaches the follower intact', async () => {
  const bed = await startBed({ answerer: slowAnswerer(5, '结束符 ]]> 与 ]]]]>> 都要原样送达') });
  try {
    const view = await bed.send('cdata');
    assert.equal(passiveText(view), '结束符 ]]> 与 ]]]]>> 都要原样送达');
  } finally {
    await bed.close();
  }
});

test('reset command: the next question starts a new conversation, after the questions before it', async () => {
  const seen: string[] = [];
  const bed = await startBed({ answerer: { ask: async (_o, q) => (seen.push(q), { text: `答：${q}`, files: [] }) } });
  try {
    const openid = 'oResetCommand000000000000001';
    assert.equal(passiveText(await bed.send('/new', { openid })), DEFAULT_MESSAGES.conversationReset);
    assert.equal(passiveText(await bed.send('你好', { openid })), '答：你好');
    assert.deepEqual(seen, ['你好'], 'the reset command never reaches the AI');
  } finally {
    await bed.close();
  }
});

test('subscribe gets the welcome text; unsubscribe drops what is kept about the follower', async () => {
  const bed = await startBed({ answerer: slowAnswerer(WINDOW_MS * 4, '留给你的') });
  try {
    const openid = 'oUnsubscribe0000000000000001';
    const welcome = await bed.send({ type: 'event', event: 'subscribe', eventKey: '' }, { openid });
    assert.equal(passiveText(welcome), DEFAULT_MESSAGES.welcome);
    await bed.send('问题', { openid, expectPush: 1 });
    const before = bed.rows().kv;
    const bye = await bed.send({ type: 'event', event: 'unsubscribe' }, { openid });
    assert.equal(bye.passive, undefined, 'success, no reply');
    assert.ok(bed.rows().kv < before, 'follower records purged');
  } finally {
    await bed.close();
  }
});
