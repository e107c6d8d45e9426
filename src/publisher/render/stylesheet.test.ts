import { test } from 'node:test';
import assert from 'node:assert/strict';
import { prepareStylesheet } from './stylesheet.js';

const CSS = `
p { color: #111; }
/* comment */
.hljs-keyword, .hljs-built_in { color: red; font-weight: bold; }
.hljs-title { color: blue; }
.hljs-title.function_ { color: green !important; }
.hljs-keyword { color: purple; }
pre .hljs-string, .hljs-string { color: orange; }
`;

test('code-token rules are taken out of the document CSS; mixed rules stay', () => {
  const sheet = prepareStylesheet(CSS);
  assert.match(sheet.documentCss, /p \{ color: #111; \}/);
  assert.ok(!/\.hljs-keyword|\.hljs-title/.test(sheet.documentCss));
  assert.match(sheet.documentCss, /pre \.hljs-string, \.hljs-string/, 'a rule with any other selector is left to juice');
  assert.equal(prepareStylesheet(CSS), sheet, 'prepared once per stylesheet');
});

test('token spans get the cascade: later rules win, compound selectors beat single classes', () => {
  const { styleCodeTokens } = prepareStylesheet(CSS);
  assert.equal(styleCodeTokens('<span class="hljs-keyword">if</span>'), '<span style="color: purple; font-weight: bold;">if</span>');
  assert.equal(styleCodeTokens('<span class="hljs-built_in">len</span>'), '<span style="color: red; font-weight: bold;">len</span>');
  assert.equal(styleCodeTokens('<span class="hljs-title function_">f</span>'), '<span style="color: green;">f</span>');
  assert.equal(styleCodeTokens('<span class="hljs-title class_">C</span>'), '<span style="color: blue;">C</span>');
  assert.equal(styleCodeTokens('<span class="hljs-params">x</span>'), '<span>x</span>', 'an unstyled token keeps its span, without class');
});
