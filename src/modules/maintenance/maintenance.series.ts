/**
 * Recurring maintenance (the backup window: daily 02:00–04:00 local; weekly patterns).
 * A series is announced to the contacts when it is created; its occurrences are stored
 * as windows 90 days ahead (`HORIZON_MS`; the daily `maintenance.materialize` job
 * extends them), and an occurrence the announcement would reach too late under the
 * notice rule is not stored. Ending a series cancels its future occurrences.
 */
import { uuidv7 } from 'uuidv7';
import { compileWindow, latestAnnouncement, occurrencesBetween, RecurrenceError, type Repeat } from '../../core/maintenance/index.ts';
import type { Executor } from '../../db/database.ts';
import type { ServiceDeps } from '../../db/tx.ts';
import { unitOfWork } from '../../db/unit-of-work.ts';
import { AppError, notFound, type ErrorIssue } from '../../errors.ts';
import { cancelJobs, enqueue } from '../../jobs/queue.ts';
import { SYSTEM_ACTOR, type Actor } from '../auth/actor.ts';
import { clientScope } from '../auth/access.ts';
import { authorize } from '../auth/authorize.ts';
import { loadWorkingCalendar } from '../calendars/calendar.service.ts';
import { sendNotices } from './maintenance.mail.ts';
import {
  DAY, describeSchedule, HORIZON_MS, invalid, issue, MATERIALIZE_JOB, reminderKey, type CancelInput, type Series, type SeriesInput,
} from './maintenance.model.ts';
import * as repo from './maintenance.repository.ts';
import { checkSystem, loadContract, noticeDays, subject } from './maintenance.rules.ts';

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

export function createSeriesCommands(deps: ServiceDeps) {
  const { db, clock } = deps;
  const uow = deps.uow ?? unitOfWork(db, clock);

  return {
    /**
     * A recurring window, announced to the contacts on creation; its occurrences are
     * stored 90 days ahead.
     */
    async createSeries(actor: Actor, input: SeriesInput): Promise<{ series: Series; occurrences: number }> {
      authorize(actor, 'maintenance_series.create');
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

    /** Ends a series: its future occurrences are cancelled and the contacts told once. */
    async cancelSeries(actor: Actor, id: string, input: CancelInput): Promise<Series> {
      authorize(actor, 'maintenance_series.cancel');
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
  };
}
