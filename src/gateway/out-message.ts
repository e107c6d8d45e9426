/**
 * A message mpgate sends to a follower, independent of how it travels: as a passive reply (XML) or a 客服
 * push (JSON). The gateway prepares answers as a list of these; the first may go passively, the rest are pushed.
 */
export type OutMessage =
  | { type: 'text'; text: string }
  | { type: 'image'; mediaId: string }
  | { type: 'voice'; mediaId: string }
  | { type: 'video'; mediaId: string; title?: string; description?: string; thumbMediaId?: string }
  | { type: 'news'; article: { title: string; description?: string; url: string; picUrl?: string } };
