/** /audit — the append-only log, read-only, for admins (enforced by the audit service). */
import { fromIso, listOf } from '../../contract/common.ts';
import { AuditEntry, AuditQuery } from '../../contract/desk.ts';
import { actorOf } from '../../http/actor.ts';
import type { Api } from '../../http/types.ts';
import type { AuditService } from './audit.service.ts';
import { presentAudit } from './audit.presenter.ts';

export function registerAuditRoutes(app: Api, audit: AuditService): void {
  app.get('/audit', {
    schema: { tags: ['audit'], summary: 'Audit log, newest first (admin)', querystring: AuditQuery, response: { 200: listOf(AuditEntry) } },
  }, async (req) => {
    const q = req.query;
    const rows = await audit.list(actorOf(req), {
      ...(q.entity ? { entity: q.entity } : {}),
      ...(q.entityId ? { entityId: q.entityId } : {}),
      ...(q.actorId ? { actorId: q.actorId } : {}),
      ...(q.before ? { before: fromIso(q.before) } : {}),
      limit: q.limit,
    });
    return { items: rows.map(presentAudit) };
  });
}
