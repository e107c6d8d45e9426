/**
 * A `mpgate` entry point with the publisher's command groups, for the child-process CLI tests (the real
 * `src/cli/main.ts` gets them once program.ts registers them).
 */
import { Command } from 'commander';
import { registerArticlePublishCommand } from '../../src/cli/article-publish.js';
import { registerDraftCommands } from '../../src/cli/draft.js';
import { registerMaterialCommands } from '../../src/cli/material.js';
import { registerPublishCommands } from '../../src/cli/publish.js';

const program = new Command('mpgate');
registerArticlePublishCommand(program.command('article'));
registerMaterialCommands(program);
registerDraftCommands(program);
registerPublishCommands(program);
await program.parseAsync(process.argv);
