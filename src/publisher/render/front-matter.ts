import { isMap, isScalar, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { FrontMatterError } from './errors.js';

/** Who may comment on the published article (draft fields `need_open_comment` / `only_fans_can_comment`). */
export type CommentsSetting = 'off' | 'all' | 'fans';

/**
 * The article metadata read from the YAML front matter. Known keys are normalised and type-checked;
 * any other key is passed through unchanged.
 */
export interface ArticleFrontMatter {
  title?: string;
  author?: string;
  digest?: string;
  /** Cover image path or URL (uploaded as the thumb material by the publisher). */
  cover?: string;
  /** "阅读原文" link (`content_source_url`); `content_source_url` is accepted as an alias. */
  source_url?: string;
  /** `true`/`false`, or `all` / `fans` / `off`; normalised to `all` / `fans` / `off`. */
  comments?: CommentsSetting;
  theme?: string;
  /** Shown by the preview only. */
  date?: string;
  [key: string]: unknown;
}

/** The front matter, the Markdown after it, and the 1-based file line the Markdown starts on. */
export interface SplitArticle {
  frontMatter: ArticleFrontMatter;
  body: string;
  bodyStartLine: number;
}

const OPEN = /^\uFEFF?---[ \t]*\r?\n/;
const CLOSE = /^(?:---|\.\.\.)[ \t]*$/m;
const TEXT_FIELDS = ['title', 'author', 'digest', 'cover', 'source_url', 'theme', 'date'] as const;

/** Splits `---` YAML front matter off a Markdown file and validates its known fields. */
export function splitFrontMatter(source: string): SplitArticle {
  const open = OPEN.exec(source);
  if (!open) return { frontMatter: {}, body: source.replace(/^\uFEFF/, ''), bodyStartLine: 1 };
  const rest = source.slice(open[0].length);
  const close = CLOSE.exec(rest);
  if (!close) throw new FrontMatterError({ message: 'starts with "---" on line 1 but has no closing "---" line', line: 1 });
  const yamlText = rest.slice(0, close.index);
  const afterClose = rest.slice(close.index + close[0].length).replace(/^\r?\n/, '');
  const yamlLines = yamlText.split('\n').length - 1;
  // line 1 is the opening ---, the YAML follows, then the closing --- line
  const bodyStartLine = 1 + yamlLines + 2;
  return { frontMatter: parseFrontMatterYaml(yamlText), body: afterClose, bodyStartLine };
}

function parseFrontMatterYaml(yamlText: string): ArticleFrontMatter {
  const lineCounter = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter, prettyErrors: true, uniqueKeys: true });
  const firstError = doc.errors[0];
  if (firstError) {
    const pos = firstError.linePos?.[0];
    throw new FrontMatterError({
      message: (firstError.message.split('\n')[0] ?? 'invalid YAML').replace(/ at line \d+, column \d+:?$/, ''),
      ...(pos ? { line: pos.line + 1, column: pos.col } : {}),
      cause: firstError,
    });
  }
  if (doc.contents === null) return {};
  if (!isMap(doc.contents)) {
    throw new FrontMatterError({ message: 'must be a mapping of keys to values (e.g. "title: My article")', line: 2 });
  }
  const lineOf = (node: YamlNode | null | undefined): number | undefined =>
    node?.range ? lineCounter.linePos(node.range[0]).line + 1 : undefined;
  const keyLines = new Map<string, number | undefined>();
  for (const pair of doc.contents.items) {
    if (isScalar(pair.key)) keyLines.set(String(pair.key.value), lineOf(pair.key));
  }
  const raw = doc.toJS() as Record<string, unknown>;
  const fail = (field: string, message: string): never => {
    const line = keyLines.get(field);
    throw new FrontMatterError({ message: `"${field}" ${message}`, field, ...(line === undefined ? {} : { line }) });
  };

  const out: ArticleFrontMatter = {};
  for (const [key, value] of Object.entries(raw)) {
    if (key === 'content_source_url' && raw.source_url === undefined) out.source_url = textField(key, value, fail);
    else if (key !== 'content_source_url' && key !== 'comments' && !isTextField(key)) out[key] = value;
  }
  for (const field of TEXT_FIELDS) {
    if (raw[field] !== undefined && raw[field] !== null) out[field] = textField(field, raw[field], fail);
  }
  if (raw.comments !== undefined && raw.comments !== null) out.comments = commentsField(raw.comments, fail);
  return out;
}

function isTextField(key: string): boolean {
  return (TEXT_FIELDS as readonly string[]).includes(key);
}

function textField(field: string, value: unknown, fail: (field: string, message: string) => never): string {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return fail(field, `must be text, not ${Array.isArray(value) ? 'a list' : typeof value}`);
}

function commentsField(value: unknown, fail: (field: string, message: string) => never): CommentsSetting {
  if (value === true) return 'all';
  if (value === false) return 'off';
  if (typeof value === 'string') {
    const v = value.trim().toLowerCase();
    if (v === 'all' || v === 'true' || v === 'on' || v === 'open') return 'all';
    if (v === 'fans' || v === 'fans-only' || v === 'followers') return 'fans';
    if (v === 'off' || v === 'false' || v === 'none' || v === 'closed') return 'off';
  }
  return fail('comments', `must be true, false, "all", "fans" or "off" (got ${JSON.stringify(value)})`);
}
