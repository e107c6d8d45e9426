import juice from 'juice';
import type { CheerioAPI } from 'cheerio';

interface JuiceUtils {
  parseCSS(css: string): unknown;
}

const JUICE_OPTIONS = {
  inlinePseudoElements: true,
  preserveImportant: false,
  applyWidthAttributes: false,
  applyHeightAttributes: false,
  applyAttributesTableElements: false,
  resolveCSSVariables: true,
};

// juice re-parses the stylesheet on every call; a theme is a fixed string, so its parse is kept and reused
// (juice reads the parsed rules without changing them). Only stylesheets registered here are cached.
const utils = (juice as unknown as { utils: JuiceUtils }).utils;
const parseCss = utils.parseCSS.bind(utils);
const parsed = new Map<string, unknown>();
utils.parseCSS = (css: string): unknown => parsed.get(css) ?? parseCss(css);

/** Parses `css` once so later `inlineCss` calls with the same string skip the parse. */
export function preparseCss(css: string): void {
  if (!parsed.has(css)) parsed.set(css, parseCss(css));
}

/** Inlines `css` into the `style` attribute of every matching element of the document, with juice. */
export function inlineCss($: CheerioAPI, css: string): void {
  juice.inlineDocument($, css, JUICE_OPTIONS);
}
