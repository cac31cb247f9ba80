import { scopeToClient, type ClientScope } from '../../db/client-scope.ts';
import type { Executor } from '../../db/database.ts';
import { executeShaped } from '../../db/shaped-query.ts';
import type { NewRow, Row, RowUpdate } from '../../db/schema.ts';

export type ContractRow = Row<'contracts'>;
const COLUMNS = [
  'id', 'clientId', 'name', 'startsOn', 'endsOn', 'contractedUsers', 'slaPolicyId', 'slaPolicyVersion', 'calendarId',
  'backupWindowStart', 'backupWindowEnd', 'contactEmail', 'contactPhone', 'inScopeNotes', 'outOfScopeNotes', 'notes',
  'createdAt', 'updatedAt',
] as const;

export async function insertContract(ex: Executor, row: NewRow<'contracts'>): Promise<void> {
  await ex.insertInto('contracts').values(row).execute();
}

export async function findContract(ex: Executor, id: string, scope: ClientScope): Promise<ContractRow | undefined> {
  let q = ex.selectFrom('contracts').select(COLUMNS).where('id', '=', id);
  q = scopeToClient(q, 'clientId', scope);
  return q.executeTakeFirst();
}

export async function listContracts(ex: Executor, f: { clientId?: string; scope: ClientScope }): Promise<ContractRow[]> {
  let q = ex.selectFrom('contracts').select(COLUMNS);
  if (f.clientId) q = q.where('clientId', '=', f.clientId);
  q = scopeToClient(q, 'clientId', f.scope);
  return q.orderBy('name').execute();
}

export async function updateContract(ex: Executor, id: string, patch: RowUpdate<'contracts'>): Promise<void> {
  await ex.updateTable('contracts').set(patch).where('id', '=', id).execute();
}

export async function contractLinks(ex: Executor, ids: string[]) {
  if (ids.length === 0) return { systems: [], contacts: [], engineers: [] };
  const [systems, contacts, engineers] = await Promise.all([
    ex.selectFrom('contractSystems').select(['contractId', 'systemId']).where('contractId', 'in', ids).execute(),
    ex.selectFrom('contractContacts').select(['contractId', 'contactId', 'isPrimary']).where('contractId', 'in', ids).execute(),
    ex.selectFrom('contractEngineers').select(['contractId', 'userId']).where('contractId', 'in', ids).execute(),
  ]);
  return { systems, contacts, engineers };
}

export async function replaceLinks(
  ex: Executor,
  contractId: string,
  links: { systemIds?: string[]; contacts?: { contactId: string; isPrimary: number }[]; engineerIds?: string[] },
): Promise<void> {
  if (links.systemIds) {
    await ex.deleteFrom('contractSystems').where('contractId', '=', contractId).execute();
    if (links.systemIds.length) {
      await ex.insertInto('contractSystems').values(links.systemIds.map((systemId) => ({ contractId, systemId }))).execute();
    }
  }
  if (links.contacts) {
    await ex.deleteFrom('contractContacts').where('contractId', '=', contractId).execute();
    if (links.contacts.length) {
      await ex.insertInto('contractContacts').values(links.contacts.map((c) => ({ contractId, ...c }))).execute();
    }
  }
  if (links.engineerIds) {
    await ex.deleteFrom('contractEngineers').where('contractId', '=', contractId).execute();
    if (links.engineerIds.length) {
      await ex.insertInto('contractEngineers').values(links.engineerIds.map((userId) => ({ contractId, userId }))).execute();
    }
  }
}

export async function idsOfClient(ex: Executor, table: 'systems' | 'contacts', ids: string[], clientId: string): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await ex.selectFrom(table).select('id').where('id', 'in', ids).where('clientId', '=', clientId).execute();
  return rows.map((r) => r.id);
}

export async function staffUserIds(ex: Executor, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await ex.selectFrom('users').select('id').where('id', 'in', ids).where('role', 'in', ['admin', 'agent']).execute();
  return rows.map((r) => r.id);
}

export async function firstCalendarId(ex: Executor): Promise<string | undefined> {
  const r = await ex.selectFrom('calendars').select('id').orderBy('createdAt').orderBy('id').executeTakeFirst();
  return r?.id;
}

export async function repin(ex: Executor, policyId: string, from: number, to: number, now: number): Promise<string[]> {
  const rows = await ex
    .updateTable('contracts')
    .set({ slaPolicyVersion: to, updatedAt: now })
    .where('slaPolicyId', '=', policyId)
    .where('slaPolicyVersion', '=', from)
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

/** Read on every incident create: a reused compiled statement (shaped-query.ts). */
export async function findContractTerms(ex: Executor, id: string, scope: ClientScope) {
  const build = () => {
    const q = ex.selectFrom('contracts').select(['id', 'clientId', 'slaPolicyId', 'slaPolicyVersion', 'calendarId', 'startsOn']).where('id', '=', id);
    return scopeToClient(q, 'clientId', scope);
  };
  const r = await executeShaped(ex, `contract-terms|${scope !== null}`, scope !== null ? [id, scope] : [id], build);
  return r.rows[0];
}

export async function designatedContacts(ex: Executor, contractId: string) {
  const build = () => ex.selectFrom('contractContacts').select(['contactId', 'isPrimary']).where('contractId', '=', contractId);
  return (await executeShaped(ex, 'contract-contacts', [contractId], build)).rows;
}

export async function coversSystem(ex: Executor, contractId: string, systemId: string): Promise<boolean> {
  const r = await ex.selectFrom('contractSystems').select('systemId').where('contractId', '=', contractId).where('systemId', '=', systemId).executeTakeFirst();
  return r !== undefined;
}
