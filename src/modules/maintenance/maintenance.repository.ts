/** Maintenance rows: settings per contract, series, windows (stored occurrences) and notices. */
import { scopeToClient, type ClientScope } from '../../db/client-scope.ts';
import type { Executor } from '../../db/database.ts';
import type { NewRow, Row, RowUpdate } from '../../db/schema.ts';

export type SettingsRow = Row<'maintenanceSettings'>;
export type SeriesRow = Row<'maintenanceSeries'>;
export type WindowRow = Row<'maintenanceWindows'>;
export type NoticeRow = Row<'maintenanceNotices'>;

const WINDOW_COLUMNS = [
  'id', 'contractId', 'clientId', 'systemId', 'seriesId', 'occurrenceIndex', 'kind', 'title', 'description', 'startsAt',
  'endsAt', 'status', 'announcedAt', 'noticeDeadlineAt', 'noticeInTime', 'emergencyReason', 'cancelReason', 'actualStart',
  'actualEnd', 'sequence', 'createdBy', 'createdAt', 'updatedAt',
] as const;
const SERIES_COLUMNS = [
  'id', 'contractId', 'clientId', 'systemId', 'title', 'description', 'timeZone', 'startTime', 'endTime', 'repeat',
  'firstDate', 'until', 'count', 'status', 'announcedAt', 'materializedUntil', 'createdBy', 'createdAt', 'updatedAt',
] as const;
// The token hash never leaves through a select of "everything".
const SETTINGS_COLUMNS = ['contractId', 'noticeBusinessDays', 'publicTokenPrefix', 'publishedAt', 'updatedAt'] as const;
export type PublicSettings = Pick<SettingsRow, (typeof SETTINGS_COLUMNS)[number]>;

export async function findSettings(ex: Executor, contractId: string): Promise<PublicSettings | undefined> {
  return ex.selectFrom('maintenanceSettings').select(SETTINGS_COLUMNS).where('contractId', '=', contractId).executeTakeFirst();
}

export async function upsertSettings(ex: Executor, row: NewRow<'maintenanceSettings'>, set: RowUpdate<'maintenanceSettings'>): Promise<void> {
  await ex.insertInto('maintenanceSettings').values(row).onConflict((oc) => oc.column('contractId').doUpdateSet(set)).execute();
}

export async function contractIdByTokenHash(ex: Executor, hash: string): Promise<string | undefined> {
  const r = await ex.selectFrom('maintenanceSettings').select('contractId').where('publicTokenHash', '=', hash).executeTakeFirst();
  return r?.contractId;
}

export async function insertWindows(ex: Executor, rows: NewRow<'maintenanceWindows'>[]): Promise<void> {
  if (rows.length) await ex.insertInto('maintenanceWindows').values(rows).execute();
}

export async function findWindow(ex: Executor, id: string, scope: ClientScope, lock = false): Promise<WindowRow | undefined> {
  let q = ex.selectFrom('maintenanceWindows').select(WINDOW_COLUMNS).where('id', '=', id);
  q = scopeToClient(q, 'clientId', scope);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

export interface WindowFilter {
  scope: ClientScope;
  contractId?: string;
  /** Windows that overlap [from, to). */
  from?: number;
  to?: number;
  statuses?: string[];
  /** Only windows the client was told about: announced, or cancelled after being announced. */
  announcedOnly?: boolean;
  seriesId?: string;
  limit?: number;
}

export async function listWindows(ex: Executor, f: WindowFilter): Promise<WindowRow[]> {
  let q = ex.selectFrom('maintenanceWindows').select(WINDOW_COLUMNS);
  q = scopeToClient(q, 'clientId', f.scope);
  if (f.contractId) q = q.where('contractId', '=', f.contractId);
  if (f.seriesId) q = q.where('seriesId', '=', f.seriesId);
  if (f.from !== undefined) q = q.where('endsAt', '>', f.from);
  if (f.to !== undefined) q = q.where('startsAt', '<', f.to);
  if (f.statuses?.length) q = q.where('status', 'in', f.statuses);
  if (f.announcedOnly) q = q.where('announcedAt', 'is not', null);
  q = q.orderBy('startsAt').orderBy('id');
  if (f.limit !== undefined) q = q.limit(f.limit);
  return q.execute();
}

export async function updateWindow(ex: Executor, id: string, patch: RowUpdate<'maintenanceWindows'>): Promise<void> {
  await ex.updateTable('maintenanceWindows').set(patch).where('id', '=', id).execute();
}

export async function cancelFutureOccurrences(ex: Executor, seriesId: string, from: number, reason: string, now: number): Promise<WindowRow[]> {
  const rows = await ex
    .updateTable('maintenanceWindows')
    .set((eb) => ({ status: 'cancelled', cancelReason: reason, sequence: eb('sequence', '+', 1), updatedAt: now }))
    .where('seriesId', '=', seriesId)
    .where('startsAt', '>=', from)
    .where('status', '!=', 'cancelled')
    .returning(WINDOW_COLUMNS)
    .execute();
  return rows;
}

export async function insertSeries(ex: Executor, row: NewRow<'maintenanceSeries'>): Promise<void> {
  await ex.insertInto('maintenanceSeries').values(row).execute();
}

export async function findSeries(ex: Executor, id: string, scope: ClientScope, lock = false): Promise<SeriesRow | undefined> {
  let q = ex.selectFrom('maintenanceSeries').select(SERIES_COLUMNS).where('id', '=', id);
  q = scopeToClient(q, 'clientId', scope);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function listSeries(ex: Executor, f: { scope: ClientScope; contractId?: string; activeOnly?: boolean; materializedBefore?: number }): Promise<SeriesRow[]> {
  let q = ex.selectFrom('maintenanceSeries').select(SERIES_COLUMNS);
  q = scopeToClient(q, 'clientId', f.scope);
  if (f.contractId) q = q.where('contractId', '=', f.contractId);
  if (f.activeOnly) q = q.where('status', '=', 'active');
  if (f.materializedBefore !== undefined) q = q.where('materializedUntil', '<', f.materializedBefore);
  return q.orderBy('createdAt').execute();
}

export async function updateSeries(ex: Executor, id: string, patch: RowUpdate<'maintenanceSeries'>): Promise<void> {
  await ex.updateTable('maintenanceSeries').set(patch).where('id', '=', id).execute();
}

export async function maxOccurrenceIndex(ex: Executor, seriesId: string): Promise<number> {
  const r = await ex.selectFrom('maintenanceWindows').select((eb) => eb.fn.max('occurrenceIndex').as('m')).where('seriesId', '=', seriesId).executeTakeFirst();
  return r?.m ?? -1;
}

export async function insertNotices(ex: Executor, rows: NewRow<'maintenanceNotices'>[]): Promise<void> {
  if (rows.length) await ex.insertInto('maintenanceNotices').values(rows).execute();
}

export async function noticesOf(ex: Executor, f: { windowIds?: string[]; seriesId?: string }): Promise<NoticeRow[]> {
  let q = ex.selectFrom('maintenanceNotices').select(['id', 'contractId', 'windowId', 'seriesId', 'kind', 'contactId', 'email', 'notifiedAt', 'actorId']);
  if (f.windowIds) {
    if (f.windowIds.length === 0) return [];
    q = q.where('windowId', 'in', f.windowIds);
  }
  if (f.seriesId) q = q.where('seriesId', '=', f.seriesId);
  return q.orderBy('notifiedAt').orderBy('id').execute();
}

/** The contract's designated contacts (primary first) that have an e-mail address. */
export async function noticeRecipients(ex: Executor, contractId: string): Promise<Array<{ contactId: string; name: string; email: string }>> {
  const rows = await ex
    .selectFrom('contractContacts')
    .innerJoin('contacts', 'contacts.id', 'contractContacts.contactId')
    .select(['contacts.id as contactId', 'contacts.name', 'contacts.email', 'contractContacts.isPrimary'])
    .where('contractContacts.contractId', '=', contractId)
    .where('contacts.email', 'is not', null)
    .orderBy('contractContacts.isPrimary', 'desc')
    .orderBy('contacts.name')
    .execute();
  return rows.map((r) => ({ contactId: r.contactId, name: r.name, email: r.email! }));
}

/** What the maintenance rules need from the contract: its client, name, calendar and backup window. */
export async function contractInfo(ex: Executor, contractId: string, scope: ClientScope) {
  let q = ex
    .selectFrom('contracts')
    .innerJoin('clients', 'clients.id', 'contracts.clientId')
    .select([
      'contracts.id', 'contracts.clientId', 'contracts.name', 'contracts.calendarId', 'contracts.backupWindowStart',
      'contracts.backupWindowEnd', 'clients.name as clientName',
    ])
    .where('contracts.id', '=', contractId);
  q = scopeToClient(q, 'contracts.clientId', scope);
  return q.executeTakeFirst();
}

export async function systemNames(ex: Executor, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await ex.selectFrom('systems').select(['id', 'name']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}
