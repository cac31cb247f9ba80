/**
 * How a command writes an incident (the SLA plumbing under every change): the SLA
 * targets derived from the row, its policy version, its calendar and its pauses; the
 * timer jobs that follow them (incident.jobs.ts); the timeline entry; and the
 * re-derivation of an open incident's deadlines when its calendar gets a new version.
 * All of it runs in the caller's unit of work.
 */
import { uuidv7 } from 'uuidv7';
import type { WorkingCalendar } from '../../core/calendar/index.ts';
import { OPEN_STATUSES, type Priority, type Status } from '../../contract/vocabulary.ts';
import type { Executor } from '../../db/database.ts';
import type { Work } from '../../db/unit-of-work.ts';
import { enqueueMany } from '../../jobs/queue.ts';
import { SYSTEM_ACTOR, type Actor } from '../auth/actor.ts';
import { loadWorkingCalendar } from '../calendars/calendar.service.ts';
import { planTimers, syncTimers } from './incident.jobs.ts';
import type { IncidentQueries } from './incident.queries.ts';
import type { KnownRows } from './incident.view.ts';
import { upsertListItem, type ListItemRow } from './incident.list-items.repository.ts';
import { hasLiveDeadline, LIST_ITEM_FORMAT, liveListItem, storedListItem } from './incident.list-items.ts';
import * as repo from './incident.repository.ts';
import { computeTargetRows } from './incident.sla.ts';

/** The row as the audit log records it (without the bookkeeping columns). */
export const snapshot = (r: repo.IncidentRow) => {
  const { nextTimerAt: _n, updatedAt: _u, ...rest } = r;
  return rest;
};

/** Appends a timeline entry. */
export async function event(
  ex: Executor, actor: Actor, at: number, incidentId: string,
  e: { kind: string; visibility: 'public' | 'internal'; body?: string; data?: Record<string, unknown>; authorName?: string | null },
): Promise<repo.EventRow> {
  const row: repo.EventRow = {
    id: uuidv7(),
    incidentId,
    at,
    kind: e.kind,
    visibility: e.visibility,
    authorId: actor.userId,
    authorName: e.authorName ?? null,
    body: e.body ?? '',
    data: JSON.stringify(e.data ?? {}),
  };
  await repo.insertEvent(ex, row);
  return row;
}

/** An incident's rows as the unit left them when it stored the list item. */
export interface LeftRows extends KnownRows {
  row: repo.IncidentRow;
}

export function createIncidentWrites({ policyDoc, toIncident }: Pick<IncidentQueries, 'policyDoc' | 'toIncident'>) {
  const noCalendar = (): never => { throw new Error('a stopped clock\'s item is presented at read time'); };
  // Per transaction, per incident: the rows storeListItem was given. A command answering with the
  // incident's detail takes them instead of reading the three back (3 of a PATCH's 12 round trips
  // on PostgreSQL). Keyed by the transaction object, so nothing outlives it.
  const left = new WeakMap<Executor, Map<string, LeftRows>>();

  /**
   * The incident's stored list item (incident.list-items.ts) from the rows as this unit
   * leaves them; every change of what the list shows ends here, in the changing unit.
   */
  async function storeListItem(ex: Executor, row: repo.IncidentRow, targets: readonly repo.TargetRow[], pauses: readonly repo.PauseRow[], now: number): Promise<void> {
    await upsertListItem(ex, listItemRow(row, targets, pauses, now));
    let m = left.get(ex);
    if (!m) left.set(ex, (m = new Map()));
    m.set(row.id, { row: { ...row }, targets: targets.map((t) => ({ ...t })), pauses: pauses.map((p) => ({ ...p })) });
  }

  /**
   * The rows of the incident's last stored list item in this transaction, removed from the memo
   * (call `forgetLeft` before the change so that only the change's own store counts). Sound because
   * storing the item is the last write of a change (see storeListItem): what it was given is what
   * the change leaves.
   */
  function takeLeft(ex: Executor, incidentId: string): LeftRows | undefined {
    const m = left.get(ex);
    const r = m?.get(incidentId);
    m?.delete(incidentId);
    return r;
  }
  const forgetLeft = (ex: Executor, incidentId: string): void => void takeLeft(ex, incidentId);

  /** The stored item's row for these rows (also what the bulk filing inserts). */
  function listItemRow(row: repo.IncidentRow, targets: readonly repo.TargetRow[], pauses: readonly repo.PauseRow[], now: number): ListItemRow {
    // The item has no actor-dependent part (nextTimerAt is not presented), so any actor will do.
    const item = hasLiveDeadline(targets, pauses) ? liveListItem() : storedListItem(toIncident(SYSTEM_ACTOR, row, targets, pauses, now, noCalendar));
    return { incidentId: row.id, ...item, format: LIST_ITEM_FORMAT };
  }

  /** After a change of the incident row alone (assignment, edits, a message): with its targets and pauses as stored. */
  async function refreshListItem(ex: Executor, row: repo.IncidentRow, now: number): Promise<void> {
    const [targets, pauses] = await Promise.all([repo.targetsOf(ex, [row.id]), repo.pausesOf(ex, [row.id])]);
    await storeListItem(ex, row, targets, pauses, now);
  }

  /** The target rows of an incident as of `now` (a given calendar, or the calendar as it stands). */
  async function derive(
    ex: Executor, row: repo.IncidentRow, now: number,
    o: { rederive?: boolean; fresh?: boolean; calendar?: WorkingCalendar; pauses?: repo.PauseRow[]; existing?: repo.TargetRow[] } = {},
  ): Promise<{ targets: repo.TargetRow[]; pauses: repo.PauseRow[] }> {
    const [policy, calendar, pauses, existing] = await Promise.all([
      policyDoc(ex, row.slaPolicyId, row.slaPolicyVersion),
      o.calendar ?? loadWorkingCalendar(ex, row.calendarId),
      o.pauses ?? (o.fresh ? Promise.resolve([]) : repo.pausesOf(ex, [row.id])),
      o.existing ?? (o.fresh ? Promise.resolve([]) : repo.targetsOf(ex, [row.id])),
    ]);
    const targets = computeTargetRows({
      incident: row, priority: row.priority as Priority, policy, calendar, pauses, existing, now, newId: uuidv7, rederive: o.rederive,
    });
    return { targets, pauses };
  }

  /** Writes the derived targets, the timer jobs and the incident row. */
  async function write(ex: Executor, row: repo.IncidentRow, now: number, targets: repo.TargetRow[], pauses: readonly repo.PauseRow[], fresh = false): Promise<void> {
    const paused = pauses.some((p) => p.endedAt === null);
    row.updatedAt = now;
    if (fresh) {
      // A new incident has no jobs to cancel; its row must exist before targets reference it.
      const { jobs, next } = planTimers(row, targets, paused, now);
      row.nextTimerAt = next;
      await repo.insertIncident(ex, row);
      await repo.upsertTargets(ex, targets);
      await enqueueMany(ex, jobs);
    } else {
      await repo.deleteTargetsExcept(ex, row.id, targets.map((t) => t.kind));
      await repo.upsertTargets(ex, targets);
      row.nextTimerAt = await syncTimers(ex, row, targets, paused, now);
      await repo.updateIncident(ex, row.id, row);
    }
    await storeListItem(ex, row, targets, pauses, now);
  }

  /**
   * Writes the incident row after re-deriving targets and timers from it; returns
   * the target rows. `rederive` re-arms warnings whose instants moved into the
   * future (priority change); `fresh` inserts a new incident.
   */
  async function save(
    ex: Executor, row: repo.IncidentRow, now: number, o: { rederive?: boolean; fresh?: boolean; calendar?: WorkingCalendar } = {},
  ): Promise<repo.TargetRow[]> {
    const { targets, pauses } = await derive(ex, row, now, o);
    await write(ex, row, now, targets, pauses, o.fresh);
    return targets;
  }

  /**
   * A calendar's new version: re-derives an open incident's deadlines from the stored
   * clock starts under the calendar as it now stands, when that moves any of them
   * (compared with the calendar just before the version, so a paused clock's live
   * deadline is not mistaken for the change). Recorded on the timeline (internal,
   * `calendar_rederived`, old and new due per target; the monthly report reads these)
   * and audited; the timer jobs follow.
   */
  async function rederiveIn(
    w: Work<Actor>, id: string, cause: { calendarId: string; version: number; effectiveFrom: number; previous: WorkingCalendar },
  ): Promise<boolean> {
    const { tx, actor, now } = w;
    const row = await repo.findIncident(tx, id, null, true);
    if (!row || !OPEN_STATUSES.includes(row.status as Status) || row.calendarId !== cause.calendarId) return false;
    const [pauses, existing] = await Promise.all([repo.pausesOf(tx, [row.id]), repo.targetsOf(tx, [row.id])]);
    const was = (await derive(tx, row, now, { calendar: cause.previous, pauses, existing, rederive: true })).targets;
    const { targets } = await derive(tx, row, now, { pauses, existing, rederive: true });
    const moved = targets.filter((t) => {
      const p = was.find((x) => x.kind === t.kind);
      return !p || p.dueAt !== t.dueAt || p.atRiskAt !== t.atRiskAt;
    });
    if (moved.length === 0) return false;
    const before = snapshot(row);
    const oldTargets = existing.map((t) => ({ kind: t.kind, dueAt: t.dueAt, atRiskAt: t.atRiskAt }));
    await write(tx, row, now, targets, pauses);
    const changes = moved.map((t) => {
      const old = existing.find((x) => x.kind === t.kind);
      return { kind: t.kind, oldDue: old?.dueAt ?? null, newDue: t.dueAt, oldAtRisk: old?.atRiskAt ?? null, newAtRisk: t.atRiskAt };
    });
    await event(tx, actor, now, row.id, {
      kind: 'calendar_rederived', visibility: 'internal',
      data: { calendarId: cause.calendarId, calendarVersion: cause.version, effectiveFrom: cause.effectiveFrom, targets: changes },
    });
    w.audit({
      entity: 'incident', entityId: row.id, action: 'calendar_rederived',
      before: { ...before, targets: oldTargets },
      after: {
        calendarId: cause.calendarId, calendarVersion: cause.version, effectiveFrom: cause.effectiveFrom,
        targets: targets.map((t) => ({ kind: t.kind, dueAt: t.dueAt, atRiskAt: t.atRiskAt })),
      },
    });
    return true;
  }

  return { derive, write, save, rederiveIn, refreshListItem, listItemRow, takeLeft, forgetLeft };
}
export type IncidentWrites = ReturnType<typeof createIncidentWrites>;
