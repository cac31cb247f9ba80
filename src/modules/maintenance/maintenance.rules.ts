/**
 * What the parts of the maintenance slice share inside a transaction (or a read):
 * loading a contract or window as the actor may see it, the notice rule applied to an
 * announcement, the notices with their deliveries, the reminder job, and the detail a
 * command answers with. Functions of an Executor, so they run in whichever unit (or
 * plain read) the caller is in.
 */
import { checkNotice, DEFAULT_NOTICE_BUSINESS_DAYS, latestAnnouncement, NoticeError } from '../../core/maintenance/index.ts';
import type { Executor } from '../../db/database.ts';
import { toFlag } from '../../db/tx.ts';
import { AppError, instantParam, notFound, type ErrorIssue } from '../../errors.ts';
import { cancelJobs, enqueue } from '../../jobs/queue.ts';
import type { Actor } from '../auth/actor.ts';
import { clientScope } from '../auth/access.ts';
import { may } from '../auth/authorize.ts';
import { loadWorkingCalendar } from '../calendars/calendar.service.ts';
import { contractCoversSystem } from '../contracts/contract.service.ts';
import { deliveriesOf } from '../mail/mail.outbound.ts';
import { noticeMailKey, sendNotices, type NoticeKind, type NoticeSubject } from './maintenance.mail.ts';
import { DAY, invalid, issue, REMINDER_JOB, reminderKey, type Notice, type Series, type Window, type WindowDetail } from './maintenance.model.ts';
import * as repo from './maintenance.repository.ts';

export type ContractInfo = NonNullable<Awaited<ReturnType<typeof repo.contractInfo>>>;

export async function loadContract(ex: Executor, actor: Actor, contractId: string): Promise<ContractInfo> {
  const c = await repo.contractInfo(ex, contractId, clientScope(actor));
  if (!c) throw notFound('contract');
  return c;
}

export async function loadWindow(ex: Executor, actor: Actor, id: string, lock = false): Promise<Window> {
  const w = await repo.findWindow(ex, id, clientScope(actor), lock);
  // A draft is the desk's plan, not yet the client's: like a missing id to those who may not see drafts.
  if (!w || (w.announcedAt === null && !may(actor, 'maintenance.read_drafts'))) throw notFound('maintenance');
  return w;
}

export async function checkSystem(ex: Executor, contractId: string, systemId: string | null | undefined): Promise<void> {
  if (systemId && !(await contractCoversSystem(ex, contractId, systemId))) {
    throw invalid([issue(['systemId'], 'not_found', 'not a system of this contract')]);
  }
}

export function validateTimes(startsAt: number, endsAt: number, issues: ErrorIssue[]): void {
  if (!Number.isFinite(startsAt)) issues.push(issue(['startsAt'], 'invalid', 'not an instant'));
  if (!Number.isFinite(endsAt)) issues.push(issue(['endsAt'], 'invalid', 'not an instant'));
  if (Number.isFinite(startsAt) && Number.isFinite(endsAt) && !(endsAt > startsAt)) issues.push(issue(['endsAt'], 'too_small', 'must be after startsAt', { rule: 'after_start' }));
}

export async function noticeDays(ex: Executor, contractId: string): Promise<number> {
  return (await repo.findSettings(ex, contractId))?.noticeBusinessDays ?? DEFAULT_NOTICE_BUSINESS_DAYS;
}

/**
 * The notices of windows with their deliveries. A contact sees each recipient's status,
 * not the server's wording (relay host names and errors are the vendor's business).
 */
export async function noticesWithDelivery(ex: Executor, windowIds: string[], actor: Actor | null = null): Promise<Notice[]> {
  const rows = await repo.noticesOf(ex, { windowIds });
  const deliveries = await deliveriesOf(ex, rows.map((n) => noticeMailKey(n.id)));
  const hideDetail = actor !== null && !may(actor, 'maintenance.read_delivery');
  return rows.map((n) => {
    const d = deliveries.get(noticeMailKey(n.id))?.find((x) => x.recipient === n.email) ?? null;
    return { ...n, delivery: d && hideDetail ? { ...d, detail: null } : d };
  });
}

/** What a notice about a window or series says (the mail templates fill it in). */
export async function subject(ex: Executor, c: ContractInfo, w: Window | Series, extra: Partial<NoticeSubject> = {}): Promise<NoticeSubject> {
  const cal = await loadWorkingCalendar(ex, c.calendarId);
  const names = await repo.systemNames(ex, w.systemId ? [w.systemId] : []);
  const isWindow = 'startsAt' in w;
  return {
    contractId: c.id,
    contractName: c.name,
    clientName: c.clientName,
    timeZone: cal.timeZone,
    title: w.title,
    description: w.description,
    windowId: isWindow ? w.id : null,
    seriesId: isWindow ? w.seriesId : w.id,
    startsAt: isWindow ? w.startsAt : null,
    endsAt: isWindow ? w.endsAt : null,
    systemName: w.systemId ? names.get(w.systemId) ?? null : null,
    ...(isWindow ? { emergencyReason: w.emergencyReason } : {}),
    ...extra,
  };
}

export async function notify(ex: Executor, actor: Actor, now: number, c: ContractInfo, w: Window, kind: NoticeKind): Promise<void> {
  await sendNotices(ex, actor, now, kind, await subject(ex, c, w));
}

/** The reminder the day before, if that is still ahead; rescheduling moves it (same key). */
export async function armReminder(ex: Executor, w: Window, now: number): Promise<void> {
  const at = w.startsAt - DAY;
  if (at <= now) {
    await cancelJobs(ex, reminderKey(w.id));
    return;
  }
  await enqueue(ex, { kind: REMINDER_JOB, payload: { windowId: w.id, startsAt: w.startsAt }, runAt: at, dedupeKey: reminderKey(w.id), now });
}

/**
 * Applies the notice rule to an announcement at `now`: returns the fields to
 * record, or throws maintenance.notice.conflict (409) for a late planned window.
 */
export async function decide(ex: Executor, c: ContractInfo, w: Pick<Window, 'startsAt' | 'kind'>, now: number, emergencyReason: string | null | undefined) {
  const calendar = await loadWorkingCalendar(ex, c.calendarId);
  const days = await noticeDays(ex, c.id);
  const emergency = w.kind === 'emergency';
  let decision;
  try {
    decision = checkNotice({
      calendar, announcedAt: now, start: w.startsAt, businessDays: days, emergency,
      ...(emergencyReason != null ? { emergencyReason } : {}),
    });
  } catch (e) {
    if (e instanceof NoticeError && e.code === 'maintenance.emergency_reason_required') {
      throw invalid([issue(['emergencyReason'], 'required', 'emergency maintenance needs a reason')]);
    }
    throw e;
  }
  if (decision.kind === 'late') {
    throw new AppError('maintenance.notice.conflict', 'announced too late for planned maintenance', [], {
      latest: instantParam(decision.latestAllowed, calendar.timeZone),
      start: instantParam(w.startsAt, calendar.timeZone),
      days,
    });
  }
  return {
    noticeDeadlineAt: decision.latestAllowed,
    noticeInTime: toFlag(decision.kind === 'ok' || decision.inTime),
    emergencyReason: decision.kind === 'emergency' ? decision.reason : null,
  };
}

/** A window with its contract's zone, the notice rule's deadline and the notices sent. */
export async function detail(ex: Executor, w: Window, actor: Actor | null = null): Promise<WindowDetail> {
  const c = (await repo.contractInfo(ex, w.contractId, null))!;
  const calendar = await loadWorkingCalendar(ex, c.calendarId);
  const days = await noticeDays(ex, c.id);
  return {
    ...w,
    timeZone: calendar.timeZone,
    noticeBusinessDays: days,
    latestAnnouncementAt: w.noticeDeadlineAt ?? latestAnnouncement(calendar, w.startsAt, days),
    notices: await noticesWithDelivery(ex, [w.id], actor),
  };
}
