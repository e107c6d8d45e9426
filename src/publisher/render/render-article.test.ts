import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse as parseHtml, type HTMLElement } from 'node-html-parser';
import { renderArticle } from './render-article.js';
import { FrontMatterError, UnknownThemeError } from './errors.js';
import { themeNames } from '../themes/index.js';

/** node-html-parser keeps <pre> content as raw text unless told otherwise; code blocks must be parsed. */
const parse = (html: string): HTMLElement => parseHtml(html, { blockTextElements: { script: true, style: true, noscript: true } });
const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/articles/', import.meta.url));
const fixture = (name: string): string => readFileSync(`${FIXTURES}${name}`, 'utf8');
const showcase = renderArticle(fixture('showcase.md'), { baseDir: FIXTURES });
const dom = parse(showcase.html);

/** The text a reader sees in a code block: `<br>` as newline, `&nbsp;` as space, entities decoded. */
function codeText(code: HTMLElement): string {
  return parse(code.innerHTML.replace(/<br>/g, '\n')).text.replace(/\u00a0/g, ' ');
}

function styleOf(el: HTMLElement | null | undefined): string {
  return el?.getAttribute('style') ?? '';
}

test('the article is one inline-styled section: no class, id, <style>, <script>, <link> left', () => {
  const top = dom.childNodes.filter((n) => n.nodeType === 1) as HTMLElement[];
  assert.equal(top.length, 1);
  assert.equal(top[0]?.tagName, 'SECTION');
  assert.match(styleOf(top[0]), /font-size: 16px/);
  for (const el of dom.querySelectorAll('*')) {
    assert.equal(el.getAttribute('class'), undefined, `<${el.tagName}> has a class`);
    assert.equal(el.getAttribute('id'), undefined, `<${el.tagName}> has an id`);
  }
  for (const tag of ['style', 'script', 'link', 'iframe', 'meta']) assert.equal(dom.querySelectorAll(tag).length, 0, `<${tag}> present`);
  for (const tag of ['p', 'h2', 'li', 'table', 'th', 'td', 'blockquote', 'pre', 'code', 'img', 'strong']) {
    const els = dom.querySelectorAll(tag);
    assert.ok(els.length > 0, `fixture has <${tag}>`);
    for (const el of els) assert.notEqual(styleOf(el), '', `<${tag}> has an inline style`);
  }
  assert.deepEqual(showcase.warnings, []);
});

test('code blocks keep newlines as <br> and indentation as &nbsp;, with highlighting as inline-styled spans', () => {
  const codes = dom.querySelectorAll('pre code');
  assert.equal(codes.length, 2);
  const [ts, py] = codes as [HTMLElement, HTMLElement];
  for (const code of codes) assert.ok(!code.innerHTML.includes('\n'), 'no raw newline inside <code>');
  assert.equal(ts.innerHTML.match(/<br>/g)?.length, 5, 'six lines, five breaks');
  assert.match(ts.innerHTML, /<br>&nbsp;&nbsp;<span[^>]*>if<\/span>/);
  assert.match(ts.innerHTML, /<br>&nbsp;&nbsp;&nbsp;&nbsp;<span[^>]*>return<\/span>/);
  assert.match(py.innerHTML, /<br>(?:&nbsp;){8}a,&nbsp;b&nbsp;=/, 'eight spaces of nesting');
  assert.equal(
    codeText(ts),
    "export function greet(name: string): string {\n  if (name.length === 0) {\n    return 'hello, stranger';\n  }\n  return `hello, ${name} <3`;\n}",
  );
  assert.equal(codeText(py), 'def fib(n):\n    a, b = 0, 1\n    for _ in range(n):\n        a, b = b, a + b\n    return a');
  const keyword = ts.querySelectorAll('span').find((s) => s.text === 'export');
  assert.match(styleOf(keyword), /color: #cf222e/);
  assert.ok(!ts.innerHTML.includes('class='));
});

test('external links become text + [n] with the URLs listed at the end; only mp.weixin.qq.com stays a link', () => {
  const anchors = dom.querySelectorAll('a');
  assert.deepEqual(anchors.map((a) => a.getAttribute('href')), ['https://mp.weixin.qq.com/s/AbCdEf123']);
  assert.equal(anchors[0]?.text, '上一篇文章');
  const withHref = dom.querySelectorAll('*').filter((el) => el.getAttribute('href') !== undefined);
  assert.equal(withHref.length, 1, 'no other element carries an href (no #fn anchors either)');

  const refs = dom.querySelectorAll('sup').map((s) => s.text).filter((t) => t.startsWith('['));
  assert.deepEqual(refs, ['[1]', '[1]', '[1]'], 'the same URL keeps one number');
  const title = dom.querySelectorAll('p').find((p) => p.text === '参考链接');
  assert.ok(title, 'references section title');
  const items = (title.parentNode as HTMLElement).querySelectorAll('p').slice(1).map((p) => p.text);
  assert.deepEqual(items, ['[1]项目主页：https://example.com/mpgate']);
  assert.ok(title.parentNode === dom.querySelector('section')?.childNodes.filter((n) => n.nodeType === 1).at(-1), 'listed at the very end');

  assert.ok(showcase.html.includes('https://example.org/plain'), 'a bare URL stays visible as text');
  assert.deepEqual(
    showcase.links.map((l) => [l.kind, l.href, l.reference]),
    [
      ['reference', 'https://example.com/mpgate', 1],
      ['mp', 'https://mp.weixin.qq.com/s/AbCdEf123', undefined],
      ['reference', 'https://example.com/mpgate', 1],
      ['plain', 'https://example.org/plain', undefined],
      ['reference', 'https://example.com/mpgate', 1],
    ],
  );
});

test('math renders as self-contained SVG: no <use>, <defs>, href or font references', () => {
  const svgs = dom.querySelectorAll('svg');
  assert.equal(svgs.length, 2);
  for (const svg of svgs) {
    assert.match(svg.getAttribute('viewBox') ?? '', /^[-\d. ]+$/);
    assert.match(styleOf(svg), /width: [\d.]+ex;/);
    assert.ok(svg.querySelectorAll('path').length > 0, 'glyphs are inline paths');
    assert.equal(svg.querySelectorAll('use').length, 0);
    assert.equal(svg.querySelectorAll('defs').length, 0);
    for (const el of [svg, ...svg.querySelectorAll('*')]) {
      for (const attr of Object.keys(el.attributes)) assert.ok(!/href$/i.test(attr), `<${el.tagName}> has ${attr}`);
    }
    assert.ok(!/url\(|@font-face|<style/.test(svg.outerHTML));
  }
  assert.equal(svgs[0]?.parentNode?.tagName, 'P', 'inline math sits in its paragraph');
  assert.match(styleOf(svgs[1]?.parentNode), /text-align: center/, 'display math is centred on its own');
});

test('nested lists are flattened into indented sections with visible markers', () => {
  for (const list of dom.querySelectorAll('ul, ol')) {
    assert.equal(list.querySelectorAll('ul, ol').length, 0, 'no list inside a list');
  }
  const ul = dom.querySelector('ul') as HTMLElement;
  assert.equal(ul.querySelectorAll('li').length, 2);
  const nestedText = ul.querySelectorAll('section').map((s) => s.text);
  assert.ok(nestedText.some((t) => t.startsWith('◦第二层：微信会给嵌套列表多加圆点')));
  assert.ok(nestedText.some((t) => t === '1.第三层的第一步'));
  assert.ok(nestedText.some((t) => t === '2.第三层的第二步'));
  const marker = ul.querySelectorAll('span').find((s) => s.text === '◦');
  assert.match(styleOf(marker), /color/);
  assert.equal(dom.querySelectorAll('ol > li').length, 2, 'a flat ordered list stays a list');
});

test('tables, blockquotes and footnotes are rendered; footnotes have no anchors', () => {
  const table = dom.querySelector('table') as HTMLElement;
  assert.deepEqual(table.querySelectorAll('th').map((th) => th.text), ['功能', '状态', '说明']);
  assert.equal(table.querySelectorAll('tbody tr').length, 3);
  assert.match(styleOf(table.querySelectorAll('th')[1]), /text-align: center/);
  assert.match(styleOf(table.querySelectorAll('td')[2]), /text-align: right/);
  assert.match(dom.querySelector('blockquote')?.text ?? '', /好的排版让读者忘记排版的存在/);

  const footnoteRefs = dom.querySelectorAll('sup').map((s) => s.text).filter((t) => /^\d+$/.test(t));
  assert.deepEqual(footnoteRefs, ['1', '2']);
  const notesTitle = dom.querySelectorAll('p').find((p) => p.text === '注释');
  assert.ok(notesTitle, 'footnotes section');
  const notes = (notesTitle.parentNode as HTMLElement).text;
  assert.match(notes, /1\.草稿接口会吃掉 <code> 里的换行/);
  assert.match(notes, /2\.脚注没有页内锚点/);
  assert.ok(!notes.includes('↩'), 'no back-reference arrows');
});

test('images pass through imageUrlMap, are collected, and a lone image gets its caption', () => {
  assert.equal(showcase.images.length, 1);
  const [image] = showcase.images;
  assert.equal(image?.src, './images/pipeline.png');
  assert.equal(image?.alt, '渲染流水线示意图');
  assert.ok(image?.localPath && existsSync(image.localPath), 'localPath points at the file');
  assert.equal(dom.querySelector('img')?.getAttribute('src'), './images/pipeline.png');
  const caption = dom.querySelector('img')?.nextElementSibling;
  assert.equal(caption?.text, '渲染流水线示意图');

  const mapped = renderArticle('![a](x.png) ![b](https://cdn.example/y.jpg)', {
    imageUrlMap: (src) => (src === 'x.png' ? 'https://mmbiz.qpic.cn/x/0?wx_fmt=png' : undefined),
  });
  const srcs = parse(mapped.html).querySelectorAll('img').map((i) => i.getAttribute('src'));
  assert.deepEqual(srcs, ['https://mmbiz.qpic.cn/x/0?wx_fmt=png', 'https://cdn.example/y.jpg']);
  assert.deepEqual(mapped.images.map((i) => i.url), srcs);
  assert.deepEqual(mapped.warnings.map((w) => w.code), ['image-not-mapped']);
  assert.match(mapped.warnings[0]?.message ?? '', /https:\/\/cdn\.example\/y\.jpg/);
});

test('front matter is read; without a title the leading # heading becomes the title', () => {
  assert.deepEqual(showcase.frontMatter, {
    title: '用 mpgate 把 Markdown 发到公众号',
    author: '林小满',
    digest: '一篇覆盖代码、表格、公式、脚注和链接的示例文章。',
    cover: './images/pipeline.png',
    source_url: 'https://example.com/blog/mpgate',
    comments: 'all',
    date: '2025-06-01',
  });
  const raw = renderArticle(fixture('raw-html.md'));
  assert.equal(raw.frontMatter.title, '原始 HTML 的文章');
  assert.equal(parse(raw.html).querySelectorAll('h1').length, 0, 'the title is not repeated in the body');

  const titled = renderArticle('---\ntitle: Given\n---\n# Heading\n\ntext');
  assert.equal(titled.frontMatter.title, 'Given');
  assert.equal(parse(titled.html).querySelector('h1')?.text, 'Heading');
  assert.throws(() => renderArticle(fixture('bad-front-matter.md')), (err: unknown) => err instanceof FrontMatterError && err.line === 4);
});

test('every theme renders, themes differ, and an unknown theme names the available ones', () => {
  const h2Styles = new Set<string>();
  for (const theme of themeNames()) {
    const out = renderArticle(fixture('showcase.md'), { theme });
    assert.equal(out.theme, theme);
    const doc = parse(out.html);
    assert.equal(doc.querySelectorAll('[class]').length, 0);
    h2Styles.add(styleOf(doc.querySelector('h2')));
  }
  assert.equal(h2Styles.size, themeNames().length, 'each theme styles headings its own way');
  assert.ok(themeNames().length >= 3);
  assert.match(styleOf(parse(renderArticle('```js\nx\n```', { theme: 'tech' }).html).querySelector('pre')), /background: #0d1117/);

  assert.equal(renderArticle('---\ntheme: elegant\n---\ntext').theme, 'elegant');
  assert.equal(renderArticle('---\ntheme: elegant\n---\ntext', { theme: 'tech' }).theme, 'tech');
  assert.throws(
    () => renderArticle('text', { theme: 'fancy' }),
    (err: unknown) => err instanceof UnknownThemeError && /available themes: default, elegant, tech/.test(err.message),
  );
});

test('custom CSS applies after the theme, to document elements and code tokens alike', () => {
  const out = renderArticle('## Title\n\n```js\nconst x = 1;\n```', {
    customCss: 'h2 { color: rgb(1, 2, 3); border-left: none; }\n.hljs-keyword { color: rgb(4, 5, 6); }',
  });
  const doc = parse(out.html);
  assert.match(styleOf(doc.querySelector('h2')), /color: rgb\(1, 2, 3\)/);
  assert.match(styleOf(doc.querySelector('h2')), /border-left: none/);
  const keyword = doc.querySelectorAll('span').find((s) => s.text === 'const');
  assert.match(styleOf(keyword), /color: rgb\(4, 5, 6\)/);
});

test('raw HTML is sanitised: author styles are applied, scripts/iframes/handlers/non-web links removed', () => {
  const out = renderArticle(fixture('raw-html.md'));
  const doc = parse(out.html);
  for (const tag of ['script', 'iframe', 'style']) assert.equal(doc.querySelectorAll(tag).length, 0);
  assert.ok(!/javascript:|onclick|alert/.test(out.html));
  const callout = doc.querySelectorAll('p').find((p) => p.text === '这段用了作者自己的样式。');
  assert.match(styleOf(callout), /color: rgb\(200, 30, 30\)/);
  assert.equal(doc.querySelectorAll('a').length, 0);
  assert.match(doc.text, /手写的外链\[1\]/);
  assert.match(doc.text, /页内锚点/);
  assert.deepEqual(out.warnings.map((w) => w.code).sort(), ['html-removed', 'link-unsupported']);
});

test('problems that do not stop rendering are reported as warnings', () => {
  const out = renderArticle(`---\ntitle: ${'长'.repeat(40)}\n---\n\n\`\`\`klingon\nqapla'\n\`\`\`\n\n$\\frac{1}{$`);
  const codes = out.warnings.map((w) => w.code);
  assert.deepEqual(codes.sort(), ['code-language-unknown', 'field-too-long', 'math-error']);
  assert.match(out.warnings.find((w) => w.code === 'field-too-long')?.message ?? '', /title has 40 characters; WeChat allows 32/);
  const doc = parse(out.html);
  assert.equal(doc.querySelectorAll('svg').length, 0);
  assert.match(doc.text, /\\frac\{1\}\{/, 'the TeX that failed is shown as written');
  assert.equal(codeText(doc.querySelector('pre code') as HTMLElement), "qapla'");
});

test('line breaks inside Chinese text join without a space; between English words they become one', () => {
  const doc = parse(renderArticle('中文换行\n继续写\n\nword\nword').html);
  assert.deepEqual(doc.querySelectorAll('p').map((p) => p.text), ['中文换行继续写', 'word word']);
});

test('text that only looks like syntax is left alone: prices, template braces, linkified URLs, hard breaks', () => {
  const prices = parse(renderArticle('It costs $5 and $10 today.').html);
  assert.equal(prices.querySelectorAll('svg').length, 0);
  assert.equal(prices.text, 'It costs $5 and $10 today.');
  const templates = renderArticle('{{name}} and <%= x %>\n\n```\n{{name}}\n```');
  assert.match(templates.html, /\{\{name\}\} and &lt;%= x %&gt;/);
  assert.match(templates.html, /<code[^>]*>\{\{name\}\}<\/code>/);
  const linkified = renderArticle('访问 https://example.com/路径 吧');
  assert.deepEqual(linkified.links.map((l) => l.kind), ['plain'], 'an autolinked URL already shows itself');
  assert.equal(parse(linkified.html).querySelectorAll('sup').length, 0);
  assert.match(renderArticle('one  \ntwo').html, />one<br>two</);
});
