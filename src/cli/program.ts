/**
 * The `hoshu` command tree, built apart from parsing so the help's translations can be
 * checked against every command, option and argument (test/cli/help.test.ts).
 */
import type { Command } from 'commander';
import { rootCommand } from './root-command.ts';
import { registerSlaCommands } from './sla.ts';
import { registerDeskCommands } from './desk.ts';
import { registerChangeCommands } from './change.ts';
import { registerWebhookCommands } from './webhooks.ts';
import { registerReportCommands } from './report.ts';
import { registerIncidentCommands } from './incident-export.ts';
import { registerContractCommands } from './contract-transfer.ts';

export function buildProgram(): Command {
  const program = rootCommand();
  registerSlaCommands(program);
  registerDeskCommands(program);
  registerChangeCommands(program);
  registerWebhookCommands(program);
  registerReportCommands(program);
  registerIncidentCommands(program);
  registerContractCommands(program);
  return program;
}
