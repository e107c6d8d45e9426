import type { CheerioAPI } from 'cheerio';
import type { Element } from 'domhandler';
import { decodeBasicEntities, elementsIn } from './dom.js';
import { escapeHtml } from './escape-html.js';
import type { RenderWarning } from './render-env.js';

/** A link of the article and what became of it. */
export interface ArticleLink {
  href: string;
  /** The link text (without markup). */
  text: string;
  /**
   * `mp`: a mp.weixin.qq.com link, kept clickable; `reference`: shown as text plus `[n]`, URL listed at the end;
   * `plain`: shown as text only (the text already is the URL, or a mailto:/tel: link); `dropped`: an in-page
   * anchor or relative link, which cannot work in a WeChat article, shown as text.
   */
  kind: 'mp' | 'reference' | 'plain' | 'dropped';
  /** The `[n]` number, for `reference` links (the same URL keeps one number). */
  reference?: number;
}

const MP_HOST = 'mp.weixin.qq.com';
const CJK_END = /[\u2e80-\u9fff\uf900-\ufaff]$/;

/**
 * Keeps only mp.weixin.qq.com links clickable (WeChat refuses other hosts, and warns about any other
 * `href`, in-page anchors included); every other web link becomes its text plus a numbered reference, and
 * the URLs are listed under `title` at the end of `root`.
 */
export function linksToReferences($: CheerioAPI, root: Element, title: string, warnings: RenderWarning[]): ArticleLink[] {
  const links: ArticleLink[] = [];
  const numbers = new Map<string, { n: number; text: string }>();
  for (const a of elementsIn(root, 'a')) {
    const rawHref = a.attribs.href;
    const $a = $(a);
    const text = decodeBasicEntities($a.text()).trim();
    if (rawHref === undefined || rawHref.trim() === '') {
      $a.replaceWith($a.contents());
      continue;
    }
    const href = decodeBasicEntities(rawHref.trim());
    const url = parseAbsolute(href);
    if (url && (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname === MP_HOST) {
      a.attribs = { href: rawHref.trim() };
      links.push({ href, text, kind: 'mp' });
    } else if (url && (url.protocol === 'https:' || url.protocol === 'http:')) {
      if (sameAsUrl(text, href)) {
        $a.replaceWith($a.contents());
        links.push({ href, text, kind: 'plain' });
        continue;
      }
      let entry = numbers.get(href);
      if (!entry) {
        entry = { n: numbers.size + 1, text };
        numbers.set(href, entry);
      }
      $a.replaceWith(`<span class="link">${$a.html() ?? ''}</span><sup class="link-ref">[${entry.n}]</sup>`);
      links.push({ href, text, kind: 'reference', reference: entry.n });
    } else if (url) {
      $a.replaceWith($a.contents());
      links.push({ href, text, kind: 'plain' });
    } else {
      $a.replaceWith($a.contents());
      links.push({ href, text, kind: 'dropped' });
      if (!href.startsWith('#')) {
        warnings.push({ code: 'link-unsupported', message: `link "${href}" is not a web address; WeChat cannot open it, so it is shown as text` });
      }
    }
  }
  if (numbers.size > 0) {
    const items = [...numbers].map(([href, { n, text }]) => {
      const label = text && !sameAsUrl(text, href) ? `${escapeHtml(text)}${CJK_END.test(text) ? '：' : ': '}` : '';
      return `<p class="reference-item"><span class="reference-num">[${n}]</span>${label}<span class="reference-url">${escapeHtml(href)}</span></p>`;
    });
    $(root).append(`<section class="references"><p class="references-title">${escapeHtml(title)}</p>${items.join('')}</section>`);
  }
  return links;
}

function parseAbsolute(href: string): URL | undefined {
  if (!/^[a-z][a-z0-9+.-]*:/i.test(href)) return undefined;
  try {
    return new URL(href);
  } catch {
    return undefined;
  }
}

/** True when the link text already shows the URL (a bare or autolinked URL), so a reference would repeat it. */
function sameAsUrl(text: string, href: string): boolean {
  const strip = (s: string): string => s.replace(/^https?:\/\//i, '').replace(/\/$/, '').toLowerCase();
  return strip(text) === strip(href) || strip(text) === strip(safeDecodeUri(href));
}

function safeDecodeUri(href: string): string {
  try {
    return decodeURI(href);
  } catch {
    return href;
  }
}
