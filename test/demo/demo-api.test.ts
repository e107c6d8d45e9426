/** The demo's page and JSON API over real HTTP: the gateway, both simulators and the SQLite store in one process. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { DEFAULT_MESSAGES } from '../../src/config/follower-messages.js';
import { demoPicture } from '../../src/demo/demo-picture.js';
import { DemoStartError, startDemo } from '../../src/demo/demo.js';
import type { DemoState } from '../../src/demo/demo-routes.js';
import { post, startDemoBed, textOf, TimelineClient, type DemoBed } from './support.js';

let bed: DemoBed;
let base: string;

before(async () => {
  bed = await startDemoBed();
  base = bed.demo.url;
});

after(async () => {
  await bed?.close();
});

/** A fresh follower and an empty chat, through the API as the page's "new follower" button does. */
async function freshFollower(): Promise<TimelineClient> {
  const res = await post<DemoState>(base, '/demo/api/restart', {});
  assert.equal(res.status, 200);
  assert.equal(res.body.follower.subscribed, true);
  return new TimelineClient(base);
}

test('the page and its assets are served on the gateway port, next to the webhook and /healthz', async () => {
  const page = await fetch(`${base}/demo/`);
  assert.equal(page.status, 200);
  assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
  const html = await page.text();
  assert.match(html, /<h1 id="account-name">mpgate 助手<\/h1>/);
  for (const [path, type] of [
    ['/demo/chat.css', /^text\/css/],
    ['/demo/chat.js', /^text\/javascript/],
  ] as const) {
    const res = await fetch(base + path);
    assert.equal(res.status, 200, path);
    assert.match(res.headers.get('content-type') ?? '', type);
    assert.ok((await res.text()).length > 1000);
  }
  const root = await fetch(`${base}/`, { redirect: 'manual' });
  assert.equal(root.status, 302);
  assert.equal(root.headers.get('location'), '/demo/');
  assert.equal((await fetch(`${base}/healthz`)).status, 200);
  assert.equal(bed.demo.webhookUrl, `${base}/wechat/demo`);

  const state = (await (await fetch(`${base}/demo/api/state`)).json()) as DemoState;
  assert.equal(state.window.timeoutMs, 300);
  assert.equal(state.window.attempts, 3);
  assert.deepEqual(state.latencyPresets, [60, 420, 720, 1500]);
  assert.equal(state.fetchKeyword, '继续');
  assert.match(state.follower.openid, /^o[\w-]{27}$/);
  assert.deepEqual(state.settings, { aiLatencyMs: 30, verified: true, difyFails: false, wechatBusy: false });
});

test('a text message is answered by the demo AI as a passive reply on delivery 1', async () => {
  const page = await freshFollower();
  const sent = await post<{ itemId: string }>(base, '/demo/api/messages', { type: 'text', content: '今天吃什么' });
  assert.equal(sent.status, 202);
  const view = await page.until((v) => v.answersTo(sent.body.itemId).length === 1 && v.follower(sent.body.itemId).state === 'done', 'the answer');
  const [answer] = view.answersTo(sent.body.itemId);
  assert.match(textOf(answer), /^你说的是：「今天吃什么」/);
  assert.deepEqual(answer?.arrival, { channel: 'passive', delivery: 1 });
  assert.ok(answer!.elapsedMs! >= 30, 'not before the AI answered');
  assert.deepEqual(view.follower(sent.body.itemId).deliveries.map((d) => [d.n, d.outcome]), [[1, 'reply']]);
  assert.ok(view.log.some((l) => l.source === 'ai' && l.text.includes('/v1/chat-messages')), 'the AI call is in the event log');
  assert.ok(view.log.some((l) => l.source === 'gateway' && /delivery 1 → reply/.test(l.text)), "the gateway's decision is in the event log");
});

test('menu items are real CLICK events: a reply action answers at once, an ask action goes through the AI', async () => {
  const page = await freshFollower();
  const about = await post<{ itemId: string }>(base, '/demo/api/messages', { type: 'click', key: 'ABOUT', label: '关于' });
  assert.equal(about.status, 202);
  let view = await page.until((v) => v.answersTo(about.body.itemId).length === 1, 'the ABOUT reply');
  assert.match(textOf(view.answersTo(about.body.itemId)[0]), /没有调用 AI/);
  assert.deepEqual(view.follower(about.body.itemId).deliveries.map((d) => d.outcome), ['inline']);
  assert.deepEqual(view.follower(about.body.itemId).message, { type: 'event', label: '你点击了菜单「关于」' });

  const hello = await post<{ itemId: string }>(base, '/demo/api/messages', { type: 'click', key: 'ASK_HELLO', label: '你好' });
  view = await page.until((v) => v.answersTo(hello.body.itemId).length === 1, 'the AI answer to the menu click');
  assert.match(textOf(view.answersTo(hello.body.itemId)[0]), /^你好！我是 mpgate 演示里的 AI/);
});

test('a follower image is shown from the WeChat simulator and answered', async () => {
  const page = await freshFollower();
  const picture = demoPicture(60, 40);
  const sent = await post<{ itemId: string }>(base, '/demo/api/images?filename=me.png', picture, 'image/png');
  assert.equal(sent.status, 202);
  const view = await page.until((v) => v.answersTo(sent.body.itemId).length > 0, 'the answer to the image');
  const shown = view.follower(sent.body.itemId).message;
  assert.equal(shown.type, 'image');
  const media = await fetch(base + (shown.type === 'image' ? shown.url : ''));
  assert.equal(media.status, 200);
  assert.equal(media.headers.get('content-type'), 'image/png');
  assert.deepEqual(Buffer.from(await media.arrayBuffer()), picture);
  assert.match(textOf(view.answersTo(sent.body.itemId)[0]), /收到你的图片/);

  assert.equal((await post(base, '/demo/api/images?filename=me.bmp', picture, 'image/bmp')).status, 400);
  const tooBig = await post<{ error: string }>(base, '/demo/api/images?filename=big.png', Buffer.alloc(2 * 1024 * 1024 + 1), 'image/png');
  assert.equal(tooBig.status, 413);
  assert.match(tooBig.body.error, /at most 2 MB/);
  assert.equal((await fetch(`${base}/demo/api/media?ref=nope`)).status, 404);
});

test('unfollow and follow: an unfollowed follower cannot write; following again gets the welcome text', async () => {
  const page = await freshFollower();
  const bye = await post<{ itemId: string }>(base, '/demo/api/messages', { type: 'unsubscribe' });
  await page.until((v) => v.follower(bye.body.itemId).state === 'done', 'the unsubscribe event');
  const state = (await (await fetch(`${base}/demo/api/state`)).json()) as DemoState;
  assert.equal(state.follower.subscribed, false);
  const refused = await post<{ error: string }>(base, '/demo/api/messages', { type: 'text', content: 'hello?' });
  assert.equal(refused.status, 409);
  assert.match(refused.body.error, /follow it again first/);

  const hi = await post<{ itemId: string }>(base, '/demo/api/messages', { type: 'subscribe' });
  const view = await page.until((v) => v.answersTo(hi.body.itemId).length === 1, 'the welcome');
  assert.equal(textOf(view.answersTo(hi.body.itemId)[0]), DEFAULT_MESSAGES.welcome);
  assert.equal((await post(base, '/demo/api/messages', { type: 'subscribe' })).status, 409);
});

test('bad requests are refused with a reason', async () => {
  const cases: Array<[string, unknown, RegExp]> = [
    ['/demo/api/messages', { type: 'text', content: '   ' }, /type something first/],
    ['/demo/api/messages', { type: 'voice' }, /type/],
    ['/demo/api/settings', { aiLatencyMs: -1 }, /aiLatencyMs/],
    ['/demo/api/settings', { verified: 'yes' }, /verified/],
    ['/demo/api/settings', { colour: 'red' }, /colour|Unrecognized/i],
  ];
  for (const [path, body, reason] of cases) {
    const res = await post<{ error: string }>(base, path, body);
    assert.equal(res.status, 400, JSON.stringify(body));
    assert.match(res.body.error, reason);
  }
  const notJson = await post<{ error: string }>(base, '/demo/api/settings', Buffer.from('{'), 'application/json');
  assert.equal(notJson.status, 400);
  assert.match(notJson.body.error, /JSON/);
});

test('a port in use is reported with the port, and nothing is left running', async () => {
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const port = (blocker.address() as { port: number }).port;
  const servers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'TCPServerWrap').length;
  const before = servers();
  try {
    await assert.rejects(startDemo({ port, dataDir: bed.dataDir, windowMs: 300 }), (err: unknown) => {
      assert.ok(err instanceof DemoStartError);
      assert.equal(err.code, 'DEMO_PORT_IN_USE');
      assert.equal(err.port, port);
      assert.match(err.message, new RegExp(`port ${port} on 127.0.0.1 is already in use`));
      return true;
    });
    // Closed servers release their handles a tick or two after close() resolves.
    for (let i = 0; i < 100 && servers() !== before; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(servers(), before, 'the simulators started before the failure are closed again');
  } finally {
    await new Promise((resolve) => blocker.close(resolve));
  }
});
