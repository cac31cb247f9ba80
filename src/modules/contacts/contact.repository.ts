import { scopeToClient, type ClientScope } from '../../db/client-scope.ts';
import type { Executor } from '../../db/database.ts';
import type { NewRow, Row, RowUpdate } from '../../db/schema.ts';

export type ContactRow = Row<'contacts'>;
const COLUMNS = ['id', 'clientId', 'name', 'email', 'phone', 'createdAt', 'updatedAt'] as const;

export async function insertContact(ex: Executor, row: NewRow<'contacts'>): Promise<void> {
  await ex.insertInto('contacts').values(row).execute();
}

export async function findContact(ex: Executor, id: string, scope: ClientScope): Promise<ContactRow | undefined> {
  let q = ex.selectFrom('contacts').select(COLUMNS).where('id', '=', id);
  q = scopeToClient(q, 'clientId', scope);
  return q.executeTakeFirst();
}

export async function listContacts(ex: Executor, f: { clientId?: string; scope: ClientScope }): Promise<ContactRow[]> {
  let q = ex.selectFrom('contacts').select(COLUMNS);
  if (f.clientId) q = q.where('clientId', '=', f.clientId);
  q = scopeToClient(q, 'clientId', f.scope);
  return q.orderBy('name').execute();
}

export async function updateContact(ex: Executor, id: string, patch: RowUpdate<'contacts'>): Promise<void> {
  await ex.updateTable('contacts').set(patch).where('id', '=', id).execute();
}
