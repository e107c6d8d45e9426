import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DeclaredInput } from './app-features.js';
import { fitInputs } from './app-inputs.js';

const input = (variable: string, over: Partial<DeclaredInput> = {}): DeclaredInput => ({
  variable,
  type: 'text-input',
  required: false,
  maxLength: undefined,
  options: undefined,
  default: undefined,
  ...over,
});

test('only declared variables are sent; text is cut to max_length in characters, not bytes or UTF-16 units', () => {
  const fitted = fitInputs([input('name', { maxLength: 3 }), input('note', { type: 'paragraph' })], { name: '😀中文字', note: '很长的说明', extra: 'x' });
  assert.deepEqual(fitted.inputs, { name: '😀中文', note: '很长的说明' });
  assert.deepEqual(fitted.truncated, ['name']);
  assert.deepEqual(fitted.refused, []);
});

test('a value of exactly max_length passes uncut (Dify refuses len > max_length)', () => {
  const fitted = fitInputs([input('code', { maxLength: 4 })], { code: 'abcd' });
  assert.deepEqual(fitted.inputs, { code: 'abcd' });
  assert.deepEqual(fitted.truncated, []);
});

test('select takes only its options, number only numbers, checkbox only booleans', () => {
  const declared = [
    input('kind', { type: 'select', options: ['text', 'image'] }),
    input('other', { type: 'select', options: ['a'] }),
    input('lat', { type: 'number' }),
    input('bad', { type: 'number' }),
    input('flag', { type: 'checkbox' }),
    input('doc', { type: 'file' }),
  ];
  const fitted = fitInputs(declared, { kind: 'image', other: 'b', lat: '23.13', bad: 'north', flag: 'yes', doc: 'x' });
  assert.deepEqual(fitted.inputs, { kind: 'image', lat: 23.13, flag: true });
  assert.deepEqual(fitted.refused, ['other', 'bad', 'doc']);
});

test('a required variable without a value gets its default, else an empty text, the first option, or false', () => {
  const declared = [
    input('city', { required: true, default: '北京' }),
    input('lang', { required: true }),
    input('tier', { type: 'select', required: true, options: ['free', 'pro'] }),
    input('tier2', { type: 'select', required: true, options: ['free', 'pro'], default: 'pro' }),
    input('ok', { type: 'checkbox', required: true }),
    input('count', { type: 'number', required: true }),
    input('optional'),
  ];
  const fitted = fitInputs(declared, {});
  assert.deepEqual(fitted.inputs, { city: '北京', lang: '', tier: 'free', tier2: 'pro', ok: false });
  assert.deepEqual(fitted.filled, ['city', 'lang', 'tier', 'tier2', 'ok']);
});

test('a refused value of a required variable falls back like a missing one', () => {
  const fitted = fitInputs([input('tier', { type: 'select', required: true, options: ['free'] })], { tier: 'gold' });
  assert.deepEqual(fitted.inputs, { tier: 'free' });
  assert.deepEqual(fitted.refused, ['tier']);
  assert.deepEqual(fitted.filled, ['tier']);
});
