/**
 * Audit entries are written by the service that makes a change, in the same
 * transaction (pass the transaction as `ex`), so a change without its audit row
 * cannot commit. Reading the log is for vendor admins.
 */
import { uuidv7 } from 'uuidv7';
import type { Executor } from '../../db/database.ts';
import type { ServiceDeps } from '../../db/tx.ts';
import type { Actor } from '../auth/actor.ts';
import { authorize } from '../auth/authorize.ts';
import { insertAudit, listAudit, type AuditFilter } from './audit.repository.ts';

export interface AuditChange {
  entity: string;
  entityId: string;
  action: string;
  before?: unknown;
  after?: unknown;
}

export async function recordAudit(ex: Executor, actor: Actor, at: number, c: AuditChange): Promise<void> {
  await insertAudit(ex, {
    id: uuidv7(),
    at,
    actorId: actor.userId,
    actorRole: actor.role,
    entity: c.entity,
    entityId: c.entityId,
    action: c.action,
    before: c.before === undefined ? null : JSON.stringify(c.before),
    after: c.after === undefined ? null : JSON.stringify(c.after),
  });
}

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
