/**
 * What every change-request command does inside its unit of work: the timeline entry, the
 * audited save, the mail, re-deriving the feasibility timers, and the unit itself (`mutate`
 * loads and locks the row as the actor may see it; `fresh` answers with its detail).
 */
import { uuidv7 } from 'uuidv7';
import type { Executor } from '../../db/database.ts';
import type { ServiceDeps } from '../../db/tx.ts';
import { unitOfWork, type Work } from '../../db/unit-of-work.ts';
import type { Actor } from '../auth/actor.ts';
import { loadWorkingCalendar } from '../calendars/calendar.service.ts';
import { loadPolicyVersion } from '../sla-policies/sla-policy.service.ts';
import { feasibilityInstants } from './change-request.clock.ts';
import { syncTimers } from './change-request.jobs.ts';
import { sendChangeMail, type ChangeMailKind, type ChangeMailSubject } from './change-request.mail.ts';
import { createChangeRequestQueries, type ChangeDetail } from './change-request.queries.ts';
import * as repo from './change-request.repository.ts';

export async function actorName(ex: Executor, actor: Actor): Promise<string | null> {
  return (await repo.userById(ex, actor.userId))?.name ?? null;
}

export async function event(
  w: Work<Actor>, row: repo.ChangeRow, kind: string, body: string, data: Record<string, unknown> = {}, visibility: 'public' | 'internal' = 'public',
): Promise<string> {
  const id = uuidv7();
  await repo.insertEvent(w.tx, {
    id, changeRequestId: row.id, at: w.now, kind, visibility, actorId: w.actor.userId,
    actorName: await actorName(w.tx, w.actor), body, data: JSON.stringify(data),
  });
  return id;
}

export async function contractInfo(ex: Executor, row: Pick<repo.ChangeRow, 'calendarId' | 'contractId'>) {
  const calendar = await loadWorkingCalendar(ex, row.calendarId);
  const c = await ex.selectFrom('contracts').select(['name']).where('id', '=', row.contractId).executeTakeFirst();
  return { calendar, contractName: c?.name ?? '' };
}

export async function mail(w: Work<Actor>, row: repo.ChangeRow, kind: ChangeMailKind, eventId: string, extra: Partial<ChangeMailSubject>): Promise<void> {
  const { calendar, contractName } = await contractInfo(w.tx, row);
  await sendChangeMail(w.tx, row, kind, { number: row.number, title: row.title, contractName, timeZone: calendar.timeZone, ...extra }, eventId, w.now);
}

/** Re-derives the feasibility instants from receipt and the pauses so far, stores them and rewrites the timers. */
export async function rearmFeasibility(w: Work<Actor>, row: repo.ChangeRow): Promise<repo.ChangeRow> {
  if (row.feasibilityTarget === null) return row;
  const calendar = await loadWorkingCalendar(w.tx, row.calendarId);
  const pauses = await repo.pausesOf(w.tx, row.id);
  const policy = (await loadPolicyVersion(w.tx, row.slaPolicyId, row.slaPolicyVersion)).document;
  const inst = feasibilityInstants(row, { calendar, pauses, now: w.now, atRiskThreshold: policy.atRiskThreshold });
  const next = { ...row, feasibilityDueAt: inst?.dueAt ?? null, feasibilityAtRiskAt: inst?.atRiskAt ?? null };
  // A deadline moved later by a pause re-arms its warnings (they fire once per deadline that is still ahead).
  if (next.feasibilityAtRiskAt !== null && next.feasibilityAtRiskAt > w.now) next.feasibilityAtRiskFiredAt = null;
  if (next.feasibilityDueAt !== null && next.feasibilityDueAt >= w.now) next.feasibilityBreachedFiredAt = null;
  const paused = pauses.some((p) => p.endedAt === null);
  await syncTimers(w.tx, next, paused, w.now);
  return next;
}

export async function save(w: Work<Actor>, before: repo.ChangeRow, after: repo.ChangeRow, action: string): Promise<void> {
  const { updatedAt: _u, ...rest } = after;
  await repo.updateChange(w.tx, after.id, { ...rest, updatedAt: w.now });
  const diff = (r: repo.ChangeRow) => Object.fromEntries(Object.entries(r).filter(([k, v]) => k !== 'updatedAt' && (before as Record<string, unknown>)[k] !== (after as Record<string, unknown>)[k] && v !== undefined));
  w.audit({ entity: 'change_request', entityId: after.id, action, before: diff(before), after: diff(after) });
}

/** The unit of work of the slice's commands, and the reads they answer with. */
export function changeUnit(deps: ServiceDeps) {
  const uow = deps.uow ?? unitOfWork(deps.db, deps.clock);
  const queries = createChangeRequestQueries(deps);
  const { load, detail } = queries;
  const fresh = async (w: Work<Actor>, id: string): Promise<ChangeDetail> => detail(w.tx, w.actor, (await repo.findChange(w.tx, id, null))!, w.now);
  async function mutate<T>(actor: Actor, id: string, name: string, fn: (w: Work<Actor>, row: repo.ChangeRow) => Promise<T>): Promise<T> {
    return uow.command(actor, async (w) => fn(w, await load(w.tx, actor, id, true)), { name: `change_request.${name}` });
  }
  return { uow, queries, fresh, mutate };
}
