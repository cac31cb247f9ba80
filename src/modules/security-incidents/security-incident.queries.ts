/**
 * Reading security incidents: the list, and the detail bundle as the actor may see it (a
 * contact: their own client's, public entries, shared evidence, their own reads; staff:
 * internal entries, custody, links and the reports' e-mails), and the evidence bytes checked
 * against their SHA-256. Nothing here writes; the commands answer with `detail` after commit.
 */
import type { Executor } from '../../db/database.ts';
import { fromFlag, type ServiceDeps } from '../../db/tx.ts';
import { AppError, notFound } from '../../errors.ts';
import type { Actor } from '../auth/actor.ts';
import { clientScope } from '../auth/access.ts';
import { authorize, may } from '../auth/authorize.ts';
import { deliveriesOf, type Delivery } from '../mail/mail.outbound.ts';
import { sha256Hex, type FileStore } from '../../db/file-store.ts';
import { reportMailKey } from './security-incident.mail.ts';
import type { ListInput, SecurityIncidentBundle, SecurityIncidentRow } from './security-incident.rules.ts';
import * as repo from './security-incident.repository.ts';

export function createSecurityIncidentQueries(deps: ServiceDeps, evidenceStore: FileStore) {
  const { db, clock } = deps;

  async function bundle(ex: Executor, actor: Actor, row: SecurityIncidentRow, now: number): Promise<SecurityIncidentBundle> {
    const internal = may(actor, 'security_incident.read_internal');
    const [events, reports, evidence, links] = await Promise.all([
      repo.eventsOf(ex, row.id, internal),
      repo.reportsOf(ex, row.id),
      repo.evidenceOf(ex, row.id, !internal),
      internal ? repo.linksOf(ex, row.id) : Promise.resolve([]),
    ]);
    let reads = await repo.readsOf(ex, reports.map((r) => r.id));
    // A contact sees their own read, not who else of their company read it.
    if (!internal) reads = reads.filter((r) => r.userId === actor.userId);
    const custody = internal ? await repo.custodyOf(ex, evidence.map((e) => e.id)) : [];
    const mails = internal ? await deliveriesOf(ex, reports.map((r) => reportMailKey(r.id))) : new Map<string, Delivery[]>();
    const deliveries = new Map(reports.map((r) => [r.id, mails.get(reportMailKey(r.id)) ?? []]));
    const ids = [
      row.occurredBy, row.discoveredBy, row.recognizedBy, row.reportedBy, row.containedBy, row.threatRemovedBy, row.closedBy, row.scopeDecidedBy,
      ...events.map((e) => e.authorId), ...reports.map((r) => r.issuedBy), ...reads.map((r) => r.userId),
      ...evidence.map((e) => e.uploadedBy), ...custody.map((c) => c.actorId), ...links.map((l) => l.createdBy),
    ].filter((x): x is string => x !== null);
    return { row, events, reports, reads, deliveries, evidence, custody, links, names: await repo.userNames(ex, ids), internal, now };
  }


  async function detail(actor: Actor, id: string, ex: Executor = db): Promise<SecurityIncidentBundle> {
    const row = authorize(actor, 'security_incident.read', await repo.findIncident(ex, id, clientScope(actor)));
    return bundle(ex, actor, row, clock());
  }

  return {
    detail,
    /** "Now" for presenting clock states in lists. */
    clock,

    async list(actor: Actor, f: ListInput): Promise<SecurityIncidentRow[]> {
      authorize(actor, 'security_incident.list');
      return repo.listIncidents(db, { ...f, scope: clientScope(actor) });
    },

    get: (actor: Actor, id: string) => detail(actor, id),

    /** The bytes of a piece of evidence, hashed again: a file that no longer matches its SHA-256 (or is gone) is refused. */
    async downloadEvidence(actor: Actor, id: string, evidenceId: string): Promise<{ evidence: repo.EvidenceRow; bytes: Buffer }> {
      authorize(actor, 'security_evidence.download');
      authorize(actor, 'security_incident.read', await repo.findIncident(db, id, clientScope(actor)));
      const ev = await repo.findEvidence(db, id, evidenceId);
      if (!ev || (!may(actor, 'security_incident.read_internal') && !fromFlag(ev.shared))) throw notFound('security_evidence');
      const bytes = await evidenceStore.get(ev.storageKey);
      if (!bytes || sha256Hex(bytes) !== ev.sha256) {
        throw new AppError('security_evidence.checksum_mismatch', `evidence ${evidenceId}: stored file does not match sha256 ${ev.sha256}`, [], { fileName: ev.fileName });
      }
      return { evidence: ev, bytes };
    },
  };
}
