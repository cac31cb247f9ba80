/**
 * Delivering an approved change: scheduling needs a standing, unexpired approval and
 * creates an announced maintenance window in the same unit when the work affects the
 * service; finishing waits for the client's confirmation with a timeout; and the work of
 * the feasibility timers and of the confirmation timeout (automatic close).
 */
import { fromFlag, type ServiceDeps } from '../../db/tx.ts';
import { AppError, type ErrorIssue } from '../../errors.ts';
import { t } from '../../i18n/index.ts';
import type { Actor } from '../auth/actor.ts';
import { SYSTEM_ACTOR } from '../auth/actor.ts';
import { authorize } from '../auth/authorize.ts';
import { dueAt as coreDueAt } from '../../core/sla/index.ts';
import { enqueue } from '../../jobs/queue.ts';
import { loadWorkingCalendar } from '../calendars/calendar.service.ts';
import { createAnnouncedWindowIn, recordWorkIn } from '../maintenance/maintenance.windows-in.ts';
import { timerInstants } from './change-request.clock.ts';
import { armConfirmationTimeout, type FeasibilityTimerPayload, FEASIBILITY_TIMER_JOB, timerKey } from './change-request.jobs.ts';
import { currentSent, type ChangeDetail } from './change-request.queries.ts';
import { centi, DEFAULT_CONFIRMATION_BUSINESS_DAYS, expired, invalid, issue, ref, step, type FinishInput, type ScheduleInput } from './change-request.rules.ts';
import { changeUnit, contractInfo, event, mail, save } from './change-request.unit.ts';
import * as repo from './change-request.repository.ts';

export function createDeliveryCommands(deps: ServiceDeps) {
  const { clock } = deps;
  const { uow, fresh, mutate } = changeUnit(deps);

  return {
    /**
     * Puts an approved change in a window. Refused without a standing approval of the
     * version on offer (voided by a later version, or never given) or once that version's
     * validity date has passed. When the work stops or affects the service, an announced
     * planned maintenance window is created in the same unit (the notice rule applies).
     */
    async schedule(actor: Actor, id: string, input: ScheduleInput): Promise<ChangeDetail> {
      authorize(actor, 'change_request.schedule');
      if (!(input.endsAt > input.startsAt)) throw invalid([issue(['endsAt'], 'too_small', 'after the start', { rule: 'after_start' })]);
      return mutate(actor, id, 'schedule', async (w, row) => {
        const { tx, now } = w;
        const approvals = await repo.approvalsOf(tx, row.id);
        const current = currentSent(await repo.proposalsOf(tx, [row.id]));
        const standing = approvals.find((a) => a.decision === 'approved' && a.voidedAt === null && current !== null && a.proposalId === current.id);
        const scheduleFrom: readonly string[] = ['approved', 'failed', 'backed_out'];
        if (!standing && !['scheduled', 'in_progress', 'awaiting_confirmation', 'closed', 'withdrawn', 'not_feasible'].includes(row.status)) {
          const voided = approvals.some((a) => a.decision === 'approved' && a.voidedAt !== null);
          throw new AppError('change_request.approval_required', 'no standing approval', [], {
            reason: voided ? 'voided' : 'missing',
          });
        }
        if (!scheduleFrom.includes(row.status)) step(row.status, 'schedule', actor);
        const { calendar } = await contractInfo(tx, row);
        if (current && expired(current.validUntil, calendar.timeZone, now)) {
          throw new AppError('change_request.proposal_expired', 'the approved proposal expired', [], { version: current.version, validUntil: current.validUntil });
        }
        const to = step(row.status, 'schedule', actor);
        let maintenanceWindowId: string | null = null;
        const affects = input.affectsService ?? (current ? fromFlag(current.affectsService) : true);
        if (affects) {
          const win = await createAnnouncedWindowIn(w, {
            contractId: row.contractId, systemId: input.systemId ?? null,
            title: t('ja', 'change.maintenanceTitle', { ref: ref(row.number), title: row.title }),
            description: current ? current.impact : row.description, startsAt: input.startsAt, endsAt: input.endsAt,
            ...(input.emergencyReason ? { emergencyReason: input.emergencyReason } : {}),
          });
          maintenanceWindowId = win.id;
        }
        const after: repo.ChangeRow = { ...row, status: to, windowStartsAt: input.startsAt, windowEndsAt: input.endsAt, maintenanceWindowId, scheduledAt: now };
        await save(w, row, after, 'schedule');
        const eventId = await event(w, after, 'schedule', '', {
          startsAt: input.startsAt, endsAt: input.endsAt, maintenanceWindowId, approvalId: standing?.id ?? null,
        });
        await mail(w, after, 'scheduled', eventId, { startsAt: input.startsAt, endsAt: input.endsAt });
        return fresh(w, id);
      });
    },

    /** The end of the work: done waits for the client's confirmation, with a timeout; failed / backed out wait for the desk. */
    async finish(actor: Actor, id: string, input: FinishInput): Promise<ChangeDetail> {
      authorize(actor, 'change_request.implement');
      const issues: ErrorIssue[] = [];
      if (!input.resultNotes?.trim()) issues.push(issue(['resultNotes'], 'required', 'required'));
      if (!(input.actualEffortAmount >= 0)) issues.push(issue(['actualEffortAmount'], 'invalid', 'not negative'));
      if (issues.length) throw invalid(issues);
      return mutate(actor, id, 'finish', async (w, row) => {
        const { tx, now } = w;
        const to = step(row.status, 'finish', actor, input.outcome);
        let confirmationDueAt: number | null = null;
        if (to === 'awaiting_confirmation') {
          const days = (await repo.findSettings(tx, row.contractId))?.confirmationBusinessDays ?? DEFAULT_CONFIRMATION_BUSINESS_DAYS;
          const calendar = await loadWorkingCalendar(tx, row.calendarId);
          confirmationDueAt = coreDueAt({ calendar, start: now, target: { kind: 'endOfNthBusinessDay', n: days } });
          await armConfirmationTimeout(tx, row.id, confirmationDueAt, now);
        }
        const after: repo.ChangeRow = {
          ...row, status: to, finishedAt: now, outcome: input.outcome, actualEffortCenti: centi(input.actualEffortAmount),
          resultNotes: input.resultNotes.trim(), confirmationDueAt,
        };
        if (row.maintenanceWindowId) await recordWorkIn(w, row.maintenanceWindowId, 'end', now);
        await save(w, row, after, 'finish');
        const eventId = await event(w, after, 'finish', after.resultNotes ?? '', { outcome: input.outcome, actualEffortAmount: input.actualEffortAmount, confirmationDueAt });
        await mail(w, after, 'done', eventId, { outcome: input.outcome, notes: after.resultNotes ?? '' });
        return fresh(w, id);
      });
    },

    // ---- jobs ----

    /** A feasibility timer: fires its event once, while the answer is still outstanding. */
    async fireFeasibilityTimer(p: FeasibilityTimerPayload, now = clock()): Promise<boolean> {
      return uow.command(SYSTEM_ACTOR, async (w) => {
        const { tx } = w;
        const row = await repo.findChange(tx, p.changeRequestId, null, true);
        if (!row) { w.unchanged(); return false; }
        const paused = (await repo.pausesOf(tx, row.id)).some((x) => x.endedAt === null);
        const due = timerInstants(row, paused)[p.event];
        if (due === null) { w.unchanged(); return false; } // answered, paused, or already fired
        if (due > now) {
          // The deadline moved later since this job was armed: wait for the new instant.
          await enqueue(tx, { kind: FEASIBILITY_TIMER_JOB, payload: p, runAt: due, dedupeKey: timerKey(row.id, p.event), now });
          w.unchanged();
          return false;
        }
        if (!(await repo.markFeasibilityFired(tx, row.id, p.event, now))) { w.unchanged(); return false; }
        await event(w, row, `feasibility.${p.event}`, '', { dueAt: row.feasibilityDueAt, atRiskAt: row.feasibilityAtRiskAt }, 'internal');
        w.audit({ entity: 'change_request', entityId: row.id, action: `feasibility.${p.event}`, after: { dueAt: row.feasibilityDueAt } });
        return true;
      }, { now, name: `change_request.feasibility.${p.event}` });
    },

    /** The confirmation timeout: a change still awaiting the client's confirmation closes itself (recorded as automatic). */
    async autoClose(id: string, now = clock()): Promise<boolean> {
      return uow.command(SYSTEM_ACTOR, async (w) => {
        const row = await repo.findChange(w.tx, id, null, true);
        if (!row || row.status !== 'awaiting_confirmation' || row.confirmationDueAt === null || row.confirmationDueAt > now) { w.unchanged(); return false; }
        const to = step(row.status, 'auto_close', SYSTEM_ACTOR);
        const after: repo.ChangeRow = { ...row, status: to, autoClosed: 1, closedAt: now };
        await save(w, row, after, 'auto_close');
        await event(w, after, 'auto_close', '', { confirmationDueAt: row.confirmationDueAt });
        return true;
      }, { now, name: 'change_request.auto_close' });
    },
  };
}
