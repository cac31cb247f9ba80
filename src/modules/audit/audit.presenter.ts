import type { z } from 'zod';
import { toIso } from '../../contract/common.ts';
import type { AuditEntry } from '../../contract/desk.ts';
import type { AuditEntry as AuditModel } from './audit.service.ts';

export const presentAudit = (a: AuditModel): z.infer<typeof AuditEntry> => ({
  id: a.id, at: toIso(a.at), actorId: a.actorId, actorRole: a.actorRole, entity: a.entity, entityId: a.entityId, action: a.action,
  before: a.before, after: a.after,
});
