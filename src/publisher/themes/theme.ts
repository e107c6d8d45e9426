/** A named article style: plain CSS that the renderer inlines into every element (WeChat keeps no stylesheet). */
export interface Theme {
  /** The name used by `--theme` and the `theme:` front-matter key. */
  readonly name: string;
  /** One line for `--help` and error messages. */
  readonly description: string;
  /** The complete stylesheet, written against the renderer's class hooks (see docs/publisher.md). */
  readonly css: string;
}

/** The colours and type scale a theme fills into the shared layout (`layoutCss`). */
export interface Palette {
  readonly fontFamily: string;
  readonly monoFamily: string;
  /** Body text size in px; WeChat's own editor defaults to 15–17 px for Chinese text. */
  readonly fontSize: number;
  readonly lineHeight: number;
  /** Letter spacing of prose; Chinese text reads better slightly spaced. */
  readonly letterSpacing: string;
  /** `justify` suits pure Chinese prose; mixed Chinese/English reads better `left` (no stretched gaps). */
  readonly textAlign: 'left' | 'justify';
  readonly text: string;
  readonly muted: string;
  readonly accent: string;
  /** A light tint of the accent for table headers and highlights. */
  readonly accentSoft: string;
  readonly border: string;
  readonly quoteBg: string;
  readonly quoteText: string;
  readonly inlineCodeBg: string;
  readonly inlineCodeText: string;
  readonly codeBg: string;
  readonly codeText: string;
}
