/**
 * Entry of the prebuilt `hoshu sla …` bundle (scripts/build-cli.mjs). Only the SLA
 * commands are bundled: they are pure computation, while the desk commands locate
 * migrations, the web build and the OpenAPI file relative to their source files.
 */
import { localizeCli } from './cli-help.ts';
import { cliLocale } from './cli-locale.ts';
import { rootCommand } from './root-command.ts';
import { registerSlaCommands } from './sla.ts';

const program = rootCommand();
registerSlaCommands(program);
await localizeCli(program, cliLocale()).parseAsync(process.argv);
