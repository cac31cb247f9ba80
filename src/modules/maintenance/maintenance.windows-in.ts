/**
 * Maintenance windows seen from another module's unit of work (a change request scheduled
 * with a window that stops or affects the service: issue 13). Creating one is
 * `createWindowIn` with `announce` — the notice rule on the contract's calendar, the notices
 * to the designated contacts, the reminder the day before — so the window joins the same
 * ICS feed, status page and notices; and the windows a change would meet.
 */
import type { Executor } from '../../db/database.ts';
import type { Work } from '../../db/unit-of-work.ts';
import type { Actor } from '../auth/actor.ts';
import { authorize } from '../auth/authorize.ts';
import * as repo from './maintenance.repository.ts';
import { createWindowIn, saveActualIn } from './maintenance.windows.ts';

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

/**
 * Creates and announces a window in the caller's unit, as the unit's actor (who must be
 * allowed to announce too): `createWindowIn` with `announce`, the kind following the reason.
 */
export async function createAnnouncedWindowIn(w: Work<Actor>, input: AnnouncedWindowInput): Promise<{ id: string }> {
  authorize(w.actor, 'maintenance.announce');
  const reason = input.emergencyReason?.trim() || null;
  const window = await createWindowIn(w, w.actor, {
    contractId: input.contractId, systemId: input.systemId ?? null, title: input.title, description: input.description ?? '',
    startsAt: input.startsAt, endsAt: input.endsAt, kind: reason ? 'emergency' : 'planned', emergencyReason: reason, announce: true,
  });
  return { id: window.id };
}

/**
 * A change request's work as it really ran: its start and its finish are its window's actual start
 * and end (what availability and the monthly report read: work beyond the window counts as
 * downtime), recorded in the change's unit and audited on the window. What the desk recorded
 * on the window itself is kept; a window no longer announced is left alone.
 */
export async function recordWorkIn(w: Work<Actor>, windowId: string, edge: 'start' | 'end', at: number): Promise<void> {
  const win = await repo.findWindow(w.tx, windowId, null, true);
  if (!win || win.status !== 'announced') return;
  if (edge === 'start' ? win.actualStart !== null : win.actualEnd !== null || win.actualStart === null || at <= win.actualStart) return;
  authorize(w.actor, 'maintenance.record_actual');
  await saveActualIn(w, win, edge === 'start' ? { actualStart: at, actualEnd: win.actualEnd } : { actualStart: win.actualStart, actualEnd: at }, w.now);
}

/** Windows of a contract (not cancelled) overlapping [from, to): what a change in that window would meet. */
export async function windowsOverlapping(ex: Executor, contractId: string, from: number, to: number): Promise<repo.WindowRow[]> {
  const rows = await repo.listWindows(ex, { scope: null, contractId, statuses: ['draft', 'announced'], from: from - 7 * DAY, to });
  return rows.filter((x) => x.startsAt < to && x.endsAt > from);
}
