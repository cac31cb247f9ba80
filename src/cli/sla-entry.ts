/**
 * Entry of the prebuilt `hoshu sla …` bundle (scripts/build-cli.mjs). Only the SLA
 * commands are bundled: they are pure computation, while the desk commands locate
 * migrations, the web build and the OpenAPI file relative to their source files.
 */
import { Command } from 'commander';
import { localizeCli } from './cli-help.ts';
import { cliLocale } from './cli-locale.ts';
import { registerSlaCommands } from './sla.ts';

const program = new Command();
program.name('hoshu').description('Hoshu (保守) maintenance and SLA desk').showHelpAfterError();
registerSlaCommands(program);
await localizeCli(program, cliLocale()).parseAsync(process.argv);
