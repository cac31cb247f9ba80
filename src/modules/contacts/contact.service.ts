/**
 * Contacts: the client's people (name, e-mail, phone). Which of them are the
 * designated contacts of a contract (one primary plus deputies) is recorded on
 * the contract. Staff manage contacts; a contact sees their own client's.
 */
import { uuidv7 } from 'uuidv7';
import { AppError, notFound } from '../../errors.ts';
import type { ServiceDeps } from '../../db/tx.ts';
import type { Actor } from '../auth/actor.ts';
import { clientScope } from '../auth/access.ts';
import { authorize } from '../auth/authorize.ts';
import { unitOfWork } from '../../db/unit-of-work.ts';
import { assertClientExists } from '../clients/client.service.ts';
import * as repo from './contact.repository.ts';

export type Contact = repo.ContactRow;
export interface ContactInput {
  clientId: string;
  name: string;
  email?: string | null;
  phone?: string | null;
}

const normEmail = (e: string | null | undefined) => (e ? e.trim().toLowerCase() : null);

export function createContactService(deps: ServiceDeps) {
  const { db, clock } = deps;
  const uow = deps.uow ?? unitOfWork(db, clock);
  return {
    async create(actor: Actor, input: ContactInput): Promise<Contact> {
      authorize(actor, 'contact.create');
      const now = clock();
      if (!input.name.trim()) {
        throw new AppError('contact.invalid', 'name required', [{ path: ['name'], code: 'too_small', message: 'required' }]);
      }
      const row: Contact = {
        id: uuidv7(),
        clientId: input.clientId,
        name: input.name.trim(),
        email: normEmail(input.email),
        phone: input.phone?.trim() || null,
        createdAt: now,
        updatedAt: now,
      };
      await uow.command(actor, async (w) => {
        const tx = w.tx;
        await assertClientExists(tx, input.clientId);
        await repo.insertContact(tx, row);
        w.audit({ entity: 'contact', entityId: row.id, action: 'create', after: row });
      }, { now });
      return row;
    },

    async get(actor: Actor, id: string): Promise<Contact> {
      authorize(actor, 'contact.read');
      const row = await repo.findContact(db, id, clientScope(actor));
      if (!row) throw notFound('contact');
      return row;
    },

    async list(actor: Actor, filter: { clientId?: string } = {}): Promise<Contact[]> {
      authorize(actor, 'contact.list');
      return repo.listContacts(db, { ...filter, scope: clientScope(actor) });
    },

    async update(actor: Actor, id: string, patch: Partial<Omit<ContactInput, 'clientId'>>): Promise<Contact> {
      authorize(actor, 'contact.update');
      const now = clock();
      return uow.command(actor, async (w) => {
        const tx = w.tx;
        const before = await repo.findContact(tx, id, null);
        if (!before) throw notFound('contact');
        const after: Contact = {
          ...before,
          ...(patch.name !== undefined ? { name: patch.name.trim() } : {}),
          ...(patch.email !== undefined ? { email: normEmail(patch.email) } : {}),
          ...(patch.phone !== undefined ? { phone: patch.phone?.trim() || null } : {}),
          updatedAt: now,
        };
        await repo.updateContact(tx, id, after);
        w.audit({ entity: 'contact', entityId: id, action: 'update', before, after });
        return after;
      }, { now });
    },
  };
}
export type ContactService = ReturnType<typeof createContactService>;
