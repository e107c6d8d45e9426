#!/usr/bin/env node
// Copies the non-TypeScript files the code reads at run time (fixtures, page assets) from src/ to dist/,
// so the built package works without src/.
import { cpSync, existsSync } from 'node:fs';

const assets = ['sim/dify/fixtures'];
for (const dir of assets) {
  if (existsSync(`src/${dir}`)) cpSync(`src/${dir}`, `dist/${dir}`, { recursive: true });
}
