import { codePaletteCss, LIGHT_CODE } from './code-palettes.js';
import { layoutCss, MONO_STACK, SANS_STACK, SERIF_STACK } from './layout.js';
import type { Palette, Theme } from './theme.js';

const palette: Palette = {
  fontFamily: SANS_STACK,
  monoFamily: MONO_STACK,
  fontSize: 15,
  lineHeight: 1.9,
  letterSpacing: '1px',
  textAlign: 'justify',
  text: '#3f3f3f',
  muted: '#9a8f85',
  accent: '#a0522d',
  accentSoft: '#fbf3ec',
  border: '#e8dfd6',
  quoteBg: '#faf7f2',
  quoteText: '#6b6058',
  inlineCodeBg: '#f7f1ea',
  inlineCodeText: '#a0522d',
  codeBg: '#fbf9f6',
  codeText: '#3f3f3f',
};

const headings = `
h1 { margin: 1.8em 0 1.2em; font-family: ${SERIF_STACK}; font-size: 22px; font-weight: bold; line-height: 1.5; color: #2b2b2b; text-align: center; letter-spacing: 2px; }
h2 { display: table; margin: 2.2em auto 1.2em; padding: 0 0.8em 0.3em; border-bottom: 2px solid ${palette.accent}; font-family: ${SERIF_STACK}; font-size: 18px; font-weight: bold; line-height: 1.5; color: #2b2b2b; text-align: center; letter-spacing: 2px; }
h3 { margin: 1.6em 0 0.8em; padding-bottom: 0.2em; border-bottom: 1px dashed ${palette.border}; font-family: ${SERIF_STACK}; font-size: 16px; font-weight: bold; line-height: 1.5; color: ${palette.accent}; }
h4, h5, h6 { margin: 1.2em 0 0.6em; font-family: ${SERIF_STACK}; font-size: 15px; font-weight: bold; line-height: 1.5; color: #555555; }
blockquote { border-left: 3px solid #d8c3ad; }
strong { color: ${palette.accent}; }
hr { width: 30%; margin: 2.4em auto; border-top: 1px solid #d8c3ad; }
`;

/** Literary and warm: serif headings centred over a fine rule, sienna accent, airy line spacing. */
export const elegantTheme: Theme = {
  name: 'elegant',
  description: 'literary and warm: serif centred headings, sienna accent, airy spacing',
  css: layoutCss(palette) + codePaletteCss(LIGHT_CODE) + headings,
};
