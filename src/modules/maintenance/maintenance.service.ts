/**
 * Planned maintenance (SPEC §4). Windows per contract (optionally one system):
 * one-off planned, emergency (an urgent bug fix: exempt from the notice period
 * but only with a recorded reason), and the stored occurrences of recurring
 * series (the backup window). Announcing checks the notice rule of the pure core
 * on the contract's calendar and notice days, e-mails the designated contacts and
 * records who was notified when; reschedule and cancel notify again; a reminder
 * goes out the day before. Every change, its audit row, its notices and its jobs
 * are one transaction. Contacts read their own client's windows; staff write.
 */
import crypto from 'node:crypto';
import { uuidv7 } from 'uuidv7';
import type { Interval, MaintenanceRecord } from '../../core/availability/index.ts';
import {
  checkNotice, compileWindow, DEFAULT_NOTICE_BUSINESS_DAYS, latestAnnouncement, NoticeError, occurrencesBetween,
  RecurrenceError, type Repeat,
} from '../../core/maintenance/index.ts';
import type { Executor } from '../../db/database.ts';
import { toFlag, type ServiceDeps } from '../../db/tx.ts';
import { AppError, notFound, type ErrorIssue, type IssueCode, type IssueParams } from '../../errors.ts';
import { cancelJobs, enqueue } from '../../jobs/queue.ts';
import type { Actor } from '../auth/actor.ts';
import { ADMIN, STAFF, clientScope, isStaff, requireRole } from '../auth/access.ts';
import { unitOfWork } from '../../db/unit-of-work.ts';
import { SYSTEM_ACTOR } from '../auth/actor.ts';
import { loadWorkingCalendar } from '../calendars/calendar.service.ts';
import { contractCoversSystem } from '../contracts/contract.service.ts';
import { deliveriesOf, type Delivery } from '../mail/mail.outbound.ts';
import { formatInZone, noticeMailKey, sendNotices, type NoticeKind, type NoticeSubject } from './maintenance.mail.ts';
import { maintenanceIcs } from './maintenance.ics.ts';
import * as repo from './maintenance.repository.ts';

export const REMINDER_JOB = 'maintenance.reminder';
export const MATERIALIZE_JOB = 'maintenance.materialize';
/** Occurrences of series are stored this far ahead (the ICS feed and status page show them). */
export const HORIZON_MS = 90 * 86_400_000;
const DAY = 86_400_000;
const reminderKey = (windowId: string) => `maintenance:reminder:${windowId}`;

export type Window = repo.WindowRow;
export type Series = repo.SeriesRow;
/** A notice row with what the outbound job recorded for its mail (null: recorded before deliveries were). */
export type Notice = repo.NoticeRow & { delivery: Delivery | null };

export interface WindowInput {
  contractId: string;
  systemId?: string | null;
  kind: 'planned' | 'emergency';
  title: string;
  description?: string;
  startsAt: number;
  endsAt: number;
  /** Required for emergency maintenance; recorded with the announcement. */
  emergencyReason?: string | null;
  /** Announce at once (same rules as POST …/announce). */
  announce?: boolean;
}

export interface SeriesInput {
  contractId: string;
  systemId?: string | null;
  title: string;
  description?: string;
  /** Local "HH:MM" in the contract calendar's zone; default: the contract's backup window. */
  startTime?: string;
  endTime?: string;
  repeat: Repeat;
  firstDate: string;
  until?: string | null;
  count?: number | null;
}

export interface WindowDetail extends Window {
  timeZone: string;
  noticeBusinessDays: number;
  /** The latest instant an announcement of this window is (or was) in time. */
  latestAnnouncementAt: number;
  notices: Notice[];
}

export interface Settings {
  contractId: string;
  noticeBusinessDays: number;
  published: boolean;
  publicTokenPrefix: string | null;
  publishedAt: number | null;
}

const issue = (path: (string | number)[], code: IssueCode, message: string, params?: IssueParams): ErrorIssue => ({ path, code, message, ...(params ? { params } : {}) });
const invalid = (issues: ErrorIssue[]) => new AppError('maintenance.invalid', 'invalid maintenance input', issues);
const hashToken = (token: string) => crypto.createHash('sha256').update(token).digest('hex');

type ContractInfo = NonNullable<Awaited<ReturnType<typeof repo.contractInfo>>>;

async function loadContract(ex: Executor, actor: Actor, contractId: string): Promise<ContractInfo> {
  const c = await repo.contractInfo(ex, contractId, clientScope(actor));
  if (!c) throw notFound('contract');
  return c;
}

/**
 * The notices of windows with their deliveries. A contact sees each recipient's status,
 * not the server's wording (relay host names and errors are the vendor's business).
 */
async function noticesWithDelivery(ex: Executor, windowIds: string[], actor: Actor | null = null): Promise<Notice[]> {
  const rows = await repo.noticesOf(ex, { windowIds });
  const deliveries = await deliveriesOf(ex, rows.map((n) => noticeMailKey(n.id)));
  const hideDetail = actor !== null && !isStaff(actor);
  return rows.map((n) => {
    const d = deliveries.get(noticeMailKey(n.id))?.find((x) => x.recipient === n.email) ?? null;
    return { ...n, delivery: d && hideDetail ? { ...d, detail: null } : d };
  });
}

async function noticeDays(ex: Executor, contractId: string): Promise<number> {
  return (await repo.findSettings(ex, contractId))?.noticeBusinessDays ?? DEFAULT_NOTICE_BUSINESS_DAYS;
}

/** For other modules (monitoring, reports): the announced maintenance of a contract over [from, to). */
export async function maintenanceForAvailability(
  ex: Executor, contractId: string, from: number, to: number, systemId?: string,
): Promise<{ planned: MaintenanceRecord[]; emergency: Interval[] }> {
  const rows = await repo.listWindows(ex, { scope: null, contractId, statuses: ['announced'] });
  const planned: MaintenanceRecord[] = [];
  const emergency: Interval[] = [];
  for (const w of rows) {
    if (systemId !== undefined && w.systemId !== null && w.systemId !== systemId) continue;
    const s = w.actualStart ?? w.startsAt;
    const e = w.actualEnd ?? w.endsAt;
    if (Math.max(e, w.endsAt) <= from || Math.min(s, w.startsAt) >= to) continue;
    // Emergency work was not planned: by default it does not reduce service time
    // (docs/design.md, "Planned = announced"); it counts as downtime.
    if (w.kind === 'emergency') emergency.push([s, e]);
    else {
      planned.push({
        announcedStart: w.startsAt,
        announcedEnd: w.endsAt,
        ...(w.actualStart !== null ? { actualStart: w.actualStart } : {}),
        ...(w.actualEnd !== null ? { actualEnd: w.actualEnd } : {}),
      });
    }
  }
  return { planned, emergency };
}

/** For the public status page: announced windows (planned, recurring and emergency) with their titles overlapping [from, to). */
export async function maintenanceForStatusPage(ex: Executor, contractId: string, from: number, to: number) {
  const rows = await repo.listWindows(ex, { scope: null, contractId, statuses: ['announced'], from: from - 7 * DAY, to });
  return rows
    .filter((w) => Math.max(w.endsAt, w.actualEnd ?? w.endsAt) > from)
    .map((w) => ({
      id: w.id, kind: w.kind, title: w.title, systemId: w.systemId,
      startsAt: w.actualStart ?? w.startsAt, endsAt: Math.max(w.endsAt, w.actualEnd ?? w.endsAt),
    }));
}

/** For monitoring: is an announced window of the contract (all systems or this one) running at `at`? */
export async function maintenanceRunning(ex: Executor, contractId: string, systemId: string, at: number): Promise<boolean> {
  const rows = await repo.listWindows(ex, { scope: null, contractId, statuses: ['announced'], from: at - 7 * DAY, to: at + 1 });
  return rows.some((w) => (w.systemId === null || w.systemId === systemId)
    && (w.actualStart ?? w.startsAt) <= at && at < Math.max(w.endsAt, w.actualEnd ?? (w.actualStart !== null ? Infinity : w.endsAt)));
}

/** The contract a public token opens, or null. */
export async function contractByPublicToken(ex: Executor, token: string): Promise<string | null> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
  return (await repo.contractIdByTokenHash(ex, hashToken(token))) ?? null;
}

export function createMaintenanceService(deps: ServiceDeps) {
  const { db, clock } = deps;
  const uow = deps.uow ?? unitOfWork(db, clock);
  async function subject(ex: Executor, c: ContractInfo, w: Window | Series, extra: Partial<NoticeSubject> = {}): Promise<NoticeSubject> {
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

  async function notify(ex: Executor, actor: Actor, now: number, c: ContractInfo, w: Window, kind: NoticeKind): Promise<void> {
    await sendNotices(ex, actor, now, kind, await subject(ex, c, w));
  }

  /** The reminder the day before, if that is still ahead; rescheduling moves it (same key). */
  async function armReminder(ex: Executor, w: Window, now: number): Promise<void> {
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
  async function decide(ex: Executor, c: ContractInfo, w: Pick<Window, 'startsAt' | 'kind'>, now: number, emergencyReason: string | null | undefined) {
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
        latest: `${formatInZone(decision.latestAllowed, calendar.timeZone)} (${calendar.timeZone})`,
        start: `${formatInZone(w.startsAt, calendar.timeZone)} (${calendar.timeZone})`,
        days,
      });
    }
    return {
      noticeDeadlineAt: decision.latestAllowed,
      noticeInTime: toFlag(decision.kind === 'ok' || decision.inTime),
      emergencyReason: decision.kind === 'emergency' ? decision.reason : null,
    };
  }

  async function detail(ex: Executor, w: Window, actor: Actor | null = null): Promise<WindowDetail> {
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

  function validateTimes(startsAt: number, endsAt: number, issues: ErrorIssue[]): void {
    if (!Number.isFinite(startsAt)) issues.push(issue(['startsAt'], 'invalid', 'not an instant'));
    if (!Number.isFinite(endsAt)) issues.push(issue(['endsAt'], 'invalid', 'not an instant'));
    if (Number.isFinite(startsAt) && Number.isFinite(endsAt) && !(endsAt > startsAt)) issues.push(issue(['endsAt'], 'too_small', 'must be after startsAt', { rule: 'after_start' }));
  }

  async function loadWindow(ex: Executor, actor: Actor, id: string, lock = false): Promise<Window> {
    const w = await repo.findWindow(ex, id, clientScope(actor), lock);
    if (!w) throw notFound('maintenance');
    return w;
  }

  async function checkSystem(ex: Executor, contractId: string, systemId: string | null | undefined): Promise<void> {
    if (systemId && !(await contractCoversSystem(ex, contractId, systemId))) {
      throw invalid([issue(['systemId'], 'not_found', 'not a system of this contract')]);
    }
  }

  /** Stores the occurrences of a series from its materialized end up to `until` (those announced in time). */
  async function materialize(ex: Executor, s: Series, until: number, now: number): Promise<number> {
    const from = s.materializedUntil;
    if (until <= from || s.status !== 'active') return 0;
    const c = (await repo.contractInfo(ex, s.contractId, null))!;
    const calendar = await loadWorkingCalendar(ex, c.calendarId);
    const days = await noticeDays(ex, c.id);
    const compiled = compileWindow({
      timeZone: s.timeZone, startTime: s.startTime, endTime: s.endTime, repeat: JSON.parse(s.repeat) as Repeat, firstDate: s.firstDate,
      ...(s.until !== null ? { until: s.until } : {}), ...(s.count !== null ? { count: s.count } : {}),
    });
    const last = await repo.maxOccurrenceIndex(ex, s.id);
    const rows = occurrencesBetween(compiled, from, until)
      // An occurrence that started before `from` was stored by the previous run.
      .filter((o) => o.index > last && o.start >= from)
      .flatMap((o) => {
        const latest = latestAnnouncement(calendar, o.start, days);
        // The series' announcement covers only occurrences it announced in time.
        if (s.announcedAt > latest) return [];
        return [{
          id: uuidv7(), contractId: s.contractId, clientId: s.clientId, systemId: s.systemId, seriesId: s.id, occurrenceIndex: o.index,
          kind: 'recurring', title: s.title, description: s.description, startsAt: o.start, endsAt: o.end, status: 'announced',
          announcedAt: s.announcedAt, noticeDeadlineAt: latest, noticeInTime: 1, emergencyReason: null, cancelReason: null,
          actualStart: null, actualEnd: null, sequence: 0, createdBy: s.createdBy, createdAt: now, updatedAt: now,
        }];
      });
    await repo.insertWindows(ex, rows);
    await repo.updateSeries(ex, s.id, { materializedUntil: until, updatedAt: now });
    return rows.length;
  }

  return {
    async getSettings(actor: Actor, contractId: string): Promise<Settings> {
      const c = await loadContract(db, actor, contractId);
      const s = await repo.findSettings(db, c.id);
      return {
        contractId: c.id,
        noticeBusinessDays: s?.noticeBusinessDays ?? DEFAULT_NOTICE_BUSINESS_DAYS,
        published: s?.publishedAt != null,
        publicTokenPrefix: s?.publicTokenPrefix ?? null,
        publishedAt: s?.publishedAt ?? null,
      };
    },

    async updateSettings(actor: Actor, contractId: string, input: { noticeBusinessDays: number }): Promise<Settings> {
      requireRole(actor, ADMIN);
      if (!Number.isInteger(input.noticeBusinessDays) || input.noticeBusinessDays < 0 || input.noticeBusinessDays > 30) {
        throw invalid([issue(['noticeBusinessDays'], 'invalid', 'an integer 0..30')]);
      }
      const now = clock();
      await uow.command(actor, async (work) => {
        const tx = work.tx;
        const c = await loadContract(tx, actor, contractId);
        const before = await repo.findSettings(tx, c.id);
        await repo.upsertSettings(tx, { contractId: c.id, noticeBusinessDays: input.noticeBusinessDays, updatedAt: now }, { noticeBusinessDays: input.noticeBusinessDays, updatedAt: now });
        work.audit({ entity: 'maintenance_settings', entityId: c.id, action: 'update', before: before ?? null, after: { noticeBusinessDays: input.noticeBusinessDays } });
      }, { now });
      return this.getSettings(actor, contractId);
    },

    /**
     * Publishes the contract's ICS feed and status page under a new unguessable
     * token (256 random bits), shown only in this answer; only its SHA-256 is kept.
     * Publishing again replaces the token (the old URLs stop working).
     */
    async publish(actor: Actor, contractId: string): Promise<{ token: string; settings: Settings }> {
      requireRole(actor, STAFF);
      const now = clock();
      const token = crypto.randomBytes(32).toString('base64url');
      await uow.command(actor, async (work) => {
        const tx = work.tx;
        const c = await loadContract(tx, actor, contractId);
        const set = { publicTokenHash: hashToken(token), publicTokenPrefix: token.slice(0, 6), publishedAt: now, updatedAt: now };
        await repo.upsertSettings(tx, { contractId: c.id, noticeBusinessDays: DEFAULT_NOTICE_BUSINESS_DAYS, ...set }, set);
        work.audit({ entity: 'maintenance_settings', entityId: c.id, action: 'publish', after: { publicTokenPrefix: set.publicTokenPrefix } });
      }, { now });
      return { token, settings: await this.getSettings(actor, contractId) };
    },

    async unpublish(actor: Actor, contractId: string): Promise<Settings> {
      requireRole(actor, STAFF);
      const now = clock();
      await uow.command(actor, async (work) => {
        const tx = work.tx;
        const c = await loadContract(tx, actor, contractId);
        const set = { publicTokenHash: null, publicTokenPrefix: null, publishedAt: null, updatedAt: now };
        await repo.upsertSettings(tx, { contractId: c.id, noticeBusinessDays: DEFAULT_NOTICE_BUSINESS_DAYS, ...set }, set);
        work.audit({ entity: 'maintenance_settings', entityId: c.id, action: 'unpublish' });
      }, { now });
      return this.getSettings(actor, contractId);
    },

    /** What the notice rule says about maintenance starting at `startsAt` (shown while scheduling). */
    async noticeFor(actor: Actor, contractId: string, startsAt: number): Promise<{ latestAnnouncementAt: number; noticeBusinessDays: number; inTimeNow: boolean; timeZone: string }> {
      const c = await loadContract(db, actor, contractId);
      const calendar = await loadWorkingCalendar(db, c.calendarId);
      const days = await noticeDays(db, c.id);
      const latest = latestAnnouncement(calendar, startsAt, days);
      return { latestAnnouncementAt: latest, noticeBusinessDays: days, inTimeNow: clock() <= latest, timeZone: calendar.timeZone };
    },

    async create(actor: Actor, input: WindowInput): Promise<WindowDetail> {
      requireRole(actor, STAFF);
      const now = clock();
      const issues: ErrorIssue[] = [];
      if (!input.title?.trim()) issues.push(issue(['title'], 'too_small', 'required'));
      validateTimes(input.startsAt, input.endsAt, issues);
      if (input.kind === 'emergency' && !input.emergencyReason?.trim()) issues.push(issue(['emergencyReason'], 'required', 'emergency maintenance needs a reason'));
      if (issues.length) throw invalid(issues);
      return uow.command(actor, async (work) => {
        const tx = work.tx;
        const c = await loadContract(tx, actor, input.contractId);
        await checkSystem(tx, c.id, input.systemId);
        let row: Window = {
          id: uuidv7(), contractId: c.id, clientId: c.clientId, systemId: input.systemId ?? null, seriesId: null, occurrenceIndex: null,
          kind: input.kind, title: input.title.trim(), description: input.description ?? '', startsAt: input.startsAt, endsAt: input.endsAt,
          status: 'draft', announcedAt: null, noticeDeadlineAt: null, noticeInTime: null,
          emergencyReason: input.kind === 'emergency' ? input.emergencyReason!.trim() : null, cancelReason: null,
          actualStart: null, actualEnd: null, sequence: 0, createdBy: actor.userId, createdAt: now, updatedAt: now,
        };
        if (input.announce) {
          row = { ...row, ...(await decide(tx, c, row, now, row.emergencyReason)), status: 'announced', announcedAt: now };
        }
        await repo.insertWindows(tx, [row]);
        work.audit({ entity: 'maintenance', entityId: row.id, action: 'create', after: row });
        if (input.announce) {
          await notify(tx, actor, now, c, row, 'announce');
          await armReminder(tx, row, now);
        }
        return detail(tx, row);
      }, { now });
    },

    async get(actor: Actor, id: string): Promise<WindowDetail> {
      return detail(db, await loadWindow(db, actor, id), actor);
    },

    async list(actor: Actor, f: { contractId?: string; from?: number; to?: number; includeCancelled?: boolean; limit?: number }): Promise<Window[]> {
      return repo.listWindows(db, {
        scope: clientScope(actor),
        ...(f.contractId ? { contractId: f.contractId } : {}),
        ...(f.from !== undefined ? { from: f.from } : {}),
        ...(f.to !== undefined ? { to: f.to } : {}),
        ...(f.includeCancelled ? {} : { statuses: ['draft', 'announced'] }),
        limit: Math.min(Math.max(f.limit ?? 200, 1), 1000),
      });
    },

    /**
     * Announces a draft: refused with maintenance.notice.conflict (409) when later
     * than the notice rule allows, unless the window is (made) emergency with a reason.
     */
    async announce(actor: Actor, id: string, input: { emergencyReason?: string | null } = {}): Promise<WindowDetail> {
      requireRole(actor, STAFF);
      const now = clock();
      return uow.command(actor, async (work) => {
        const tx = work.tx;
        const w = await loadWindow(tx, actor, id, true);
        if (w.status !== 'draft') throw new AppError('maintenance.invalid_state', 'only a draft can be announced', [], { status: w.status });
        const c = (await repo.contractInfo(tx, w.contractId, null))!;
        const reason = input.emergencyReason?.trim() ? input.emergencyReason.trim() : w.emergencyReason;
        const kind = input.emergencyReason?.trim() ? 'emergency' : w.kind;
        const set = { ...(await decide(tx, c, { startsAt: w.startsAt, kind }, now, reason)), kind, status: 'announced', announcedAt: now, updatedAt: now };
        const after: Window = { ...w, ...set };
        await repo.updateWindow(tx, w.id, set);
        work.audit({ entity: 'maintenance', entityId: w.id, action: 'announce', before: w, after });
        await notify(tx, actor, now, c, after, 'announce');
        await armReminder(tx, after, now);
        return detail(tx, after);
      }, { now });
    },

    /**
     * Moves or edits a window. An announced window moved to a new time is announced
     * again (the notice rule applies to the new start; emergency with a reason is
     * exempt) and the contacts are told; a draft just changes.
     */
    async update(actor: Actor, id: string, patch: { title?: string; description?: string; startsAt?: number; endsAt?: number; emergencyReason?: string | null }): Promise<WindowDetail> {
      requireRole(actor, STAFF);
      const now = clock();
      return uow.command(actor, async (work) => {
        const tx = work.tx;
        const w = await loadWindow(tx, actor, id, true);
        if (w.status === 'cancelled') throw new AppError('maintenance.invalid_state', 'cancelled', [], { status: w.status });
        const startsAt = patch.startsAt ?? w.startsAt;
        const endsAt = patch.endsAt ?? w.endsAt;
        const issues: ErrorIssue[] = [];
        validateTimes(startsAt, endsAt, issues);
        if (patch.title !== undefined && !patch.title.trim()) issues.push(issue(['title'], 'too_small', 'required'));
        if (issues.length) throw invalid(issues);
        const moved = startsAt !== w.startsAt || endsAt !== w.endsAt;
        let after: Window = {
          ...w,
          ...(patch.title !== undefined ? { title: patch.title.trim() } : {}),
          ...(patch.description !== undefined ? { description: patch.description } : {}),
          startsAt, endsAt, updatedAt: now,
        };
        const c = (await repo.contractInfo(tx, w.contractId, null))!;
        if (w.status === 'announced' && (moved || patch.title !== undefined || patch.description !== undefined)) {
          const reason = patch.emergencyReason?.trim() ? patch.emergencyReason.trim() : w.emergencyReason;
          const kind = patch.emergencyReason?.trim() ? 'emergency' : w.kind;
          // A recurring occurrence moved by hand keeps its series' announcement only if the rule still holds.
          const rule = moved ? await decide(tx, c, { startsAt, kind: kind === 'recurring' ? 'planned' : kind }, now, reason) : {};
          after = { ...after, ...rule, ...(moved ? { kind, announcedAt: now } : {}), sequence: w.sequence + 1 };
        }
        await repo.updateWindow(tx, w.id, after);
        work.audit({ entity: 'maintenance', entityId: w.id, action: moved ? 'reschedule' : 'update', before: w, after });
        if (after.status === 'announced' && after.sequence !== w.sequence) {
          await notify(tx, actor, now, c, after, 'reschedule');
          await armReminder(tx, after, now);
        }
        return detail(tx, after);
      }, { now });
    },

    async cancel(actor: Actor, id: string, input: { reason: string }): Promise<WindowDetail> {
      requireRole(actor, STAFF);
      if (!input.reason?.trim()) throw invalid([issue(['reason'], 'required', 'say why')]);
      const now = clock();
      return uow.command(actor, async (work) => {
        const tx = work.tx;
        const w = await loadWindow(tx, actor, id, true);
        if (w.status === 'cancelled') throw new AppError('maintenance.invalid_state', 'already cancelled', [], { status: w.status });
        const after: Window = { ...w, status: 'cancelled', cancelReason: input.reason.trim(), sequence: w.sequence + 1, updatedAt: now };
        await repo.updateWindow(tx, w.id, after);
        work.audit({ entity: 'maintenance', entityId: w.id, action: 'cancel', before: w, after });
        await cancelJobs(tx, reminderKey(w.id));
        if (w.status === 'announced') {
          const c = (await repo.contractInfo(tx, w.contractId, null))!;
          await sendNotices(tx, actor, now, 'cancel', await subject(tx, c, after, { cancelReason: after.cancelReason }));
        }
        return detail(tx, after);
      }, { now });
    },

    /** What the work really took: time outside the announced window counts as downtime. */
    async recordActual(actor: Actor, id: string, input: { actualStart: number | null; actualEnd: number | null }): Promise<WindowDetail> {
      requireRole(actor, STAFF);
      const now = clock();
      if (input.actualStart !== null && input.actualEnd !== null && !(input.actualEnd > input.actualStart)) {
        throw invalid([issue(['actualEnd'], 'too_small', 'must be after actualStart', { rule: 'after_start' })]);
      }
      return uow.command(actor, async (work) => {
        const tx = work.tx;
        const w = await loadWindow(tx, actor, id, true);
        if (w.status !== 'announced') throw new AppError('maintenance.invalid_state', 'not announced', [], { status: w.status });
        const after: Window = { ...w, actualStart: input.actualStart, actualEnd: input.actualEnd, updatedAt: now };
        await repo.updateWindow(tx, w.id, { actualStart: input.actualStart, actualEnd: input.actualEnd, updatedAt: now });
        work.audit({ entity: 'maintenance', entityId: w.id, action: 'actual', before: w, after });
        return detail(tx, after);
      }, { now });
    },

    /**
     * A recurring window (the backup window: daily 02:00–04:00 local; weekly
     * patterns), announced to the contacts on creation. Its occurrences are stored
     * 90 days ahead (a daily job extends them); an occurrence the announcement
     * would reach too late under the notice rule is not stored.
     */
    async createSeries(actor: Actor, input: SeriesInput): Promise<{ series: Series; occurrences: number }> {
      requireRole(actor, STAFF);
      const now = clock();
      return uow.command(actor, async (work) => {
        const tx = work.tx;
        const c = await loadContract(tx, actor, input.contractId);
        await checkSystem(tx, c.id, input.systemId);
        const calendar = await loadWorkingCalendar(tx, c.calendarId);
        const startTime = input.startTime ?? c.backupWindowStart;
        const endTime = input.endTime ?? c.backupWindowEnd;
        const issues: ErrorIssue[] = [];
        if (!input.title?.trim()) issues.push(issue(['title'], 'too_small', 'required'));
        if (!startTime || !endTime) issues.push(issue(['startTime'], 'required', 'no times given and the contract has no backup window'));
        if (issues.length) throw invalid(issues);
        const rule = {
          timeZone: calendar.timeZone, startTime: startTime!, endTime: endTime!, repeat: input.repeat, firstDate: input.firstDate,
          ...(input.until ? { until: input.until } : {}), ...(input.count ? { count: input.count } : {}),
        };
        try {
          compileWindow(rule);
        } catch (e) {
          if (e instanceof RecurrenceError) throw invalid([issue([], 'invalid', e.message)]);
          throw e;
        }
        const series: Series = {
          id: uuidv7(), contractId: c.id, clientId: c.clientId, systemId: input.systemId ?? null, title: input.title.trim(),
          description: input.description ?? '', timeZone: calendar.timeZone, startTime: rule.startTime, endTime: rule.endTime,
          repeat: JSON.stringify(input.repeat), firstDate: input.firstDate, until: input.until ?? null, count: input.count ?? null,
          status: 'active', announcedAt: now, materializedUntil: now, createdBy: actor.userId, createdAt: now, updatedAt: now,
        };
        await repo.insertSeries(tx, series);
        const occurrences = await materialize(tx, series, now + HORIZON_MS, now);
        series.materializedUntil = now + HORIZON_MS;
        work.audit({ entity: 'maintenance_series', entityId: series.id, action: 'create', after: series });
        await sendNotices(tx, actor, now, 'announce', await subject(tx, c, series, { schedule: describeSchedule(series) }));
        // The daily job that keeps occurrences stored HORIZON_MS ahead.
        await enqueue(tx, { kind: MATERIALIZE_JOB, payload: {}, runAt: now + DAY, dedupeKey: 'maintenance:materialize', now });
        return { series, occurrences };
      }, { now });
    },

    async listSeries(actor: Actor, contractId?: string): Promise<Series[]> {
      return repo.listSeries(db, { scope: clientScope(actor), ...(contractId ? { contractId } : {}) });
    },

    async getSeries(actor: Actor, id: string): Promise<Series> {
      const s = await repo.findSeries(db, id, clientScope(actor));
      if (!s) throw notFound('maintenance_series');
      return s;
    },

    /** Ends a series: its future occurrences are cancelled and the contacts told once. */
    async cancelSeries(actor: Actor, id: string, input: { reason: string }): Promise<Series> {
      requireRole(actor, STAFF);
      if (!input.reason?.trim()) throw invalid([issue(['reason'], 'required', 'say why')]);
      const now = clock();
      return uow.command(actor, async (work) => {
        const tx = work.tx;
        const s = await repo.findSeries(tx, id, clientScope(actor), true);
        if (!s) throw notFound('maintenance_series');
        if (s.status !== 'active') throw new AppError('maintenance.invalid_state', 'already cancelled', [], { status: s.status });
        const after: Series = { ...s, status: 'cancelled', updatedAt: now };
        await repo.updateSeries(tx, s.id, { status: 'cancelled', updatedAt: now });
        const cancelled = await repo.cancelFutureOccurrences(tx, s.id, now, input.reason.trim(), now);
        for (const w of cancelled) await cancelJobs(tx, reminderKey(w.id));
        work.audit({ entity: 'maintenance_series', entityId: s.id, action: 'cancel', before: s, after: { ...after, cancelledOccurrences: cancelled.length } });
        const c = (await repo.contractInfo(tx, s.contractId, null))!;
        await sendNotices(tx, actor, now, 'cancel', await subject(tx, c, s, { schedule: describeSchedule(s), cancelReason: input.reason.trim() }));
        return after;
      }, { now });
    },

    /** The daily job: stores occurrences of every active series up to now + 90 days. */
    async materializeAll(now = clock()): Promise<number> {
      let n = 0;
      const due = await repo.listSeries(db, { scope: null, activeOnly: true, materializedBefore: now + HORIZON_MS - DAY });
      for (const s of due) {
        // Bookkeeping of a job: occurrences derived from an audited series, no one's change.
        n += await uow.internal(SYSTEM_ACTOR, async ({ tx }) => {
          const fresh = await repo.findSeries(tx, s.id, null, true);
          return fresh ? materialize(tx, fresh, now + HORIZON_MS, now) : 0;
        }, { now });
      }
      return n;
    },

    /** The reminder job: the day before an announced window that has not moved since. */
    async remind(windowId: string, startsAt: number, now = clock()): Promise<boolean> {
      // A reminder changes no window; the notices it queues are recorded with the mail jobs.
      return uow.internal(SYSTEM_ACTOR, async ({ tx }) => {
        const w = await repo.findWindow(tx, windowId, null, true);
        if (!w || w.status !== 'announced' || w.startsAt !== startsAt) return false;
        const c = (await repo.contractInfo(tx, w.contractId, null))!;
        await notify(tx, { userId: 'system', role: 'admin', clientId: null }, now, c, w, 'reminder');
        return true;
      }, { now });
    },

    /**
     * The public ICS feed of a published contract: every window the client was
     * told about (announced, and cancelled after announcement) from 90 days back.
     * An unknown or withdrawn token is status_page.not_found, like any missing page.
     */
    async publicFeed(token: string): Promise<string> {
      const contractId = await contractByPublicToken(db, token);
      if (!contractId) throw notFound('status_page');
      const c = (await repo.contractInfo(db, contractId, null))!;
      const calendar = await loadWorkingCalendar(db, c.calendarId);
      const windows = (await repo.listWindows(db, { scope: null, contractId, from: clock() - HORIZON_MS, statuses: ['announced', 'cancelled'] }))
        .filter((w) => w.announcedAt !== null);
      const systemNames = await repo.systemNames(db, [...new Set(windows.flatMap((w) => (w.systemId ? [w.systemId] : [])))]);
      return maintenanceIcs({ contractId, contractName: c.name, clientName: c.clientName, timeZone: calendar.timeZone, windows, systemNames });
    },

    notices: async (actor: Actor, windowId: string): Promise<Notice[]> => noticesWithDelivery(db, [(await loadWindow(db, actor, windowId)).id], actor),
  };
}
export type MaintenanceService = ReturnType<typeof createMaintenanceService>;

export function describeSchedule(s: Pick<Series, 'startTime' | 'endTime' | 'repeat' | 'firstDate' | 'until'>): string {
  const r = JSON.parse(s.repeat) as Repeat;
  const days = r.kind === 'daily' ? (r.every && r.every > 1 ? `every ${r.every} days` : 'daily') : `weekly ${r.weekdays.join(',')}`;
  return `${days} ${s.startTime}–${s.endTime}, from ${s.firstDate}${s.until ? ` until ${s.until}` : ''}`;
}
