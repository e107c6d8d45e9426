import { parseDocument } from 'yaml';
import type { ConfigProblem } from './config-error.js';

/** The outcome of parseConfigYaml: the data when the text is valid YAML, else its syntax problems. */
export type YamlParseResult = { ok: true; data: unknown } | { ok: false; problems: ConfigProblem[] };

const NUMBER_TAGS = new Set(['tag:yaml.org,2002:int', 'tag:yaml.org,2002:float']);

/**
 * Parses mpgate.yaml text. Numbers stay text (a Token `0123` or an all-digit secret keeps its exact
 * form; the schema converts numeric fields), `true`/`false`/`null` are resolved, and keys given an
 * empty or null value are dropped, as if absent. Syntax problems carry line and column, one per line.
 */
export function parseConfigYaml(text: string): YamlParseResult {
  const doc = parseDocument(text, {
    schema: 'core',
    customTags: (tags) => tags.filter((tag) => typeof tag === 'string' || !NUMBER_TAGS.has(tag.tag)),
    prettyErrors: true,
    uniqueKeys: true,
  });
  if (doc.errors.length > 0) {
    const lines = text.split(/\r?\n/);
    const problems: ConfigProblem[] = [];
    const seenLines = new Set<number>();
    for (const error of doc.errors) {
      const position = error.linePos?.[0];
      const line = position?.line ?? 1;
      // One problem per line: the parser often reports a cascade of follow-on errors for one mistake.
      if (seenLines.has(line)) continue;
      seenLines.add(line);
      problems.push({ path: '', line, column: position?.col ?? 1, message: describeYamlError(error.message, lines[line - 1] ?? '') });
    }
    return { ok: false, problems };
  }
  return { ok: true, data: dropNulls(doc.toJS()) };
}

function describeYamlError(message: string, sourceLine: string): string {
  // First line only, without the position (printed separately), the code frame or any quoted source
  // text: the offending line may hold a secret.
  let text = (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '').replace(/:\s*".*"$/, '');
  if (/\{[^}]*\$\{/.test(sourceLine)) text += ' (inside { … }, quote values that use ${…}: apiKey: "${DIFY_API_KEY}")';
  return text;
}

function dropNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropNulls);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, item]) => item !== null && item !== undefined)
        .map(([key, item]) => [key, dropNulls(item)]),
    );
  }
  return value;
}
