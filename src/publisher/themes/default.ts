import { codePaletteCss, LIGHT_CODE } from './code-palettes.js';
import { layoutCss, MONO_STACK, SANS_STACK } from './layout.js';
import type { Palette, Theme } from './theme.js';

const palette: Palette = {
  fontFamily: SANS_STACK,
  monoFamily: MONO_STACK,
  fontSize: 16,
  lineHeight: 1.75,
  letterSpacing: '0.5px',
  textAlign: 'left',
  text: '#333333',
  muted: '#8c8c8c',
  accent: '#1e6bb8',
  accentSoft: '#eef4fb',
  border: '#e3e6ea',
  quoteBg: '#f6f8fa',
  quoteText: '#5c6670',
  inlineCodeBg: '#f2f4f7',
  inlineCodeText: '#c7254e',
  codeBg: '#f6f8fa',
  codeText: '#24292f',
};

const headings = `
h1 { margin: 1.6em 0 1em; font-size: 22px; font-weight: bold; line-height: 1.4; color: #222222; text-align: center; letter-spacing: 1px; }
h2 { margin: 1.8em 0 1em; padding-left: 10px; border-left: 4px solid ${palette.accent}; font-size: 19px; font-weight: bold; line-height: 1.4; color: #222222; }
h3 { margin: 1.5em 0 0.8em; font-size: 17px; font-weight: bold; line-height: 1.5; color: ${palette.accent}; }
h4, h5, h6 { margin: 1.2em 0 0.6em; font-size: 16px; font-weight: bold; line-height: 1.5; color: #444444; }
strong { color: #222222; }
`;

/** Clean and neutral: dark grey text, one blue accent, light code blocks. */
export const defaultTheme: Theme = {
  name: 'default',
  description: 'clean and neutral: blue accent, left-ruled section headings, light code blocks',
  css: layoutCss(palette) + codePaletteCss(LIGHT_CODE) + headings,
};
