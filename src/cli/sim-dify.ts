import type { Command } from 'commander';
import { notYetAvailable } from './not-yet.js';

/** Registers `mpgate sim dify …`. */
export function registerSimDifyCommands(sim: Command): void {
  notYetAvailable(sim.command('dify').description('run the Dify simulator'), 'issue 4');
}
