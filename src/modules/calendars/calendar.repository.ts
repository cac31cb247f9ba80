import { scopeToClient, type ClientScope } from '../../db/client-scope.ts';
import type { Executor } from '../../db/database.ts';
import { executeShaped } from '../../db/shaped-query.ts';
import type { NewRow, Row, RowUpdate } from '../../db/schema.ts';

export type CalendarRow = Row<'calendars'>;
const COLUMNS = ['id', 'name', 'version', 'document', 'createdAt', 'updatedAt'] as const;

export async function insertCalendar(ex: Executor, row: NewRow<'calendars'>): Promise<void> {
  await ex.insertInto('calendars').values(row).execute();
}

/** Read on every incident change: a reused compiled statement (shaped-query.ts). */
export async function findCalendar(ex: Executor, id: string): Promise<CalendarRow | undefined> {
  return (await executeShaped(ex, 'calendar-by-id', [id], () => ex.selectFrom('calendars').select(COLUMNS).where('id', '=', id))).rows[0];
}

/** The calendars the scope's client's contracts follow (another client's hours are its terms). */
const followedBy = (ex: Executor, scope: string) => scopeToClient(ex.selectFrom('contracts').select('contracts.calendarId'), 'contracts.clientId', scope);

/** One calendar in the scope: any for staff (scope null), for a contact only one their client's contracts follow. */
export async function findScopedCalendar(ex: Executor, id: string, scope: ClientScope): Promise<CalendarRow | undefined> {
  if (scope === null) return findCalendar(ex, id);
  return ex.selectFrom('calendars').select(COLUMNS).where('id', '=', id).where('id', 'in', followedBy(ex, scope)).executeTakeFirst();
}

export async function listCalendars(ex: Executor, scope: ClientScope): Promise<CalendarRow[]> {
  let q = ex.selectFrom('calendars').select(COLUMNS);
  if (scope !== null) q = q.where('id', 'in', followedBy(ex, scope));
  return q.orderBy('name').execute();
}

export async function updateCalendar(ex: Executor, id: string, patch: RowUpdate<'calendars'>): Promise<void> {
  await ex.updateTable('calendars').set(patch).where('id', '=', id).execute();
}

export type CalendarVersionRow = Row<'calendarVersions'>;
const VERSION_COLUMNS = ['calendarId', 'version', 'effectiveFrom', 'document', 'note', 'createdBy', 'createdAt'] as const;

export async function insertCalendarVersion(ex: Executor, row: NewRow<'calendarVersions'>): Promise<void> {
  await ex.insertInto('calendarVersions').values(row).execute();
}

/** Oldest first. */
export async function listCalendarVersions(ex: Executor, calendarId: string): Promise<CalendarVersionRow[]> {
  return ex.selectFrom('calendarVersions').select(VERSION_COLUMNS).where('calendarId', '=', calendarId).orderBy('version').execute();
}

export async function findCalendarVersion(ex: Executor, calendarId: string, version: number): Promise<CalendarVersionRow | undefined> {
  return ex.selectFrom('calendarVersions').select(VERSION_COLUMNS).where('calendarId', '=', calendarId).where('version', '=', version).executeTakeFirst();
}
