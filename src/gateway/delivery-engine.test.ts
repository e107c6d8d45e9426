import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../store/manual-clock.js';
import { MemoryStore } from '../store/memory-store.js';
import type { Owner, Store } from '../store/store.js';
import { WeChatApiError } from '../wechat-api/errors.js';
import { DeliveryEngine, type DeliveryDecision, type DeliveryTiming } from './delivery-engine.js';
import { FollowerInbox } from './follower-inbox.js';
import type { OutMessage } from './out-message.js';
import { PendingAnswers } from './pending-answers.js';
import { PushOutbox } from './push-outbox.js';

const timing: DeliveryTiming = { timeoutMs: 200, attempts: 3, safetyMarginMs: 40, pendingTtlMs: 60_000, settledTtlMs: 1_000, pollMs: 10, restDelayMs: 20 };
const owner: Owner = { account: 'main', openid: 'oFollower0000000000000000001' };
const text = (t: string): OutMessage => ({ type: 'text', text: t });
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** One gateway "process": an engine with its workers on a shared store. */
function gatewayOn(
  store: Store,
  handle: (payload: string) => Promise<OutMessage[]>,
  opts: { canPush?: boolean; pushFails?: number[]; pollMs?: number } = {},
) {
  const pushed: OutMessage[] = [];
  const pushErrors = [...(opts.pushFails ?? [])];
  let canPush = opts.canPush ?? true;
  const pending = new PendingAnswers(store, timing.pendingTtlMs);
  // The engine and its workers refer to each other: the engine kicks the workers it feeds.
  const workers: { inbox?: FollowerInbox; outbox?: PushOutbox } = {};
  const engine = new DeliveryEngine({
    store,
    timing: { ...timing, pollMs: opts.pollMs ?? timing.pollMs },
    onQueued: () => workers.inbox?.worker.kick(),
    onPushScheduled: () => workers.outbox?.worker.kick(),
  });
  const inbox = new FollowerInbox({ store, engine, handle: (_o, payload) => handle(payload), leaseMs: 5_000, concurrency: 4, pollMs: 20 });
  const outbox = new PushOutbox({
    store,
    pending,
    quota: 5,
    overflowNotice: () => text('回复“继续”查看剩余内容'),
    pendingTtlMs: timing.pendingTtlMs,
    maxAttempts: 3,
    concurrency: 2,
    pollMs: 20,
    capability: { canPush: async () => canPush, markCannotPush: async () => void (canPush = false) },
    pusher: {
      send: async (_o, m) => {
        const errcode = pushErrors.shift();
        if (errcode) throw new WeChatApiError({ errcode, errmsg: 'sim', path: '/cgi-bin/message/custom/send' });
        pushed.push(m);
      },
    },
  });
  Object.assign(workers, { inbox, outbox });
  inbox.worker.start();
  outbox.worker.start();
  return {
    engine,
    pushed,
    pending,
    stop: async () => {
      await inbox.worker.stop();
      await outbox.worker.stop();
    },
  };
}

/** WeChat's side: deliveries of one message, each after the previous one timed out. */
async function deliverLikeWeChat(engines: DeliveryEngine[], messageKey: string, payload = 'q'): Promise<DeliveryDecision[]> {
  const decisions: DeliveryDecision[] = [];
  for (let n = 0; n < timing.attempts; n++) {
    const engine = engines[n % engines.length]!;
    const started = Date.now();
    const decision = await engine.deliver({ owner, messageKey, receivedAt: started, payload });
    assert.ok(Date.now() - started < timing.timeoutMs, `delivery ${n + 1} answered after its deadline`);
    decisions.push(decision);
    if (decision.kind !== 'no-reply') break;
    await sleep(started + timing.timeoutMs - Date.now()); // WeChat waits out the 5 s before retrying
  }
  return decisions;
}

function slowAi(delayMs: number, answer: OutMessage[], calls: string[]) {
  return async (payload: string): Promise<OutMessage[]> => {
    calls.push(payload);
    await sleep(delayMs);
    return answer;
  };
}

for (const [factor, expected] of [
  [0.2, 1],
  [1.5, 2],
  [2.5, 3],
] as const) {
  test(`AI at ${factor}× the window → passive reply on delivery ${expected}, one AI call`, async () => {
    const store = new MemoryStore();
    const calls: string[] = [];
    const gw = gatewayOn(store, slowAi(timing.timeoutMs * factor, [text('答案')], calls));
    const decisions = await deliverLikeWeChat([gw.engine], `k${factor}`);
    const last = decisions.at(-1)!;
    assert.equal(last.kind, 'reply');
    assert.equal(last.delivery, expected);
    assert.deepEqual(decisions.slice(0, -1).map((d) => d.kind), Array(expected - 1).fill('no-reply'));
    assert.equal(calls.length, 1);
    await sleep(timing.timeoutMs * 3 + 100); // the window-end check must not push a delivered answer
    assert.deepEqual(gw.pushed, []);
    await gw.stop();
    await store.close();
  });
}

test('AI at 4× the window → waiting text on the final delivery, then exactly one push', async () => {
  const store = new MemoryStore();
  const calls: string[] = [];
  const gw = gatewayOn(store, slowAi(timing.timeoutMs * 4, [text('迟到的答案')], calls));
  const decisions = await deliverLikeWeChat([gw.engine], 'k4');
  assert.deepEqual(decisions.map((d) => d.kind), ['no-reply', 'no-reply', 'late']);
  await sleep(timing.timeoutMs * 2);
  assert.deepEqual(gw.pushed, [text('迟到的答案')]);
  assert.equal(calls.length, 1);
  await gw.stop();
  await store.close();
});

test('an account that cannot push keeps the late answer for the keyword (48001 detected on the way)', async () => {
  const store = new MemoryStore();
  const gw = gatewayOn(store, slowAi(timing.timeoutMs * 4, [text('稍后取的答案')], []), { pushFails: [48001] });
  await deliverLikeWeChat([gw.engine], 'k-unverified');
  await sleep(timing.timeoutMs * 2);
  assert.deepEqual(gw.pushed, []);
  assert.deepEqual(await gw.pending.take(owner), { part: text('稍后取的答案'), remaining: 0 });
  assert.equal(await gw.pending.take(owner), undefined, 'taken exactly once');
  await gw.stop();
  await store.close();
});

test('a long answer: first part passive, the rest pushed within the quota, overflow kept', async () => {
  const store = new MemoryStore();
  const parts = Array.from({ length: 8 }, (_, i) => text(`第${i + 1}部分`));
  const gw = gatewayOn(store, slowAi(5, parts, []));
  const [decision] = await deliverLikeWeChat([gw.engine], 'k-long');
  assert.deepEqual(decision, { kind: 'reply', message: parts[0], delivery: 1 });
  await sleep(timing.timeoutMs * 4);
  // Five pushes: parts 2–5 and the notice; parts 6–8 wait for the keyword.
  assert.deepEqual(gw.pushed, [...parts.slice(1, 5), text('回复“继续”查看剩余内容')]);
  assert.equal(await gw.pending.count(owner), 3);
  assert.deepEqual((await gw.pending.take(owner))?.part, parts[5]);
  await gw.stop();
  await store.close();
});

test('two processes on one store, deliveries alternating between them → one AI call, one answer', async () => {
  const store = new MemoryStore();
  const calls: string[] = [];
  const a = gatewayOn(store, slowAi(timing.timeoutMs * 1.5, [text('A')], calls));
  const b = gatewayOn(store, slowAi(timing.timeoutMs * 1.5, [text('B')], calls));
  const decisions = await deliverLikeWeChat([a.engine, b.engine], 'k-two');
  assert.equal(decisions.at(-1)?.kind, 'reply');
  assert.equal(decisions.filter((d) => d.kind === 'reply').length, 1);
  assert.equal(calls.length, 1);
  await a.stop();
  await b.stop();
  await store.close();
});

test("a follower's messages reach the AI in order, one at a time", async () => {
  const store = new MemoryStore();
  const log: string[] = [];
  let active = 0;
  const gw = gatewayOn(store, async (payload) => {
    active++;
    assert.equal(active, 1, 'one call at a time per follower');
    log.push(`start ${payload}`);
    await sleep(payload === 'first' ? 60 : 5);
    log.push(`end ${payload}`);
    active--;
    return [text(payload)];
  });
  const now = Date.now();
  const [one, two] = await Promise.all([
    gw.engine.deliver({ owner, messageKey: 'm1', receivedAt: now, payload: 'first' }),
    gw.engine.deliver({ owner, messageKey: 'm2', receivedAt: now + 1, payload: 'second' }),
  ]);
  assert.deepEqual(log, ['start first', 'end first', 'start second', 'end second']);
  assert.deepEqual([one.kind, two.kind], ['reply', 'reply']);
  await gw.stop();
  await store.close();
});

test('an answer ready while a local delivery waits is handed over directly: no push order, one store record', async () => {
  const store = new MemoryStore();
  const gw = gatewayOn(store, slowAi(5, [text('当场的答案')], []));
  const decision = await gw.engine.deliver({ owner, messageKey: 'k-local', receivedAt: Date.now(), payload: 'q' });
  assert.deepEqual(decision, { kind: 'reply', message: text('当场的答案'), delivery: 1 });
  assert.equal(await store.queueSize('outbox'), 0, 'nothing left to check at the end of the window');
  assert.equal(await store.queueSize('inbox'), 0);
  const job = JSON.parse((await store.get('job:main:k-local'))!) as Record<string, unknown>;
  assert.deepEqual(Object.keys(job).sort(), ['firstAt', 'state'], 'the answer itself is not kept');
  assert.equal(job.state, 'delivered');
  // A later delivery of the same message attaches to the finished job and says nothing more.
  const again = await gw.engine.deliver({ owner, messageKey: 'k-local', receivedAt: Date.now(), payload: 'q' });
  assert.deepEqual(again, { kind: 'success', delivery: 2 });
  await sleep(timing.timeoutMs * 3 + 100);
  assert.deepEqual(gw.pushed, []);
  await gw.stop();
  await store.close();
});

test('a job whose answer went out passively is kept only for the re-delivery window, not for the pending TTL', async () => {
  const clock = new ManualClock(Date.now());
  const store = new MemoryStore({ now: clock.now });
  const gw = gatewayOn(store, slowAi(5, [text('答案')], []));
  assert.equal((await gw.engine.deliver({ owner, messageKey: 'k-ttl', receivedAt: Date.now(), payload: 'q' })).kind, 'reply');
  clock.advance(timing.settledTtlMs - 1);
  assert.deepEqual(await gw.engine.deliver({ owner, messageKey: 'k-ttl', receivedAt: Date.now(), payload: 'q' }), { kind: 'success', delivery: 2 });
  clock.advance(2);
  assert.equal(await store.get('job:main:k-ttl'), undefined, 'gone long before pendingTtlMs');
  await gw.stop();
  await store.close();
});

test('an answer completed in another process reaches the waiting delivery through the store, with a window-end order', async () => {
  const store = new MemoryStore();
  const calls: string[] = [];
  // Process A only takes deliveries (its worker is stopped); process B only computes.
  const a = gatewayOn(store, slowAi(5, [text('A')], calls));
  await a.stop();
  const b = gatewayOn(store, slowAi(5, [text('B')], calls));
  const decision = await a.engine.deliver({ owner, messageKey: 'k-remote', receivedAt: Date.now(), payload: 'q' });
  assert.deepEqual(decision, { kind: 'reply', message: text('B'), delivery: 1 });
  assert.equal(JSON.parse((await store.get('job:main:k-remote'))!).state, 'delivered');
  assert.equal(await store.queueSize('outbox'), 1, 'B could not hand it over, so it ordered the window-end check');
  await sleep(timing.timeoutMs * 3 + 100);
  assert.deepEqual(b.pushed, [], 'the check finds it delivered and pushes nothing');
  assert.equal(await store.queueSize('outbox'), 0);
  assert.deepEqual(calls, ['q']);
  await b.stop();
  await store.close();
});

test('a message the store failed to queue is not left claimed: the retry queues it and gets the answer', async () => {
  const store = new MemoryStore();
  let failures = 1;
  const flaky = new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === 'enqueue') {
        return async (queue: string, item: Parameters<Store['enqueue']>[1]) => {
          if (queue === 'inbox' && failures-- > 0) throw new Error('disk full');
          return target.enqueue(queue, item);
        };
      }
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  const calls: string[] = [];
  const gw = gatewayOn(flaky, slowAi(5, [text('答案')], calls));
  await assert.rejects(gw.engine.deliver({ owner, messageKey: 'k-flaky', receivedAt: Date.now(), payload: 'q' }), /disk full/);
  assert.equal(await store.get('job:main:k-flaky'), undefined, 'the claim was dropped');
  const retry = await gw.engine.deliver({ owner, messageKey: 'k-flaky', receivedAt: Date.now(), payload: 'q' });
  assert.deepEqual(retry, { kind: 'reply', message: text('答案'), delivery: 1 });
  assert.deepEqual(calls, ['q']);
  await gw.stop();
  await store.close();
});

test('two deliveries of one message waiting at once: the answer goes to the one with more time left', async () => {
  const store = new MemoryStore();
  // No polling during the test, so both deliveries wait in the order they came.
  const gw = gatewayOn(store, slowAi(80, [text('答案')], []), { pollMs: 1000 });
  const older = gw.engine.deliver({ owner, messageKey: 'k-overlap', receivedAt: Date.now(), payload: 'q' });
  await sleep(30);
  const newer = gw.engine.deliver({ owner, messageKey: 'k-overlap', receivedAt: Date.now(), payload: 'q' });
  assert.deepEqual(await newer, { kind: 'reply', message: text('答案'), delivery: 2 });
  assert.deepEqual(await older, { kind: 'success', delivery: 1 });
  await gw.stop();
  await store.close();
});
