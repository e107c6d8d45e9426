/**
 * What the demo shows about WeChat's window, with the window shrunk to 400 ms: which delivery carries the answer,
 * pushes, the keyword fallback, long answers split, and the failure switches.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_MESSAGES } from '../../src/config/follower-messages.js';
import type { DemoState } from '../../src/demo/demo-routes.js';
import { post, startDemoBed, textOf, TimelineClient, type DemoBed } from './support.js';

/** Wider than the other demo tests' window: a latency aimed at one delivery keeps 200 ms of margin on a loaded machine. */
const WINDOW_MS = 400;

let bed: DemoBed;
let base: string;

before(async () => {
  bed = await startDemoBed({ windowMs: WINDOW_MS });
  base = bed.demo.url;
});

after(async () => {
  await bed?.close();
});

/** A fresh follower with these settings (the rest back to a quick, healthy demo). */
async function scenario(settings: Record<string, unknown>): Promise<TimelineClient> {
  assert.equal((await post<DemoState>(base, '/demo/api/restart', {})).status, 200);
  const res = await post(base, '/demo/api/settings', { aiLatencyMs: 30, verified: true, difyFails: false, wechatBusy: false, ...settings });
  assert.equal(res.status, 200);
  return new TimelineClient(base);
}

async function say(content: string): Promise<string> {
  const res = await post<{ itemId: string }>(base, '/demo/api/messages', { type: 'text', content });
  assert.equal(res.status, 202);
  return res.body.itemId;
}

test('a long Markdown answer: part 1 on delivery 1, the rest pushed by 客服, all marked and in order', async () => {
  const page = await scenario({});
  const id = await say('长回答');
  const view = await page.until((v) => v.answersTo(id).length === 3 && v.answersTo(id).every((p) => p.part), 'three parts, numbered');
  const parts = view.answersTo(id);
  assert.deepEqual(parts.map((p) => p.part), [1, 2, 3].map((n) => ({ n, of: 3 })));
  assert.deepEqual(parts.map((p) => p.arrival.channel), ['passive', 'push', 'push']);
  assert.deepEqual(parts[0]?.arrival, { channel: 'passive', delivery: 1 });
  assert.match(textOf(parts[0]), /^mpgate 如何送达每一个回答\n/, 'the Markdown heading became plain text');
  for (const p of parts) assert.ok(Buffer.byteLength(textOf(p)) <= 2048);
  const elapsed = parts.map((p) => p.elapsedMs ?? -1);
  assert.deepEqual([...elapsed].sort((a, b) => a - b), elapsed, 'parts arrive in order');
  assert.ok(view.log.some((l) => /answer ready after .*: 3 messages/.test(l.text)));
  assert.equal(view.log.filter((l) => l.text === '客服 message/custom/send → ok').length, 2);
});

test('an AI slower than every delivery: no reply, no reply, the waiting text on delivery 3, then the answer pushed', async () => {
  const latency = Math.round(WINDOW_MS * 3.5); // after the last delivery has answered (3 windows less the margin)
  const page = await scenario({ aiLatencyMs: latency });
  const id = await say('慢慢想');
  const view = await page.until((v) => v.answersTo(id).length === 2, 'the waiting text and the push');
  assert.deepEqual(view.follower(id).deliveries.map((d) => [d.n, d.outcome]), [
    [1, 'no-reply'],
    [2, 'no-reply'],
    [3, 'late'],
  ]);
  const [waiting, pushed] = view.answersTo(id);
  assert.equal(textOf(waiting), DEFAULT_MESSAGES.waiting);
  assert.deepEqual(waiting?.arrival, { channel: 'passive', delivery: 3 });
  assert.match(textOf(pushed), /「慢慢想」/);
  assert.equal(pushed?.arrival.channel, 'push');
  assert.ok(pushed!.elapsedMs! >= latency, `pushed after the AI answered (${pushed?.elapsedMs} ms)`);
  assert.ok(waiting!.elapsedMs! < pushed!.elapsedMs!);
  assert.ok(view.sawTyping, 'the title showed "对方正在输入..." between the waiting text and the answer');
});

test('an AI answering within the second delivery is a passive reply on delivery 2', async () => {
  const page = await scenario({ aiLatencyMs: Math.round(WINDOW_MS * 1.4) });
  const id = await say('第二次');
  const view = await page.until((v) => v.answersTo(id).length === 1 && v.follower(id).state === 'done', 'the answer');
  assert.deepEqual(view.answersTo(id)[0]?.arrival, { channel: 'passive', delivery: 2 });
  assert.deepEqual(view.follower(id).deliveries.map((d) => d.outcome), ['no-reply', 'reply']);
});

test('an unverified account: the follower is told to send the keyword, and the keyword fetches the answer', async () => {
  const latency = Math.round(WINDOW_MS * 3.5);
  const page = await scenario({ aiLatencyMs: latency, verified: false });
  const id = await say('未认证的问题');
  let view = await page.until((v) => v.answersTo(id).length === 1 && v.follower(id).state === 'done', 'the fetch prompt');
  assert.equal(textOf(view.answersTo(id)[0]), DEFAULT_MESSAGES.fetchPrompt.replace('{keyword}', '继续'));
  // The answer is kept once the AI is done (the log says so); then the keyword fetches it.
  view = await page.until((v) => v.log.some((l) => l.text.startsWith('#1 answer ready')), 'the answer to be ready');
  const fetch = await say('继续');
  view = await page.until((v) => v.answersTo(fetch).length === 1, 'the fetched answer');
  const fetched = view.answersTo(fetch)[0];
  assert.deepEqual(fetched?.arrival, { channel: 'keyword' });
  assert.match(textOf(fetched), /「未认证的问题」/);
  assert.equal(bed.demo.wechat.received(bed.demo.session.openid).length, 0, 'nothing was pushed');
});

test('Dify failing: the follower gets the apology, the log shows the HTTP 500', async () => {
  const page = await scenario({ difyFails: true });
  const id = await say('你好');
  const view = await page.until((v) => v.answersTo(id).length === 1, 'the apology');
  assert.equal(textOf(view.answersTo(id)[0]), DEFAULT_MESSAGES.aiFailed);
  await page.until((v) => v.log.some((l) => l.level === 'warn' && /Dify answered HTTP 500/.test(l.text)), 'the failure in the log');
});

test('WeChat busy: 客服 sends fail with -1 and are retried; once WeChat recovers the rest of the answer arrives', async () => {
  const page = await scenario({ wechatBusy: true });
  const id = await say('长回答');
  await page.until((v) => v.log.some((l) => l.level === 'warn' && l.text.startsWith('客服 message/custom/send → errcode -1')), 'a refused push');
  let view = page.view();
  assert.equal(view.answersTo(id).length, 1, 'only the passive part so far');
  assert.equal((await post(base, '/demo/api/settings', { wechatBusy: false })).status, 200);
  view = await page.until((v) => v.answersTo(id).length === 3, 'the pushed parts after the retry');
  assert.deepEqual(view.answersTo(id).map((p) => p.arrival.channel), ['passive', 'push', 'push']);
  assert.ok(view.log.some((l) => l.source === 'demo' && l.text.includes('fault off')));
});

test('new follower: answers still on their way to the previous follower stay out of the new chat', async () => {
  const before = await scenario({ aiLatencyMs: Math.round(WINDOW_MS * 3.5) });
  const previous = bed.demo.session.openid;
  await say('旧的问题');
  // Dify has the question (with the slow latency) before the settings change back.
  await before.until((v) => v.log.some((l) => l.source === 'ai' && l.text.includes('旧的问题')), 'the AI call');
  const page = await scenario({});
  assert.notEqual(bed.demo.session.openid, previous);
  // The previous follower gets the waiting text and then the push: once the push is there, everything has happened.
  await bed.demo.wechat.waitForCustomerService(previous, 1, 15_000);
  await say('新的问题');
  const view = await page.until((v) => v.items.some((i) => i.kind === 'account'), 'the answer to the new question');
  assert.deepEqual(
    view.items.map((i) => (i.kind === 'notice' ? i.text : textOf(i).slice(0, 8))),
    ['新的问题', '你说的是：「新的'],
    'only the new exchange',
  );
  assert.ok(!view.log.some((l) => l.text.includes('旧的问题')));
});
