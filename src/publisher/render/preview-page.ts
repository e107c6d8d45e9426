import { escapeHtml } from './escape-html.js';
import type { RenderedArticle } from './render-article.js';

/** What the preview page shows around the article. */
export interface PreviewPageOptions {
  /** Shown where WeChat shows the account name. */
  accountName?: string;
  /** Shown as the publish date; default the front matter's `date`, else today. */
  date?: string;
  /** When set, the page polls `/__version` and reloads itself when the answer differs from this. */
  reloadVersion?: string;
}

/** The width of the phone frame: a 375 px wide phone (iPhone 6–8/SE/mini), WeChat's usual design width. */
export const PHONE_WIDTH = 375;

const PAGE_CSS = `
html, body { margin: 0; padding: 0; background: #ededed; }
body { font-family: -apple-system, BlinkMacSystemFont, "Helvetica Neue", "PingFang SC", "Microsoft YaHei", sans-serif; }
.mp-bar { width: ${PHONE_WIDTH}px; margin: 16px auto 8px; display: flex; justify-content: space-between; font-size: 12px; color: #888; }
.mp-phone { width: ${PHONE_WIDTH}px; margin: 0 auto 24px; background: #fff; border-radius: 20px; overflow: hidden; box-shadow: 0 6px 28px rgba(0,0,0,.14); }
.mp-nav { height: 44px; display: flex; align-items: center; justify-content: center; background: #f7f7f7; border-bottom: 1px solid #e5e5e5; font-size: 16px; font-weight: 500; color: #191919; }
.mp-page { padding: 20px 16px 40px; }
.mp-title { margin: 0 0 14px; font-size: 22px; line-height: 1.4; font-weight: 500; color: rgba(0,0,0,.9); letter-spacing: .5px; word-wrap: break-word; }
.mp-meta { margin: 0 0 22px; font-size: 15px; line-height: 20px; color: rgba(0,0,0,.3); }
.mp-meta span { margin-right: 8px; }
.mp-account { color: #576b95; }
.mp-notes { width: ${PHONE_WIDTH}px; margin: 0 auto 32px; padding: 10px 14px; box-sizing: border-box; border-radius: 8px; background: #fff8e1; color: #7a5b00; font-size: 13px; line-height: 1.6; }
.mp-notes ul { margin: 4px 0 0; padding-left: 18px; }
.mp-error { width: ${PHONE_WIDTH}px; margin: 40px auto; padding: 16px; box-sizing: border-box; border-radius: 8px; background: #fff0f0; color: #a61b1b; font-size: 14px; line-height: 1.6; white-space: pre-wrap; }
`;

/** A standalone page showing the article the way a phone shows it in WeChat: title, author, account, date. */
export function previewPage(article: RenderedArticle, options: PreviewPageOptions = {}): string {
  const fm = article.frontMatter;
  const title = fm.title ?? '(untitled)';
  const date = options.date ?? fm.date ?? new Date().toISOString().slice(0, 10);
  const notes = article.warnings.length
    ? `<section class="mp-notes" id="mp-warnings"><strong>${article.warnings.length} warning(s)</strong><ul>${article.warnings
        .map((w) => `<li>${escapeHtml(w.message)}</li>`)
        .join('')}</ul></section>`
    : '';
  const summary = `${article.images.length} image(s) · ${article.links.filter((l) => l.kind === 'reference').length} reference(s)`;
  const body = `
<div class="mp-bar"><span>theme: ${escapeHtml(article.theme)}</span><span>${summary}</span></div>
<div class="mp-phone" id="mp-phone">
  <div class="mp-nav">${escapeHtml(options.accountName ?? '公众号')}</div>
  <div class="mp-page">
    <h1 class="mp-title" id="mp-title">${escapeHtml(title)}</h1>
    <div class="mp-meta">${fm.author ? `<span class="mp-author">${escapeHtml(fm.author)}</span>` : ''}<span class="mp-account">${escapeHtml(
      options.accountName ?? 'mpgate preview',
    )}</span><span class="mp-date">${escapeHtml(date)}</span></div>
    <div id="mp-content">${article.html}</div>
  </div>
</div>
${notes}`;
  return shell(title, body, options.reloadVersion);
}

/** The page shown instead of the article while it cannot be rendered (it keeps polling, so fixing the file recovers). */
export function previewErrorPage(message: string, reloadVersion?: string): string {
  return shell('render error', `<div class="mp-error" id="mp-error">${escapeHtml(message)}</div>`, reloadVersion);
}

function shell(title: string, body: string, reloadVersion: string | undefined): string {
  const reload =
    reloadVersion === undefined
      ? ''
      : `<script>
const shown = ${JSON.stringify(reloadVersion)};
setInterval(async () => {
  try { const r = await fetch('/__version'); const { version } = await r.json(); if (version !== shown) location.reload(); } catch {}
}, 1000);
</script>`;
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · mpgate preview</title>
<style>${PAGE_CSS}</style>
</head>
<body>${body}
${reload}
</body>
</html>
`;
}
