/** The `hoshu` root command, the same for the full CLI and the SLA commands' own bundle (sla-entry.ts). */
import { Command } from 'commander';

export function rootCommand(): Command {
  return new Command().name('hoshu').description('Hoshu (保守) maintenance and SLA desk').showHelpAfterError();
}
