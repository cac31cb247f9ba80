/** Queries on security incidents, their timeline, reports, evidence and links. Contacts are scoped by `scope` (their client id). */
import { scopeToClient, type ClientScope } from '../../db/client-scope.ts';
import type { Executor } from '../../db/database.ts';
import type { NewRow, Row, RowUpdate } from '../../db/schema.ts';
import { securityTableColumns } from '../../db/schema-security.ts';

export type SecurityIncidentRow = Row<'securityIncidents'>;
export type EventRow = Row<'securityIncidentEvents'>;
export type ReportRow = Row<'securityIncidentReports'>;
export type EvidenceRow = Row<'securityEvidence'>;
export type CustodyRow = Row<'securityEvidenceCustody'>;
export type LinkRow = Row<'securityIncidentLinks'>;
export type ReadRow = Row<'securityReportReads'>;

const COLUMNS = securityTableColumns.securityIncidents;

/** The desk-wide sequential number of security incidents, taken inside the creating transaction. */
export async function nextNumber(ex: Executor): Promise<number> {
  const r = await ex
    .insertInto('counters')
    .values({ name: 'security_incident', value: 1 })
    .onConflict((oc) => oc.column('name').doUpdateSet((eb) => ({ value: eb('counters.value', '+', 1) })))
    .returning('value')
    .executeTakeFirstOrThrow();
  return Number(r.value);
}

export async function insertIncident(ex: Executor, row: NewRow<'securityIncidents'>): Promise<void> {
  await ex.insertInto('securityIncidents').values(row).execute();
}

/** `lock`: hold the row until commit (PostgreSQL), so changes of one record apply one after the other. */
export async function findIncident(ex: Executor, id: string, scope: ClientScope, lock = false): Promise<SecurityIncidentRow | undefined> {
  let q = ex.selectFrom('securityIncidents').select(COLUMNS).where('id', '=', id);
  q = scopeToClient(q, 'clientId', scope);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

export interface ListFilter {
  scope: ClientScope;
  status?: string;
  open?: boolean;
  contractId?: string;
  clientId?: string;
  limit: number;
}

export async function listIncidents(ex: Executor, f: ListFilter): Promise<SecurityIncidentRow[]> {
  let q = ex.selectFrom('securityIncidents').select(COLUMNS);
  q = scopeToClient(q, 'clientId', f.scope);
  if (f.status) q = q.where('status', '=', f.status);
  if (f.open === true) q = q.where('status', '!=', 'closed');
  if (f.open === false) q = q.where('status', '=', 'closed');
  if (f.contractId) q = q.where('contractId', '=', f.contractId);
  if (f.clientId) q = q.where('clientId', '=', f.clientId);
  return q.orderBy('number', 'desc').limit(f.limit).execute();
}

export async function updateIncident(ex: Executor, id: string, patch: RowUpdate<'securityIncidents'>): Promise<void> {
  await ex.updateTable('securityIncidents').set(patch).where('id', '=', id).execute();
}

/** Marks a report timer fired unless it already was; true when this call marked it (so it fires once). */
export async function markFired(ex: Executor, id: string, event: 'atRisk' | 'breached', now: number): Promise<boolean> {
  const column = event === 'atRisk' ? 'reportAtRiskFiredAt' : 'reportBreachedFiredAt';
  const r = await ex.updateTable('securityIncidents').set({ [column]: now }).where('id', '=', id).where(column, 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function insertEvent(ex: Executor, row: EventRow): Promise<void> {
  await ex.insertInto('securityIncidentEvents').values(row).execute();
}

export async function eventsOf(ex: Executor, id: string, internal: boolean): Promise<EventRow[]> {
  let q = ex.selectFrom('securityIncidentEvents').select(securityTableColumns.securityIncidentEvents).where('securityIncidentId', '=', id);
  if (!internal) q = q.where('visibility', '=', 'public');
  return q.orderBy('at').orderBy('id').execute();
}

export async function insertReport(ex: Executor, row: ReportRow): Promise<void> {
  await ex.insertInto('securityIncidentReports').values(row).execute();
}

export async function reportsOf(ex: Executor, id: string): Promise<ReportRow[]> {
  return ex.selectFrom('securityIncidentReports').select(securityTableColumns.securityIncidentReports)
    .where('securityIncidentId', '=', id).orderBy('seq').execute();
}

export async function readsOf(ex: Executor, reportIds: readonly string[]): Promise<ReadRow[]> {
  if (reportIds.length === 0) return [];
  return ex.selectFrom('securityReportReads').select(['reportId', 'userId', 'readAt'])
    .where('reportId', 'in', reportIds).orderBy('readAt').execute();
}

/** Records a read unless this user already read the report; true when it was recorded now. */
export async function insertRead(ex: Executor, row: ReadRow): Promise<boolean> {
  const r = await ex.insertInto('securityReportReads').values(row).onConflict((oc) => oc.columns(['reportId', 'userId']).doNothing()).executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function insertEvidence(ex: Executor, row: EvidenceRow): Promise<void> {
  await ex.insertInto('securityEvidence').values(row).execute();
}

export async function evidenceOf(ex: Executor, id: string, sharedOnly: boolean): Promise<EvidenceRow[]> {
  let q = ex.selectFrom('securityEvidence').select(securityTableColumns.securityEvidence).where('securityIncidentId', '=', id);
  if (sharedOnly) q = q.where('shared', '=', 1);
  return q.orderBy('uploadedAt').orderBy('id').execute();
}

export async function findEvidence(ex: Executor, incidentId: string, evidenceId: string): Promise<EvidenceRow | undefined> {
  return ex.selectFrom('securityEvidence').select(securityTableColumns.securityEvidence)
    .where('securityIncidentId', '=', incidentId).where('id', '=', evidenceId).executeTakeFirst();
}

export async function updateEvidence(ex: Executor, id: string, patch: RowUpdate<'securityEvidence'>): Promise<void> {
  await ex.updateTable('securityEvidence').set(patch).where('id', '=', id).execute();
}

export async function insertCustody(ex: Executor, row: CustodyRow): Promise<void> {
  await ex.insertInto('securityEvidenceCustody').values(row).execute();
}

export async function custodyOf(ex: Executor, evidenceIds: readonly string[]): Promise<CustodyRow[]> {
  if (evidenceIds.length === 0) return [];
  return ex.selectFrom('securityEvidenceCustody').select(securityTableColumns.securityEvidenceCustody)
    .where('evidenceId', 'in', evidenceIds).orderBy('at').orderBy('id').execute();
}

export async function insertLink(ex: Executor, row: LinkRow): Promise<void> {
  await ex.insertInto('securityIncidentLinks').values(row).execute();
}

export async function linksOf(ex: Executor, id: string): Promise<LinkRow[]> {
  return ex.selectFrom('securityIncidentLinks').select(securityTableColumns.securityIncidentLinks)
    .where('securityIncidentId', '=', id).orderBy('createdAt').orderBy('id').execute();
}

export async function findLink(ex: Executor, id: string, kind: string, targetId: string): Promise<LinkRow | undefined> {
  return ex.selectFrom('securityIncidentLinks').select(securityTableColumns.securityIncidentLinks)
    .where('securityIncidentId', '=', id).where('kind', '=', kind).where('targetId', '=', targetId).executeTakeFirst();
}

/** Display names of users (who recorded what). */
export async function userNames(ex: Executor, ids: readonly string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await ex.selectFrom('users').select(['id', 'name']).where('id', 'in', unique).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** The contract's designated contacts with an address (the reports go to them). */
export async function reportRecipients(ex: Executor, contractId: string): Promise<string[]> {
  const rows = await ex
    .selectFrom('contractContacts')
    .innerJoin('contacts', 'contacts.id', 'contractContacts.contactId')
    .select(['contacts.email'])
    .where('contractContacts.contractId', '=', contractId)
    .where('contacts.email', 'is not', null)
    .orderBy('contractContacts.isPrimary', 'desc')
    .orderBy('contacts.name')
    .execute();
  return [...new Set(rows.map((r) => r.email!))];
}

/** The names the mail and the portal show: the contract's and its client's. */
export async function contractNames(ex: Executor, contractId: string): Promise<{ contractName: string; clientName: string } | undefined> {
  return ex.selectFrom('contracts').innerJoin('clients', 'clients.id', 'contracts.clientId')
    .select(['contracts.name as contractName', 'clients.name as clientName'])
    .where('contracts.id', '=', contractId).executeTakeFirst();
}
