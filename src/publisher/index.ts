/** The publisher: Markdown → WeChat article HTML (materials, drafts and publishing come with issue 9's later parts). */
export * from './render/index.js';
export { THEMES, DEFAULT_THEME, themeNames, type Theme, type Palette, type CodePalette } from './themes/index.js';
export * from './publish/index.js';
