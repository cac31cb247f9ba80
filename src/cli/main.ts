/**
 * `hoshu` command line. Commands are thin: they call the same services as the
 * HTTP API, never the API itself. Each group registers itself (program.ts); heavy
 * modules are imported lazily inside the actions so `hoshu sla eval` starts fast.
 * The help and commander's messages follow the reader's locale (cli-help.ts).
 */
import { localizeCli } from './cli-help.ts';
import { cliLocale } from './cli-locale.ts';
import { buildProgram } from './program.ts';

await localizeCli(buildProgram(), cliLocale()).parseAsync(process.argv);
