import { shapeAnswer } from './answer-text.js';
import type { OutMessage } from './out-message.js';
import { splitUtf8 } from './split-text.js';

/** WeChat's limit for one text message, passive or 客服, in UTF-8 bytes. */
export const TEXT_LIMIT = 2048;

/** Splits plain text (already shaped) into text messages of at most 2048 UTF-8 bytes; none for blank text. */
export function textParts(text: string): OutMessage[] {
  if (!text.trim()) return [];
  return splitUtf8(text, TEXT_LIMIT).map((part) => ({ type: 'text', text: part }));
}

/**
 * Turns an AI answer into the messages a follower receives: Markdown to text, `<think>` removed, split into
 * parts of at most 2048 UTF-8 bytes.
 */
export function answerParts(answer: string): OutMessage[] {
  return textParts(shapeAnswer(answer).text);
}
