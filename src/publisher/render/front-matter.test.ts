import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitFrontMatter } from './front-matter.js';
import { FrontMatterError } from './errors.js';

function frontMatterError(source: string): FrontMatterError {
  try {
    splitFrontMatter(source);
  } catch (err) {
    if (err instanceof FrontMatterError) return err;
    throw err;
  }
  throw new Error('expected a FrontMatterError');
}

test('splits the YAML block off and reports where the Markdown starts', () => {
  const split = splitFrontMatter('---\ntitle: 标题\nauthor: 作者\n---\n# Body\n');
  assert.deepEqual(split.frontMatter, { title: '标题', author: '作者' });
  assert.equal(split.body, '# Body\n');
  assert.equal(split.bodyStartLine, 5);
  assert.deepEqual(splitFrontMatter('# No front matter').frontMatter, {});
  assert.equal(splitFrontMatter('\uFEFF---\ntitle: x\n---\nbody').frontMatter.title, 'x', 'a UTF-8 BOM is tolerated');
  assert.equal(splitFrontMatter('---\r\ntitle: crlf\r\n---\r\nbody').frontMatter.title, 'crlf');
  assert.deepEqual(splitFrontMatter('---\n---\nbody').frontMatter, {});
});

test('normalises comments, accepts content_source_url, coerces numbers and keeps unknown keys', () => {
  const fm = (yaml: string) => splitFrontMatter(`---\n${yaml}\n---\n`).frontMatter;
  assert.equal(fm('comments: true').comments, 'all');
  assert.equal(fm('comments: false').comments, 'off');
  assert.equal(fm('comments: fans').comments, 'fans');
  assert.equal(fm('content_source_url: https://a.example/x').source_url, 'https://a.example/x');
  assert.equal(fm('title: 2025').title, '2025');
  assert.equal(fm('title: "  padded  "').title, 'padded');
  assert.deepEqual(fm('tags: [a, b]\nseries: 3').tags, ['a', 'b']);
  assert.equal(fm('series: 3').series, 3);
});

test('malformed YAML is reported with its line in the Markdown file', () => {
  const err = frontMatterError('---\ntitle: ok\nauthor: "unterminated\n---\nbody');
  assert.equal(err.code, 'FRONT_MATTER_INVALID');
  assert.ok(err.line !== undefined && err.line >= 3 && err.line <= 4, `line ${err.line}`);
  assert.match(err.message, /^front matter: .+ \(line \d+, column \d+\)$/);

  const dup = frontMatterError('---\ntitle: a\ntitle: b\n---\n');
  assert.equal(dup.line, 3);
  assert.match(dup.message, /unique/);
});

test('a field of the wrong type names the field and its line', () => {
  const list = frontMatterError('---\ntitle: ok\nauthor: [a, b]\n---\n');
  assert.equal(list.field, 'author');
  assert.equal(list.line, 3);
  assert.match(list.message, /"author" must be text, not a list \(line 3\)/);

  const comments = frontMatterError('---\ncomments: maybe\n---\n');
  assert.equal(comments.field, 'comments');
  assert.match(comments.message, /"comments" must be true, false, "all", "fans" or "off" \(got "maybe"\)/);

  assert.match(frontMatterError('---\n- a\n- b\n---\n').message, /must be a mapping/);
  assert.match(frontMatterError('---\ntitle: never closed\n\nbody').message, /no closing "---"/);
});
