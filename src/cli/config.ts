import type { Command } from 'commander';
import { notYetAvailable } from './not-yet.js';

/** Registers `mpgate config …`. */
export function registerConfigCommands(program: Command): void {
  notYetAvailable(program.command('config').description('check a configuration file (config check [--config F])'), 'issue 2');
}
