/** SQL of the change-request module (portable over SQLite and PostgreSQL). */
import { sql } from 'kysely';
import { scopeToClient, type ClientScope } from '../../db/client-scope.ts';
import type { Executor } from '../../db/database.ts';
import { insertRows } from '../../db/insert-rows.ts';
import type { NewRow, Row, RowUpdate } from '../../db/schema.ts';

export type ChangeRow = Row<'changeRequests'>;
export type ProposalRow = Row<'changeProposals'>;
export type ApprovalRow = Row<'changeApprovals'>;
export type PauseRow = Row<'changeRequestPauses'>;
export type EventRow = Row<'changeRequestEvents'>;
export type SettingsRow = Row<'changeRequestSettings'>;

const COLUMNS = [
  'id', 'number', 'contractId', 'clientId', 'title', 'description', 'reason', 'desiredDate', 'channel', 'requestedByUserId',
  'requestedByContactId', 'requesterName', 'requestedByStaff', 'sourceIncidentId', 'status', 'slaPolicyId', 'slaPolicyVersion',
  'calendarId', 'receivedAt', 'feasibility', 'feasibilityReason', 'feasibilityAt', 'feasibilityBy', 'feasibilityTarget',
  'feasibilityDueAt', 'feasibilityAtRiskAt', 'feasibilityAtRiskFiredAt', 'feasibilityBreachedFiredAt', 'windowStartsAt',
  'windowEndsAt', 'maintenanceWindowId', 'scheduledAt', 'startedAt', 'finishedAt', 'outcome', 'actualEffortCenti', 'resultNotes',
  'confirmationDueAt', 'confirmedAt', 'confirmedBy', 'confirmationComment', 'autoClosed', 'closedAt', 'createdBy', 'createdAt', 'updatedAt',
] as const;
const PROPOSAL_COLUMNS = [
  'id', 'changeRequestId', 'version', 'status', 'effortCenti', 'effortUnit', 'amountJpy', 'taxRatePercent', 'taxJpy', 'plan', 'impact',
  'backout', 'windowStartsAt', 'windowEndsAt', 'affectsService', 'validUntil', 'contentHash', 'sentAt', 'sentBy', 'createdBy',
  'createdAt', 'updatedAt',
] as const;
const APPROVAL_COLUMNS = [
  'id', 'changeRequestId', 'proposalId', 'version', 'decision', 'comment', 'userId', 'contactId', 'name', 'decidedAt', 'contentHash',
  'voidedAt', 'voidReason',
] as const;

export async function nextNumber(ex: Executor): Promise<number> {
  const r = await ex
    .insertInto('counters')
    .values({ name: 'change_request', value: 1 })
    .onConflict((oc) => oc.column('name').doUpdateSet((eb) => ({ value: eb('counters.value', '+', 1) })))
    .returning('value')
    .executeTakeFirstOrThrow();
  return Number(r.value);
}

export async function insertChange(ex: Executor, row: NewRow<'changeRequests'>, systemIds: readonly string[]): Promise<void> {
  await insertRows(ex, 'changeRequests', [row]);
  await insertRows(ex, 'changeRequestSystems', systemIds.map((systemId) => ({ changeRequestId: row.id as string, systemId })));
}

/** `lock`: hold the row until commit (PostgreSQL), so commands on one request apply one after the other. */
export async function findChange(ex: Executor, id: string, scope: ClientScope, lock = false): Promise<ChangeRow | undefined> {
  let q = ex.selectFrom('changeRequests').select(COLUMNS).where('id', '=', id);
  q = scopeToClient(q, 'clientId', scope);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function findChangeByNumber(ex: Executor, number: number, scope: ClientScope): Promise<ChangeRow | undefined> {
  let q = ex.selectFrom('changeRequests').select(COLUMNS).where('number', '=', number);
  q = scopeToClient(q, 'clientId', scope);
  return q.executeTakeFirst();
}

export async function findBySourceIncident(ex: Executor, incidentId: string): Promise<ChangeRow | undefined> {
  return ex.selectFrom('changeRequests').select(COLUMNS).where('sourceIncidentId', '=', incidentId).executeTakeFirst();
}

export interface ChangeFilter {
  scope: ClientScope;
  statuses?: readonly string[];
  contractId?: string;
  clientId?: string;
  q?: string;
  /** Created in [from, to). */
  createdFrom?: number;
  createdTo?: number;
  /**
   * Something happened to it in [from, to): received, its feasibility answered, a proposal
   * decided, its work finished, or closed (the monthly report lists a change the month it moved).
   */
  activeIn?: readonly [number, number];
  limit: number;
  offset: number;
}

export async function listChanges(ex: Executor, f: ChangeFilter): Promise<{ rows: ChangeRow[]; total: number }> {
  let q = ex.selectFrom('changeRequests');
  q = scopeToClient(q, 'clientId', f.scope);
  if (f.statuses?.length) q = q.where('status', 'in', f.statuses);
  if (f.contractId) q = q.where('contractId', '=', f.contractId);
  if (f.clientId) q = q.where('clientId', '=', f.clientId);
  if (f.createdFrom !== undefined) q = q.where('createdAt', '>=', f.createdFrom);
  if (f.createdTo !== undefined) q = q.where('createdAt', '<', f.createdTo);
  if (f.activeIn) {
    const [from, to] = f.activeIn;
    q = q.where((eb) => eb.or([
      ...(['createdAt', 'feasibilityAt', 'finishedAt', 'closedAt'] as const).map((c) => eb.and([eb(c, '>=', from), eb(c, '<', to)])),
      eb.exists(eb.selectFrom('changeApprovals as a').select('a.id')
        .whereRef('a.changeRequestId', '=', 'changeRequests.id').where('a.decidedAt', '>=', from).where('a.decidedAt', '<', to)),
    ]));
  }
  if (f.q) {
    // LIKE with its wildcards escaped and an explicit ESCAPE (SQLite has no default one).
    const pattern = `%${f.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where(sql<boolean>`lower(title) like ${pattern} escape '\\'`);
  }
  const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await q.select(COLUMNS).orderBy('createdAt', 'desc').orderBy('id', 'desc').limit(f.limit).offset(f.offset).execute();
  return { rows, total: Number(total.n) };
}

export async function updateChange(ex: Executor, id: string, patch: RowUpdate<'changeRequests'>): Promise<void> {
  await ex.updateTable('changeRequests').set(patch).where('id', '=', id).execute();
}

export async function systemsOf(ex: Executor, ids: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>(ids.map((id) => [id, []]));
  if (!ids.length) return out;
  const rows = await ex.selectFrom('changeRequestSystems').select(['changeRequestId', 'systemId']).where('changeRequestId', 'in', ids).orderBy('systemId').execute();
  for (const r of rows) out.get(r.changeRequestId)?.push(r.systemId);
  return out;
}

// ---- proposals ----

export async function proposalsOf(ex: Executor, changeRequestIds: readonly string[]): Promise<ProposalRow[]> {
  if (!changeRequestIds.length) return [];
  return ex.selectFrom('changeProposals').select(PROPOSAL_COLUMNS).where('changeRequestId', 'in', changeRequestIds).orderBy('version', 'desc').execute();
}

export async function findProposal(ex: Executor, changeRequestId: string, version: number): Promise<ProposalRow | undefined> {
  return ex.selectFrom('changeProposals').select(PROPOSAL_COLUMNS).where('changeRequestId', '=', changeRequestId).where('version', '=', version).executeTakeFirst();
}

export async function insertProposal(ex: Executor, row: ProposalRow): Promise<void> {
  await insertRows(ex, 'changeProposals', [row]);
}

export async function updateProposal(ex: Executor, id: string, patch: RowUpdate<'changeProposals'>): Promise<void> {
  await ex.updateTable('changeProposals').set(patch).where('id', '=', id).execute();
}

/** Marks every earlier sent version superseded. */
export async function supersedeSent(ex: Executor, changeRequestId: string, exceptId: string, now: number): Promise<void> {
  await ex.updateTable('changeProposals').set({ status: 'superseded', updatedAt: now })
    .where('changeRequestId', '=', changeRequestId).where('status', '=', 'sent').where('id', '!=', exceptId).execute();
}

// ---- approvals ----

export async function approvalsOf(ex: Executor, changeRequestId: string): Promise<ApprovalRow[]> {
  return ex.selectFrom('changeApprovals').select(APPROVAL_COLUMNS).where('changeRequestId', '=', changeRequestId).orderBy('decidedAt').orderBy('id').execute();
}

export async function insertApproval(ex: Executor, row: ApprovalRow): Promise<void> {
  await insertRows(ex, 'changeApprovals', [row]);
}

/** Voids the standing approvals of a request; returns how many. */
export async function voidApprovals(ex: Executor, changeRequestId: string, now: number, reason: string): Promise<number> {
  const r = await ex.updateTable('changeApprovals').set({ voidedAt: now, voidReason: reason })
    .where('changeRequestId', '=', changeRequestId).where('decision', '=', 'approved').where('voidedAt', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows);
}

// ---- pauses, events ----

export async function pausesOf(ex: Executor, changeRequestId: string): Promise<PauseRow[]> {
  return ex.selectFrom('changeRequestPauses').select(['id', 'changeRequestId', 'startedAt', 'endedAt', 'reason'])
    .where('changeRequestId', '=', changeRequestId).orderBy('startedAt').execute();
}

export async function insertPause(ex: Executor, row: PauseRow): Promise<void> {
  await insertRows(ex, 'changeRequestPauses', [row]);
}

export async function closeOpenPause(ex: Executor, changeRequestId: string, now: number): Promise<void> {
  await ex.updateTable('changeRequestPauses').set({ endedAt: now }).where('changeRequestId', '=', changeRequestId).where('endedAt', 'is', null).execute();
}

export async function insertEvent(ex: Executor, row: EventRow): Promise<void> {
  await insertRows(ex, 'changeRequestEvents', [row]);
}

export async function eventsOf(ex: Executor, changeRequestId: string, withInternal: boolean): Promise<EventRow[]> {
  let q = ex.selectFrom('changeRequestEvents').select(['id', 'changeRequestId', 'at', 'kind', 'visibility', 'actorId', 'actorName', 'body', 'data'])
    .where('changeRequestId', '=', changeRequestId);
  if (!withInternal) q = q.where('visibility', '=', 'public');
  return q.orderBy('at').orderBy('id').execute();
}

// ---- timers ----

/** Records that a feasibility timer fired, once: false when it already had (or the answer was given). */
export async function markFeasibilityFired(ex: Executor, id: string, event: 'atRisk' | 'breached', now: number): Promise<boolean> {
  const col = event === 'atRisk' ? 'feasibilityAtRiskFiredAt' : 'feasibilityBreachedFiredAt';
  const r = await ex.updateTable('changeRequests').set({ [col]: now })
    .where('id', '=', id).where(col, 'is', null).where('feasibilityAt', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

// ---- settings, people ----

export async function findSettings(ex: Executor, contractId: string): Promise<SettingsRow | undefined> {
  return ex.selectFrom('changeRequestSettings').select(['contractId', 'deputiesMayApprove', 'confirmationBusinessDays', 'updatedAt'])
    .where('contractId', '=', contractId).executeTakeFirst();
}

export async function upsertSettings(ex: Executor, row: SettingsRow): Promise<void> {
  await ex.insertInto('changeRequestSettings').values(row)
    .onConflict((oc) => oc.column('contractId').doUpdateSet({ deputiesMayApprove: row.deputiesMayApprove, confirmationBusinessDays: row.confirmationBusinessDays, updatedAt: row.updatedAt }))
    .execute();
}

export async function userById(ex: Executor, id: string): Promise<{ id: string; name: string; email: string; role: string } | undefined> {
  return ex.selectFrom('users').select(['id', 'name', 'email', 'role']).where('id', '=', id).executeTakeFirst();
}

/** The designated contacts of a contract (primary first) with their addresses. */
export async function designatedContacts(ex: Executor, contractId: string): Promise<Array<{ id: string; name: string; email: string | null; isPrimary: number }>> {
  return ex.selectFrom('contractContacts').innerJoin('contacts', 'contacts.id', 'contractContacts.contactId')
    .select(['contacts.id', 'contacts.name', 'contacts.email', 'contractContacts.isPrimary'])
    .where('contractContacts.contractId', '=', contractId)
    .orderBy('contractContacts.isPrimary', 'desc').orderBy('contacts.name').execute();
}

export async function contactById(ex: Executor, id: string): Promise<{ id: string; clientId: string; name: string; email: string | null } | undefined> {
  return ex.selectFrom('contacts').select(['id', 'clientId', 'name', 'email']).where('id', '=', id).executeTakeFirst();
}

export async function contactByEmail(ex: Executor, clientId: string, email: string): Promise<{ id: string; name: string; email: string | null } | undefined> {
  return ex.selectFrom('contacts').select(['id', 'name', 'email']).where('clientId', '=', clientId).where(sql`lower(email)`, '=', email.toLowerCase()).executeTakeFirst();
}

/** Other change requests of a contract with a window overlapping [from, to). */
export async function changesInWindow(ex: Executor, contractId: string, from: number, to: number, exceptId: string): Promise<ChangeRow[]> {
  return ex.selectFrom('changeRequests').select(COLUMNS)
    .where('contractId', '=', contractId).where('id', '!=', exceptId)
    .where('windowStartsAt', '<', to).where('windowEndsAt', '>', from)
    .where('status', 'not in', ['closed', 'withdrawn', 'not_feasible'])
    .orderBy('windowStartsAt').execute();
}
