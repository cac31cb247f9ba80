/**
 * `hoshu incident export`: every incident (or one contract's) as CSV for a
 * spreadsheet, read in pages of 500 by incident number so a desk with years of
 * incidents streams to the file without holding it in memory. UTF-8 with a BOM
 * (Excel opens Japanese text right only with it), CRLF line ends and quoting by
 * csv-stringify; a progress bar on stderr when it is a terminal.
 *   hoshu incident export --out incidents.csv [--contract <id|name>]
 * Column names are fixed English identifiers: scripts read them, whatever the locale.
 */
import fs from 'node:fs';
import type { Command } from 'commander';
import { t } from '../i18n/index.ts';
import { cliLocale, context, fail } from './cli-support.ts';
import { textOption } from './cli-input.ts';
import { CSV_OPTIONS } from '../render/csv-options.ts';

const COLUMNS = [
  'number', 'id', 'client', 'contract', 'title', 'status', 'priority', 'channel', 'category',
  'in_scope', 'billable', 'reporter_name', 'reporter_email',
  'received_at', 'recognized_at', 'started_at', 'proposed_at', 'resolved_at', 'closed_at',
] as const;
const PAGE = 500;

const iso = (ms: number | null): string => (ms === null ? '' : new Date(Number(ms)).toISOString());

export function registerIncidentCommands(program: Command): void {
  const incident = program.command('incident').description('incidents');
  incident
    .command('export')
    .description('write incidents as CSV (UTF-8 with BOM, for spreadsheets), with a progress bar on long runs')
    .requiredOption('--out <file>', 'CSV file to write')
    .option('--contract <contract>', 'only this contract (id or exact name)')
    .action(async (o: { out: string; contract?: string }) => {
      const locale = cliLocale();
      const out = textOption('--out', o.out)!;
      const contract = textOption('--contract', o.contract);
      const { database } = await context();
      const { stringify } = await import('csv-stringify/sync');
      let fd: number | null = null;
      try {
        let contractId: string | null = null;
        if (contract) {
          const rows = await database.db.selectFrom('contracts').select('id').where((eb) => eb.or([eb('id', '=', contract), eb('name', '=', contract)])).execute();
          if (rows.length !== 1) throw new Error(t(locale, rows.length ? 'cli.incidentExport.ambiguous' : 'cli.incidentExport.noContract', { contract }));
          contractId = rows[0]!.id;
        }
        let count = database.db.selectFrom('incidents').select((eb) => eb.fn.countAll<number>().as('n'));
        if (contractId) count = count.where('contractId', '=', contractId);
        const total = Number((await count.executeTakeFirst())?.n ?? 0);
        const { SingleBar, Presets } = await import('cli-progress');
        // Drawn on stderr and only on a terminal: a pipe or a log gets the summary line alone.
        const bar = process.stderr.isTTY && total > PAGE
          ? new SingleBar({ format: `${t(locale, 'cli.incidentExport.progress')} [{bar}] {value}/{total} {percentage}% ETA {eta_formatted}`, stream: process.stderr, hideCursor: true }, Presets.shades_classic)
          : null;
        bar?.start(total, 0);
        fd = fs.openSync(out, 'w');
        fs.writeSync(fd, `\uFEFF${stringify([[...COLUMNS]], CSV_OPTIONS)}`);
        let after = -1;
        let done = 0;
        for (;;) {
          let q = database.db.selectFrom('incidents')
            .innerJoin('contracts', 'contracts.id', 'incidents.contractId')
            .innerJoin('clients', 'clients.id', 'incidents.clientId')
            .select([
              'incidents.number', 'incidents.id', 'clients.name as client', 'contracts.name as contract', 'incidents.title', 'incidents.status',
              'incidents.priority', 'incidents.channel', 'incidents.category', 'incidents.inScope', 'incidents.billable', 'incidents.reporterName',
              'incidents.reporterEmail', 'incidents.receivedAt', 'incidents.recognizedAt', 'incidents.startedAt', 'incidents.proposedAt',
              'incidents.resolvedAt', 'incidents.closedAt',
            ])
            .where('incidents.number', '>', after).orderBy('incidents.number').limit(PAGE);
          if (contractId) q = q.where('incidents.contractId', '=', contractId);
          const rows = await q.execute();
          if (rows.length === 0) break;
          fs.writeSync(fd, stringify(rows.map((r) => [
            r.number, r.id, r.client, r.contract, r.title, r.status, r.priority, r.channel, r.category,
            r.inScope ? 'yes' : 'no', r.billable ? 'yes' : 'no', r.reporterName ?? '', r.reporterEmail ?? '',
            iso(r.receivedAt), iso(r.recognizedAt), iso(r.startedAt), iso(r.proposedAt), iso(r.resolvedAt), iso(r.closedAt),
          ]), CSV_OPTIONS));
          done += rows.length;
          after = Number(rows[rows.length - 1]!.number);
          bar?.update(done);
          if (rows.length < PAGE) break;
        }
        bar?.stop();
        fs.closeSync(fd);
        fd = null;
        console.error(t(locale, 'cli.incidentExport.done', { count: done, file: out }));
      } catch (e) {
        if (fd !== null) fs.closeSync(fd);
        await database.close();
        fail(e);
      }
      await database.close();
    });
}
