/**
 * /security-incidents — list, detail, record, edit; lifecycle commands (recognize,
 * contain, remove-threat, close); scope decision; timeline actions; reports (第一報・続報・
 * 最終報告) and a contact's read; evidence upload, checked download, sharing and chain of
 * custody; generic links to risks, change requests and incidents.
 */
import { z } from 'zod';
import { fromIso, IdParams } from '../../contract/common.ts';
import {
  CreateSecurityIncidentBody, CustodyBody, EVIDENCE_MAX_BYTES, EvidenceParams, IssueReportBody, LinkBody, ReportParams,
  SECURITY_COMMANDS, SecurityActionBody, SecurityCommandBody, SecurityIncidentDetail, SecurityIncidentList, SecurityIncidentQuery,
  SecurityScopeBody, ShareEvidenceBody, UpdateSecurityIncidentBody, UploadEvidenceBody, type SecurityCommand,
} from '../../contract/security-incidents.ts';
import { actorOf } from '../../http/actor.ts';
import type { Api } from '../../http/types.ts';
import { contentDisposition, safeContentType } from '../mail/mail.routes.ts';
import { presentSecurityIncident, presentSecurityIncidentDetail } from './security-incident.presenter.ts';
import type { SecurityIncidentService } from './security-incident.service.ts';

const tags = ['security-incidents'];

const SUMMARIES: Record<SecurityCommand, string> = {
  recognize: 'The desk recognizes an incident a contact filed (staff)',
  contain: 'Contained: the damage no longer spreads (staff)',
  'remove-threat': 'The threat is removed (脅威の除去) (staff)',
  close: 'Close; in scope only after the final report (staff)',
};

const EvidenceBytes = z.instanceof(Buffer).meta({
  type: 'string', format: 'binary',
  description: 'the evidence bytes, served only when their SHA-256 still matches the one recorded at collection (Repr-Digest carries it)',
});

const optionalAt = (at: string | undefined) => (at !== undefined ? { at: fromIso(at) } : {});

export function registerSecurityIncidentRoutes(app: Api, s: SecurityIncidentService): void {
  app.get('/security-incidents', {
    schema: { tags, summary: 'List security incidents, newest first (a contact sees only their client\'s)', querystring: SecurityIncidentQuery, response: { 200: SecurityIncidentList } },
  }, async (req) => {
    const q = req.query;
    const rows = await s.list(actorOf(req), {
      ...(q.status ? { status: q.status } : {}),
      ...(q.open ? { open: q.open === 'true' } : {}),
      ...(q.contractId ? { contractId: q.contractId } : {}),
      ...(q.clientId ? { clientId: q.clientId } : {}),
      limit: q.limit,
    });
    const now = s.clock();
    return { items: rows.map((r) => presentSecurityIncident(r, now)) };
  });

  app.post('/security-incidents', {
    schema: {
      tags, summary: 'Record a security incident (staff: recognized at once; a contact files a suspicion the desk then recognizes). The report clock starts at discovery',
      body: CreateSecurityIncidentBody, response: { 201: SecurityIncidentDetail },
    },
  }, async (req, reply) => {
    const b = req.body;
    const created = await s.create(actorOf(req), {
      contractId: b.contractId, kind: b.kind, title: b.title,
      ...(b.description !== undefined ? { description: b.description } : {}),
      ...(b.systemId !== undefined ? { systemId: b.systemId } : {}),
      ...(b.personalData !== undefined ? { personalData: b.personalData } : {}),
      ...(b.occurredAt !== undefined ? { occurredAt: fromIso(b.occurredAt) } : {}),
      ...(b.discoveredAt !== undefined ? { discoveredAt: fromIso(b.discoveredAt) } : {}),
    });
    return reply.status(201).send(presentSecurityIncidentDetail(created));
  });

  app.get('/security-incidents/:id', {
    schema: { tags, summary: 'One security incident with its instants, timeline, reports and evidence (a contact sees public entries and shared evidence)', params: IdParams, response: { 200: SecurityIncidentDetail } },
  }, async (req) => presentSecurityIncidentDetail(await s.get(actorOf(req), req.params.id)));

  app.patch('/security-incidents/:id', {
    schema: { tags, summary: 'Edit kind, title, description, system, personal data, or correct when it occurred / was discovered (staff)', params: IdParams, body: UpdateSecurityIncidentBody, response: { 200: SecurityIncidentDetail } },
  }, async (req) => {
    const b = req.body;
    return presentSecurityIncidentDetail(await s.update(actorOf(req), req.params.id, {
      ...(b.kind !== undefined ? { kind: b.kind } : {}),
      ...(b.title !== undefined ? { title: b.title } : {}),
      ...(b.description !== undefined ? { description: b.description } : {}),
      ...(b.systemId !== undefined ? { systemId: b.systemId } : {}),
      ...(b.personalData !== undefined ? { personalData: b.personalData } : {}),
      ...(b.occurredAt !== undefined ? { occurredAt: b.occurredAt === null ? null : fromIso(b.occurredAt) } : {}),
      ...(b.discoveredAt !== undefined ? { discoveredAt: fromIso(b.discoveredAt) } : {}),
    }));
  });

  for (const command of SECURITY_COMMANDS) {
    app.post(`/security-incidents/:id/${command}`, {
      schema: { tags, summary: SUMMARIES[command], params: IdParams, body: SecurityCommandBody, response: { 200: SecurityIncidentDetail } },
    }, async (req) => presentSecurityIncidentDetail(await s.command(actorOf(req), req.params.id, command, {
      ...(req.body.note ? { note: req.body.note } : {}), ...optionalAt(req.body.at),
    })));
  }

  app.post('/security-incidents/:id/scope', {
    schema: {
      tags, summary: 'In scope, or out of scope with the condition (version upgrade; no virus check, e.g. local-PC operation) and a reason; the record stays (staff)',
      params: IdParams, body: SecurityScopeBody, response: { 200: SecurityIncidentDetail },
    },
  }, async (req) => presentSecurityIncidentDetail(await s.setScope(actorOf(req), req.params.id, {
    inScope: req.body.inScope,
    ...(req.body.condition !== undefined ? { condition: req.body.condition } : {}),
    ...(req.body.reason !== undefined ? { reason: req.body.reason } : {}),
  })));

  app.post('/security-incidents/:id/actions', {
    schema: { tags, summary: 'Add an action to the timeline (public: the client sees it) (staff)', params: IdParams, body: SecurityActionBody, response: { 201: SecurityIncidentDetail } },
  }, async (req, reply) => reply.status(201).send(presentSecurityIncidentDetail(await s.addAction(actorOf(req), req.params.id, {
    body: req.body.body, visibility: req.body.visibility, ...optionalAt(req.body.at),
  }))));

  app.post('/security-incidents/:id/reports', {
    schema: {
      tags, summary: 'Issue a report (first 第一報 / follow_up 続報 / final 最終報告): a dated document the client sees in the portal and receives by e-mail (staff)',
      params: IdParams, body: IssueReportBody, response: { 201: SecurityIncidentDetail },
    },
  }, async (req, reply) => reply.status(201).send(presentSecurityIncidentDetail((await s.issueReport(actorOf(req), req.params.id, req.body)).bundle)));

  app.post('/security-incidents/:id/reports/:reportId/read', {
    schema: { tags, summary: 'A contact has read the report in the portal (their first read is recorded)', params: ReportParams, response: { 200: SecurityIncidentDetail } },
  }, async (req) => presentSecurityIncidentDetail(await s.markRead(actorOf(req), req.params.id, req.params.reportId)));

  app.post('/security-incidents/:id/evidence', {
    // Base64 in JSON: up to EVIDENCE_MAX_BYTES of file plus the encoding and the other fields.
    bodyLimit: Math.ceil(EVIDENCE_MAX_BYTES / 3) * 4 + 64 * 1024,
    schema: {
      tags, summary: 'Collect a piece of evidence (base64 in JSON, up to 10 MB): stored outside the database with its SHA-256; chain of custody starts (staff)',
      params: IdParams, body: UploadEvidenceBody, response: { 201: SecurityIncidentDetail },
    },
  }, async (req, reply) => {
    const b = req.body;
    const r = await s.uploadEvidence(actorOf(req), req.params.id, {
      fileName: b.fileName, mediaType: b.mediaType, content: Buffer.from(b.contentBase64, 'base64'),
      ...(b.description !== undefined ? { description: b.description } : {}),
      ...(b.shared !== undefined ? { shared: b.shared } : {}),
    });
    return reply.status(201).send(presentSecurityIncidentDetail(r.bundle));
  });

  app.get('/security-incidents/:id/evidence/:evidenceId/content', {
    schema: {
      tags, summary: 'Download a piece of evidence; refused (409) when the stored bytes no longer match their SHA-256 (staff; contacts only when shared)',
      params: EvidenceParams,
      response: { 200: { description: 'the evidence bytes', content: { 'application/octet-stream': { schema: EvidenceBytes } } } },
    },
  }, async (req, reply) => {
    const { evidence, bytes } = await s.downloadEvidence(actorOf(req), req.params.id, req.params.evidenceId);
    return reply
      .type(safeContentType(evidence.mediaType))
      .header('content-disposition', contentDisposition(evidence.fileName))
      .header('content-security-policy', "sandbox; default-src 'none'")
      .header('repr-digest', `sha-256=:${Buffer.from(evidence.sha256, 'hex').toString('base64')}:`)
      .send(bytes);
  });

  app.post('/security-incidents/:id/evidence/:evidenceId/share', {
    schema: { tags, summary: 'Share a piece of evidence with the client\'s contacts, or stop sharing it (staff)', params: EvidenceParams, body: ShareEvidenceBody, response: { 200: SecurityIncidentDetail } },
  }, async (req) => presentSecurityIncidentDetail(await s.shareEvidence(actorOf(req), req.params.id, req.params.evidenceId, req.body.shared)));

  app.post('/security-incidents/:id/evidence/:evidenceId/verify', {
    schema: {
      tags, summary: 'Check the stored file against its SHA-256 and record the outcome (verified / verify_failed) in the chain of custody (staff)',
      params: EvidenceParams, response: { 200: SecurityIncidentDetail },
    },
  }, async (req) => presentSecurityIncidentDetail(await s.verifyEvidence(actorOf(req), req.params.id, req.params.evidenceId)));

  app.post('/security-incidents/:id/evidence/:evidenceId/custody', {
    schema: { tags, summary: 'Add a chain-of-custody entry (transferred, examined, copied, returned) (staff)', params: EvidenceParams, body: CustodyBody, response: { 201: SecurityIncidentDetail } },
  }, async (req, reply) => reply.status(201).send(presentSecurityIncidentDetail(await s.addCustody(actorOf(req), req.params.id, req.params.evidenceId, req.body))));

  app.post('/security-incidents/:id/links', {
    schema: { tags, summary: 'Link a risk, change request or incident (post-incident review) (staff)', params: IdParams, body: LinkBody, response: { 201: SecurityIncidentDetail } },
  }, async (req, reply) => reply.status(201).send(presentSecurityIncidentDetail(await s.addLink(actorOf(req), req.params.id, {
    kind: req.body.kind, targetId: req.body.targetId, ...(req.body.note !== undefined ? { note: req.body.note } : {}),
  }))));
}
