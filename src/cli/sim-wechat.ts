import type { Command } from 'commander';
import { notYetAvailable } from './not-yet.js';

/** Registers `mpgate sim wechat …`. */
export function registerSimWechatCommands(sim: Command): void {
  notYetAvailable(sim.command('wechat').description('run the WeChat platform simulator'), 'issue 3');
}
