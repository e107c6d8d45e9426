import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Script } from 'node:vm';
import { DEMO_PAGE_CSS, PHONE_WIDTH } from './page-css.js';
import { demoPageHtml } from './page-html.js';
import { DEMO_PAGE_SCRIPT } from './page-script.js';

test('the page script is valid JavaScript (it is served as a string, so nothing else would parse it)', () => {
  assert.doesNotThrow(() => new Script(DEMO_PAGE_SCRIPT, { filename: 'chat.js' }));
  const innerHtml = DEMO_PAGE_SCRIPT.split('\n').filter((line) => line.includes('innerHTML'));
  assert.deepEqual(innerHtml.map((l) => l.trim()), ["node.innerHTML = kind === 'account' ? AVATAR_ACCOUNT : AVATAR_ME;"], 'innerHTML only for the built-in avatars');
});

test('every element the script looks up by id exists in the page', () => {
  const html = demoPageHtml('x');
  const ids = [...DEMO_PAGE_SCRIPT.matchAll(/\$\('([\w-]+)'\)/g)].map((m) => m[1]);
  assert.ok(ids.length > 20);
  const missing = [...new Set(ids)].filter((id) => !html.includes(`id="${id}"`));
  assert.deepEqual(missing, []);
});

test('the page loads only local assets (no CDN) and escapes the account name', () => {
  const html = demoPageHtml('<b>"A&B"</b>');
  assert.match(html, /&lt;b&gt;&quot;A&amp;B&quot;&lt;\/b&gt;/);
  assert.doesNotMatch(html, /<b>"A&B"<\/b>/);
  const external = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]).filter((u) => !u!.startsWith('/demo/') && !u!.startsWith('data:'));
  assert.deepEqual(external, []);
  assert.doesNotMatch(DEMO_PAGE_CSS, /@import|url\(http/);
  assert.match(DEMO_PAGE_CSS, new RegExp(`width: ${PHONE_WIDTH}px`));
});
