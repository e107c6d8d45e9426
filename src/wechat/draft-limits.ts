/**
 * WeChat's limits on draft articles (reference §7.1), in WeChat's units: characters (字, Unicode code points)
 * or bytes. One table for the publisher, which checks before any request, and the simulator, which enforces them.
 */
export const DRAFT_LIMITS = {
  titleChars: 32,
  authorChars: 16,
  digestChars: 128,
  /** The content must stay under this many characters. */
  contentChars: 20_000,
  /** The content HTML must stay under 1 MB. */
  contentBytes: 1024 * 1024,
  sourceUrlBytes: 1024,
  /** A news draft holds 1..8 articles. */
  articlesPerDraft: 8,
  /** An image post (newspic) holds 1..20 images, the first being the cover. */
  newspicImages: 20,
} as const;
