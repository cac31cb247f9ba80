/**
 * The `hoshu` command tree, built apart from parsing so the help's translations can be
 * checked against every command, option and argument (test/cli/help.test.ts).
 */
import { Command } from 'commander';
import { registerSlaCommands } from './sla.ts';
import { registerDeskCommands } from './desk.ts';
import { registerChangeCommands } from './change.ts';
import { registerWebhookCommands } from './webhooks.ts';
import { registerReportCommands } from './report.ts';
import { registerIncidentCommands } from './incident-export.ts';
import { registerContractCommands } from './contract-transfer.ts';

export function buildProgram(): Command {
  const program = new Command();
  program.name('hoshu').description('Hoshu (保守) maintenance and SLA desk').showHelpAfterError();
  registerSlaCommands(program);
  registerDeskCommands(program);
  registerChangeCommands(program);
  registerWebhookCommands(program);
  registerReportCommands(program);
  registerIncidentCommands(program);
  registerContractCommands(program);
  return program;
}
