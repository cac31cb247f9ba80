/**
 * Reading the append-only audit log (vendor admins). Entries are written by the unit of
 * work (src/db/unit-of-work.ts) in the transaction of the change they describe: a
 * command records them with `w.audit(…)`, and one that records none rolls back.
 */
import type { ServiceDeps } from '../../db/tx.ts';
import type { Actor } from '../auth/actor.ts';
import { authorize } from '../auth/authorize.ts';
import { listAudit, type AuditFilter } from './audit.repository.ts';

export interface AuditEntry {
  id: string;
  at: number;
  actorId: string;
  actorRole: string;
  entity: string;
  entityId: string;
  action: string;
  before: unknown;
  after: unknown;
}

export function createAuditService({ db }: ServiceDeps) {
  return {
    async list(actor: Actor, filter: Partial<AuditFilter> = {}): Promise<AuditEntry[]> {
      authorize(actor, 'audit.list');
      const rows = await listAudit(db, { ...filter, limit: Math.min(filter.limit ?? 100, 1000) });
      return rows.map((r) => ({
        ...r,
        before: r.before === null ? null : (JSON.parse(r.before) as unknown),
        after: r.after === null ? null : (JSON.parse(r.after) as unknown),
      }));
    },
  };
}
export type AuditService = ReturnType<typeof createAuditService>;
