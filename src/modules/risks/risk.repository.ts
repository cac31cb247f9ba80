/** SQL of the risk register, portable over SQLite and PostgreSQL. Client scoping through `scopeToClient`. */
import { scopeToClient, type ClientScope } from '../../db/client-scope.ts';
import type { Executor } from '../../db/database.ts';
import type { NewRow, Row, RowUpdate } from '../../db/schema.ts';
import { risksTableColumns } from '../../db/schema-risks.ts';

export type CriteriaRow = Row<'riskCriteria'>;
export type RiskRow = Row<'risks'>;
export type ScoreChangeRow = Row<'riskScoreChanges'>;
export type ControlRow = Row<'riskControls'>;
export type AcceptanceRow = Row<'riskAcceptances'>;
export type MessageRow = Row<'riskMessages'>;
export type LinkRow = Row<'riskLinks'>;

const RISK = risksTableColumns.risks;

// ---- criteria ----

export function listCriteria(ex: Executor): Promise<CriteriaRow[]> {
  return ex.selectFrom('riskCriteria').select(risksTableColumns.riskCriteria).orderBy('version', 'desc').execute();
}

export function findCriteria(ex: Executor, version: number): Promise<CriteriaRow | undefined> {
  return ex.selectFrom('riskCriteria').select(risksTableColumns.riskCriteria).where('version', '=', version).executeTakeFirst();
}

export function currentCriteria(ex: Executor): Promise<CriteriaRow | undefined> {
  return ex.selectFrom('riskCriteria').select(risksTableColumns.riskCriteria).orderBy('version', 'desc').limit(1).executeTakeFirst();
}

export async function insertCriteria(ex: Executor, row: NewRow<'riskCriteria'>): Promise<void> {
  await ex.insertInto('riskCriteria').values(row).execute();
}

// ---- risks ----

/** The desk-wide sequential risk number (R-1, R-2 …), taken inside the creating transaction. */
export async function nextRiskNumber(ex: Executor): Promise<number> {
  const r = await ex
    .insertInto('counters')
    .values({ name: 'risk', value: 1 })
    .onConflict((oc) => oc.column('name').doUpdateSet((eb) => ({ value: eb('counters.value', '+', 1) })))
    .returning('value')
    .executeTakeFirstOrThrow();
  return Number(r.value);
}

export async function insertRisk(ex: Executor, row: NewRow<'risks'>): Promise<void> {
  await ex.insertInto('risks').values(row).execute();
}

/** `scope` null = any client. */
export function findRisk(ex: Executor, id: string, scope: ClientScope): Promise<RiskRow | undefined> {
  return scopeToClient(ex.selectFrom('risks').select(RISK).where('id', '=', id), 'clientId', scope).executeTakeFirst();
}

export interface RiskFilter {
  clientId?: string;
  contractId?: string;
  status?: string;
  level?: string;
  /** Risks with a review due at or before this instant. */
  reviewDueBy?: number;
  criteriaVersion?: number;
}

/** By number, newest first; the level filter matches the residual level, else the inherent one (what the risk is now). */
export function listRisks(ex: Executor, f: RiskFilter, scope: ClientScope): Promise<RiskRow[]> {
  let q = scopeToClient(ex.selectFrom('risks').select(RISK), 'clientId', scope);
  if (f.clientId) q = q.where('clientId', '=', f.clientId);
  if (f.contractId) q = q.where('contractId', '=', f.contractId);
  if (f.status) q = q.where('status', '=', f.status);
  if (f.criteriaVersion !== undefined) q = q.where('criteriaVersion', '=', f.criteriaVersion);
  if (f.level) {
    const level = f.level;
    q = q.where((eb) => eb.or([
      eb('residualLevel', '=', level),
      eb.and([eb('residualLevel', 'is', null), eb('inherentLevel', '=', level)]),
    ]));
  }
  if (f.reviewDueBy !== undefined) q = q.where('nextReviewAt', '<=', f.reviewDueBy).where('status', '=', 'open');
  return q.orderBy('number', 'desc').limit(5000).execute();
}

export async function updateRisk(ex: Executor, id: string, patch: RowUpdate<'risks'>): Promise<void> {
  await ex.updateTable('risks').set(patch).where('id', '=', id).execute();
}

/**
 * Marks a review timer fired for the review due at `dueAt`, once: true only for the one caller
 * whose update matched (the risk still due then, not yet fired) — the exactly-once decision.
 */
export async function markReviewFired(ex: Executor, id: string, event: 'due' | 'overdue', dueAt: number, now: number): Promise<boolean> {
  const column = event === 'due' ? 'reviewDueFiredAt' : 'reviewOverdueFiredAt';
  const r = await ex.updateTable('risks').set({ [column]: now })
    .where('id', '=', id).where('status', '=', 'open').where('nextReviewAt', '=', dueAt).where(column, 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

// ---- score history ----

export async function insertScoreChange(ex: Executor, row: NewRow<'riskScoreChanges'>): Promise<void> {
  await ex.insertInto('riskScoreChanges').values(row).execute();
}

export function scoreChangesOf(ex: Executor, riskId: string): Promise<ScoreChangeRow[]> {
  return ex.selectFrom('riskScoreChanges').select(risksTableColumns.riskScoreChanges).where('riskId', '=', riskId).orderBy('revision').execute();
}

// ---- controls ----

export async function insertControl(ex: Executor, row: NewRow<'riskControls'>): Promise<void> {
  await ex.insertInto('riskControls').values(row).execute();
}

export function findControl(ex: Executor, riskId: string, id: string): Promise<ControlRow | undefined> {
  return ex.selectFrom('riskControls').select(risksTableColumns.riskControls).where('riskId', '=', riskId).where('id', '=', id).executeTakeFirst();
}

export function controlsOf(ex: Executor, riskId: string, presentedOnly: boolean): Promise<ControlRow[]> {
  let q = ex.selectFrom('riskControls').select(risksTableColumns.riskControls).where('riskId', '=', riskId);
  if (presentedOnly) q = q.where('presentedAt', 'is not', null);
  return q.orderBy('createdAt').orderBy('id').execute();
}

export async function updateControl(ex: Executor, id: string, patch: RowUpdate<'riskControls'>): Promise<void> {
  await ex.updateTable('riskControls').set(patch).where('id', '=', id).execute();
}

/**
 * Applies a presentation or acknowledgement only while it is still due (not presented yet / this
 * revision not acknowledged yet): of two concurrent clicks one wins, the other is told it is done.
 */
export async function updateControlIf(ex: Executor, id: string, when: 'unpresented' | 'unacknowledged', patch: RowUpdate<'riskControls'>): Promise<boolean> {
  let q = ex.updateTable('riskControls').set(patch).where('id', '=', id);
  q = when === 'unpresented'
    ? q.where('presentedAt', 'is', null)
    : q.where((eb) => eb.or([eb('acknowledgedRevision', 'is', null), eb('acknowledgedRevision', '<', eb.ref('revision'))]));
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

// ---- acceptances, messages, links ----

export async function insertAcceptance(ex: Executor, row: NewRow<'riskAcceptances'>): Promise<void> {
  await ex.insertInto('riskAcceptances').values(row).execute();
}

export function findAcceptance(ex: Executor, id: string): Promise<AcceptanceRow | undefined> {
  return ex.selectFrom('riskAcceptances').select(risksTableColumns.riskAcceptances).where('id', '=', id).executeTakeFirst();
}

/** The exactly-once decision of the expiry timer. */
export async function markAcceptanceExpired(ex: Executor, id: string, now: number): Promise<boolean> {
  const r = await ex.updateTable('riskAcceptances').set({ expiryNotifiedAt: now }).where('id', '=', id).where('expiryNotifiedAt', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export function acceptancesOf(ex: Executor, riskId: string): Promise<AcceptanceRow[]> {
  return ex.selectFrom('riskAcceptances').select(risksTableColumns.riskAcceptances).where('riskId', '=', riskId).orderBy('acceptedAt', 'desc').orderBy('id', 'desc').execute();
}

export async function insertMessage(ex: Executor, row: NewRow<'riskMessages'>): Promise<void> {
  await ex.insertInto('riskMessages').values(row).execute();
}

export function messagesOf(ex: Executor, riskId: string, withInternal: boolean): Promise<MessageRow[]> {
  let q = ex.selectFrom('riskMessages').select(risksTableColumns.riskMessages).where('riskId', '=', riskId);
  if (!withInternal) q = q.where('visibility', '=', 'public');
  return q.orderBy('at').orderBy('id').execute();
}

export async function insertLink(ex: Executor, row: NewRow<'riskLinks'>): Promise<void> {
  await ex.insertInto('riskLinks').values(row).execute();
}

export function findLink(ex: Executor, riskId: string, id: string): Promise<LinkRow | undefined> {
  return ex.selectFrom('riskLinks').select(risksTableColumns.riskLinks).where('riskId', '=', riskId).where('id', '=', id).executeTakeFirst();
}

export function findLinkTo(ex: Executor, riskId: string, kind: string, targetId: string): Promise<LinkRow | undefined> {
  return ex.selectFrom('riskLinks').select(risksTableColumns.riskLinks)
    .where('riskId', '=', riskId).where('kind', '=', kind).where('targetId', '=', targetId).executeTakeFirst();
}

export async function deleteLink(ex: Executor, id: string): Promise<void> {
  await ex.deleteFrom('riskLinks').where('id', '=', id).execute();
}

export function linksOf(ex: Executor, riskId: string): Promise<LinkRow[]> {
  return ex.selectFrom('riskLinks').select(risksTableColumns.riskLinks).where('riskId', '=', riskId).orderBy('createdAt').orderBy('id').execute();
}

// ---- people ----

export interface Person { id: string; name: string; email: string; role: string; locale: string; disabledAt: number | null }

export function people(ex: Executor, ids: readonly string[]): Promise<Person[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return ex.selectFrom('users').select(['id', 'name', 'email', 'role', 'locale', 'disabledAt']).where('id', 'in', [...new Set(ids)]).execute();
}

/** The active admins: whom an overdue review is escalated to. */
export function activeAdmins(ex: Executor): Promise<Person[]> {
  return ex.selectFrom('users').select(['id', 'name', 'email', 'role', 'locale', 'disabledAt'])
    .where('role', '=', 'admin').where('disabledAt', 'is', null).orderBy('email').execute();
}
