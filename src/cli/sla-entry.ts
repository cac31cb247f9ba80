/**
 * Entry of the prebuilt `hoshu sla …` bundle (scripts/build-cli.mjs). Only the SLA
 * commands are bundled: they are pure computation, while the desk commands locate
 * migrations, the web build and the OpenAPI file relative to their source files.
 */
import { Command } from 'commander';
import { registerSlaCommands } from './sla.ts';

const program = new Command();
program.name('hoshu').description('Hoshu (保守) maintenance and SLA desk').showHelpAfterError();
registerSlaCommands(program);
await program.parseAsync(process.argv);
