/**
 * `hoshu` command line. Commands are thin: they call the same services as the
 * HTTP API, never the API itself. Each group registers itself; heavy modules are
 * imported lazily inside the actions so `hoshu sla eval` starts fast.
 */
import { Command } from 'commander';
import { registerSlaCommands } from './sla.ts';
import { registerDeskCommands } from './desk.ts';
import { registerChangeCommands } from './change.ts';
import { registerWebhookCommands } from './webhooks.ts';
import { registerReportCommands } from './report.ts';
import { registerIncidentCommands } from './incident-export.ts';
import { registerContractCommands } from './contract-transfer.ts';

const program = new Command();
program.name('hoshu').description('Hoshu (保守) maintenance and SLA desk').showHelpAfterError();

registerSlaCommands(program);
registerDeskCommands(program);
registerChangeCommands(program);
registerWebhookCommands(program);
registerReportCommands(program);
registerIncidentCommands(program);
registerContractCommands(program);

await program.parseAsync(process.argv);
