/**
 * Maintenance windows created inside a unit of work another module opened (a change
 * request scheduled with a window that stops or affects the service: issue 13). The
 * same rules as `MaintenanceService.create(…, { announce: true })` — the notice rule
 * on the contract's calendar (refused with maintenance.notice.conflict when late unless
 * emergency with a reason), the notices to the designated contacts, the reminder the
 * day before — so the window joins the same ICS feed, status page and notices.
 *
 * A file of its own (not a method of maintenance.service.ts) so the service can be split
 * (issue 10) without this changing; the few lines of the announce path it repeats
 * (`decide`, the reminder) should move into a shared helper when that split lands.
 */
import { uuidv7 } from 'uuidv7';
import { checkNotice, DEFAULT_NOTICE_BUSINESS_DAYS, NoticeError } from '../../core/maintenance/index.ts';
import type { Executor } from '../../db/database.ts';
import { toFlag } from '../../db/tx.ts';
import type { Work } from '../../db/unit-of-work.ts';
import { AppError, notFound } from '../../errors.ts';
import { enqueue } from '../../jobs/queue.ts';
import type { Actor } from '../auth/actor.ts';
import { clientScope } from '../auth/access.ts';
import { authorize } from '../auth/authorize.ts';
import { loadWorkingCalendar } from '../calendars/calendar.service.ts';
import { contractCoversSystem } from '../contracts/contract.service.ts';
import { formatInZone, sendNotices } from './maintenance.mail.ts';
import * as repo from './maintenance.repository.ts';
import { REMINDER_JOB } from './maintenance.service.ts';

const DAY = 86_400_000;

export interface AnnouncedWindowInput {
  contractId: string;
  systemId?: string | null;
  title: string;
  description?: string;
  startsAt: number;
  endsAt: number;
  /** An urgent fix inside the notice period: announced as emergency maintenance with this reason. */
  emergencyReason?: string | null;
}

/** Creates and announces a window in the caller's unit; returns its row. */
export async function createAnnouncedWindowIn(w: Work<Actor>, input: AnnouncedWindowInput): Promise<repo.WindowRow> {
  const { tx, actor, now } = w;
  authorize(actor, 'maintenance.create');
  authorize(actor, 'maintenance.announce');
  const c = await repo.contractInfo(tx, input.contractId, clientScope(actor));
  if (!c) throw notFound('contract');
  if (input.systemId && !(await contractCoversSystem(tx, c.id, input.systemId))) {
    throw new AppError('maintenance.invalid', 'not a system of this contract', [{ path: ['systemId'], code: 'not_found', message: 'not a system of this contract' }]);
  }
  const calendar = await loadWorkingCalendar(tx, c.calendarId);
  const days = (await repo.findSettings(tx, c.id))?.noticeBusinessDays ?? DEFAULT_NOTICE_BUSINESS_DAYS;
  const reason = input.emergencyReason?.trim() || null;
  let decision;
  try {
    decision = checkNotice({ calendar, announcedAt: now, start: input.startsAt, businessDays: days, emergency: reason !== null, ...(reason ? { emergencyReason: reason } : {}) });
  } catch (e) {
    if (e instanceof NoticeError) throw new AppError('maintenance.invalid', e.message, [{ path: ['emergencyReason'], code: 'required', message: e.message }]);
    throw e;
  }
  if (decision.kind === 'late') {
    throw new AppError('maintenance.notice.conflict', 'announced too late for planned maintenance', [], {
      latest: `${formatInZone(decision.latestAllowed, calendar.timeZone)} (${calendar.timeZone})`,
      start: `${formatInZone(input.startsAt, calendar.timeZone)} (${calendar.timeZone})`,
      days,
    });
  }
  const row: repo.WindowRow = {
    id: uuidv7(), contractId: c.id, clientId: c.clientId, systemId: input.systemId ?? null, seriesId: null, occurrenceIndex: null,
    kind: reason ? 'emergency' : 'planned', title: input.title.trim(), description: input.description ?? '',
    startsAt: input.startsAt, endsAt: input.endsAt, status: 'announced', announcedAt: now,
    noticeDeadlineAt: decision.latestAllowed, noticeInTime: toFlag(decision.kind === 'ok' || decision.inTime),
    emergencyReason: decision.kind === 'emergency' ? decision.reason : null, cancelReason: null,
    actualStart: null, actualEnd: null, sequence: 0, createdBy: actor.userId, createdAt: now, updatedAt: now,
  };
  await repo.insertWindows(tx, [row]);
  w.audit({ entity: 'maintenance', entityId: row.id, action: 'create', after: row });
  const names = await repo.systemNames(tx, row.systemId ? [row.systemId] : []);
  await sendNotices(tx, actor, now, 'announce', {
    contractId: c.id, contractName: c.name, clientName: c.clientName, timeZone: calendar.timeZone, title: row.title,
    description: row.description, windowId: row.id, seriesId: null, startsAt: row.startsAt, endsAt: row.endsAt,
    systemName: row.systemId ? names.get(row.systemId) ?? null : null, emergencyReason: row.emergencyReason,
  });
  // The reminder the day before (the service's key, so a later reschedule or cancel moves it).
  if (row.startsAt - DAY > now) {
    await enqueue(tx, { kind: REMINDER_JOB, payload: { windowId: row.id, startsAt: row.startsAt }, runAt: row.startsAt - DAY, dedupeKey: `maintenance:reminder:${row.id}`, now });
  }
  return row;
}

/** Windows of a contract (not cancelled) overlapping [from, to): what a change in that window would meet. */
export async function windowsOverlapping(ex: Executor, contractId: string, from: number, to: number): Promise<repo.WindowRow[]> {
  const rows = await repo.listWindows(ex, { scope: null, contractId, statuses: ['draft', 'announced'], from: from - 7 * DAY, to });
  return rows.filter((x) => x.startsAt < to && x.endsAt > from);
}
