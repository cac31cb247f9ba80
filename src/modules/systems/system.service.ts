/** Systems a client runs (and that contracts cover). Staff manage them; contacts see their own client's. */
import { uuidv7 } from 'uuidv7';
import { AppError, notFound } from '../../errors.ts';
import type { ServiceDeps } from '../../db/tx.ts';
import type { Actor } from '../auth/actor.ts';
import { clientScope } from '../auth/access.ts';
import { authorize } from '../auth/authorize.ts';
import { unitOfWork } from '../../db/unit-of-work.ts';
import { assertClientExists } from '../clients/client.service.ts';
import * as repo from './system.repository.ts';

export type System = repo.SystemRow;
export interface SystemInput {
  clientId: string;
  name: string;
  description?: string;
}

export function createSystemService(deps: ServiceDeps) {
  const { db, clock } = deps;
  const uow = deps.uow ?? unitOfWork(db, clock);
  return {
    async create(actor: Actor, input: SystemInput): Promise<System> {
      authorize(actor, 'system.create');
      const now = clock();
      if (!input.name.trim()) {
        throw new AppError('system.invalid', 'name required', [{ path: ['name'], code: 'too_small', message: 'required' }]);
      }
      const row: System = {
        id: uuidv7(),
        clientId: input.clientId,
        name: input.name.trim(),
        description: input.description ?? '',
        createdAt: now,
        updatedAt: now,
      };
      await uow.command(actor, async (w) => {
        const tx = w.tx;
        await assertClientExists(tx, input.clientId);
        await repo.insertSystem(tx, row);
        w.audit({ entity: 'system', entityId: row.id, action: 'create', after: row });
      }, { now });
      return row;
    },

    async get(actor: Actor, id: string): Promise<System> {
      authorize(actor, 'system.read');
      const row = await repo.findSystem(db, id, clientScope(actor));
      if (!row) throw notFound('system');
      return row;
    },

    async list(actor: Actor, filter: { clientId?: string } = {}): Promise<System[]> {
      authorize(actor, 'system.list');
      return repo.listSystems(db, { ...filter, scope: clientScope(actor) });
    },

    async update(actor: Actor, id: string, patch: Partial<Omit<SystemInput, 'clientId'>>): Promise<System> {
      authorize(actor, 'system.update');
      const now = clock();
      return uow.command(actor, async (w) => {
        const tx = w.tx;
        const before = await repo.findSystem(tx, id, null);
        if (!before) throw notFound('system');
        const after: System = {
          ...before,
          ...(patch.name !== undefined ? { name: patch.name.trim() } : {}),
          ...(patch.description !== undefined ? { description: patch.description } : {}),
          updatedAt: now,
        };
        await repo.updateSystem(tx, id, after);
        w.audit({ entity: 'system', entityId: id, action: 'update', before, after });
        return after;
      }, { now });
    },
  };
}
export type SystemService = ReturnType<typeof createSystemService>;
