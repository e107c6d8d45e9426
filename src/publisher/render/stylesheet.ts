import { preparseCss } from './inline-css.js';

/** Turns highlight.js's `<span class="hljs-…">` into `<span style="…">`. */
export type CodeTokenStyler = (highlighted: string) => string;

/** A theme (+ custom) stylesheet split for rendering. */
export interface PreparedStylesheet {
  /** Everything except the code-token rules: inlined into the document by juice. */
  documentCss: string;
  /** Applies the `.hljs-*` rules to highlighted code. */
  styleCodeTokens: CodeTokenStyler;
}

interface TokenRule {
  classes: string[];
  order: number;
  declarations: [string, string][];
}

const RULE = /([^{}]+)\{([^{}]*)\}/g;
const TOKEN_SELECTOR = /^\.hljs-[\w-]+(?:\.[\w-]+)*$/;
const prepared = new Map<string, PreparedStylesheet>();
const CACHE_LIMIT = 32;

/**
 * Splits a stylesheet (once per distinct string) into the document part, for juice, and the code-token part
 * (`.hljs-x` and compound `.hljs-x.y` selectors). Code blocks are most of an article's elements and their
 * spans only ever match those rules, so they are styled here in one pass over the string instead of by
 * juice walking the whole document once per token rule. As in CSS, more classes win, then the later rule.
 */
export function prepareStylesheet(css: string): PreparedStylesheet {
  let sheet = prepared.get(css);
  if (!sheet) {
    const text = css.replace(/\/\*[\s\S]*?\*\//g, '');
    const tokenRules: TokenRule[] = [];
    const documentCss = text.replace(RULE, (rule, selectorList: string, block: string) => {
      const selectors = selectorList.split(',').map((s) => s.trim());
      if (!selectors.every((s) => TOKEN_SELECTOR.test(s))) return rule;
      const declarations = parseDeclarations(block);
      for (const selector of selectors) tokenRules.push({ classes: selector.slice(1).split('.'), order: tokenRules.length, declarations });
      return '';
    });
    tokenRules.sort((a, b) => a.classes.length - b.classes.length || a.order - b.order);
    preparseCss(documentCss);
    sheet = { documentCss, styleCodeTokens: buildStyler(tokenRules) };
    if (prepared.size >= CACHE_LIMIT) prepared.delete(prepared.keys().next().value as string);
    prepared.set(css, sheet);
  }
  return sheet;
}

function parseDeclarations(block: string): [string, string][] {
  const out: [string, string][] = [];
  for (const part of block.split(';')) {
    const colon = part.indexOf(':');
    if (colon <= 0) continue;
    const prop = part.slice(0, colon).trim().toLowerCase();
    const value = part.slice(colon + 1).replace(/\s*!important\s*$/i, '').trim().replace(/"/g, "'");
    if (prop && value) out.push([prop, value]);
  }
  return out;
}

function buildStyler(rules: TokenRule[]): CodeTokenStyler {
  const byClassList = new Map<string, string>();
  const styleFor = (classList: string): string => {
    let style = byClassList.get(classList);
    if (style === undefined) {
      const classes = new Set(classList.split(/\s+/));
      const props = new Map<string, string>();
      for (const rule of rules) {
        if (rule.classes.every((c) => classes.has(c))) for (const [prop, value] of rule.declarations) props.set(prop, value);
      }
      style = [...props].map(([prop, value]) => `${prop}: ${value};`).join(' ').replace(/&/g, '&amp;');
      byClassList.set(classList, style);
    }
    return style;
  };
  return (highlighted) =>
    highlighted.replace(/<span class="([^"]*)">/g, (_m, classList: string) => {
      const style = styleFor(classList);
      return style ? `<span style="${style}">` : '<span>';
    });
}
