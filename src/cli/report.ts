/**
 * `hoshu report`: renders the monthly SLA report of one contract (or of every contract
 * with --all, with a progress bar) to files, from the same service as the API.
 *   hoshu report --contract <id|name> --month 2026-11 [--format html|pdf|csv] [--lang ja|en] --out DIR
 * CSV writes one file per table into DIR/<month>.<lang>/. Without --month: last month.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { cliLocale, context, fail } from './cli-support.ts';
import { t } from '../i18n/index.ts';

type Format = 'html' | 'pdf' | 'csv';

function write(dir: string, name: string, body: Buffer): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, body);
  return file;
}

export function registerReportCommands(program: Command): void {
  program
    .command('report')
    .description('render the monthly SLA report of a contract (or of every contract with --all) to files')
    .option('--contract <id>', 'contract id or exact name')
    .option('--all', 'every contract of the desk (with a progress bar)')
    .option('--month <YYYY-MM>', 'month in the contract\'s time zone (default: last month)')
    .option('--format <format>', 'html | pdf | csv', 'html')
    .option('--lang <lang>', 'ja | en', 'ja')
    .requiredOption('--out <dir>', 'directory to write to')
    .action(async (o: { contract?: string; all?: boolean; month?: string; format: string; lang: string; out: string }) => {
      const locale = cliLocale();
      if (!['html', 'pdf', 'csv'].includes(o.format)) fail(new Error(t(locale, 'cli.report.badFormat', { format: o.format })));
      if (o.lang !== 'ja' && o.lang !== 'en') fail(new Error(t(locale, 'cli.report.badLang', { lang: o.lang })));
      if (!o.all && !o.contract) fail(new Error(t(locale, 'cli.report.needContract')));
      const { database } = await context();
      const { createServices } = await import('../http/services.ts');
      const { previousMonthKey } = await import('../core/report/compute.ts');
      const services = createServices({ db: database.db, clock: Date.now });
      const format = o.format as Format;
      const lang = o.lang as 'ja' | 'en';
      const month = o.month ?? previousMonthKey(Date.now(), 'Asia/Tokyo');
      try {
        if (format === 'pdf' && !services.pdf.available()) {
          const { AppError } = await import('../errors.ts');
          throw new AppError('render.pdf_unavailable', 'PDF needs Chromium', [], { path: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' });
        }
        let ids: string[];
        if (o.all) ids = await services.reports.contractIds();
        else {
          const rows = await database.db.selectFrom('contracts').select(['id', 'name']).where((eb) => eb.or([eb('id', '=', o.contract!), eb('name', '=', o.contract!)])).execute();
          if (rows.length !== 1) throw new Error(t(locale, rows.length ? 'cli.report.ambiguous' : 'cli.report.noContract', { contract: o.contract! }));
          ids = [rows[0]!.id];
        }
        const started = performance.now();
        const { SingleBar, Presets } = await import('cli-progress');
        // The bar draws on stderr only on a terminal (stdout stays for the file list scripts read).
        const bar = o.all && process.stderr.isTTY ? new SingleBar({ format: `${t(locale, 'cli.report.progress')} [{bar}] {value}/{total} {percentage}% ETA {eta_formatted}`, stream: process.stderr, hideCursor: true }, Presets.shades_classic) : null;
        bar?.start(ids.length, 0);
        let done = 0;
        for (const id of ids) {
          const files = await services.reports.renderMonth(id, month, [format], lang);
          const dir = o.all ? path.join(o.out, id) : o.out;
          for (const f of files) {
            const name = format === 'csv' ? path.join(`${month}.${lang}`, path.basename(f.name)) : f.name;
            const file = write(dir, name, f.body);
            if (!o.all) console.log(file);
          }
          done++;
          bar?.update(done);
          if (o.all && !bar && done % 50 === 0) console.error(t(locale, 'cli.report.progressLine', { done, total: ids.length }));
        }
        bar?.stop();
        const secs = (performance.now() - started) / 1000;
        if (o.all) console.error(t(locale, 'cli.report.summary', { count: done, seconds: secs.toFixed(1), rate: (done / Math.max(secs, 1e-9)).toFixed(1), out: o.out }));
      } catch (e) {
        await services.pdf.close();
        await database.close();
        fail(e);
      }
      await services.pdf.close();
      await database.close();
    });
}
