/**
 * The commands on one maintenance window (SPEC §4): schedule (draft, or announced at
 * once), announce under the notice rule, edit or reschedule (an announced window is
 * announced again and the contacts told), cancel, record what the work really took,
 * and the reminder job the day before. Each is one unit of work with its audit entry,
 * its notices and its jobs. `createWindowIn` schedules a window inside the caller's
 * unit, for another module's command (a change request that plans its maintenance).
 */
import { uuidv7 } from 'uuidv7';
import type { ServiceDeps } from '../../db/tx.ts';
import { unitOfWork, type Work } from '../../db/unit-of-work.ts';
import { AppError, type ErrorIssue } from '../../errors.ts';
import { cancelJobs } from '../../jobs/queue.ts';
import { SYSTEM_ACTOR, type Actor } from '../auth/actor.ts';
import { authorize } from '../auth/authorize.ts';
import { sendNotices } from './maintenance.mail.ts';
import {
  invalid, issue, reminderKey, type ActualInput, type AnnounceInput, type CancelInput, type Window, type WindowDetail,
  type WindowInput, type WindowPatch,
} from './maintenance.model.ts';
import * as repo from './maintenance.repository.ts';
import { armReminder, checkSystem, decide, detail, loadContract, loadWindow, notify, subject, validateTimes } from './maintenance.rules.ts';

/** The checks that need no database: refused before any unit opens. */
function checkWindowInput(input: WindowInput): void {
  const issues: ErrorIssue[] = [];
  if (!input.title?.trim()) issues.push(issue(['title'], 'too_small', 'required'));
  validateTimes(input.startsAt, input.endsAt, issues);
  if (input.kind === 'emergency' && !input.emergencyReason?.trim()) issues.push(issue(['emergencyReason'], 'required', 'emergency maintenance needs a reason'));
  if (issues.length) throw invalid(issues);
}

/**
 * Schedules a window inside the caller's unit of work, as `actor` (who must be allowed
 * maintenance.create; the window's creator and the audit entry name them). Announcing
 * at once applies the notice rule at the unit's instant and queues the notices and the
 * reminder in the same transaction, so they commit or roll back with the caller's change.
 */
export async function createWindowIn(w: Work, actor: Actor, input: WindowInput): Promise<WindowDetail> {
  authorize(actor, 'maintenance.create');
  checkWindowInput(input);
  const { tx, now } = w;
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
  w.audit({ ...(actor.userId !== w.actor.userId ? { actor } : {}), entity: 'maintenance', entityId: row.id, action: 'create', after: row });
  if (input.announce) {
    await notify(tx, actor, now, c, row, 'announce');
    await armReminder(tx, row, now);
  }
  return detail(tx, row);
}

/**
 * Writes when a window's work really ran, in the caller's unit, audited as the window's `actual`
 * (the webhook events maintenance.started / .ended follow that entry): the desk's own record and
 * a change request's start and finish (maintenance.windows-in.ts) both go through here.
 */
export async function saveActualIn(work: Work, w: Window, actual: Pick<Window, 'actualStart' | 'actualEnd'>, now: number): Promise<Window> {
  const after: Window = { ...w, ...actual, updatedAt: now };
  await repo.updateWindow(work.tx, w.id, { ...actual, updatedAt: now });
  work.audit({ entity: 'maintenance', entityId: w.id, action: 'actual', before: w, after });
  return after;
}

export function createWindowCommands(deps: ServiceDeps) {
  const { db, clock } = deps;
  const uow = deps.uow ?? unitOfWork(db, clock);

  return {
    createWindowIn,

    async create(actor: Actor, input: WindowInput): Promise<WindowDetail> {
      authorize(actor, 'maintenance.create');
      checkWindowInput(input);
      const now = clock();
      return uow.command(actor, (w) => createWindowIn(w, actor, input), { now });
    },

    /**
     * Announces a draft: refused with maintenance.notice.conflict (409) when later
     * than the notice rule allows, unless the window is (made) emergency with a reason.
     */
    async announce(actor: Actor, id: string, input: AnnounceInput = {}): Promise<WindowDetail> {
      authorize(actor, 'maintenance.announce');
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
    async update(actor: Actor, id: string, patch: WindowPatch): Promise<WindowDetail> {
      authorize(actor, 'maintenance.update');
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

    async cancel(actor: Actor, id: string, input: CancelInput): Promise<WindowDetail> {
      authorize(actor, 'maintenance.cancel');
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
    async recordActual(actor: Actor, id: string, input: ActualInput): Promise<WindowDetail> {
      authorize(actor, 'maintenance.record_actual');
      const now = clock();
      if (input.actualStart !== null && input.actualEnd !== null && !(input.actualEnd > input.actualStart)) {
        throw invalid([issue(['actualEnd'], 'too_small', 'must be after actualStart', { rule: 'after_start' })]);
      }
      return uow.command(actor, async (work) => {
        const tx = work.tx;
        const w = await loadWindow(tx, actor, id, true);
        if (w.status !== 'announced') throw new AppError('maintenance.invalid_state', 'not announced', [], { status: w.status });
        const after = await saveActualIn(work, w, { actualStart: input.actualStart, actualEnd: input.actualEnd }, now);
        return detail(tx, after);
      }, { now });
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
  };
}
