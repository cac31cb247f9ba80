import { scopeToClient, type ClientScope } from '../../db/client-scope.ts';
import type { Executor } from '../../db/database.ts';
import type { NewRow, Row, RowUpdate } from '../../db/schema.ts';

export type SystemRow = Row<'systems'>;
const COLUMNS = ['id', 'clientId', 'name', 'description', 'createdAt', 'updatedAt'] as const;

export async function insertSystem(ex: Executor, row: NewRow<'systems'>): Promise<void> {
  await ex.insertInto('systems').values(row).execute();
}

export async function findSystem(ex: Executor, id: string, scope: ClientScope): Promise<SystemRow | undefined> {
  let q = ex.selectFrom('systems').select(COLUMNS).where('id', '=', id);
  q = scopeToClient(q, 'clientId', scope);
  return q.executeTakeFirst();
}

export async function listSystems(ex: Executor, f: { clientId?: string; scope: ClientScope }): Promise<SystemRow[]> {
  let q = ex.selectFrom('systems').select(COLUMNS);
  if (f.clientId) q = q.where('clientId', '=', f.clientId);
  q = scopeToClient(q, 'clientId', f.scope);
  return q.orderBy('name').execute();
}

export async function updateSystem(ex: Executor, id: string, patch: RowUpdate<'systems'>): Promise<void> {
  await ex.updateTable('systems').set(patch).where('id', '=', id).execute();
}
