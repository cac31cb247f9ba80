/** Clients (the companies under contract). Staff manage them; a contact sees only their own. */
import { uuidv7 } from 'uuidv7';
import { AppError, notFound } from '../../errors.ts';
import type { Executor } from '../../db/database.ts';
import type { ServiceDeps } from '../../db/tx.ts';
import type { Actor } from '../auth/actor.ts';
import { clientScope } from '../auth/access.ts';
import { authorize } from '../auth/authorize.ts';
import { unitOfWork } from '../../db/unit-of-work.ts';
import * as repo from './client.repository.ts';

export type Client = repo.ClientRow;
export interface ClientInput {
  name: string;
  nameKana?: string | null;
  notes?: string;
}

function checkName(name: string): string {
  const n = name.trim();
  if (!n) throw new AppError('client.invalid', 'name required', [{ path: ['name'], code: 'too_small', message: 'required' }]);
  return n;
}

export function createClientService(deps: ServiceDeps) {
  const { db, clock } = deps;
  const uow = deps.uow ?? unitOfWork(db, clock);
  return {
    async create(actor: Actor, input: ClientInput): Promise<Client> {
      authorize(actor, 'client.create');
      const now = clock();
      const row: Client = {
        id: uuidv7(),
        name: checkName(input.name),
        nameKana: input.nameKana ?? null,
        notes: input.notes ?? '',
        createdAt: now,
        updatedAt: now,
      };
      await uow.command(actor, async (w) => {
        const tx = w.tx;
        await repo.insertClient(tx, row);
        w.audit({ entity: 'client', entityId: row.id, action: 'create', after: row });
      }, { now });
      return row;
    },

    async get(actor: Actor, id: string): Promise<Client> {
      authorize(actor, 'client.read');
      const row = await repo.findClient(db, id, clientScope(actor));
      if (!row) throw notFound('client');
      return row;
    },

    async list(actor: Actor): Promise<Client[]> {
      authorize(actor, 'client.list');
      return repo.listClients(db, clientScope(actor));
    },

    async update(actor: Actor, id: string, patch: Partial<ClientInput>): Promise<Client> {
      authorize(actor, 'client.update');
      const now = clock();
      return uow.command(actor, async (w) => {
        const tx = w.tx;
        const before = await repo.findClient(tx, id, null);
        if (!before) throw notFound('client');
        const after: Client = {
          ...before,
          ...(patch.name !== undefined ? { name: checkName(patch.name) } : {}),
          ...(patch.nameKana !== undefined ? { nameKana: patch.nameKana } : {}),
          ...(patch.notes !== undefined ? { notes: patch.notes } : {}),
          updatedAt: now,
        };
        await repo.updateClient(tx, id, after);
        w.audit({ entity: 'client', entityId: id, action: 'update', before, after });
        return after;
      }, { now });
    },
  };
}
export type ClientService = ReturnType<typeof createClientService>;

/** For other modules' transactions (they may not import this module's repository). */
export async function assertClientExists(ex: Executor, id: string): Promise<void> {
  if (!(await repo.findClient(ex, id, null))) throw notFound('client');
}
