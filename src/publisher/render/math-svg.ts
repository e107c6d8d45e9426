import { createRequire } from 'node:module';
import type { LiteAdaptor } from 'mathjax-full/js/adaptors/liteAdaptor.js';
import type { MathDocument } from 'mathjax-full/js/core/MathDocument.js';
import type { LiteDocument } from 'mathjax-full/js/adaptors/lite/Document.js';
import type { LiteElement } from 'mathjax-full/js/adaptors/lite/Element.js';
import type { LiteText } from 'mathjax-full/js/adaptors/lite/Text.js';
import type * as MathjaxCore from 'mathjax-full/js/mathjax.js';
import type * as TexInput from 'mathjax-full/js/input/tex.js';
import type * as SvgOutput from 'mathjax-full/js/output/svg.js';
import type * as LiteAdaptorModule from 'mathjax-full/js/adaptors/liteAdaptor.js';
import type * as HtmlHandler from 'mathjax-full/js/handlers/html.js';
import type * as TexPackages from 'mathjax-full/js/input/tex/AllPackages.js';

/** TeX typeset as an SVG, or the reason MathJax could not typeset it. */
export type MathSvg = { ok: true; svg: string } | { ok: false; error: string };

interface TexToSvg {
  adaptor: LiteAdaptor;
  doc: MathDocument<LiteElement, LiteText, LiteDocument>;
}

const require = createRequire(import.meta.url);
let engine: TexToSvg | undefined;
const cache = new Map<string, MathSvg>();
const CACHE_LIMIT = 2000;

/**
 * Typesets TeX as a self-contained SVG: glyphs are inline `<path>`s (MathJax `fontCache: 'none'`), so there
 * is no `<use href>`, `<defs>` or font to load; links (`\href`) and MathJax's `data-*` bookkeeping are
 * removed and the size is also put in `style`, which WeChat's editor keeps when it drops attributes.
 * Results are cached per (TeX, display) because articles repeat formulas and previews re-render often.
 */
export function texToSvg(tex: string, display: boolean): MathSvg {
  const key = `${display ? 'D' : 'I'}${tex}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const result = typeset(tex, display);
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(key, result);
  return result;
}

function typeset(tex: string, display: boolean): MathSvg {
  const { adaptor, doc } = loadEngine();
  let container: LiteElement;
  try {
    container = doc.convert(tex, { display, em: 16, ex: 8, containerWidth: 80 * 16 }) as LiteElement;
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
  const svgNode = adaptor.firstChild(container) as LiteElement;
  const svg = adaptor.outerHTML(svgNode);
  const error = /data-mjx-error="([^"]*)"/.exec(svg);
  if (error) return { ok: false, error: error[1] ?? 'TeX error' };
  return { ok: true, svg: standalone(svg) };
}

function standalone(svg: string): string {
  let out = svg
    .replace(/ data-[\w-]+="[^"]*"/g, '')
    .replace(/<a\b[^>]*>/g, '')
    .replace(/<\/a>/g, '');
  const open = /^<svg\b[^>]*>/.exec(out)?.[0];
  if (open) {
    const width = / width="([^"]+)"/.exec(open)?.[1];
    const height = / height="([^"]+)"/.exec(open)?.[1];
    const style = / style="([^"]*)"/.exec(open)?.[1] ?? '';
    const sized = `${style.trim().replace(/;?$/, ';')}${width ? ` width: ${width};` : ''}${height ? ` height: ${height};` : ''}`.trim();
    const newOpen = open.includes(' style="') ? open.replace(/ style="[^"]*"/, ` style="${sized}"`) : open.replace('<svg', `<svg style="${sized}"`);
    out = newOpen + out.slice(open.length);
  }
  return out;
}

/** MathJax takes ~200 ms to load, so it is loaded on the first formula, not when the module is imported. */
function loadEngine(): TexToSvg {
  if (engine) return engine;
  const { mathjax } = require('mathjax-full/js/mathjax.js') as typeof MathjaxCore;
  const { TeX } = require('mathjax-full/js/input/tex.js') as typeof TexInput;
  const { SVG } = require('mathjax-full/js/output/svg.js') as typeof SvgOutput;
  const { liteAdaptor } = require('mathjax-full/js/adaptors/liteAdaptor.js') as typeof LiteAdaptorModule;
  const { RegisterHTMLHandler } = require('mathjax-full/js/handlers/html.js') as typeof HtmlHandler;
  const { AllPackages } = require('mathjax-full/js/input/tex/AllPackages.js') as typeof TexPackages;
  const adaptor = liteAdaptor();
  RegisterHTMLHandler(adaptor);
  // 'html' would let TeX attach classes/ids/styles; 'bussproofs' needs a second layout pass; without
  // 'noerrors'/'noundefined' a mistake is reported to the author instead of being drawn in red
  const skipped = new Set(['html', 'bussproofs', 'noerrors', 'noundefined']);
  const packages = AllPackages.filter((p) => !skipped.has(p));
  const doc = mathjax.document('', {
    InputJax: new TeX({ packages, formatError: (_jax: unknown, err: { message: string }) => { throw new Error(err.message); } }),
    OutputJax: new SVG({ fontCache: 'none' }),
  }) as MathDocument<LiteElement, LiteText, LiteDocument>;
  engine = { adaptor, doc };
  return engine;
}

/** Forgets every typeset formula (for benchmarks that measure typesetting). */
export function clearMathCache(): void {
  cache.clear();
}
