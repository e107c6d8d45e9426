import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AiAnswer } from './dify-answerer.js';
import type { MediaFile } from './file-download.js';
import { richAnswer, type RichAnswerTools } from './rich-answer.js';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
const ORIGIN = 'http://dify.local';

/** Tools over an in-memory set of Dify files; records downloads and uploads. */
function tools(files: Record<string, Uint8Array>, options: { uploadFails?: boolean } = {}): RichAnswerTools & { downloads: string[]; uploads: number } {
  const t = {
    downloads: [] as string[],
    uploads: 0,
    resolve: (url: string) => (url.startsWith('/') ? `${ORIGIN}${url}` : /^https?:/.test(url) ? url : undefined),
    isAppFile: (url: string) => url.startsWith(`${ORIGIN}/`),
    download: async (url: string): Promise<MediaFile> => {
      t.downloads.push(url);
      const data = files[new URL(url).pathname];
      if (!data) throw new Error('404');
      return { data, contentType: 'image/png', filename: undefined };
    },
    uploadImage: async (): Promise<string> => {
      if (options.uploadFails) throw new Error('40006');
      return `media-${++t.uploads}`;
    },
  };
  return t;
}

const file = (url: string, over: Partial<AiAnswer['files'][number]> = {}): AiAnswer['files'][number] => ({
  id: url,
  type: 'image',
  url,
  filename: 'a.png',
  mimeType: 'image/png',
  belongsTo: 'assistant',
  ...over,
});

test('a file both announced and linked in the Markdown is delivered once, and its link leaves the text', async () => {
  const t = tools({ '/files/tools/1.png': PNG });
  const answer: AiAnswer = { text: '看图：\n\n![图一](/files/tools/1.png?sign=b)\n\n完。', files: [file(`${ORIGIN}/files/tools/1.png?sign=a`)] };
  const rich = await richAnswer(answer, t, { images: true });
  assert.deepEqual(rich, { text: '看图：\n\n完。', media: [{ type: 'image', mediaId: 'media-1' }] });
  assert.equal(t.downloads.length, 1);
});

test('an image that cannot be uploaded stays a link, with its alt text and an absolute URL', async () => {
  const t = tools({ '/files/tools/1.png': PNG }, { uploadFails: true });
  const rich = await richAnswer({ text: '![销量](/files/tools/1.png?s=1)', files: [] }, t, { images: true });
  assert.deepEqual(rich, { text: `[销量] ${ORIGIN}/files/tools/1.png?s=1`, media: [] });
});

test("the follower's own image echoed back, and files without a URL, are skipped; other files become links at the end", async () => {
  const t = tools({});
  const answer: AiAnswer = {
    text: '好的',
    files: [file(`${ORIGIN}/files/u/1.png`, { belongsTo: 'user' }), file('', { url: undefined }), file('/files/tools/r.pdf', { type: 'document', filename: 'r.pdf', mimeType: 'application/pdf' })],
  };
  const rich = await richAnswer(answer, t, { images: true });
  assert.deepEqual(rich, { text: `好的\n\n[r.pdf] ${ORIGIN}/files/tools/r.pdf`, media: [] });
  assert.deepEqual(t.downloads, [], 'documents are not downloaded');
});

test('at most 4 images become media; the rest are links', async () => {
  const files = Object.fromEntries([1, 2, 3, 4, 5].map((n) => [`/files/tools/${n}.png`, PNG]));
  const rich = await richAnswer({ text: '', files: [1, 2, 3, 4, 5].map((n) => file(`/files/tools/${n}.png`, { filename: `${n}.png` })) }, tools(files), { images: true });
  assert.equal(rich.media.length, 4);
  assert.equal(rich.text, `[5.png] ${ORIGIN}/files/tools/5.png`);
});

test('without tools (a replacement answerer) files are links as Dify gave them', async () => {
  const rich = await richAnswer({ text: '**粗体**', files: [file('https://cdn.example/x.png', { filename: 'x.png' })] }, undefined, { images: true });
  assert.deepEqual(rich, { text: '粗体\n\n[x.png] https://cdn.example/x.png', media: [] });
});
