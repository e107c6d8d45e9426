/**
 * Images and files in Dify answers, and spoken answers, end to end through both simulators: Dify's files and
 * Markdown images of Dify files become WeChat image messages (passive when they are all there is to say, else
 * 客服 after the text); without an AppSecret, over 2 MB, in a format WeChat refuses, or switched off they stay links.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startDifySimulator } from '../../src/sim/dify/simulator.js';
import type { DifySimulator, ScriptRule, SimAppInit } from '../../src/sim/dify/types.js';
import type { FollowerView } from '../../src/sim/wechat/follower.js';
import { startBed, type Bed, passiveText } from './support.js';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

let dify: DifySimulator;
before(async () => {
  dify = await startDifySimulator({ port: 0, pingIntervalMs: 1000, apps: [] });
});
after(async () => {
  await dify.close();
});

async function bedWith(script: ScriptRule[], account: Record<string, unknown> = {}, app: Partial<SimAppInit> = {}): Promise<{ bed: Bed; apiKey: string }> {
  const created = dify.addApp({ mode: 'chat', ...app, script });
  const bed = await startBed({
    account: {
      ai: { baseUrl: dify.serviceBase, apiKey: created.apiKey, app: 'chat', timeoutMs: 20_000, firstEventTimeoutMs: 5_000, idleTimeoutMs: 5_000 },
      ...account,
    },
  });
  return { bed, apiKey: created.apiKey };
}

/** The image messages the follower received by 客服, as media ids that exist on the platform. */
function pushedImages(bed: Bed, view: FollowerView): string[] {
  const ids = view.customerService.filter((m) => m.msgtype === 'image').map((m) => String(m.payload.media_id));
  for (const id of ids) assert.ok(bed.sim.hasMedia(bed.sim.account.appId, id, ['image']), `${id} is a temporary image of the account`);
  return ids;
}

test('text and a message_file image → the text passively, then the image by 客服', async () => {
  const { bed } = await bedWith([{ answer: '这是**今天**的天气图。', files: [{ type: 'image', filename: 'weather.png', data: PNG }] }]);
  try {
    const view = await bed.send('天气图', { expectPush: 1 });
    assert.equal(passiveText(view), '这是今天的天气图。');
    assert.equal(pushedImages(bed, view).length, 1);
    assert.equal(view.invalidNotice, undefined);
  } finally {
    await bed.close();
  }
});

/** A file stored in Dify, linked the way Dify writes file links without FILES_URL: relative to its origin. */
async function storedDifyFile(): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([PNG], { type: 'image/png' }), 'chart.png');
  form.append('user', 'someone');
  const holder = dify.addApp({ mode: 'chat' });
  const res = await fetch(`${dify.serviceBase}/files/upload`, { method: 'POST', headers: { authorization: `Bearer ${holder.apiKey}` }, body: form });
  const relative = ((await res.json()) as { source_url: string }).source_url.replace(dify.origin, '');
  assert.match(relative, /^\/files\//);
  return relative;
}

test('a Markdown image pointing at a Dify file → an image message; its link leaves the text', async () => {
  const { bed } = await bedWith([{ answer: `销量如下：\n\n![销量图](${await storedDifyFile()})\n\n同比增长 12%。` }]);
  try {
    const view = await bed.send('销量', { expectPush: 1 });
    assert.equal(passiveText(view), '销量如下：\n\n同比增长 12%。');
    assert.equal(pushedImages(bed, view).length, 1);
  } finally {
    await bed.close();
  }
});

test('Markdown images elsewhere stay links, untouched', async () => {
  const { bed } = await bedWith([{ answer: '![猫](https://example.com/cat.png)' }]);
  try {
    const view = await bed.send('猫');
    assert.equal(passiveText(view), '[猫] https://example.com/cat.png');
  } finally {
    await bed.close();
  }
});

test('without an AppSecret images are links the follower can open (relative Dify links made absolute)', async () => {
  const relative = await storedDifyFile();
  const { bed } = await bedWith([{ answer: `图在这里 ![示意](${relative})`, files: [{ type: 'image', filename: 'map.png', data: PNG }] }], { appSecret: '', verified: false });
  try {
    const view = await bed.send('地图');
    const text = passiveText(view) ?? '';
    assert.ok(text.startsWith(`图在这里 [示意] ${dify.origin}${relative}\n\n`), text);
    assert.match(text, /\n\n\[map\.png\] http:\/\/127\.0\.0\.1:\d+\/files\/tools\/[0-9a-f-]+\.png\?/);
  } finally {
    await bed.close();
  }
});

test('an image over 2 MB, a WebP image, a PDF, or answerImages: false → links, nothing uploaded', async () => {
  const big = Buffer.concat([PNG, Buffer.alloc(2 * 1024 * 1024)]);
  const webp = Buffer.concat([Buffer.from('RIFF\x00\x00\x00\x00WEBPVP8 ', 'latin1'), Buffer.alloc(64)]);
  const { bed } = await bedWith([
    { match: '大图', answer: '大图：', files: [{ type: 'image', filename: 'big.png', data: big }] },
    { match: 'webp', answer: 'webp：', files: [{ type: 'image', filename: 'pic.webp', mimeType: 'image/webp', data: webp }] },
    { match: '报告', answer: '报告：', files: [{ type: 'document', filename: 'report.pdf', data: '%PDF-1.4' }] },
  ]);
  try {
    for (const [query, name] of [['大图', 'big.png'], ['webp', 'pic.webp'], ['报告', 'report.pdf']] as const) {
      const view = await bed.send(query);
      assert.match(passiveText(view) ?? '', new RegExp(`^${query}：\\n\\n\\[${name.replace('.', '\\.')}\\] http://`), query);
      assert.deepEqual(view.customerService, [], `${query}: nothing pushed`);
    }
    assert.equal(bed.sim.calls({ path: '/cgi-bin/media/upload' }).length, 0, 'nothing was uploaded to WeChat');
  } finally {
    await bed.close();
  }
  const off = await bedWith([{ answer: '图：', files: [{ type: 'image', filename: 'a.png', data: PNG }] }], { media: { answerImages: false } });
  try {
    assert.match(passiveText(await off.bed.send('图')) ?? '', /^图：\n\n\[a\.png\] http:\/\//);
  } finally {
    await off.bed.close();
  }
});

test('voiceReplies: a spoken question gets the text passively, then the same answer as a voice message', async () => {
  const { bed } = await bedWith([{ answer: '明天晴。' }], { media: { voiceReplies: true } }, { textToSpeech: true, speechToText: true, transcript: '明天天气' });
  try {
    const view = await bed.send({ type: 'voice' }, { expectPush: 1 });
    assert.equal(passiveText(view), '明天晴。');
    const voice = view.customerService.find((m) => m.msgtype === 'voice');
    assert.ok(voice, 'a voice message was pushed');
    assert.ok(bed.sim.hasMedia(bed.sim.account.appId, String(voice.payload.media_id), ['voice']));
    const typed = await bed.send('明天天气');
    assert.deepEqual(typed.customerService, [], 'a typed question gets no voice');
  } finally {
    await bed.close();
  }
});

test('voice replies are off by default', async () => {
  const { bed } = await bedWith([{ answer: '好的。' }], {}, { textToSpeech: true });
  try {
    const view = await bed.send({ type: 'voice', recognition: '你好' });
    assert.equal(passiveText(view), '好的。');
    assert.deepEqual(view.customerService, []);
  } finally {
    await bed.close();
  }
});
