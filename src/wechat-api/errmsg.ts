/**
 * WeChat appends request ids to errmsg in several spellings (` rid: 65d56251-31349bbf-5f45a190`,
 * ` hint: [xxxx]`, ` hint: [xxxx] rid: …`). They vary per call, so errmsg is never compared; we only split
 * them off so the message reads cleanly and the id stays available for `openapi/rid/get`.
 */

const RID_SUFFIX = /\s*\brid:\s*([\w-]+)\s*$/i;
const HINT_SUFFIX = /\s*\bhint:\s*\[([^\]]*)\]\s*$/i;

/** Split WeChat's ` rid: …` / ` hint: [...]` suffixes off an errmsg; an old-style hint stands in for a missing rid. */
export function parseErrmsg(raw: string): { errmsg: string; rid: string | undefined } {
  let text = raw;
  let rid: string | undefined;
  let hint: string | undefined;
  for (;;) {
    const ridMatch = RID_SUFFIX.exec(text);
    if (ridMatch) {
      rid ??= ridMatch[1];
      text = text.slice(0, ridMatch.index);
      continue;
    }
    const hintMatch = HINT_SUFFIX.exec(text);
    if (hintMatch) {
      hint ??= hintMatch[1];
      text = text.slice(0, hintMatch.index);
      continue;
    }
    break;
  }
  return { errmsg: text.trim(), rid: rid ?? (hint ? hint : undefined) };
}
