/** The append-only audit log: rows are inserted, never updated or deleted. */
import type { Executor } from '../../db/database.ts';
import type { Row } from '../../db/schema.ts';

export type AuditRow = Row<'auditLog'>;

export interface AuditFilter {
  entity?: string;
  entityId?: string;
  actorId?: string;
  before?: number;
  limit: number;
}

export async function listAudit(ex: Executor, f: AuditFilter): Promise<AuditRow[]> {
  let q = ex
    .selectFrom('auditLog')
    .select(['id', 'at', 'actorId', 'actorRole', 'entity', 'entityId', 'action', 'before', 'after']);
  if (f.entity) q = q.where('entity', '=', f.entity);
  if (f.entityId) q = q.where('entityId', '=', f.entityId);
  if (f.actorId) q = q.where('actorId', '=', f.actorId);
  if (f.before !== undefined) q = q.where('at', '<', f.before);
  return q.orderBy('at', 'desc').orderBy('id', 'desc').limit(f.limit).execute();
}
