/** client.material against the simulator: add each type, get, count, list, delete, and the main errors. */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { WeChatUploadError, type MaterialListType } from '../../../src/wechat-api/index.js';
import { expectApiError, fixture, useSimulator } from '../support.js';

const h = useSimulator();

describe('client.material (simulator)', () => {
  it('adds image, voice, thumb and video (with its description) and counts them', async () => {
    const path = join(h.dir, 'poster.png');
    writeFileSync(path, fixture.png(9000));
    const image = await h.wx.material.add({ type: 'image', file: path });
    assert.match(image.url ?? '', /^https?:\/\/mmbiz\.qpic\.cn\//);
    const voice = await h.wx.material.add({ type: 'voice', file: { data: fixture.amr(), filename: 'hello.amr' } });
    assert.equal(voice.url, undefined);
    await h.wx.material.add({ type: 'thumb', file: { data: fixture.jpeg(), filename: 'thumb.jpg' } });
    const video = await h.wx.material.add({
      type: 'video',
      file: { data: fixture.mp4(), filename: 'intro.mp4' },
      description: { title: '介绍视频', introduction: '一段介绍' },
    });
    assert.deepEqual(await h.wx.material.count(), { voice_count: 1, video_count: 1, image_count: 2, news_count: 0 });

    const got = await h.wx.material.get(video.media_id);
    assert.equal(got.kind, 'video');
    assert.ok(got.kind === 'video' && got.title === '介绍视频' && got.description === '一段介绍' && got.down_url.startsWith('http'));
    const file = await h.wx.material.get(image.media_id);
    assert.ok(file.kind === 'file' && file.data.equals(fixture.png(9000)));
  });

  it('lists a page of images and deletes one (40007 afterwards)', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await h.wx.material.add({ type: 'image', file: { data: fixture.jpeg(), filename: `p${i}.jpg` } })).media_id);
    const page = await h.wx.material.batchget({ type: 'image', offset: 0, count: 2 });
    assert.equal(page.total_count, 3);
    assert.equal(page.item_count, 2);
    assert.equal(page.item.length, 2);
    assert.ok(page.item.every((item) => ids.includes(item.media_id) && typeof item.update_time === 'number'));
    await h.wx.material.del(ids[0] ?? '');
    await expectApiError(h.wx.material.get(ids[0] ?? ''), 40007);
    await expectApiError(h.wx.material.del(ids[0] ?? ''), 40007);
    assert.equal((await h.wx.material.count()).image_count, 2);
  });

  it('40004 for an unknown list type; 48005 for a material a menu uses', async () => {
    await expectApiError(h.wx.material.batchget({ type: 'file' as MaterialListType, offset: 0, count: 1 }), 40004);
    const img = await h.wx.material.add({ type: 'image', file: { data: fixture.jpeg(), filename: 'menu.jpg' } });
    await h.wx.menu.create({ button: [{ type: 'media_id', name: '图片', media_id: img.media_id }] });
    const error = await expectApiError(h.wx.material.del(img.media_id), 48005);
    assert.match(error.message, /menu or an auto-reply/);
  });

  it('checks permanent limits before any request (a PNG thumb, a 70 KB thumb, a WAV accepted as voice)', async () => {
    await assert.rejects(h.wx.material.add({ type: 'thumb', file: { data: fixture.png(), filename: 't.png' } }), WeChatUploadError);
    await assert.rejects(h.wx.material.add({ type: 'thumb', file: { data: fixture.jpeg(70 * 1024), filename: 't.jpg' } }), /t\.jpg: 70\.0 KB exceeds the 64 KB limit for permanent thumb/);
    assert.deepEqual(h.sim.calls(), []);
    const wav = Buffer.concat([Buffer.from('RIFF\x00\x00\x00\x00WAVEfmt ', 'latin1'), Buffer.alloc(500, 1)]);
    const added = await h.wx.material.add({ type: 'voice', file: { data: wav, filename: 'note.wav' } });
    assert.ok(added.media_id);
  });
});
