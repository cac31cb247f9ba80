/**
 * Audit entries are written by the service that makes a change, in the same
 * transaction (pass the transaction as `ex`), so a change without its audit row
 * cannot commit. Reading the log is for vendor admins.
 */
import { uuidv7 } from 'uuidv7';
import { cursorPage } from '../../contract/common.ts';
import type { Executor } from '../../db/database.ts';
import type { ServiceDeps } from '../../db/tx.ts';
import type { Actor } from '../auth/actor.ts';
import { requireRole, ADMIN } from '../auth/access.ts';
import { insertAudit, listAudit, type AuditFilter, type AuditRow } from './audit.repository.ts';

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

const parsed = (r: AuditRow): AuditEntry => ({
  ...r,
  before: r.before === null ? null : (JSON.parse(r.before) as unknown),
  after: r.after === null ? null : (JSON.parse(r.after) as unknown),
});

export function createAuditService({ db }: ServiceDeps) {
  /** A page, newest first, and the cursor of the next (older) page; null on the last page. */
  async function page(actor: Actor, filter: Partial<AuditFilter> = {}): Promise<{ items: AuditEntry[]; nextCursor: string | null }> {
    requireRole(actor, ADMIN);
    const limit = Math.min(filter.limit ?? 100, 1000);
    // One row more than asked tells whether another page follows.
    const { rows, nextCursor } = cursorPage(await listAudit(db, { ...filter, limit: limit + 1 }), limit, (r) => r.at);
    return { nextCursor, items: rows.map(parsed) };
  }
  return {
    page,
    async list(actor: Actor, filter: Partial<AuditFilter> = {}): Promise<AuditEntry[]> {
      return (await page(actor, filter)).items;
    },
  };
}
export type AuditService = ReturnType<typeof createAuditService>;
