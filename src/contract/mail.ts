/** The e-mail channel's API shapes: the intake log (incl. triage and unparseable mail), intake health, agent replies. */
import { z } from 'zod';
import { Id, Instant } from './common.ts';
import { MailDelivery } from './delivery.ts';

export { MAIL_NOT_CONFIGURED, MailDelivery, MailDeliveryStatus } from './delivery.ts';

export const MailStatusName = z.enum(['received', 'incident', 'reply', 'duplicate', 'ignored', 'triage', 'unparseable']);

export const MailAttachment = z.object({ filename: z.string(), contentType: z.string(), size: z.number().int(), checksum: z.string(), index: z.number().int() });

export const MailMessage = z
  .object({
    id: Id,
    source: z.enum(['imap', 'smtp']),
    mailbox: z.string(),
    messageId: z.string().nullable(),
    receivedAt: Instant.describe('arrival (IMAP INTERNALDATE or when the listener accepted it)'),
    size: z.number().int(),
    status: MailStatusName,
    reason: z.string().nullable().describe('why it was ignored, triaged, unparseable; how it was routed'),
    fromAddress: z.string().nullable(),
    fromName: z.string().nullable(),
    subject: z.string().nullable(),
    text: z.string().nullable(),
    attachments: z.array(MailAttachment),
    contractId: Id.nullable(),
    incidentId: Id.nullable(),
    authentication: z.object({
      by: z.string().describe("our own MX's authserv-id (HOSHU_MAIL_AUTHSERV_ID)"),
      spf: z.string().nullable(),
      dkim: z.string().nullable(),
      dmarc: z.string().nullable(),
      verdict: z.enum(['pass', 'fail', 'none']).describe('fail: sent to triage, not joined, not acknowledged'),
    }).nullable().describe("the SPF/DKIM/DMARC verdict of our own MX's Authentication-Results; null without one"),
  })
  .meta({ id: 'MailMessage' });

export const MailMessageQuery = z.object({
  status: MailStatusName.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const MailMessageList = z.object({ items: z.array(MailMessage) });

export const MailIntakeStatus = z
  .object({
    alert: z.boolean().describe('a mailbox keeps failing, or mail jobs failed for good'),
    failedJobs: z.number().int(),
    counts: z.record(z.string(), z.number().int()),
    mailboxes: z.array(z.object({
      mailbox: z.string(),
      consecutiveErrors: z.number().int(),
      lastError: z.string().nullable(),
      lastErrorAt: Instant.nullable(),
      lastOkAt: Instant.nullable(),
      alertSince: Instant.nullable(),
    })),
  })
  .meta({ id: 'MailIntakeStatus' });

/** What every page that sends mail needs to know about the desk. */
export const DeskInfo = z
  .object({
    outboundMail: z.object({
      configured: z.boolean().describe('false: no SMTP relay (HOSHU_SMTP_URL); notices and replies are recorded but never sent'),
    }),
  })
  .meta({ id: 'DeskInfo' });

export const MailReplyBody = z.object({ body: z.string().min(1).max(100_000) });
export const MailReplyResult = z.object({
  incidentId: Id, messageId: z.string(), to: z.string(), subject: z.string(),
  delivery: MailDelivery.describe('queued when the reply is accepted; GET /mail/incidents/{id}/outbound shows what happened next'),
});

/** A message the desk sent about an incident (acknowledgement or agent reply) and its delivery. */
export const IncidentOutboundMail = z
  .object({
    id: Id,
    kind: z.enum(['ack', 'reply']),
    to: z.string(),
    messageId: z.string(),
    createdAt: Instant,
    delivery: MailDelivery.nullable().describe('null for mail sent before deliveries were recorded'),
  })
  .meta({ id: 'IncidentOutboundMail' });
export const IncidentOutboundMailList = z.object({ items: z.array(IncidentOutboundMail) });

export const MailAssignBody = z.object({ contractId: Id });
export const MailAssignResult = z.object({ messageId: Id, incidentId: Id, number: z.number().int() });

/** One e-mail of an incident as its people see it (staff, and contacts of the incident's client). */
export const IncidentMail = z
  .object({
    id: Id,
    status: z.enum(['incident', 'reply']).describe('incident = the mail that opened it; reply = a later mail that joined it'),
    receivedAt: Instant,
    fromAddress: z.string().nullable(),
    fromName: z.string().nullable(),
    subject: z.string().nullable(),
    text: z.string().describe('the plain-text body; for HTML-only mail the text extracted from its HTML'),
    hasHtml: z.boolean().describe('the mail has an HTML part, viewable at /mail/messages/{id}/html (sandboxed)'),
    attachments: z.array(MailAttachment),
  })
  .meta({ id: 'IncidentMail' });
export const IncidentMailList = z.object({ items: z.array(IncidentMail) });

export const AttachmentParams = z.object({ id: Id, index: z.coerce.number().int().min(0).max(999) });
