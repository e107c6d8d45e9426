/**
 * flask-restx appends "You have requested this URI [...] but did you mean … ?" to every 404 whose path resembles
 * a route; it picks the routes with Python's `difflib.get_close_matches`. This is that algorithm
 * (Ratcliff/Obershelp matching blocks, cutoff 0.6, at most 3), for strings short enough that difflib's
 * auto-junk heuristic (sequences of 200+ items) never applies.
 */

/** `difflib.SequenceMatcher(None, a, b).ratio()`. */
export function sequenceRatio(a: string, b: string): number {
  const total = a.length + b.length;
  if (total === 0) return 1;
  return (2 * matchingCharacters(a, b)) / total;
}

function matchingCharacters(a: string, b: string): number {
  const b2j = new Map<string, number[]>();
  for (let j = 0; j < b.length; j++) {
    const ch = b.charAt(j);
    const list = b2j.get(ch);
    if (list) list.push(j);
    else b2j.set(ch, [j]);
  }
  let matched = 0;
  const queue: Array<[number, number, number, number]> = [[0, a.length, 0, b.length]];
  while (queue.length > 0) {
    const [alo, ahi, blo, bhi] = queue.pop() as [number, number, number, number];
    const [i, j, k] = longestMatch(a, b2j, alo, ahi, blo, bhi);
    if (k === 0) continue;
    matched += k;
    if (alo < i && blo < j) queue.push([alo, i, blo, j]);
    if (i + k < ahi && j + k < bhi) queue.push([i + k, ahi, j + k, bhi]);
  }
  return matched;
}

function longestMatch(a: string, b2j: Map<string, number[]>, alo: number, ahi: number, blo: number, bhi: number): [number, number, number] {
  let besti = alo;
  let bestj = blo;
  let bestsize = 0;
  let j2len = new Map<number, number>();
  for (let i = alo; i < ahi; i++) {
    const next = new Map<number, number>();
    for (const j of b2j.get(a.charAt(i)) ?? []) {
      if (j < blo) continue;
      if (j >= bhi) break;
      const k = (j2len.get(j - 1) ?? 0) + 1;
      next.set(j, k);
      if (k > bestsize) {
        besti = i - k + 1;
        bestj = j - k + 1;
        bestsize = k;
      }
    }
    j2len = next;
  }
  return [besti, bestj, bestsize];
}

/** `difflib.get_close_matches(word, possibilities, n, cutoff)`: best first, ties broken by the larger string. */
export function closeMatches(word: string, possibilities: readonly string[], n = 3, cutoff = 0.6): string[] {
  const scored: Array<[number, string]> = [];
  for (const x of possibilities) {
    const score = sequenceRatio(x, word);
    if (score >= cutoff) scored.push([score, x]);
  }
  scored.sort((p, q) => (q[0] !== p[0] ? q[0] - p[0] : q[1] < p[1] ? -1 : q[1] > p[1] ? 1 : 0));
  return scored.slice(0, n).map(([, x]) => x);
}

/**
 * The flask-restx 404 help text: `message` (its trailing dots trimmed) + ". You have requested this URI [path] but
 * did you mean r1 or r2 ?", or the message unchanged when no route is close. `rules` are Flask rule strings such as
 * `/v1/conversations/<uuid:c_id>`; like flask-restx, the placeholders are removed before comparing.
 */
export function withNotFoundHelp(message: string, path: string, rules: readonly string[]): string {
  const byStripped = new Map<string, string>();
  for (const rule of rules) byStripped.set(rule.replace(/<.*>/, ''), rule);
  const matches = closeMatches(path, [...byStripped.keys()]);
  if (matches.length === 0) return message;
  const prefix = message ? `${message.replace(/\.+$/, '')}. ` : '';
  return `${prefix}You have requested this URI [${path}] but did you mean ${matches.map((m) => byStripped.get(m)).join(' or ')} ?`;
}
