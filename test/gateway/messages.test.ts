/**
 * Every follower message type end to end, through the WeChat simulator's follower side and the Dify simulator
 * over real HTTP: what reaches Dify (query, inputs, files — recorded by a proxy in front of the simulator) and what
 * the follower sees. Images make the round trip: the follower's image reaches Dify as a file, Dify answers with an
 * image, the follower receives an image message.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startDifySimulator } from '../../src/sim/dify/simulator.js';
import type { DifySimulator, ScriptRule, SimAppInit } from '../../src/sim/dify/types.js';
import { deliverCallback } from '../../src/sim/wechat/callback-sender.js';
import { judgeAnswer } from '../../src/sim/wechat/reply-judge.js';
import { WechatCrypto } from '../../src/wechat/crypto.js';
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

/** A chat app that takes images, speech to text on, and a form that exercises every input rule. */
const VISION_APP: Omit<SimAppInit, 'script'> = {
  mode: 'chat',
  fileUpload: { allowedFileTypes: ['image'], allowedUploadMethods: ['local_file', 'remote_url'] },
  speechToText: true,
  transcript: '明天会下雨吗',
  inputs: [
    { variable: 'openid', maxLength: 10 },
    { variable: 'msg_type', type: 'select', options: ['text', 'image', 'voice', 'video', 'shortvideo', 'location', 'link', 'file'] },
    { variable: 'location_label', type: 'paragraph', maxLength: 200 },
    { variable: 'link_url', type: 'paragraph', maxLength: 500 },
    { variable: 'city', required: true, maxLength: 20 },
  ],
};

/** A new app (so scripts and conversations never leak between tests) and a gateway that talks to it through the proxy. */
async function bedWith(app: Omit<SimAppInit, 'script'>, script: ScriptRule[] = [], account: Record<string, unknown> = {}): Promise<{ bed: Bed; apiKey: string; appId: string }> {
  const created = dify.addApp({ ...app, script });
  const bed = await startBed({
    account: {
      ai: { baseUrl: proxy.url, apiKey: created.apiKey, app: 'chat', timeoutMs: 20_000, firstEventTimeoutMs: 5_000, idleTimeoutMs: 5_000 },
      ...account,
    },
  });
  return { bed, apiKey: created.apiKey, appId: created.id };
}

/** The chat calls the gateway made for one follower, as sent. */
const chatCalls = (openid: string): Record<string, unknown>[] =>
  proxy.requests.filter((r) => r.path.endsWith('/chat-messages') && r.json?.user === openid).map((r) => r.json ?? {});

/** Dify's own record of the follower's messages (`GET /messages`), newest conversation first. */
async function difyMessages(apiKey: string, openid: string): Promise<Array<{ query: string; message_files: Array<{ belongs_to: string; type: string; transfer_method: string }> }>> {
  const headers = { authorization: `Bearer ${apiKey}` };
  const convs = (await (await fetch(`${dify.serviceBase}/conversations?user=${openid}`, { headers })).json()) as { data: Array<{ id: string }> };
  const id = convs.data[0]?.id;
  assert.ok(id, 'Dify has a conversation for the follower');
  const messages = (await (await fetch(`${dify.serviceBase}/messages?user=${openid}&conversation_id=${id}`, { headers })).json()) as {
    data: Array<{ query: string; message_files: Array<{ belongs_to: string; type: string; transfer_method: string }> }>;
  };
  return messages.data;
}

test('text: the content is the query; inputs are fitted to the form (undeclared left out, max_length cut, required filled)', async () => {
  const { bed } = await bedWith(VISION_APP, [{ answer: (ctx) => `inputs=${JSON.stringify(ctx.inputs)}` }]);
  try {
    const openid = 'oTextInputs00000000000000001';
    const view = await bed.send('你好', { openid });
    const [call] = chatCalls(openid);
    assert.equal(call?.query, '你好');
    assert.deepEqual(call?.inputs, { openid: openid.slice(0, 10), msg_type: 'text', city: '' }, 'only declared inputs, cut to max_length; required city filled');
    assert.match(passiveText(view) ?? '', /^inputs=/, 'Dify accepted the inputs');
  } finally {
    await bed.close();
  }
});

test('image round trip: the image reaches Dify as an uploaded file, Dify answers with an image, the follower receives an image message', async () => {
  const { bed, apiKey } = await bedWith(VISION_APP, [{ match: '[图片]', answer: '', files: [{ type: 'image', filename: 'cat.png' }] }]);
  try {
    const openid = 'oImageRoundTrip0000000000001';
    const view = await bed.send({ type: 'image' }, { openid });
    const [call] = chatCalls(openid);
    assert.equal(call?.query, '[图片]');
    const files = call?.files as Array<Record<string, unknown>> | undefined;
    assert.equal(files?.length, 1, 'one file sent with the message');
    assert.equal(files?.[0]?.transfer_method, 'local_file');
    assert.equal(files?.[0]?.type, 'image');
    const uploads = proxy.requests.filter((r) => r.path.endsWith('/files/upload'));
    assert.equal(uploads.length, 1, 'the image was uploaded to Dify first');
    const [message] = await difyMessages(apiKey, openid);
    assert.deepEqual(
      message?.message_files.filter((f) => f.belongs_to === 'user').map((f) => [f.type, f.transfer_method]),
      [['image', 'local_file']],
      'Dify recorded the follower image with the message',
    );

    assert.equal(view.passive?.kind, 'image', 'the answer, only an image, is the passive reply');
    const mediaId = view.passive?.kind === 'image' ? view.passive.mediaId : '';
    assert.ok(bed.sim.hasMedia(bed.sim.account.appId, mediaId, ['image']), 'a temporary image of the account');
    assert.equal(view.invalidNotice, undefined);
  } finally {
    await bed.close();
  }
});

test('image without an AppSecret: read from its PicUrl instead of media/get, still uploaded to Dify', async () => {
  const { bed } = await bedWith(VISION_APP, [], { appSecret: '', verified: false });
  try {
    const openid = 'oImageNoSecret00000000000001';
    await bed.send({ type: 'image' }, { openid });
    const files = chatCalls(openid)[0]?.files as Array<Record<string, unknown>> | undefined;
    assert.equal(files?.[0]?.transfer_method, 'local_file');
    assert.equal(bed.sim.calls({ path: '/cgi-bin/media/get' }).length, 0, 'no API call without an AppSecret');
  } finally {
    await bed.close();
  }
});

test('image, app taking images by URL only: sent as remote_url with the PicUrl, nothing downloaded', async () => {
  const { bed } = await bedWith({ ...VISION_APP, fileUpload: { allowedFileTypes: ['image'], allowedUploadMethods: ['remote_url'] } });
  try {
    const openid = 'oImageRemoteUrl0000000000001';
    await bed.send({ type: 'image' }, { openid });
    const files = chatCalls(openid)[0]?.files as Array<Record<string, unknown>> | undefined;
    assert.equal(files?.[0]?.transfer_method, 'remote_url');
    assert.match(String(files?.[0]?.url), /\/_sim\/files\//);
    assert.equal(bed.sim.calls({ path: '/cgi-bin/media/get' }).length, 0);
  } finally {
    await bed.close();
  }
});

test('image, app without image support: described in text with its PicUrl, no upload', async () => {
  const { bed } = await bedWith({ ...VISION_APP, fileUpload: false }, [{ answer: (ctx) => `看到：${ctx.query}` }]);
  try {
    const openid = 'oImageAsText0000000000000001';
    const view = await bed.send({ type: 'image' }, { openid });
    const [call] = chatCalls(openid);
    assert.match(String(call?.query), /^\[图片\] http:\/\/127\.0\.0\.1:\d+\/_sim\/files\//, 'the PicUrl in the query');
    assert.equal(call?.files, undefined);
    assert.match(passiveText(view) ?? '', /^看到：\[图片\] http/);
  } finally {
    await bed.close();
  }
});

test('voice without Recognition: downloaded, transcribed by Dify (audio/amr), and the transcript is answered', async () => {
  const { bed } = await bedWith(VISION_APP, [{ match: '明天会下雨吗', answer: '明天有小雨，记得带伞。' }]);
  try {
    const openid = 'oVoiceTranscribed00000000001';
    const view = await bed.send({ type: 'voice' }, { openid });
    assert.equal(passiveText(view), '明天有小雨，记得带伞。');
    const stt = proxy.requests.filter((r) => r.path.endsWith('/audio-to-text'));
    assert.equal(stt.length, 1);
    assert.match(stt[0]?.head ?? '', /filename="voice\.amr"\r\nContent-Type: audio\/amr\r\n/i, 'the AMR part is labelled audio/amr');
    assert.equal(chatCalls(openid)[0]?.query, '明天会下雨吗');
    assert.equal((chatCalls(openid)[0]?.inputs as Record<string, unknown>).msg_type, 'voice');
    const voiceGets = bed.sim.calls({ path: '/cgi-bin/media/get' });
    assert.equal(voiceGets.length, 1, 'the voice was downloaded once');
  } finally {
    await bed.close();
  }
});

test('voice with Recognition: the recognised text is the query, nothing is downloaded', async () => {
  const { bed } = await bedWith(VISION_APP);
  try {
    const openid = 'oVoiceRecognised000000000001';
    const view = await bed.send({ type: 'voice', recognition: '现在几点了' }, { openid });
    assert.equal(passiveText(view), '现在几点了', 'echoed by the simulator');
    assert.equal(bed.sim.calls({ path: '/cgi-bin/media/get' }).length, 0);
  } finally {
    await bed.close();
  }
});

test('voice that cannot be transcribed (speech to text off) → the configured text, no AI call', async () => {
  const { bed } = await bedWith({ ...VISION_APP, speechToText: false }, [], { media: { voiceUnrecognized: '没听清' } });
  try {
    const openid = 'oVoiceUnheard000000000000001';
    const view = await bed.send({ type: 'voice' }, { openid });
    assert.equal(passiveText(view), '没听清');
    assert.equal(chatCalls(openid).length, 0);
  } finally {
    await bed.close();
  }
});

test('video and short video: a meaningful query, the type as an input', async () => {
  const { bed } = await bedWith(VISION_APP, [{ answer: (ctx) => `收到${ctx.query}` }]);
  try {
    for (const type of ['video', 'shortvideo'] as const) {
      const openid = `o${type.padEnd(27, '0')}`;
      const view = await bed.send({ type }, { openid });
      assert.equal(passiveText(view), '收到[视频]', type);
      assert.equal((chatCalls(openid)[0]?.inputs as Record<string, unknown>).msg_type, type);
    }
  } finally {
    await bed.close();
  }
});

test('location: the place in the query and in the declared inputs', async () => {
  const { bed } = await bedWith(VISION_APP);
  try {
    const openid = 'oLocation0000000000000000001';
    const view = await bed.send({ type: 'location', latitude: 23.134521, longitude: 113.358803, label: '广州市天河区' }, { openid });
    assert.equal(passiveText(view), '[位置] 广州市天河区（纬度 23.134521，经度 113.358803）');
    const inputs = chatCalls(openid)[0]?.inputs as Record<string, unknown>;
    assert.equal(inputs.location_label, '广州市天河区');
    assert.equal(inputs.msg_type, 'location');
  } finally {
    await bed.close();
  }
});

test('link: title, description and URL all reach the AI (the old plugin broke these)', async () => {
  const { bed } = await bedWith(VISION_APP);
  try {
    const openid = 'oLink000000000000000000000001';
    const view = await bed.send({ type: 'link', title: 'mpgate 发布', description: '一个网关', url: 'https://example.com/a?b=1' }, { openid });
    assert.equal(passiveText(view), '[链接] mpgate 发布\n一个网关\nhttps://example.com/a?b=1');
    assert.equal((chatCalls(openid)[0]?.inputs as Record<string, unknown>).link_url, 'https://example.com/a?b=1');
  } finally {
    await bed.close();
  }
});

/** Sends XML WeChat's follower side cannot build (a `file` message, an unknown type) and returns the passive reply. */
async function sendRaw(bed: Bed, openid: string, body: string): Promise<string | undefined> {
  const account = { appId: bed.sim.account.appId, token: bed.sim.account.token, encodingAESKey: bed.sim.account.encodingAESKey, ghId: bed.sim.account.ghId };
  const xml = `<xml><ToUserName><![CDATA[${account.ghId}]]></ToUserName><FromUserName><![CDATA[${openid}]]></FromUserName><CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime>${body}<MsgId>${Date.now()}123</MsgId></xml>`;
  const [exchange] = await deliverCallback({ url: `${bed.server.url}/wechat/main`, account, mode: 'safe', openid, xml, timeoutMs: 5000, deliveries: 1, now: Date.now });
  assert.ok(exchange);
  const crypto = new WechatCrypto({ token: account.token, encodingAESKey: account.encodingAESKey, appId: account.appId });
  const verdict = await judgeAnswer(exchange, { mode: 'safe', crypto, openid, ghId: account.ghId, maxNewsArticles: 8 });
  if (verdict.outcome === 'invalid') assert.fail(verdict.reason);
  return verdict.outcome === 'reply' && verdict.reply.kind === 'text' ? verdict.reply.content : undefined;
}

test('file: its title is the query; an unknown message type gets the configurable reply, never an error', async () => {
  const { bed } = await bedWith(VISION_APP, [], { messages: { unsupported: '这个还不会' } });
  try {
    const openid = 'oFileAndUnknown0000000000001';
    const file = await sendRaw(bed, openid, '<MsgType><![CDATA[file]]></MsgType><Title><![CDATA[报告.pdf]]></Title><Description><![CDATA[]]></Description>');
    assert.equal(file, '[文件] 报告.pdf');
    assert.equal((chatCalls(openid)[0]?.inputs as Record<string, unknown>).msg_type, 'file');
    const unknown = await sendRaw(bed, openid, '<MsgType><![CDATA[miniprogrampage]]></MsgType><Title><![CDATA[x]]></Title>');
    assert.equal(unknown, '这个还不会');
    assert.equal(chatCalls(openid).length, 1, 'the unknown type made no AI call');
  } finally {
    await bed.close();
  }
});
