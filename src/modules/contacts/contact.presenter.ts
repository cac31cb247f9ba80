import type { z } from 'zod';
import { toIso } from '../../contract/common.ts';
import type { Contact } from '../../contract/desk.ts';
import type { Contact as ContactRow } from './contact.service.ts';

export const presentContact = (c: ContactRow): z.infer<typeof Contact> => ({
  id: c.id, clientId: c.clientId, name: c.name, email: c.email, phone: c.phone, createdAt: toIso(c.createdAt), updatedAt: toIso(c.updatedAt),
});
