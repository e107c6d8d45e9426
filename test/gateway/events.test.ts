/**
 * Every event end to end, through the WeChat simulator (follower side, and the platform's own PUBLISHJOBFINISH)
 * and the Dify simulator: the welcome in its three forms with the QR scene, unfollow deleting the follower's data,
 * menu clicks and QR scans as configured, the silent events, and the publish result recorded for the publisher.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { DEFAULT_MESSAGES } from '../../src/config/follower-messages.js';
import { publishedUrls, readPublishResult } from '../../src/publisher/publish/publish-result.js';
import { startDifySimulator } from '../../src/sim/dify/simulator.js';
import type { DifySimulator, ScriptRule, SimAppInit } from '../../src/sim/dify/types.js';
import type { FollowerView } from '../../src/sim/wechat/follower.js';
import type { FollowerMessage } from '../../src/sim/wechat/follower-message.js';
import { MemoryStore } from '../../src/store/index.js';
import { WeChatClient } from '../../src/wechat-api/client.js';
import { startBed, startRecordingProxy, type Bed, type RecordingProxy, passiveText } from './support.js';


let dify: DifySimulator;
let proxy: RecordingProxy;
before(async () => {
  dify = await startDifySimulator({ port: 0, pingIntervalMs: 1000, apps: [] });
  proxy = await startRecordingProxy(dify.serviceBase);
});
after(async () => {
  await proxy.close();
  await dify.close();
});

const APP: Omit<SimAppInit, 'script'> = {
  mode: 'chat',
  openingStatement: '你好！欢迎从{{scene}}来到这里。',
  inputs: [
    { variable: 'scene', maxLength: 64 },
    { variable: 'event_key', maxLength: 64 },
    { variable: 'latitude', maxLength: 32 },
  ],
};

async function bedWith(account: Record<string, unknown> = {}, script: ScriptRule[] = []): Promise<Bed> {
  const created = dify.addApp({ ...APP, script });
  return startBed({
    account: {
      ai: { baseUrl: proxy.url, apiKey: created.apiKey, app: 'chat', timeoutMs: 20_000, firstEventTimeoutMs: 5_000, idleTimeoutMs: 5_000 },
      ...account,
    },
  });
}

const chatCalls = (openid: string): Record<string, unknown>[] =>
  proxy.requests.filter((r) => r.path.endsWith('/chat-messages') && r.json?.user === openid).map((r) => r.json ?? {});
const inputsOf = (call: Record<string, unknown> | undefined): Record<string, unknown> => (call?.inputs ?? {}) as Record<string, unknown>;

/** The follower saw nothing and WeChat got `success` on the first delivery. */
function assertSilent(view: FollowerView, what: string): void {
  assert.equal(view.passive, undefined, `${what}: no reply`);
  assert.deepEqual(view.deliveries.map((d) => d.outcome), ['success'], `${what}: success at once`);
}

test('subscribe: the configured welcome text; a plain follow makes no AI call', async () => {
  const bed = await bedWith({ messages: { welcome: '欢迎关注' } });
  try {
    const openid = 'oSubscribeText00000000000001';
    const view = await bed.send({ type: 'event', event: 'subscribe' }, { openid });
    assert.equal(passiveText(view), '欢迎关注');
    assert.equal(chatCalls(openid).length, 0);
  } finally {
    await bed.close();
  }
});

test('subscribe through a QR code, welcome: dify → the opening statement with the scene; the scene is an input of later calls', async () => {
  const bed = await bedWith({ events: { welcome: 'dify' } });
  try {
    const openid = 'oSubscribeDify00000000000001';
    const view = await bed.send({ type: 'event', event: 'subscribe', eventKey: 'qrscene_spring_poster', ticket: 'gQH47joAAAAA' }, { openid });
    assert.equal(passiveText(view), '你好！欢迎从spring_poster来到这里。');
    assert.equal(chatCalls(openid).length, 0, 'the opening statement needs no AI call');
    await bed.send('你好', { openid });
    assert.equal(inputsOf(chatCalls(openid)[0]).scene, 'spring_poster', 'the first conversation starts with the scene');
  } finally {
    await bed.close();
  }
});

test('subscribe, welcome: ai → the AI writes the welcome, with the scene and event key as inputs', async () => {
  const bed = await bedWith({ events: { welcome: 'ai', welcomeQuery: '新用户来自{scene}' } }, [{ match: '新用户', answer: 'AI 欢迎你' }]);
  try {
    const openid = 'oSubscribeAi0000000000000001';
    const view = await bed.send({ type: 'event', event: 'subscribe', eventKey: 'qrscene_42' }, { openid });
    assert.equal(passiveText(view), 'AI 欢迎你');
    const [call] = chatCalls(openid);
    assert.equal(call?.query, '新用户来自42');
    assert.deepEqual(inputsOf(call), { scene: '42', event_key: 'qrscene_42' });
  } finally {
    await bed.close();
  }
});

/** Rows of the gateway's SQLite store that belong to a follower. */
function followerRows(bed: Bed, openid: string): number {
  const db = new Database(bed.dbPath, { readonly: true });
  try {
    const count = (table: string): number =>
      (db.prepare(`SELECT count(*) AS n FROM ${table} WHERE owner_openid = ?`).get(openid) as { n: number }).n;
    return count('kv') + count('queue_items');
  } finally {
    db.close();
  }
}

test('unsubscribe: everything kept about the follower is deleted; a returning follower starts a new conversation', async () => {
  const bed = await bedWith();
  try {
    const openid = 'oUnsubscribe0000000000000001';
    await bed.send({ type: 'event', event: 'subscribe', eventKey: 'qrscene_7' }, { openid });
    await bed.send('第一句', { openid });
    assert.ok(followerRows(bed, openid) > 0, 'the conversation and facts are stored');
    const view = await bed.send({ type: 'event', event: 'unsubscribe' }, { openid });
    assertSilent(view, 'unsubscribe');
    assert.equal(followerRows(bed, openid), 0, 'nothing left about the follower');
    await bed.send('回来了', { openid });
    const [first, second] = chatCalls(openid);
    assert.ok(first?.conversation_id === undefined && second?.conversation_id === undefined, 'no conversation id carried over');
    assert.equal(inputsOf(second).scene, undefined, 'the old QR scene is forgotten');
  } finally {
    await bed.close();
  }
});

test('CLICK: ask, reply, reset as configured per key; an unconfigured key is silent', async () => {
  const bed = await bedWith(
    {
      events: {
        click: {
          TODAY: { action: 'ask', query: '今天有什么推荐？（{key}）' },
          ABOUT: { action: 'reply', text: '本号由 mpgate 驱动。' },
          NEW_CHAT: { action: 'reset' },
        },
      },
    },
    [{ match: '推荐', answer: '推荐你读《三体》。' }],
  );
  try {
    const openid = 'oClick0000000000000000000001';
    const ask = await bed.send({ type: 'event', event: 'CLICK', eventKey: 'TODAY' }, { openid });
    assert.equal(passiveText(ask), '推荐你读《三体》。');
    assert.equal(chatCalls(openid)[0]?.query, '今天有什么推荐？（TODAY）');
    assert.equal(inputsOf(chatCalls(openid)[0]).event_key, 'TODAY');

    const reply = await bed.send({ type: 'event', event: 'CLICK', eventKey: 'ABOUT' }, { openid });
    assert.equal(passiveText(reply), '本号由 mpgate 驱动。');

    const reset = await bed.send({ type: 'event', event: 'CLICK', eventKey: 'NEW_CHAT' }, { openid });
    assert.equal(passiveText(reset), DEFAULT_MESSAGES.conversationReset);
    await bed.send('之后的问题', { openid });
    assert.equal(chatCalls(openid).at(-1)?.conversation_id, undefined, 'the reset started a new conversation');

    assertSilent(await bed.send({ type: 'event', event: 'CLICK', eventKey: 'UNKNOWN_KEY' }, { openid }), 'unconfigured key');
    assert.equal(chatCalls(openid).length, 2, 'only the ask and the question reached the AI');
  } finally {
    await bed.close();
  }
});

test('SCAN: the configured action with the scene; the scene is remembered for the AI', async () => {
  const bed = await bedWith({ events: { scan: { action: 'reply', text: '欢迎回来（{scene}）' } } });
  try {
    const openid = 'oScan00000000000000000000001';
    const view = await bed.send({ type: 'event', event: 'SCAN', eventKey: 'store_12', ticket: 't' }, { openid });
    assert.equal(passiveText(view), '欢迎回来（store_12）');
    await bed.send('在吗', { openid });
    assert.equal(inputsOf(chatCalls(openid)[0]).scene, 'store_12');
  } finally {
    await bed.close();
  }
});

test('SCAN with the default configuration is silent', async () => {
  const bed = await bedWith();
  try {
    assertSilent(await bed.send({ type: 'event', event: 'SCAN', eventKey: '123' }), 'SCAN');
  } finally {
    await bed.close();
  }
});

test('VIEW, LOCATION, TEMPLATESENDJOBFINISH, MASSSENDJOBFINISH and unknown events → success, silently, no AI call', async () => {
  const bed = await bedWith();
  try {
    const openid = 'oSilentEvents000000000000001';
    const events: Array<Extract<FollowerMessage, { type: 'event' }>> = [
      { type: 'event' as const, event: 'VIEW', eventKey: 'https://example.com/', fields: { MenuId: '1' } },
      { type: 'event' as const, event: 'LOCATION', fields: { Latitude: 23.137466, Longitude: 113.352425, Precision: 119.385 } },
      { type: 'event' as const, event: 'TEMPLATESENDJOBFINISH', fields: { MsgID: '200163836', Status: 'success' } },
      { type: 'event' as const, event: 'MASSSENDJOBFINISH', fields: { MsgID: '1000001625', Status: 'send success', TotalCount: 100, FilterCount: 80, SentCount: 75, ErrorCount: 5 } },
      { type: 'event' as const, event: 'some_future_event', eventKey: 'x' },
    ];
    for (const event of events) assertSilent(await bed.send(event, { openid }), event.event);
    assert.equal(chatCalls(openid).length, 0);
    await bed.send('附近有什么', { openid });
    assert.equal(inputsOf(chatCalls(openid)[0]).latitude, '23.137466', 'the LOCATION event is remembered as the follower\'s place');
  } finally {
    await bed.close();
  }
});

test('PUBLISHJOBFINISH from the platform → the publish result is recorded under publish:result:<appId>:<publish_id>', async () => {
  const bed = await bedWith();
  try {
    const { sim } = bed;
    sim.setCallback(sim.account.appId, { url: `${bed.server.url}/wechat/main`, mode: 'safe' });
    const client = new WeChatClient({ appId: sim.account.appId, appSecret: sim.account.appSecret, store: new MemoryStore(), apiBase: sim.apiBase });
    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(200, 1)]);
    const thumb = await client.material.add({ type: 'thumb', file: { data: jpeg, filename: 'cover.jpg' } });
    const draft = await client.draft.add({ articles: [{ title: '测试文章', content: '<p>正文</p>', thumb_media_id: thumb.media_id }] });
    const { publish_id } = await client.freepublish.submit(draft.media_id);
    sim.finishPublishing();
    await sim.callbacksSettled();
    const [callback] = sim.callbacks();
    assert.equal(callback?.deliveries.at(-1)?.result, 'response', 'the gateway answered the platform');
    assert.equal(callback?.deliveries.at(-1)?.body, 'success');

    // Read back the way the publisher's `--wait` reads it.
    const record = await readPublishResult(bed.server.store, sim.account.appId, publish_id);
    assert.ok(record, 'the result is stored');
    assert.equal(record.publish_status, 0);
    assert.ok(record.article_id, 'the article id');
    const urls = publishedUrls(record);
    assert.equal(urls.length, 1);
    assert.match(urls[0] ?? '', /^https?:\/\/mp\.weixin\.qq\.com\//);
    assert.equal(record.fail_idx, undefined);
  } finally {
    await bed.close();
  }
});
