/**
 * What agents (and a contact, for their own incidents) do with the e-mail channel
 * through the API: file a triage or unparseable message under a contract, reply to the
 * reporter on the incident's thread, and read stored mail — a page of the intake, one
 * message, its HTML part and attachments, the mails of an incident and what the desk
 * sent about it with each delivery's outcome.
 */
import { cursorPage, type CursorPosition } from '../../contract/common.ts';
import { AppError, notFound } from '../../errors.ts';
import { t } from '../../i18n/index.ts';
import type { Actor } from '../auth/actor.ts';
import { authorize, may } from '../auth/authorize.ts';
import { newReplyToken, replyTag, type OutboundMail } from './mail.compose.ts';
import { deliveriesOf } from './mail.outbound.ts';
import { attachmentContent, parseMessage, type ParsedMessage } from './mail.parse.ts';
import * as repo from './mail.repository.ts';
import { enqueueOutbound, fileIncidentIn, finish, newMessageId, outboundKey, type MailParts } from './mail.shared.ts';

export function createMailAgentApi({ db, clock, uow, o, incidents }: MailParts) {
  /**
   * Staff see every stored mail; a contact only a mail that opened or joined an incident
   * of their own client. Anything else is mail_message.not_found, like a missing id.
   */
  async function visibleMessage(actor: Actor, id: string) {
    authorize(actor, 'mail_message.content');
    const row = await repo.findMessage(db, id);
    if (!row) throw notFound('mail_message');
    if (may(actor, 'mail_message.read_any')) return row;
    const inc = row.incidentId && (row.status === 'incident' || row.status === 'reply') ? await repo.incidentFacts(db, { id: row.incidentId }) : undefined;
    authorize(actor, 'mail_message.content', inc || null);
    return row;
  }

  return {
    /** An agent files a triage (or unparseable) message under a contract: it becomes an incident. */
    async assign(actor: Actor, id: string, contractId: string) {
      authorize(actor, 'mail_message.assign');
      const now = clock();
      const row0 = await repo.findMessage(db, id);
      if (!row0) throw notFound('mail_message');
      let p: ParsedMessage;
      try {
        p = await parseMessage(Buffer.from(row0.raw, 'base64'), row0.envelopeFrom);
      } catch {
        p = { messageId: row0.messageId, inReplyTo: [], references: [], from: { address: null, name: null }, recipients: [], subject: t('ja', 'mail.unparseable_title'), text: '', html: null, date: null, attachments: [], automatic: null, authenticationResults: [] };
      }
      return uow.command(actor, async (w) => {
        const tx = w.tx;
        const row = await repo.findMessage(tx, id, true);
        if (!row) throw notFound('mail_message');
        if (row.status !== 'triage' && row.status !== 'unparseable') throw new AppError('mail_message.not_assignable', 'only triage or unparseable mail can be filed', [], { status: row.status });
        const created = await fileIncidentIn(incidents, w, { ...row, contractId }, p, contractId);
        await finish(tx, id, { status: 'incident', incidentId: created.id, contractId, reason: `filed by ${actor.userId}` }, now);
        w.audit({ entity: 'mail_message', entityId: id, action: 'file', before: { status: row.status }, after: { status: 'incident', contractId, incidentId: created.id } });
        return { messageId: id, incidentId: created.id, number: created.number };
      }, { now, name: 'mail.assign' });
    },

    /** An agent's reply to the reporter, threaded (Message-ID/In-Reply-To/References, `[#number-token]`); also a public message. */
    async reply(actor: Actor, incidentId: string, body: string) {
      authorize(actor, 'mail_message.reply');
      if (!body?.trim()) throw new AppError('mail.invalid', 'invalid input', [{ path: ['body'], code: 'too_small', message: 'required' }]);
      const now = clock();
      return uow.command(actor, async (w) => {
        const tx = w.tx;
        const inc = await repo.incidentFacts(tx, { id: incidentId });
        if (!inc) throw notFound('incident');
        if (!inc.reporterEmail) throw new AppError('mail.no_recipient', 'the incident has no reporter e-mail address');
        await incidents.addCommentIn(w, inc.id, { body });
        const ids = await repo.threadOf(tx, inc.id);
        const lastIn = [...ids].reverse().find((x) => x.direction === 'in')?.messageId ?? null;
        const subjectBase = inc.title.replace(/^((re|fw|fwd)\s*[:：]\s*)+/i, '');
        const ref = replyTag(inc.number, await repo.ensureReplyToken(tx, inc.id, newReplyToken));
        const m: OutboundMail = {
          to: inc.reporterEmail,
          subject: `Re: ${ref} ${subjectBase}`,
          text: body,
          messageId: newMessageId(o),
          inReplyTo: lastIn,
          references: ids.map((x) => x.messageId).slice(-10),
          automatic: false,
        };
        await enqueueOutbound(tx, 'reply', inc.id, m, now);
        const delivery = (await deliveriesOf(tx, [outboundKey(m.messageId)])).get(outboundKey(m.messageId))![0]!;
        return { incidentId: inc.id, messageId: m.messageId, to: m.to, subject: m.subject, delivery };
      }, { now, name: 'mail.reply' });
    },

    /** The e-mails of one incident: staff, or a contact of the incident's client (anyone else: incident.not_found). */
    async ofIncident(actor: Actor, incidentId: string) {
      authorize(actor, 'mail_message.of_incident');
      authorize(actor, 'incident.read', await repo.incidentFacts(db, { id: incidentId }));
      return repo.messagesOfIncident(db, incidentId);
    },

    /** What the desk sent about an incident (acknowledgements, replies) and what became of each (staff). */
    async outboundOf(actor: Actor, incidentId: string) {
      authorize(actor, 'mail_message.outbound_of_incident');
      if (!(await repo.incidentFacts(db, { id: incidentId }))) throw notFound('incident');
      const rows = await db.selectFrom('mailOutbound').selectAll().where('incidentId', '=', incidentId).orderBy('createdAt').orderBy('id').execute();
      const deliveries = await deliveriesOf(db, rows.map((r) => outboundKey(r.messageId)));
      return rows.map((r) => ({ ...r, delivery: deliveries.get(outboundKey(r.messageId))?.[0] ?? null }));
    },

    /** What pages that send mail tell the agent about this desk. */
    deskInfo() {
      return { outboundMail: { configured: o.outboundConfigured === true } };
    },

    /** Attachment `index` of a stored mail, decoded from its raw source (access as in `visibleMessage`). */
    async attachment(actor: Actor, id: string, index: number) {
      const row = await visibleMessage(actor, id);
      const a = await attachmentContent(Buffer.from(row.raw, 'base64'), index);
      if (!a) throw notFound('mail_attachment');
      return a;
    },

    /** The HTML part of a stored mail, as received (the route serves it sandboxed; access as in `visibleMessage`). */
    async html(actor: Actor, id: string): Promise<string> {
      const row = await visibleMessage(actor, id);
      if (!row.htmlBody) throw notFound('mail_html');
      return row.htmlBody;
    },

    /** A page of received mail, newest first, and the cursor of the next (older) page (null on the last). */
    async list(actor: Actor, q: { status?: string; limit?: number; after?: CursorPosition }) {
      authorize(actor, 'mail_message.list');
      const limit = Math.min(Math.max(q.limit ?? 50, 1), 200);
      // One row more than asked tells whether another page follows.
      let query = db.selectFrom('mailMessages').select([...repo.SUMMARY_COLUMNS]).orderBy('receivedAt', 'desc').orderBy('id', 'desc').limit(limit + 1);
      if (q.status) query = query.where('status', '=', q.status);
      const after = q.after;
      if (after) query = query.where((eb) => eb.or([eb('receivedAt', '<', after.at), eb.and([eb('receivedAt', '=', after.at), eb('id', '<', after.id)])]));
      return cursorPage(await query.execute(), limit, (r) => r.receivedAt);
    },

    async get(actor: Actor, id: string) {
      authorize(actor, 'mail_message.read');
      const row = await repo.findMessage(db, id);
      if (!row) throw notFound('mail_message');
      return row;
    },
  };
}
