/**
 * The report clock's timers, as the incident SLA timers (incident.jobs.ts): the pending
 * "at risk" and "breached" instants of a security incident are jobs keyed
 * `secreport:<id>:<event>`, rewritten in the transaction of every change that moves them
 * (discovery corrected, first report, scope). The handler fires each event at most once
 * (a conditional update of the fired mark decides) and records it in the timeline and the
 * audit log and mails the desk, in one transaction.
 */
import { uuidv7 } from 'uuidv7';
import type { Executor } from '../../db/database.ts';
import type { UnitOfWork } from '../../db/unit-of-work.ts';
import { t, type Locale } from '../../i18n/index.ts';
import { when } from '../../i18n/when.ts';
import { cancelJobs, enqueue, enqueueMany, type EnqueueOptions } from '../../jobs/queue.ts';
import type { JobHandler } from '../../jobs/runner.ts';
import { SYSTEM_ACTOR } from '../auth/actor.ts';
import { enqueueMail } from '../mail/mail.outbound.ts';
import { timerInstants } from './security-incident.clock.ts';
import * as repo from './security-incident.repository.ts';

export const SECURITY_REPORT_TIMER_JOB = 'security.report_timer';
export type ReportTimerEvent = 'atRisk' | 'breached';

export interface ReportTimerPayload {
  securityIncidentId: string;
  event: ReportTimerEvent;
}

const timerKey = (id: string, event: ReportTimerEvent) => `secreport:${id}:${event}`;

export function planTimers(row: repo.SecurityIncidentRow, now: number): EnqueueOptions[] {
  const due = timerInstants(row);
  return (['atRisk', 'breached'] as const).flatMap((event) => {
    const at = due[event];
    if (at === null) return [];
    const payload: ReportTimerPayload = { securityIncidentId: row.id, event };
    return [{ kind: SECURITY_REPORT_TIMER_JOB, payload, runAt: at, dedupeKey: timerKey(row.id, event), now }];
  });
}

/** Rewrites the record's timer jobs from its (already updated) row. */
export async function syncTimers(ex: Executor, row: repo.SecurityIncidentRow, now: number): Promise<void> {
  await cancelJobs(ex, `secreport:${row.id}:`);
  await enqueueMany(ex, planTimers(row, now));
}

export function createSecurityIncidentJobHandlers(deps: { uow: UnitOfWork; deskEmail: string | null }): Record<string, JobHandler> {
  const fire: JobHandler = async (raw) => {
    const p = raw as ReportTimerPayload;
    await deps.uow.command(SYSTEM_ACTOR, async (w) => {
      const { tx, now } = w;
      const row = await repo.findIncident(tx, p.securityIncidentId, null, true);
      if (!row) return w.unchanged();
      const due = timerInstants(row)[p.event];
      if (due === null) return w.unchanged(); // reported, out of scope, closed or already fired
      if (due > now) {
        // Discovery was corrected to a later instant since this job was scheduled: wait for the new one.
        await enqueue(tx, { kind: SECURITY_REPORT_TIMER_JOB, payload: p, runAt: due, dedupeKey: timerKey(row.id, p.event), now });
        return w.unchanged();
      }
      if (!(await repo.markFired(tx, row.id, p.event, now))) return w.unchanged();
      await repo.insertEvent(tx, {
        id: uuidv7(), securityIncidentId: row.id, at: now, recordedAt: now, kind: 'sla', visibility: 'internal',
        authorId: SYSTEM_ACTOR.userId, body: '', data: JSON.stringify({ event: `sla.${p.event}`, dueAt: row.reportDueAt }),
      });
      w.audit({
        entity: 'security_incident', entityId: row.id, action: `report_clock.${p.event}`,
        before: { atRiskFiredAt: row.reportAtRiskFiredAt, breachedFiredAt: row.reportBreachedFiredAt }, after: { event: p.event, dueAt: row.reportDueAt },
      });
      // A warning that only runs after the deadline (the desk was down) is recorded but not mailed: the breach follows.
      const stale = p.event === 'atRisk' && row.reportDueAt !== null && now > row.reportDueAt;
      if (deps.deskEmail && !stale) {
        const words = (l: Locale) => {
          const params = { number: row.number, title: row.title, due: when(l, row.reportDueAt ?? now, row.timeZone) };
          return { subject: t(l, `mail.securityIncident.${p.event}.subject`, params), body: t(l, `mail.securityIncident.${p.event}.body`, params) };
        };
        const ja = words('ja');
        const en = words('en');
        await enqueueMail(tx, { to: [deps.deskEmail], subject: `${ja.subject} / ${en.subject}`, text: `${ja.body}\n\n----\n\n${en.body}\n` }, {
          runAt: now, dedupeKey: `mail:secreport:${row.id}:${p.event}`, now,
        });
      }
    }, { name: `security.report.${p.event}` });
  };
  return { [SECURITY_REPORT_TIMER_JOB]: fire };
}
