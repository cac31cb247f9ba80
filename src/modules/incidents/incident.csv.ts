/**
 * The filtered queue as CSV (GET /incidents.csv): every incident the same filters, search
 * and sort select, read page by page with the queue's cursor. UTF-8 with a BOM (Excel
 * opens Japanese text right only with it), RFC 4180 quoting and CRLF by csv-stringify,
 * headers and values in the reader's language, instants as ISO 8601 with the offset of
 * the incident's support calendar.
 */
import { stringify } from 'csv-stringify/sync';
import { CSV_OPTIONS } from '../../render/csv-options.ts';
import { formatInstant } from '../../core/time/zone.ts';
import type { Executor } from '../../db/database.ts';
import { t, tLabel, type Locale } from '../../i18n/index.ts';
import type { Actor } from '../auth/actor.ts';
import { loadWorkingCalendar } from '../calendars/calendar.service.ts';
import type { Incident, IncidentTarget } from './incident.model.ts';
import type { IncidentPage, IncidentPageFilter } from './incident.queries.ts';

const COLUMNS = [
  'number', 'title', 'client', 'contract', 'status', 'priority', 'slaState', 'nextDue', 'channel', 'category',
  'scope', 'assignee', 'reporter', 'reporterEmail', 'receivedAt', 'resolvedAt',
] as const;
const PAGE = 500;
const SEVERITY: Record<string, number> = { pending: 0, met: 1, metLate: 2, ok: 3, atRisk: 4, breached: 5 };

/** The headline state the queue shows: the worst of the in-scope targets. */
function worstState(targets: readonly IncidentTarget[]): string {
  let worst = 'pending';
  for (const x of targets) if (!x.excluded && (SEVERITY[x.state] ?? 0) > (SEVERITY[worst] ?? 0)) worst = x.state;
  return worst;
}

function nextDue(targets: readonly IncidentTarget[]): number | null {
  const due = targets.filter((x) => x.clockStart !== null && x.metAt === null && x.dueAt !== null).map((x) => x.dueAt!);
  return due.length ? Math.min(...due) : null;
}

export async function queueCsv(
  db: Executor, actor: Actor, filter: Omit<IncidentPageFilter, 'limit' | 'after'>, locale: Locale,
  page: (actor: Actor, f: IncidentPageFilter) => Promise<IncidentPage>,
): Promise<string> {
  const items: Incident[] = [];
  let after: IncidentPageFilter['after'];
  for (;;) {
    const p = await page(actor, { ...filter, limit: PAGE, ...(after ? { after } : {}) });
    items.push(...p.items);
    if (!p.nextCursor) break;
    after = p.nextCursor;
  }
  const names = async (table: 'clients' | 'contracts' | 'users', ids: Iterable<string | null>) => {
    const list = [...new Set([...ids].filter((x): x is string => x !== null))];
    if (!list.length) return new Map<string, string>();
    return new Map((await db.selectFrom(table).select(['id', 'name']).where('id', 'in', list).execute()).map((r) => [r.id, r.name]));
  };
  const clients = await names('clients', items.map((i) => i.clientId));
  const contracts = await names('contracts', items.map((i) => i.contractId));
  const users = await names('users', items.map((i) => i.assigneeId));
  const zones = new Map<string, string>();
  for (const id of new Set(items.map((i) => i.calendarId))) zones.set(id, (await loadWorkingCalendar(db, id)).timeZone);
  const at = (i: Incident, ms: number | null) => (ms === null ? '' : formatInstant(zones.get(i.calendarId) ?? 'UTC', ms));
  const records = items.map((i) => [
    i.number, i.title, clients.get(i.clientId) ?? '', contracts.get(i.contractId) ?? '',
    tLabel(locale, `status.${i.status}`), tLabel(locale, `priority.${i.priority}`), tLabel(locale, `sla.state.${worstState(i.targets)}`),
    at(i, nextDue(i.targets)), tLabel(locale, `channel.${i.channel}`), tLabel(locale, `category.${i.category}`),
    t(locale, i.inScope ? 'queueCsv.inScope' : 'queueCsv.outOfScope'),
    i.assigneeId ? (users.get(i.assigneeId) ?? '') : '', i.reporter.name ?? '', i.reporter.email ?? '',
    at(i, i.receivedAt), at(i, i.resolvedAt),
  ]);
  return stringify(records, { bom: true, header: true, columns: COLUMNS.map((c) => t(locale, `queueCsv.${c}`)), ...CSV_OPTIONS });
}
