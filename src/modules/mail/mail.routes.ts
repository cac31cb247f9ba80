/**
 * /mail — the intake log for agents (triage queue, unparseable mail with its raw
 * source), intake health and alerts, filing a triage message under a contract, and
 * threaded e-mail replies (staff only); an incident's mails, their attachments and
 * their HTML, sandboxed (staff, and contacts of the incident's client). An agent
 * opening an incident is the incidents' own command (POST /incidents/{id}/open).
 */
import { IdParams, toIso, toIsoOrNull } from '../../contract/common.ts';
import { z } from 'zod';
import {
  AttachmentParams, DeskInfo, IncidentMailList, IncidentOutboundMailList, MailAssignBody, MailAssignResult, MailIntakeStatus, MailMessageList,
  MailMessageQuery, MailReplyBody, MailReplyResult,
} from '../../contract/mail.ts';
import { presentDelivery } from './mail.presenter.ts';
import { actorOf } from '../../http/auth-hooks.ts';
import type { Api } from '../../http/types.ts';
import type { AuthVerdict, MailAttachmentInfo } from './mail.parse.ts';
import type { MailService } from './mail.service.ts';

const tags = ['mail'];

type Summary = Awaited<ReturnType<MailService['list']>>[number];
const present = (r: Summary) => ({
  id: r.id,
  source: r.source as 'imap' | 'smtp',
  mailbox: r.mailbox,
  messageId: r.messageId,
  receivedAt: toIso(r.receivedAt),
  size: r.size,
  status: r.status as 'received',
  reason: r.reason,
  fromAddress: r.fromAddress,
  fromName: r.fromName,
  subject: r.subject,
  text: r.textBody,
  attachments: JSON.parse(r.attachments) as MailAttachmentInfo[],
  contractId: r.contractId,
  incidentId: r.incidentId,
  authentication: r.authResults ? (JSON.parse(r.authResults) as AuthVerdict) : null,
});

/**
 * `attachment; filename="<ASCII fallback>"; filename*=UTF-8''<RFC 5987>`: Japanese names
 * survive in every current browser; old ones get the fallback. No quotes, control
 * characters or path separators reach the header.
 */
export function contentDisposition(filename: string, type: 'attachment' | 'inline' = 'attachment'): string {
  // eslint-disable-next-line no-control-regex
  const clean = filename.replace(/[\x00-\x1f\x7f/\\]/g, '_').trim() || 'attachment';
  const fallback = clean.replace(/[^\x20-\x7e]|["%]/g, '_');
  const encoded = encodeURIComponent(clean).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${type}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/** The attachment's declared type if it is a plain `type/subtype`, else application/octet-stream. */
export function safeContentType(declared: string): string {
  const t = declared.trim().toLowerCase();
  return /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/.test(t) ? t : 'application/octet-stream';
}

/**
 * A mail's HTML runs nothing and loads nothing: a sandbox without scripts, forms or
 * same-origin (so no cookies, no API), no remote images (tracking pixels), only inline styles.
 */
export const MAIL_HTML_CSP = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'";

/** Raw bytes (fastify sends a Buffer as is); documented as a binary string. */
const AttachmentBytes = z.instanceof(Buffer).meta({
  type: 'string', format: 'binary',
  description: 'the attachment\'s bytes with its content type; Content-Disposition: attachment with an RFC 5987 filename*',
});

export function registerMailRoutes(app: Api, mail: MailService): void {
  app.get('/mail/messages', {
    schema: { tags, summary: 'Received mail, newest first: triage queue, unparseable, ignored, … (staff)', querystring: MailMessageQuery, response: { 200: MailMessageList } },
  }, async (req) => ({ items: (await mail.list(actorOf(req), { ...(req.query.status ? { status: req.query.status } : {}), limit: req.query.limit })).map(present) }));

  app.get('/mail/status', {
    schema: { tags, summary: 'Intake health per mailbox and alerts (staff)', response: { 200: MailIntakeStatus } },
  }, async (req) => {
    const s = await mail.status(actorOf(req));
    return {
      ...s,
      mailboxes: s.mailboxes.map((m) => ({
        mailbox: m.mailbox, consecutiveErrors: m.consecutiveErrors, lastError: m.lastError,
        lastErrorAt: toIsoOrNull(m.lastErrorAt), lastOkAt: toIsoOrNull(m.lastOkAt), alertSince: toIsoOrNull(m.alertSince),
      })),
    };
  });

  app.post('/mail/messages/:id/assign', {
    schema: { tags, summary: 'File a triage or unparseable message under a contract: it becomes an incident (staff)', params: IdParams, body: MailAssignBody, response: { 201: MailAssignResult } },
  }, async (req, reply) => reply.status(201).send(await mail.assign(actorOf(req), req.params.id, req.body.contractId)));

  app.post('/mail/incidents/:id/reply', {
    schema: { tags, summary: 'Reply to the reporter by e-mail, threaded ([#number], In-Reply-To, References); also a public message (staff)', params: IdParams, body: MailReplyBody, response: { 201: MailReplyResult } },
  }, async (req, reply) => {
    const r = await mail.reply(actorOf(req), req.params.id, req.body.body);
    return reply.status(201).send({ ...r, delivery: presentDelivery(r.delivery) });
  });

  app.get('/mail/incidents/:id/outbound', {
    schema: {
      tags, summary: 'What the desk mailed about an incident (acknowledgements, replies) and what the SMTP server said per message (staff)',
      params: IdParams, response: { 200: IncidentOutboundMailList },
    },
  }, async (req) => ({
    items: (await mail.outboundOf(actorOf(req), req.params.id)).map((r) => ({
      id: r.id, kind: r.kind as 'ack' | 'reply', to: r.toAddress, messageId: r.messageId, createdAt: toIso(r.createdAt),
      delivery: r.delivery ? presentDelivery(r.delivery) : null,
    })),
  }));

  app.get('/desk', {
    schema: { tags, summary: 'What pages that send mail need to know about the desk: whether outbound mail is configured', response: { 200: DeskInfo } },
  }, async () => mail.deskInfo());

  app.get('/mail/incidents/:id/messages', {
    schema: { tags, summary: 'The e-mails of an incident: sender, subject, text, attachments (staff; contacts for their own client)', params: IdParams, response: { 200: IncidentMailList } },
  }, async (req) => ({
    items: (await mail.ofIncident(actorOf(req), req.params.id)).map((r) => ({
      id: r.id,
      status: r.status as 'incident' | 'reply',
      receivedAt: toIso(r.receivedAt),
      fromAddress: r.fromAddress,
      fromName: r.fromName,
      subject: r.subject,
      text: r.textBody ?? '',
      hasHtml: !!r.htmlBody,
      attachments: JSON.parse(r.attachments) as MailAttachmentInfo[],
    })),
  }));

  app.get('/mail/messages/:id/attachments/:index', {
    schema: {
      tags, summary: 'Download attachment {index} of a stored mail (staff; contacts for mails of their own client\'s incidents)',
      params: AttachmentParams,
      response: { 200: { description: 'the attachment with its own content type', content: { 'application/octet-stream': { schema: AttachmentBytes } } } },
    },
  }, async (req, reply) => {
    const a = await mail.attachment(actorOf(req), req.params.id, req.params.index);
    return reply
      .type(safeContentType(a.contentType))
      .header('content-disposition', contentDisposition(a.filename))
      .header('content-security-policy', "sandbox; default-src 'none'")
      .send(a.content);
  });

  app.get('/mail/messages/:id/html', {
    schema: {
      tags, summary: 'The HTML part of a stored mail, served under a sandboxing Content-Security-Policy (no scripts, no remote loads) (staff; contacts for their own client)',
      params: IdParams, response: { 200: { description: 'the HTML part, sandboxed by its CSP', content: { 'text/html': { schema: z.string() } } } },
    },
  }, async (req, reply) => {
    const html = await mail.html(actorOf(req), req.params.id);
    return reply.type('text/html; charset=utf-8').header('content-security-policy', MAIL_HTML_CSP).header('x-frame-options', 'SAMEORIGIN').send(html);
  });
}
