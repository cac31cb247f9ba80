/**
 * Reading the append-only audit log (vendor admins). Entries are written by the unit of
 * work (src/db/unit-of-work.ts) in the transaction of the change they describe: a
 * command records them with `w.audit(…)`, and one that records none rolls back.
 */
import { cursorPage } from '../../contract/common.ts';
import type { ServiceDeps } from '../../db/tx.ts';
import type { Actor } from '../auth/actor.ts';
import { authorize } from '../auth/authorize.ts';
import { listAudit, type AuditFilter, type AuditRow } from './audit.repository.ts';

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
    authorize(actor, 'audit.list');
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
