import { scopeToClient, type ClientScope } from '../../db/client-scope.ts';
import type { Executor } from '../../db/database.ts';
import type { NewRow, Row, RowUpdate } from '../../db/schema.ts';

export type ClientRow = Row<'clients'>;
const COLUMNS = ['id', 'name', 'nameKana', 'notes', 'createdAt', 'updatedAt'] as const;

export async function insertClient(ex: Executor, row: NewRow<'clients'>): Promise<void> {
  await ex.insertInto('clients').values(row).execute();
}

/** `scope` null = any client; otherwise only that client's row is visible. */
export async function findClient(ex: Executor, id: string, scope: ClientScope): Promise<ClientRow | undefined> {
  let q = ex.selectFrom('clients').select(COLUMNS).where('id', '=', id);
  q = scopeToClient(q, 'id', scope);
  return q.executeTakeFirst();
}

export async function listClients(ex: Executor, scope: ClientScope): Promise<ClientRow[]> {
  let q = ex.selectFrom('clients').select(COLUMNS);
  q = scopeToClient(q, 'id', scope);
  return q.orderBy('name').execute();
}

export async function updateClient(ex: Executor, id: string, patch: RowUpdate<'clients'>): Promise<void> {
  await ex.updateTable('clients').set(patch).where('id', '=', id).execute();
}

export async function countClients(ex: Executor): Promise<number> {
  const r = await ex.selectFrom('clients').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}
