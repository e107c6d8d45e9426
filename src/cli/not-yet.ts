import type { Command } from 'commander';

/** Marks a command group whose implementation has not landed yet: it is listed, and says so when run. */
export function notYetAvailable(cmd: Command, issue: string): Command {
  return cmd.allowUnknownOption().allowExcessArguments().action(() => {
    console.error(`mpgate ${cmd.name()}: not available in this version yet (tracked in ${issue}).`);
    process.exitCode = 1;
  });
}
