import { codePaletteCss, DARK_CODE } from './code-palettes.js';
import { layoutCss, MONO_STACK, SANS_STACK } from './layout.js';
import type { Palette, Theme } from './theme.js';

const palette: Palette = {
  fontFamily: SANS_STACK,
  monoFamily: MONO_STACK,
  fontSize: 15,
  lineHeight: 1.75,
  letterSpacing: '0.3px',
  textAlign: 'left',
  text: '#24292f',
  muted: '#6e7781',
  accent: '#2563eb',
  accentSoft: '#eff4ff',
  border: '#d8dee4',
  quoteBg: '#f6f8fa',
  quoteText: '#57606a',
  inlineCodeBg: '#eff1f3',
  inlineCodeText: '#d6336c',
  codeBg: '#0d1117',
  codeText: '#e6edf3',
};

const headings = `
h1 { margin: 1.6em 0 1em; padding-bottom: 0.3em; border-bottom: 2px solid ${palette.accent}; font-size: 22px; font-weight: bold; line-height: 1.4; color: #111827; }
h2 { display: table; margin: 1.8em 0 1em; padding: 2px 12px; border-radius: 4px; background: ${palette.accent}; font-size: 17px; font-weight: bold; line-height: 1.6; color: #ffffff; }
h3 { margin: 1.5em 0 0.8em; padding-left: 8px; border-left: 3px solid ${palette.accent}; font-size: 16px; font-weight: bold; line-height: 1.5; color: #111827; }
h4, h5, h6 { margin: 1.2em 0 0.6em; font-size: 15px; font-weight: bold; line-height: 1.5; color: #374151; }
.code-block { border-radius: 8px; }
th { color: #1e3a8a; }
`;

/** For technical writing: blue accent, badge headings, dark code blocks. */
export const techTheme: Theme = {
  name: 'tech',
  description: 'for technical writing: blue badge headings, dark code blocks',
  css: layoutCss(palette) + codePaletteCss(DARK_CODE) + headings,
};
