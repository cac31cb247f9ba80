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
export async function listPolicies(ex: Executor): Promise<PolicyRow[]> {
  return ex.selectFrom('slaPolicies').select(COLUMNS).orderBy('name').execute();
}
export async function updatePolicy(ex: Executor, id: string, patch: RowUpdate<'slaPolicies'>): Promise<void> {
  await ex.updateTable('slaPolicies').set(patch).where('id', '=', id).execute();
}
export async function findPolicyVersion(ex: Executor, policyId: string, version: number): Promise<PolicyVersionRow | undefined> {
  return ex
    .selectFrom('slaPolicyVersions')
    .select(VERSION_COLUMNS)
    .where('policyId', '=', policyId)
    .where('version', '=', version)
    .executeTakeFirst();
}
export async function listPolicyVersions(ex: Executor, policyId: string): Promise<PolicyVersionRow[]> {
  return ex.selectFrom('slaPolicyVersions').select(VERSION_COLUMNS).where('policyId', '=', policyId).orderBy('version').execute();
}
export async function clearDefault(ex: Executor): Promise<void> {
  await ex.updateTable('slaPolicies').set({ isDefault: 0 }).where('isDefault', '=', 1).execute();
}
