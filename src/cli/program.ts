import { Command } from 'commander';
import { VERSION } from '../version.js';
import { registerArticleCommands } from './article.js';
import { registerArticlePublishCommand } from './article-publish.js';
import { registerDifyCommands } from './dify.js';
import { registerDraftCommands } from './draft.js';
import { registerMaterialCommands } from './material.js';
import { registerPrivacyCommands } from './privacy.js';
import { registerPublishCommands } from './publish.js';
import { registerConfigCommands } from './config.js';
import { registerDemoCommand } from './demo.js';
import { registerServeCommand } from './serve.js';
import { notYetAvailable } from './not-yet.js';
import { registerSimDifyCommands } from './sim-dify.js';
import { registerSimWechatCommands } from './sim-wechat.js';

/** Builds the `mpgate` command tree (exported for tests, which run it without a subprocess). */
export function buildProgram(): Command {
  const program = new Command('mpgate')
    .description('Run an AI app behind a WeChat Official Account: gateway, publisher and Dify backup.')
    .version(VERSION, '-v, --version')
    .showHelpAfterError()
    // Subcommands own their options (`sim dify --version 1.9.1`): the root's -v/--version is read only before one.
    .enablePositionalOptions()
    .configureHelp({ sortSubcommands: false });

  registerServeCommand(program);
  registerDemoCommand(program);
  const sim = program.command('sim').description('run a WeChat or Dify simulator on its own');
  registerSimWechatCommands(sim);
  registerSimDifyCommands(sim);
  registerConfigCommands(program);
  registerArticlePublishCommand(registerArticleCommands(program));
  registerMaterialCommands(program);
  registerDraftCommands(program);
  registerPublishCommands(program);
  registerDifyCommands(program);
  notYetAvailable(program.command('mcp').description('serve the publisher tools over MCP on stdio'), 'the MCP issue');
  registerPrivacyCommands(program);
  return program;
}

