/** client.media against the simulator: uploads from a path, bytes and a stream; downloads; limits checked before any request. */
import assert from 'node:assert/strict';
import { createReadStream, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { WeChatUploadError } from '../../../src/wechat-api/index.js';
import { expectApiError, fixture, useSimulator } from '../support.js';

const h = useSimulator();
const MB = 1024 * 1024;

async function refused(promise: Promise<unknown>): Promise<WeChatUploadError> {
  const error = await promise.then(
    () => assert.fail('expected the upload to be refused'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof WeChatUploadError, String(error));
  return error;
}

describe('client.media (simulator)', () => {
  it('uploads an image from a path and downloads the same bytes', async () => {
    const path = join(h.dir, 'photo.png');
    const bytes = fixture.png(5000);
    writeFileSync(path, bytes);
    const uploaded = await h.wx.media.upload('image', path);
    assert.equal(uploaded.type, 'image');
    assert.ok(uploaded.media_id.length > 20);
    assert.ok(Math.abs(uploaded.created_at - Math.floor(h.sim.now() / 1000)) <= 1);
    const stored = h.sim.file(uploaded.media_id);
    assert.equal(stored?.filename, 'photo.png');
    assert.equal(stored?.contentType, 'image/png');
    const got = await h.wx.media.get(uploaded.media_id);
    assert.equal(got.kind, 'file');
    assert.ok(got.kind === 'file' && got.data.equals(bytes));
    assert.ok(got.kind === 'file' && got.contentType.startsWith('image/png'));
    assert.ok(got.kind === 'file' && got.filename?.endsWith('.png'));
  });

  it('uploads a thumb from bytes and returns thumb_media_id as media_id', async () => {
    const thumb = await h.wx.media.upload('thumb', { data: fixture.jpeg(30_000), filename: 'cover' });
    assert.equal(thumb.type, 'thumb');
    assert.equal(h.sim.file(thumb.media_id)?.filename, 'cover.jpg');
  });

  it('uploads voice from a Node stream and a video from a web stream; a video downloads as {video_url}', async () => {
    const voicePath = join(h.dir, 'say.mp3');
    writeFileSync(voicePath, fixture.mp3(40_000));
    const voice = await h.wx.media.upload('voice', { stream: createReadStream(voicePath), filename: 'say.mp3' });
    assert.equal(h.sim.file(voice.media_id)?.bytes.length, 40_000);

    const clip = fixture.mp4(100_000);
    const web = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(clip.subarray(0, 50_000));
        c.enqueue(clip.subarray(50_000));
        c.close();
      },
    });
    const video = await h.wx.media.upload('video', { stream: web, filename: 'clip.mp4' });
    const got = await h.wx.media.get(video.media_id);
    assert.equal(got.kind, 'video');
    assert.ok(got.kind === 'video' && got.video_url.startsWith('http'));
    const res = await fetch(got.kind === 'video' ? got.video_url : '');
    assert.ok(Buffer.from(await res.arrayBuffer()).equals(clip));
  });

  it('downloads JSSDK voice in HD (speex); 48001 on an unverified account', async () => {
    const voice = await h.wx.media.upload('voice', { data: fixture.amr(), filename: 'v.amr' });
    const hd = await h.wx.media.getJssdkVoice(voice.media_id);
    assert.equal(hd.contentType, 'audio/speex');
    assert.ok(hd.data.length > 0);
    h.sim.setCapability(h.sim.account.appId, { verified: false });
    try {
      await expectApiError(h.wx.media.getJssdkVoice(voice.media_id), 48001);
    } finally {
      h.sim.setCapability(h.sim.account.appId, { verified: true });
    }
  });

  it('40007 for an unknown or expired media_id', async () => {
    const error = await expectApiError(h.wx.media.get('no-such-media-id'), 40007);
    assert.equal(error.path, '/cgi-bin/media/get');
    assert.match(error.message, /3 days/);
    const image = await h.wx.media.upload('image', { data: fixture.gif(), filename: 'g.gif' });
    h.sim.advanceClock(3 * 86_400_000);
    await expectApiError(h.wx.media.get(image.media_id), 40007);
  });

  it('a 12 MB image is refused before any request, naming the file and the 10 MB limit', async () => {
    const path = join(h.dir, 'photo.png');
    writeFileSync(path, fixture.png(16));
    truncateSync(path, 12 * MB);
    const error = await refused(h.wx.media.upload('image', path));
    assert.equal(error.message, 'photo.png: 12.0 MB exceeds the 10 MB limit for image');
    assert.equal(error.limitBytes, 10 * MB);
    assert.deepEqual(h.sim.calls(), [], 'no call reached the simulator, not even for a token');
  });

  it('refuses wrong formats and extensions before any request', async () => {
    const pngThumb = await refused(h.wx.media.upload('thumb', { data: fixture.png(), filename: 't.png' }));
    assert.match(pngThumb.message, /^t\.png: the content is a PNG file; thumb accepts jpg, jpeg$/);
    const lying = await refused(h.wx.media.upload('image', { data: fixture.jpeg(), filename: 'x.png' }));
    assert.equal(lying.reason, 'extension');
    await refused(h.wx.media.upload('voice', { data: fixture.mp3(3 * MB), filename: 'long.mp3' }));
    await refused(h.wx.media.upload('video', { data: Buffer.from('not a video at all'), filename: 'v.mp4' }));
    assert.deepEqual(h.sim.calls(), []);
  });

  it('a 3 MB temporary image passes our 10 MB check but the platform may answer 40006: the hint says 2 MB', async () => {
    const error = await expectApiError(h.wx.media.upload('image', { data: fixture.jpeg(3 * MB), filename: 'big.jpg' }), 40006);
    assert.match(error.message, /2 MB/);
    assert.equal(h.sim.calls({ path: '/cgi-bin/media/upload' }).length, 1);
  });

  it('uploadimg returns an mmbiz URL; files of 1 MB or more, or GIFs, are refused first', async () => {
    const { url } = await h.wx.media.uploadImg({ data: fixture.png(200_000), filename: 'inline.png' });
    assert.match(url, /^https?:\/\/mmbiz\.qpic\.cn\//);
    assert.equal(h.sim.file(url)?.bytes.length, 200_000);
    const big = await refused(h.wx.media.uploadImg({ data: fixture.jpeg(MB), filename: 'big.jpg' }));
    assert.equal(big.message, 'big.jpg: 1.0 MB exceeds the 1 MB limit for article image');
    await refused(h.wx.media.uploadImg({ data: fixture.gif(), filename: 'anim.gif' }));
    assert.equal(h.sim.calls({ path: '/cgi-bin/media/uploadimg' }).length, 1);
  });
});
