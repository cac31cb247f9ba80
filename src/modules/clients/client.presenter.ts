import type { z } from 'zod';
import { toIso } from '../../contract/common.ts';
import type { Client } from '../../contract/desk.ts';
import type { Client as ClientRow } from './client.service.ts';

export const presentClient = (c: ClientRow): z.infer<typeof Client> => ({
  id: c.id, name: c.name, nameKana: c.nameKana, notes: c.notes, createdAt: toIso(c.createdAt), updatedAt: toIso(c.updatedAt),
});
