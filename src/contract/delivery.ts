/**
 * What became of an outbound e-mail per recipient (the `mail.outbound` job's record),
 * shared by the mail and maintenance contracts.
 */
import { z } from 'zod';
import { Instant } from './common.ts';

/** What the outbound mail job records for a recipient that was not sent to because no SMTP relay is configured. */
export const MAIL_NOT_CONFIGURED = 'not sent: mail not configured (HOSHU_SMTP_URL is not set)';

export const MailDeliveryStatus = z.enum(['queued', 'sent', 'failed']);

/** One recipient of one outbound message, as the `mail.outbound` job recorded it. */
export const MailDelivery = z
  .object({
    recipient: z.string(),
    status: MailDeliveryStatus.describe('queued: not yet handed to the SMTP server (or retrying); sent: the server accepted it; failed: refused, or not sent at all'),
    detail: z.string().nullable().describe(
      'sent: the SMTP server\'s reply to the message (e.g. "250 2.0.0 Ok: queued as 4Q7k…"); failed: the refusal or error '
      + `("${MAIL_NOT_CONFIGURED}" on a desk without SMTP); queued: the last error of a try that will be repeated. Staff only (null for contacts)`,
    ),
    attempts: z.number().int(),
    updatedAt: Instant,
  })
  .meta({ id: 'MailDelivery' });
