/**
 * Reading change requests: what an actor may see of them (a contact: their own
 * client's, sent proposal versions only, public timeline entries), the approval
 * trail, the feasibility target at "now", and what else is planned in the same
 * window. Nothing here writes; the commands (change-request.service.ts) answer with
 * `detail` of what they wrote, inside their transaction.
 */
import type { Executor } from '../../db/database.ts';
import type { ServiceDeps } from '../../db/tx.ts';
import { commandsFrom, type ChangeCommand } from '../../contract/change-request-lifecycle.ts';
import { FINAL_CHANGE_STATUSES, OPEN_CHANGE_STATUSES, type ChangeStatus } from '../../contract/change-requests.ts';
import type { SlaTarget } from '../../core/sla/index.ts';
import { notFound } from '../../errors.ts';
import type { Actor } from '../auth/actor.ts';
import { clientScope, isStaff } from '../auth/access.ts';
import { authorize, may } from '../auth/authorize.ts';
import { windowsOverlapping } from '../maintenance/maintenance.windows-in.ts';
import { feasibilityState, targetOf, type FeasibilityState } from './change-request.clock.ts';
import * as repo from './change-request.repository.ts';

export interface Conflict {
  kind: 'maintenance' | 'change_request';
  id: string;
  title: string;
  number: number | null;
  startsAt: number;
  endsAt: number;
}

export interface ChangeSummary extends repo.ChangeRow {
  systemIds: string[];
  feasibilityView: { target: SlaTarget; dueAt: number | null; atRiskAt: number | null; metAt: number | null; state: FeasibilityState } | null;
  current: repo.ProposalRow | null;
}

export interface ChangeDetail extends ChangeSummary {
  proposals: repo.ProposalRow[];
  approvals: repo.ApprovalRow[];
  events: repo.EventRow[];
  conflicts: Conflict[];
  mayApprove: boolean;
  commands: ChangeCommand[];
}

export interface ChangeListFilter {
  status?: ChangeStatus[];
  open?: boolean;
  contractId?: string;
  clientId?: string;
  q?: string;
  limit?: number;
  offset?: number;
}

/** The newest sent version (what the client may decide on), if any. */
export const currentSent = (proposals: readonly repo.ProposalRow[]): repo.ProposalRow | null =>
  proposals.filter((p) => p.status === 'sent').sort((a, b) => b.version - a.version)[0] ?? null;

/** Who may approve for a contract: the primary designated contact, and deputies when the contract allows. */
export async function approverContact(ex: Executor, actor: Actor, contractId: string, clientId: string): Promise<{ id: string; name: string } | null> {
  if (actor.role !== 'contact' || actor.clientId !== clientId) return null;
  const user = await repo.userById(ex, actor.userId);
  if (!user) return null;
  const email = user.email.toLowerCase();
  const designated = await repo.designatedContacts(ex, contractId);
  const deputiesMay = (await repo.findSettings(ex, contractId))?.deputiesMayApprove === 1;
  const match = designated.find((c) => c.email?.toLowerCase() === email && (c.isPrimary === 1 || deputiesMay));
  return match ? { id: match.id, name: match.name } : null;
}

export async function conflictsOf(ex: Executor, actor: Actor, row: Pick<repo.ChangeRow, 'id' | 'contractId' | 'maintenanceWindowId'>, from: number, to: number): Promise<Conflict[]> {
  const staff = may(actor, 'change_request.read_internal');
  const windows = (await windowsOverlapping(ex, row.contractId, from, to))
    .filter((w) => w.id !== row.maintenanceWindowId && (staff || w.announcedAt !== null));
  const changes = await repo.changesInWindow(ex, row.contractId, from, to, row.id);
  return [
    ...windows.map((w): Conflict => ({ kind: 'maintenance', id: w.id, title: w.title, number: null, startsAt: w.startsAt, endsAt: w.endsAt })),
    ...changes.map((c): Conflict => ({ kind: 'change_request', id: c.id, title: c.title, number: c.number, startsAt: c.windowStartsAt!, endsAt: c.windowEndsAt! })),
  ].sort((a, b) => a.startsAt - b.startsAt);
}

export function createChangeRequestQueries({ db, clock }: ServiceDeps) {
  async function load(ex: Executor, actor: Actor, id: string, lock = false): Promise<repo.ChangeRow> {
    const row = await repo.findChange(ex, id, clientScope(actor), lock);
    if (!row) throw notFound('change_request');
    return row;
  }

  async function summaries(ex: Executor, actor: Actor, rows: readonly repo.ChangeRow[], now: number): Promise<ChangeSummary[]> {
    const ids = rows.map((r) => r.id);
    const systems = await repo.systemsOf(ex, ids);
    const proposals = await repo.proposalsOf(ex, ids);
    const out: ChangeSummary[] = [];
    for (const r of rows) {
      const mine = proposals.filter((p) => p.changeRequestId === r.id);
      const target = targetOf(r);
      let feasibilityView: ChangeSummary['feasibilityView'] = null;
      if (target) {
        const paused = r.status === 'needs_clarification';
        feasibilityView = { target, dueAt: r.feasibilityDueAt, atRiskAt: r.feasibilityAtRiskAt, metAt: r.feasibilityAt, state: feasibilityState(r, paused, now) };
      }
      out.push({ ...r, systemIds: systems.get(r.id) ?? [], feasibilityView, current: currentSent(mine) });
    }
    void actor;
    return out;
  }

  async function detail(ex: Executor, actor: Actor, row: repo.ChangeRow, now: number): Promise<ChangeDetail> {
    const [summary] = await summaries(ex, actor, [row], now);
    const internal = may(actor, 'change_request.read_internal');
    const proposals = (await repo.proposalsOf(ex, [row.id])).filter((p) => internal || p.status !== 'draft');
    const approvals = await repo.approvalsOf(ex, row.id);
    const events = await repo.eventsOf(ex, row.id, internal);
    const from = row.windowStartsAt ?? summary!.current?.windowStartsAt ?? null;
    const to = row.windowEndsAt ?? summary!.current?.windowEndsAt ?? null;
    const conflicts = from !== null && to !== null && !FINAL_CHANGE_STATUSES.includes(row.status as ChangeStatus)
      ? await conflictsOf(ex, actor, row, from, to) : [];
    const approver = await approverContact(ex, actor, row.contractId, row.clientId);
    const role = isStaff(actor) ? 'staff' : 'contact';
    let commands: ChangeCommand[] = commandsFrom(row.status, role);
    // The designated contact (or an allowed deputy) decides; other contacts of the client only read.
    if (!approver) commands = commands.filter((c) => c !== 'approve' && c !== 'reject');
    return {
      ...summary!, proposals, approvals, events, conflicts, commands,
      mayApprove: approver !== null && row.status === 'proposal_sent',
    };
  }

  return {
    load,
    detail,
    summaries,

    async get(actor: Actor, id: string): Promise<ChangeDetail> {
      authorize(actor, 'change_request.read');
      return detail(db, actor, await load(db, actor, id), clock());
    },

    async getByNumber(actor: Actor, number: number): Promise<ChangeDetail> {
      authorize(actor, 'change_request.read');
      const row = await repo.findChangeByNumber(db, number, clientScope(actor));
      if (!row) throw notFound('change_request');
      return detail(db, actor, row, clock());
    },

    async list(actor: Actor, f: ChangeListFilter = {}): Promise<{ items: ChangeSummary[]; total: number }> {
      authorize(actor, 'change_request.list');
      const statuses = f.status?.length ? f.status : f.open === true ? OPEN_CHANGE_STATUSES : f.open === false ? FINAL_CHANGE_STATUSES : undefined;
      const { rows, total } = await repo.listChanges(db, {
        scope: clientScope(actor),
        ...(statuses ? { statuses } : {}),
        ...(f.contractId ? { contractId: f.contractId } : {}),
        ...(f.clientId ? { clientId: f.clientId } : {}),
        ...(f.q ? { q: f.q } : {}),
        limit: Math.min(Math.max(f.limit ?? 100, 1), 500),
        offset: Math.max(f.offset ?? 0, 0),
      });
      return { items: await summaries(db, actor, rows, clock()), total };
    },

    /** Maintenance and changes of the contract in a window (shown while scheduling). */
    async conflicts(actor: Actor, id: string, from: number, to: number): Promise<Conflict[]> {
      authorize(actor, 'change_request.read');
      const row = await load(db, actor, id);
      return conflictsOf(db, actor, row, from, to);
    },

    /**
     * For the monthly report: the change requests of a contract created in [from, to),
     * with their states and the totals of their current proposals.
     */
    async forReport(contractId: string, from: number, to: number): Promise<ChangeSummary[]> {
      const { rows } = await repo.listChanges(db, { scope: null, contractId, activeIn: [from, to], limit: 500, offset: 0 });
      return summaries(db, { userId: 'system', role: 'admin', clientId: null }, rows, clock());
    },
  };
}
export type ChangeRequestQueries = ReturnType<typeof createChangeRequestQueries>;
