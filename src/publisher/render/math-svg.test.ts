import { test } from 'node:test';
import assert from 'node:assert/strict';
import { texToSvg } from './math-svg.js';

test('TeX becomes a standalone SVG with its size in style and no MathJax bookkeeping', () => {
  const result = texToSvg('\\frac{a}{b} + \\sqrt{x}', false);
  assert.ok(result.ok);
  const svg = result.svg;
  assert.match(svg, /^<svg style="vertical-align: -?[\d.]+ex; width: [\d.]+ex; height: [\d.]+ex;"/);
  assert.match(svg, /<\/svg>$/);
  assert.match(svg, /<path d="/);
  assert.ok(!/<use|<defs|href=|data-|mjx-container|class=/.test(svg));
});

test('display and inline forms are cached separately and repeat calls return the same SVG', () => {
  const a = texToSvg('x^2', true);
  const b = texToSvg('x^2', false);
  assert.ok(a.ok && b.ok);
  assert.notEqual(a.svg, b.svg);
  assert.equal(texToSvg('x^2', true), a);
});

test('TeX errors are reported, not drawn', () => {
  assert.deepEqual(texToSvg('\\frac{a}{', true), { ok: false, error: 'Missing close brace' });
  const undefinedMacro = texToSvg('\\nosuchmacro x', false);
  assert.equal(undefinedMacro.ok, false);
  assert.match(undefinedMacro.ok ? '' : undefinedMacro.error, /Undefined control sequence \\nosuchmacro/);
});

test('Chinese text inside \\text{} is kept, as SVG text in a system font', () => {
  const result = texToSvg('\\text{面积} = r^2', false);
  assert.ok(result.ok);
  assert.match(result.svg, /<text[^>]*font-family="serif">面<\/text>/);
  assert.match(result.svg, />积<\/text>/);
});
