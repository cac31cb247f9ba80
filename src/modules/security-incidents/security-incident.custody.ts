/**
 * Evidence of a security incident and its chain of custody: collection (the bytes go to the
 * store first, then the row and its first custody entry), sharing with the client, the
 * integrity check on record, and further custody entries. One unit of work each, audited.
 */
import { uuidv7 } from 'uuidv7';
import { notFound } from '../../errors.ts';
import { toFlag, fromFlag, type ServiceDeps } from '../../db/tx.ts';
import { unitOfWork } from '../../db/unit-of-work.ts';
import type { Actor } from '../auth/actor.ts';
import { clientScope } from '../auth/access.ts';
import { authorize } from '../auth/authorize.ts';
import { event, locked } from './security-incident.commands.ts';
import { sha256Hex, type FileStore } from '../../db/file-store.ts';
import { invalid, issue, type SecurityIncidentBundle } from './security-incident.rules.ts';
import * as repo from './security-incident.repository.ts';

export function createEvidenceCommands(deps: ServiceDeps, o: { evidence: FileStore; detail: (actor: Actor, id: string) => Promise<SecurityIncidentBundle> }) {
  const { db, clock } = deps;
  const uow = deps.uow ?? unitOfWork(db, clock);
  const { detail } = o;

  return {
    async uploadEvidence(actor: Actor, id: string, input: { fileName: string; mediaType: string; content: Buffer; description?: string; shared?: boolean }): Promise<{ bundle: SecurityIncidentBundle; evidenceId: string }> {
      authorize(actor, 'security_evidence.upload');
      if (input.content.length === 0) throw invalid('security_evidence.invalid', [issue(['contentBase64'], 'too_small', 'the file is empty')]);
      // Seen before writing anything: another client's id is not found, with no file left behind.
      authorize(actor, 'security_incident.read', await repo.findIncident(db, id, clientScope(actor)));
      // The bytes go to the store first; a transaction that then fails leaves an unreferenced file, never a row without its file.
      const stored = await o.evidence.put(input.content);
      const evidenceId = uuidv7();
      await uow.command(actor, async (w) => {
        const row = await locked(w, actor, id);
        const ev: repo.EvidenceRow = {
          id: evidenceId, securityIncidentId: id, clientId: row.clientId, fileName: input.fileName, mediaType: input.mediaType,
          sizeBytes: input.content.length, sha256: stored.sha256, storageKey: stored.storageKey, description: input.description ?? '',
          shared: toFlag(input.shared ?? false), uploadedAt: w.now, uploadedBy: actor.userId,
        };
        await repo.insertEvidence(w.tx, ev);
        await repo.insertCustody(w.tx, { id: uuidv7(), evidenceId, at: w.now, actorId: actor.userId, action: 'collected', note: `sha256 ${stored.sha256}` });
        if (ev.shared) await repo.insertCustody(w.tx, { id: uuidv7(), evidenceId, at: w.now, actorId: actor.userId, action: 'shared', note: '' });
        await event(w, id, { kind: 'evidence', visibility: ev.shared ? 'public' : 'internal', body: ev.fileName, data: { event: 'evidence.collected', evidenceId, sha256: ev.sha256 } });
        await repo.updateIncident(w.tx, id, { updatedAt: w.now });
        // Under the incident: the evidence is part of its record (the evidence id is in the entry).
        w.audit({ entity: 'security_incident', entityId: id, action: 'evidence.collect', after: ev });
      });
      return { bundle: await detail(actor, id), evidenceId };
    },

    /**
     * Checks the stored bytes against their SHA-256 and writes the outcome into the chain of
     * custody (verified / verify_failed): an integrity check on record, unlike a download.
     */
    async verifyEvidence(actor: Actor, id: string, evidenceId: string): Promise<SecurityIncidentBundle> {
      authorize(actor, 'security_evidence.verify');
      await uow.command(actor, async (w) => {
        await locked(w, actor, id);
        const ev = await repo.findEvidence(w.tx, id, evidenceId);
        if (!ev) throw notFound('security_evidence');
        const bytes = await o.evidence.get(ev.storageKey);
        const actual = bytes ? sha256Hex(bytes) : null;
        const ok = actual === ev.sha256;
        const note = ok ? `sha256 ${actual}` : actual === null ? 'stored file missing' : `sha256 ${actual} ≠ ${ev.sha256}`;
        const entry = { id: uuidv7(), evidenceId, at: w.now, actorId: actor.userId, action: ok ? 'verified' : 'verify_failed', note };
        await repo.insertCustody(w.tx, entry);
        w.audit({ entity: 'security_evidence', entityId: evidenceId, action: `custody.${entry.action}`, after: entry });
      });
      return detail(actor, id);
    },

    async shareEvidence(actor: Actor, id: string, evidenceId: string, shared: boolean): Promise<SecurityIncidentBundle> {
      authorize(actor, 'security_evidence.share');
      await uow.command(actor, async (w) => {
        await locked(w, actor, id);
        const ev = await repo.findEvidence(w.tx, id, evidenceId);
        if (!ev) throw notFound('security_evidence');
        if (fromFlag(ev.shared) === shared) return w.unchanged();
        await repo.updateEvidence(w.tx, evidenceId, { shared: toFlag(shared) });
        await repo.insertCustody(w.tx, { id: uuidv7(), evidenceId, at: w.now, actorId: actor.userId, action: shared ? 'shared' : 'unshared', note: '' });
        w.audit({ entity: 'security_evidence', entityId: evidenceId, action: shared ? 'share' : 'unshare', before: { shared: ev.shared }, after: { shared: toFlag(shared) } });
      });
      return detail(actor, id);
    },

    async addCustody(actor: Actor, id: string, evidenceId: string, input: { action: string; note: string }): Promise<SecurityIncidentBundle> {
      authorize(actor, 'security_evidence.custody');
      await uow.command(actor, async (w) => {
        await locked(w, actor, id);
        const ev = await repo.findEvidence(w.tx, id, evidenceId);
        if (!ev) throw notFound('security_evidence');
        const entry = { id: uuidv7(), evidenceId, at: w.now, actorId: actor.userId, action: input.action, note: input.note };
        await repo.insertCustody(w.tx, entry);
        w.audit({ entity: 'security_evidence', entityId: evidenceId, action: `custody.${input.action}`, after: entry });
      });
      return detail(actor, id);
    },
  };
}
