import { test } from 'node:test';
import assert from 'node:assert/strict';
import { answerParts } from '../gateway/answer-parts.js';
import { ruleMatches } from '../sim/dify/answer-plan.js';
import { DEMO_PROMPTS, LONG_ANSWER, demoScript } from './demo-answers.js';
import { DEMO_MENU, menuClickActions } from './demo-menu.js';

const picture = Buffer.from('png');

/** The rule of the demo script that answers a question (the simulator uses the first match). */
function ruleFor(query: string, fails = false) {
  return demoScript({ latencyMs: 1234, fails, picture }).find((r) => ruleMatches(r.match, query));
}

test('the long answer becomes three WeChat messages of at most 2048 bytes, with the Markdown flattened', () => {
  const parts = answerParts(LONG_ANSWER);
  assert.equal(parts.length, 3);
  for (const p of parts) {
    assert.equal(p.type, 'text');
    const text = p.type === 'text' ? p.text : '';
    assert.ok(Buffer.byteLength(text) <= 2048, `${Buffer.byteLength(text)} bytes`);
    assert.doesNotMatch(text, /^#|\*\*|```|\]\(/m, 'no Markdown syntax reaches the follower');
  }
});

test('each prompt gets its scripted answer, anything else is echoed, and every rule has the chosen latency', () => {
  assert.equal(ruleFor(DEMO_PROMPTS.long)?.answer, LONG_ANSWER);
  assert.deepEqual(ruleFor(DEMO_PROMPTS.picture)?.files?.map((f) => [f.type, f.mimeType, f.data]), [['image', 'image/png', picture]]);
  assert.ok(ruleFor(`${DEMO_PROMPTS.think}：为什么？`)?.think);
  assert.match(String(ruleFor(DEMO_PROMPTS.hello)?.answer), /^你好！/);
  assert.match(String(ruleFor('[图片]')?.answer), /收到你的图片/, 'a follower’s picture is not answered with the demo picture');
  const echo = ruleFor('明天天气怎么样');
  assert.equal(typeof echo?.answer, 'function');
  const answer = echo?.answer as (ctx: { query: string }) => string;
  assert.match(answer({ query: '明天天气怎么样' }), /「明天天气怎么样」/);
  assert.ok(demoScript({ latencyMs: 1234, fails: false, picture }).every((r) => r.latencyMs === 1234));
});

test('with Dify failing, every question gets HTTP 500', () => {
  const rules = demoScript({ latencyMs: 5, fails: true, picture });
  assert.deepEqual(rules.map((r) => [r.match, r.fail]), [[undefined, '5xx']]);
});

test('the menu fits WeChat’s limits and every click item is configured for the gateway', () => {
  assert.ok(DEMO_MENU.length <= 3);
  const actions = menuClickActions();
  for (const b of DEMO_MENU) {
    assert.ok(Buffer.byteLength(b.name) <= 16, `${b.name} fits a top-level button`);
    const items = 'sub' in b ? b.sub : [b];
    assert.ok(items.length <= 5);
    for (const i of items) assert.deepEqual(actions[i.key], i.action);
  }
  assert.deepEqual(actions.ASK_LONG, { action: 'ask', query: DEMO_PROMPTS.long });
});
