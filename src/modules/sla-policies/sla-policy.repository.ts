import { scopeToClient, type ClientScope } from '../../db/client-scope.ts';
import type { Executor } from '../../db/database.ts';
import type { NewRow, Row, RowUpdate } from '../../db/schema.ts';

export type PolicyRow = Row<'slaPolicies'>;
export type PolicyVersionRow = Row<'slaPolicyVersions'>;
const COLUMNS = ['id', 'name', 'isDefault', 'establishedOn', 'currentVersion', 'createdAt', 'updatedAt'] as const;
const VERSION_COLUMNS = ['id', 'policyId', 'version', 'revisedOn', 'document', 'note', 'createdBy', 'createdAt'] as const;

export async function insertPolicy(ex: Executor, row: NewRow<'slaPolicies'>): Promise<void> {
  await ex.insertInto('slaPolicies').values(row).execute();
}
export async function insertPolicyVersion(ex: Executor, row: NewRow<'slaPolicyVersions'>): Promise<void> {
  await ex.insertInto('slaPolicyVersions').values(row).execute();
}
export async function findPolicy(ex: Executor, id: string): Promise<PolicyRow | undefined> {
  return ex.selectFrom('slaPolicies').select(COLUMNS).where('id', '=', id).executeTakeFirst();
}
export async function findDefaultPolicy(ex: Executor): Promise<PolicyRow | undefined> {
  return ex.selectFrom('slaPolicies').select(COLUMNS).where('isDefault', '=', 1).orderBy('createdAt').executeTakeFirst();
}
/**
 * What a client's contracts follow: for a contact (scope = their client) only those
 * policies, and of each only the versions a contract of theirs is on. Staff (null): all.
 */
const followedBy = (ex: Executor, scope: string) => scopeToClient(ex.selectFrom('contracts'), 'contracts.clientId', scope);

export async function findScopedPolicy(ex: Executor, id: string, scope: ClientScope): Promise<PolicyRow | undefined> {
  let q = ex.selectFrom('slaPolicies').select(COLUMNS).where('id', '=', id);
  if (scope !== null) q = q.where('id', 'in', followedBy(ex, scope).select('contracts.slaPolicyId'));
  return q.executeTakeFirst();
}
export async function listPolicies(ex: Executor, scope: ClientScope): Promise<PolicyRow[]> {
  let q = ex.selectFrom('slaPolicies').select(COLUMNS);
  if (scope !== null) q = q.where('id', 'in', followedBy(ex, scope).select('contracts.slaPolicyId'));
  return q.orderBy('name').execute();
}
export async function updatePolicy(ex: Executor, id: string, patch: RowUpdate<'slaPolicies'>): Promise<void> {
  await ex.updateTable('slaPolicies').set(patch).where('id', '=', id).execute();
}
export async function findPolicyVersion(ex: Executor, policyId: string, version: number, scope: ClientScope = null): Promise<PolicyVersionRow | undefined> {
  let q = ex
    .selectFrom('slaPolicyVersions')
    .select(VERSION_COLUMNS)
    .where('policyId', '=', policyId)
    .where('version', '=', version);
  if (scope !== null) q = q.where('version', 'in', followedBy(ex, scope).select('contracts.slaPolicyVersion').where('contracts.slaPolicyId', '=', policyId));
  return q.executeTakeFirst();
}
export async function listPolicyVersions(ex: Executor, policyId: string, scope: ClientScope = null): Promise<PolicyVersionRow[]> {
  let q = ex.selectFrom('slaPolicyVersions').select(VERSION_COLUMNS).where('policyId', '=', policyId);
  if (scope !== null) q = q.where('version', 'in', followedBy(ex, scope).select('contracts.slaPolicyVersion').where('contracts.slaPolicyId', '=', policyId));
  return q.orderBy('version').execute();
}
export async function clearDefault(ex: Executor): Promise<void> {
  await ex.updateTable('slaPolicies').set({ isDefault: 0 }).where('isDefault', '=', 1).execute();
}
