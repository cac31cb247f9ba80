/**
 * /mail — the intake log for agents (triage queue, unparseable mail with its raw
 * source), intake health and alerts, filing a triage message under a contract, and
 * threaded e-mail replies. Staff only. Also the "first opened by an agent" hook:
 * the first time an agent opens a new e-mail incident, its SLA clocks start.
 */
import { IdParams, toIso, toIsoOrNull } from '../../contract/common.ts';
import {
  MailAssignBody, MailAssignResult, MailIntakeStatus, MailMessageList, MailMessageQuery, MailReplyBody, MailReplyResult,
} from '../../contract/mail.ts';
import { actorOf } from '../../http/auth-hooks.ts';
import type { Api } from '../../http/types.ts';
import type { MailAttachmentInfo } from './mail.parse.ts';
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
});

export function registerMailRoutes(app: Api, mail: MailService): void {
  // SPEC §2: for e-mail the clock starts when the desk has read it.
  app.addHook('preHandler', async (req) => {
    if (req.method !== 'GET' || !req.auth) return;
    const url = req.routeOptions.url ?? '';
    const p = req.params as { id?: string; number?: string };
    if (url.endsWith('/incidents/:id') && p.id) await mail.openedByAgent(actorOf(req), { id: p.id });
    else if (url.endsWith('/incidents/by-number/:number') && p.number && /^\d{1,9}$/.test(p.number)) await mail.openedByAgent(actorOf(req), { number: Number(p.number) });
  });

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
  }, async (req, reply) => reply.status(201).send(await mail.reply(actorOf(req), req.params.id, req.body.body)));
}
