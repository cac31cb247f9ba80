import type { z } from 'zod';
import { toIso } from '../../contract/common.ts';
import type { System } from '../../contract/desk.ts';
import type { System as SystemRow } from './system.service.ts';

export const presentSystem = (s: SystemRow): z.infer<typeof System> => ({
  id: s.id, clientId: s.clientId, name: s.name, description: s.description, createdAt: toIso(s.createdAt), updatedAt: toIso(s.updatedAt),
});
