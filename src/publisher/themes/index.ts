import { defaultTheme } from './default.js';
import { elegantTheme } from './elegant.js';
import { techTheme } from './tech.js';
import type { Theme } from './theme.js';

export type { Theme, Palette } from './theme.js';
export type { CodePalette } from './code-palettes.js';

/** Every built-in theme, by name. */
export const THEMES: ReadonlyMap<string, Theme> = new Map([defaultTheme, elegantTheme, techTheme].map((t) => [t.name, t]));

/** The theme used when neither the caller nor the front matter names one. */
export const DEFAULT_THEME = 'default';

/** Names of the built-in themes, in display order. */
export function themeNames(): string[] {
  return [...THEMES.keys()];
}
