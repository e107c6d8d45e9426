import type { ConfigProblem } from './config-error.js';
import { formatKeyPath } from './key-path.js';

/**
 * Orders problems as their keys appear in the input (top to bottom of the YAML file), whatever order
 * the checks ran in. A problem about a missing key sorts with its nearest present parent; ties keep
 * their order.
 */
export function sortByDocumentOrder(problems: readonly ConfigProblem[], input: unknown): ConfigProblem[] {
  const position = new Map<string, number>();
  const visit = (value: unknown, path: PropertyKey[]) => {
    position.set(formatKeyPath(path), position.size);
    if (Array.isArray(value)) value.forEach((item, i) => visit(item, [...path, i]));
    else if (typeof value === 'object' && value !== null) for (const [key, item] of Object.entries(value)) visit(item, [...path, key]);
  };
  visit(input, []);
  const rank = (path: string): number => {
    for (let p = path; ; p = parentOf(p)) {
      const found = position.get(p);
      if (found !== undefined) return found;
      if (p === '') return 0;
    }
  };
  return problems
    .map((problem, index) => ({ problem, index, rank: rank(problem.path) }))
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map((entry) => entry.problem);
}

/** `accounts[0].ai.apiKey` → `accounts[0].ai` → `accounts[0]` → `accounts` → ``. */
function parentOf(path: string): string {
  const cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
  return cut <= 0 ? '' : path.slice(0, cut);
}
