import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ARTICLE_LIMITS, articleProblems, assertDraftArticles, draftArticleInput, type ArticleDraftInput } from './article-limits.js';
import { ArticleValidationError } from './errors.js';

const news = (over: Partial<ArticleDraftInput> = {}): ArticleDraftInput => ({
  file: 'post.md',
  type: 'news',
  title: '标题',
  content: '<p>正文</p>',
  hasCover: true,
  imageCount: 0,
  ...over,
});
const fields = (a: ArticleDraftInput): string[] => articleProblems(a).map((p) => p.field);

test('title, author and digest are counted in characters (code points), up to and including the limit', () => {
  assert.deepEqual(fields(news({ title: '标'.repeat(32), author: '作'.repeat(16), digest: '摘'.repeat(128) })), []);
  // an emoji is one character even though it is two UTF-16 units
  assert.deepEqual(fields(news({ title: '😀'.repeat(32) })), []);
  const problems = articleProblems(news({ title: 't'.repeat(33), author: 'a'.repeat(17), digest: 'd'.repeat(129) }));
  assert.deepEqual(
    problems.map((p) => [p.field, p.limit, p.message]),
    [
      ['title', '32 characters', 'title has 33 characters; WeChat allows at most 32'],
      ['author', '16 characters', 'author has 17 characters; WeChat allows at most 16'],
      ['digest', '128 characters', 'digest has 129 characters; WeChat allows at most 128'],
    ],
  );
  assert.ok(problems.every((p) => p.file === 'post.md'));
});

test('a missing title and empty content are reported', () => {
  assert.deepEqual(fields(news({ title: undefined })), ['title']);
  assert.deepEqual(fields(news({ title: '  ' })), ['title']);
  assert.deepEqual(fields(news({ content: ' ' })), ['content']);
});

test('content: under 20,000 characters of text (markup, entities as one, whitespace and SVG not counted) and under 1 MB', () => {
  const text = (n: number): string => `<p style="color: red">${'字'.repeat(n)}</p>`;
  assert.deepEqual(fields(news({ content: text(ARTICLE_LIMITS.contentChars - 1) })), []);
  const over = articleProblems(news({ content: text(ARTICLE_LIMITS.contentChars) }));
  assert.deepEqual(over.map((p) => [p.field, p.limit]), [['content', 'under 20,000 characters']]);
  assert.match(over[0]?.message ?? '', /content has 20000 characters of text; WeChat allows under 20000/);
  // &nbsp; indentation in code is whitespace; &lt; is one character; formula SVG paths are not text
  const html = `<p>${'&lt;'.repeat(19_999)}&nbsp;&nbsp;\n<svg><path d="${'M0 0'.repeat(100)}"/><text>x</text></svg></p>`;
  assert.deepEqual(fields(news({ content: html })), []);
  assert.deepEqual(fields(news({ content: `${html}a` })), ['content']);
  const heavy = `<p style="${'x'.repeat(ARTICLE_LIMITS.contentBytes)}">短</p>`;
  assert.deepEqual(articleProblems(news({ content: heavy })).map((p) => p.limit), ['under 1 MB']);
});

test('content_source_url: at most 1 KB, and an http(s) URL', () => {
  const url = (bytes: number): string => `https://example.com/${'a'.repeat(bytes - 20)}`;
  assert.deepEqual(fields(news({ sourceUrl: url(1024) })), []);
  assert.deepEqual(articleProblems(news({ sourceUrl: url(1025) })).map((p) => [p.field, p.limit]), [['content_source_url', '1 KB']]);
  assert.deepEqual(fields(news({ sourceUrl: 'javascript:alert(1)' })), ['content_source_url']);
  assert.deepEqual(fields(news({ sourceUrl: '' })), []);
});

test('cover crops, the cover of a news article and the pictures of an image post', () => {
  assert.deepEqual(fields(news({ picCrop235: '0.1945_0_1_0.5236', picCrop11: '0_0_1_1' })), []);
  assert.deepEqual(fields(news({ picCrop235: '0.1945_0_1.2_0.5' })), ['pic_crop_235_1']);
  assert.deepEqual(fields(news({ picCrop11: '0.1234567_0_1_1' })), ['pic_crop_1_1']);
  assert.match(articleProblems(news({ hasCover: false }))[0]?.message ?? '', /needs a cover: add "cover: \.\/image\.jpg"/);
  const pic = (n: number): ArticleDraftInput => news({ type: 'newspic', content: '文字', imageCount: n, hasCover: false });
  assert.deepEqual(fields(pic(1)), []);
  assert.deepEqual(fields(pic(20)), []);
  assert.deepEqual(fields(pic(0)), ['image_info']);
  assert.deepEqual(articleProblems(pic(21)).map((p) => p.limit), ['20 images']);
});

test('assertDraftArticles lists every problem of every article, and the 1–8 articles of a draft', () => {
  assert.doesNotThrow(() => assertDraftArticles([news()]));
  assert.throws(
    () => assertDraftArticles([news({ file: 'a.md', title: 'x'.repeat(40) }), news({ file: 'b.md', author: 'y'.repeat(20) })]),
    (e: unknown) =>
      e instanceof ArticleValidationError &&
      e.code === 'ARTICLE_INVALID' &&
      e.message === '2 problems:\n  a.md: title has 40 characters; WeChat allows at most 32\n  b.md: author has 20 characters; WeChat allows at most 16',
  );
  assert.throws(() => assertDraftArticles(Array.from({ length: 9 }, () => news())), /a draft holds at most 8 articles; 9 files were given/);
  assert.throws(() => assertDraftArticles([]), /at least one article/);
});

test('draftArticleInput checks an article already in the draft API shape', () => {
  const input = draftArticleInput({ title: 'x'.repeat(33), content: '<p>a</p>', thumb_media_id: '' }, 'api');
  assert.deepEqual(fields(input), ['title', 'thumb_media_id']);
  const pic = draftArticleInput({ article_type: 'newspic', title: 't', content: 'c', image_info: { image_list: [] } }, 'api');
  assert.deepEqual(fields(pic), ['image_info']);
});
