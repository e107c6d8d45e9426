// Render time of a 10,000-word article (Chinese + English prose, code, tables, 20 images with a cached URL
// map, math, links, footnotes, nested lists). Run: node --import tsx bench/render.ts  (bounded to ~20 s)
import { performance } from 'node:perf_hooks';
import { renderArticle } from '../src/publisher/index.js';
import { clearHighlightCache } from '../src/publisher/render/code-block.js';
import { clearMathCache } from '../src/publisher/render/math-svg.js';

const TIME_BUDGET_MS = 12_000;
const MAX_RUNS = 200;

const EN = 'the gateway answers every follower message within five seconds while the model keeps thinking so that nothing is lost when a reply takes longer than expected and the publisher turns markdown into html that survives the draft api'.split(' ');
const ZH = '公众号的被动回复必须在五秒内返回而大模型常常需要更久所以网关先回复再通过客服消息补发答案文章发布器把写作者的文本变成微信能保存的样式并且缓存上传过的图片'.split('');

/** Deterministic pseudo-random numbers, so every run renders the same article. */
function rng(seed: number): () => number {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
}

function buildArticle(withMath: boolean): { markdown: string; words: number; imageMap: Map<string, string> } {
  const rand = rng(42);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  let words = 0;
  const english = (n: number): string => {
    words += n;
    return Array.from({ length: n }, () => pick(EN)).join(' ');
  };
  const chinese = (n: number): string => {
    words += n;
    return Array.from({ length: n }, () => pick(ZH)).join('');
  };
  const imageMap = new Map<string, string>();
  const parts: string[] = ['---', 'title: 一万字的基准文章', 'author: bench', 'digest: render benchmark', '---', ''];
  for (let section = 1; section <= 20; section++) {
    parts.push(`## 第 ${section} 节 Section ${section}`, '');
    parts.push(`${chinese(95)}，**${chinese(6)}**，见 [reference ${section}](https://example.com/docs/${section})。${english(62)} \`inline_code_${section}\` ${english(32)}.[^n${section % 5}]`, '');
    parts.push(`${english(86)}${withMath ? `, and $a_${section}^2 + b^2 = c^2$ holds` : ''}. ${chinese(70)}。`, '');
    parts.push(`- ${chinese(20)}`, `  - ${english(12)}`, `  - ${english(10)} [mp](https://mp.weixin.qq.com/s/${section})`, `- ${english(15)}`, '');
    parts.push('```typescript');
    for (let line = 0; line < 14; line++) {
      parts.push(`${'  '.repeat(line % 4)}const value${line} = await client.call("${pick(EN)}", { retries: ${line}, timeout: ${line * 100} }); // ${pick(EN)}`);
    }
    parts.push('```', '');
    const src = `./images/figure-${section}.png`;
    imageMap.set(src, `https://mmbiz.qpic.cn/mmbiz_png/bench${section}/0?wx_fmt=png`);
    parts.push(`![图 ${section}：${chinese(6)}](${src})`, '');
    if (section % 2 === 0) {
      parts.push('| 名称 | Value | 说明 |', '|:--|--:|:--|');
      for (let row = 0; row < 6; row++) parts.push(`| ${chinese(4)} | ${row * section} | ${english(6)} |`);
      parts.push('');
    }
    if (withMath && section % 4 === 0) parts.push('$$', `\\sum_{i=1}^{${section}} i^2 = \\frac{n(n+1)(2n+1)}{6}`, '$$', '');
    parts.push(`> ${chinese(46)} ${english(24)}`, '');
  }
  for (let n = 0; n < 5; n++) parts.push(`[^n${n}]: ${english(20)}`);
  return { markdown: parts.join('\n'), words, imageMap };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

/** Renders one article repeatedly: warm (caches filled, as when republishing) and with every cache cleared. */
function measure(label: string, withMath: boolean): void {
  const { markdown, words, imageMap } = buildArticle(withMath);
  const options = { theme: 'default', imageUrlMap: (src: string) => imageMap.get(src) };

  let t = performance.now();
  const first = renderArticle(markdown, options);
  const coldMs = performance.now() - t;

  const timings: number[] = [];
  const deadline = performance.now() + TIME_BUDGET_MS / 2;
  while (timings.length < MAX_RUNS && performance.now() < deadline) {
    t = performance.now();
    renderArticle(markdown, options);
    timings.push(performance.now() - t);
  }
  timings.sort((a, b) => a - b);

  const uncached: number[] = [];
  for (let i = 0; i < 25 && performance.now() < deadline + 2000; i++) {
    clearMathCache();
    clearHighlightCache();
    t = performance.now();
    renderArticle(markdown, options);
    uncached.push(performance.now() - t);
  }
  uncached.sort((a, b) => a - b);

  const warnings = first.warnings.map((w) => w.code).join(', ') || 'none';
  console.log(`\n${label}`);
  console.log(`  article: ${words} words, ${markdown.length} chars of Markdown, ${first.images.length} images, ${first.links.length} links; HTML ${(Buffer.byteLength(first.html) / 1024).toFixed(0)} KB; warnings: ${warnings}`);
  console.log(`  first render in this process: ${coldMs.toFixed(1)} ms`);
  console.log(`  warm renders (n=${timings.length}): median ${percentile(timings, 50).toFixed(1)} ms, p95 ${percentile(timings, 95).toFixed(1)} ms`);
  console.log(`  math and highlight caches cleared before each (n=${uncached.length}): median ${percentile(uncached, 50).toFixed(1)} ms, p95 ${percentile(uncached, 95).toFixed(1)} ms`);
}

// The issue's article: 10,000 words with code, tables and 20 images (uploads cached). Target < 50 ms.
measure('10,000 words, 20 code blocks, 10 tables, 20 images (the issue 9 target: < 50 ms)', false);
// The same with 25 formulas typeset by MathJax (about 1–1.5 ms each when not cached).
measure('the same plus 25 formulas', true);
