/**
 * Keys whose values are follower content (what followers write and what the AI answers). With content
 * logging off, the logger replaces them at any depth by a placeholder that keeps only the length.
 * Compared after lower-casing and dropping `_` and `-`.
 */
export const CONTENT_LOG_KEYS: readonly string[] = ['content', 'text', 'query', 'answer', 'recognition', 'inputs', 'outputs'];

const CONTENT_KEYS = new Set(CONTENT_LOG_KEYS);
const PLACEHOLDER_PREFIX = '[content hidden';

/** Whether a property with this name carries follower content (see CONTENT_LOG_KEYS). */
export function isContentKey(key: string): boolean {
  return CONTENT_KEYS.has(key.toLowerCase().replace(/[-_]/g, ''));
}

/** The placeholder logged instead of a follower's text: its length in characters, never the text. */
export function hiddenContent(text: string): string {
  return `${PLACEHOLDER_PREFIX}, ${[...text].length} chars]`;
}

/** Whether a string is already a placeholder made by hiddenContent (so it is not hidden twice). */
export function isHiddenContent(text: string): boolean {
  return text.startsWith(PLACEHOLDER_PREFIX);
}

/**
 * What a log line may show of a follower's message or an AI answer: the text itself only when the
 * operator turned content logging on (`logging.content: true`), otherwise `[content hidden, N chars]`.
 */
export function logContent(text: string, logging: { readonly content: boolean }): string {
  return logging.content ? text : hiddenContent(text);
}
