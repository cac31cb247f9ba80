/**
 * `hoshu contract export --out <file>` and `hoshu contract import <file>` (issue 17):
 * clients, contacts, systems and contracts as CSV (UTF-8 with BOM, one file with a
 * `kind` column) or JSON (by the file's extension, or --format). Import checks every
 * row first — shapes by the API's own schemas, then every reference — and refuses the
 * whole file with line-numbered, translated errors when any row is wrong: nothing is
 * written then. Otherwise it upserts through the same services as the API (so the same
 * rules and audit rows), by the stable keys of contract-records.ts: importing the same
 * file twice changes nothing the second time.
 */
import fs from 'node:fs';
import type { Command } from 'commander';
import { t } from '../i18n/index.ts';
import { renderIssue } from '../i18n/issues.ts';
import { SYSTEM_ACTOR } from '../modules/auth/actor.ts';
import { cliLocale, context, fail } from './cli-support.ts';
import { textOption } from './cli-input.ts';
import { COLUMNS, fieldsOf, list, shapeErrors, text, type Kind, type Record_, type RowError, type SourceRow } from './contract-records.ts';
import type { Plan } from './contract-plan.ts';

type Format = 'csv' | 'json';
const formatOf = (file: string, given?: string): Format => {
  const f = given ?? (file.toLowerCase().endsWith('.json') ? 'json' : 'csv');
  if (f !== 'csv' && f !== 'json') fail(new Error(t(cliLocale(), 'cli.transfer.badFormat', { format: f })));
  return f as Format;
};

async function progress(total: number, label: string) {
  const { SingleBar, Presets } = await import('cli-progress');
  // Drawn on stderr and only on a terminal: a pipe or a log gets the summary line alone.
  const bar = process.stderr.isTTY && total > 200
    ? new SingleBar({ format: `${label} [{bar}] {value}/{total} {percentage}%`, stream: process.stderr, hideCursor: true }, Presets.shades_classic)
    : null;
  bar?.start(total, 0);
  return { tick: (n: number) => bar?.update(n), stop: () => bar?.stop() };
}

/** Rows of a file with their line (CSV: the physical line the record starts on) or record number (JSON). */
export async function readRows(file: string, format: Format): Promise<SourceRow[]> {
  const raw = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  if (format === 'json') {
    const data = JSON.parse(raw) as unknown;
    const items = Array.isArray(data) ? data : (data as { records?: unknown }).records;
    if (!Array.isArray(items)) throw new Error(t(cliLocale(), 'cli.transfer.notArray'));
    return items.map((v, i) => ({ at: i + 1, values: Object.fromEntries(Object.entries(v as object).map(([k, x]) => [k, Array.isArray(x) ? x.map(String) : x == null ? '' : String(x)])) as Record_ }));
  }
  const { parse } = await import('csv-parse/sync');
  const records = parse(raw, { columns: true, skip_empty_lines: true, info: true, relax_column_count: false, trim: false }) as { record: Record_; info: { lines: number } }[];
  // info.lines is the line the record ends on; a record's start is what people look for.
  let line = 2;
  return records.map((r) => {
    const at = line;
    line = r.info.lines + 1;
    return { at, values: r.record };
  });
}

function printErrors(errors: RowError[], format: Format): void {
  const locale = cliLocale();
  const where = (at: number) => t(locale, format === 'csv' ? 'cli.transfer.line' : 'cli.transfer.record', { n: at });
  console.error(t(locale, 'cli.transfer.refused', { count: errors.length }));
  for (const e of [...errors].sort((a, b) => a.at - b.at)) {
    console.error(`${where(e.at)}: ${t(locale, e.key, e.params ?? {})}`);
    for (const i of e.issues ?? []) console.error(`  ${i.path.join('.')}: ${renderIssue(locale, i.code, i.params)}`);
  }
}

async function exportRows(db: Awaited<ReturnType<typeof context>>['database']['db']): Promise<Record_[]> {
  const { createServices } = await import('../http/services.ts');
  const s = createServices({ db, clock: Date.now });
  const clients = await s.clients.list(SYSTEM_ACTOR);
  const clientName = new Map(clients.map((c) => [c.id, c.name]));
  const contacts = await s.contacts.list(SYSTEM_ACTOR);
  const systems = await s.systems.list(SYSTEM_ACTOR);
  const contracts = await s.contracts.list(SYSTEM_ACTOR);
  const calendars = new Map((await db.selectFrom('calendars').select(['id', 'name']).execute()).map((c) => [c.id, c.name]));
  const policies = new Map((await db.selectFrom('slaPolicies').select(['id', 'name']).execute()).map((c) => [c.id, c.name]));
  const users = new Map((await db.selectFrom('users').select(['id', 'email']).execute()).map((u) => [u.id, u.email]));
  const contactKey = new Map(contacts.map((c) => [c.id, c.email ?? c.name]));
  const systemName = new Map(systems.map((x) => [x.id, x.name]));
  return [
    ...clients.map((c) => ({ kind: 'client', id: c.id, name: c.name, name_kana: c.nameKana ?? '', notes: c.notes })),
    ...contacts.map((c) => ({ kind: 'contact', id: c.id, client: clientName.get(c.clientId) ?? '', name: c.name, email: c.email ?? '', phone: c.phone ?? '' })),
    ...systems.map((x) => ({ kind: 'system', id: x.id, client: clientName.get(x.clientId) ?? '', name: x.name, description: x.description })),
    ...contracts.map((c) => ({
      kind: 'contract', id: c.id, client: clientName.get(c.clientId) ?? '', name: c.name, notes: c.notes,
      starts_on: c.startsOn, ends_on: c.endsOn ?? '', contracted_users: c.contractedUsers === null ? '' : String(c.contractedUsers),
      calendar: calendars.get(c.calendarId) ?? '', sla_policy: policies.get(c.slaPolicyId) ?? '', sla_policy_version: String(c.slaPolicyVersion),
      backup_window: c.backupWindow ? `${c.backupWindow.start}-${c.backupWindow.end}` : '',
      contact_email: c.contactEmail ?? '', contact_phone: c.contactPhone ?? '', in_scope_notes: c.inScopeNotes, out_of_scope_notes: c.outOfScopeNotes,
      systems: c.systemIds.map((id) => systemName.get(id) ?? id),
      primary_contact: c.primaryContactId ? (contactKey.get(c.primaryContactId) ?? '') : '',
      deputy_contacts: c.deputyContactIds.map((id) => contactKey.get(id) ?? id),
      engineers: c.engineerIds.map((id) => users.get(id) ?? id),
    })),
  ] as Record_[];
}

export function registerContractCommands(program: Command): void {
  const contract = program.command('contract').description('clients, contacts, systems and contracts: import and export');
  contract
    .command('export')
    .description('write every client, contact, system and contract as CSV (UTF-8 with BOM) or JSON')
    .requiredOption('--out <file>', 'file to write (.csv or .json)')
    .option('--format <format>', 'csv | json (default: by the extension)')
    .action(async (o: { out: string; format?: string }) => {
      const out = textOption('--out', o.out)!;
      const format = formatOf(out, o.format);
      const { database } = await context();
      try {
        const rows = await exportRows(database.db);
        const bar = await progress(rows.length, t(cliLocale(), 'cli.transfer.exporting'));
        if (format === 'json') {
          fs.writeFileSync(out, `${JSON.stringify(rows, null, 2)}\n`);
        } else {
          const { stringify } = await import('csv-stringify/sync');
          const lines = rows.map((r) => COLUMNS.map((c) => (Array.isArray(r[c]) ? (r[c] as string[]).join(';') : (r[c] ?? ''))));
          fs.writeFileSync(out, `\uFEFF${stringify([[...COLUMNS], ...lines], { record_delimiter: 'windows' })}`);
        }
        bar.tick(rows.length);
        bar.stop();
        const count = (k: Kind) => rows.filter((r) => r.kind === k).length;
        console.error(t(cliLocale(), 'cli.transfer.exported', { file: out, clients: count('client'), contacts: count('contact'), systems: count('system'), contracts: count('contract') }));
      } catch (e) {
        await database.close();
        fail(e);
      }
      await database.close();
    });

  contract
    .command('import <file>')
    .description('create or update clients, contacts, systems and contracts from CSV or JSON; checks every row first and changes nothing if any is wrong')
    .option('--format <format>', 'csv | json (default: by the extension)')
    .option('--dry-run', 'check the file and say what would change, without writing')
    .action(async (file: string, o: { format?: string; dryRun?: boolean }) => {
      const locale = cliLocale();
      const format = formatOf(file, o.format);
      if (!fs.existsSync(file)) fail(new Error(t(locale, 'cli.transfer.noFile', { file })));
      let rows: SourceRow[];
      try {
        rows = await readRows(file, format);
      } catch (e) {
        fail(new Error(t(locale, 'cli.transfer.unreadable', { file, reason: e instanceof Error ? e.message : String(e) })));
      }
      // Every row is checked, and every error reported, before anything is written.
      const shape = rows.map((r) => ({ r, errors: shapeErrors(r) }));
      const good = shape.filter((x) => x.errors.length === 0).map(({ r }) => ({
        ...r, kind: text(r.values.kind) as Kind, fields: fieldsOf(text(r.values.kind) as Kind, r.values).body!,
        refs: { systems: list(r.values.systems), deputies: list(r.values.deputy_contacts), engineers: list(r.values.engineers) },
      }));
      const { database } = await context();
      let plan: Plan;
      try {
        // Imported here: the plan builds the services, which every other command would load for nothing.
        const { planImport } = await import('./contract-plan.ts');
        plan = await planImport(database.db, good);
      } catch (e) {
        await database.close();
        fail(e);
      }
      const errors = [...shape.flatMap((x) => x.errors), ...plan.errors];
      if (errors.length) {
        await database.close();
        printErrors(errors, format);
        process.exit(1);
      }
      try {
        const bar = o.dryRun ? null : await progress(plan.steps.length, t(locale, 'cli.transfer.importing'));
        const counts = await plan.apply({ dryRun: o.dryRun === true, onStep: (n) => bar?.tick(n) });
        bar?.stop();
        console.error(t(locale, o.dryRun ? 'cli.transfer.wouldImport' : 'cli.transfer.imported', { ...counts, file }));
      } catch (e) {
        await database.close();
        fail(e);
      }
      await database.close();
    });
}

