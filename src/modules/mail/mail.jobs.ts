/** Job handlers of the e-mail channel: processing a stored message, sending a threaded desk mail. */
import nodemailer from 'nodemailer';
import type { SmtpConfig } from '../../config.ts';
import type { JobHandler } from '../../jobs/runner.ts';
import { addressOf, composeRaw, type MailCharset, type OutboundMail } from './mail.compose.ts';
import { MAIL_OUTBOUND_JOB, MAIL_PROCESS_JOB, type MailService } from './mail.service.ts';

export interface MailJobLog {
  info(obj: object, msg: string): void;
}

export function createMailJobHandlers(
  mail: MailService, smtp: SmtpConfig, o: { charset: MailCharset; clock: () => number; log?: MailJobLog },
): { handlers: Record<string, JobHandler>; close(): void } {
  const transport = smtp.transport === null
    ? null
    : typeof smtp.transport === 'string'
      ? nodemailer.createTransport(smtp.transport)
      : nodemailer.createTransport({ ...smtp.transport, ignoreTLS: !smtp.transport.secure });
  return {
    handlers: {
      [MAIL_PROCESS_JOB]: async () => {
        await mail.processPending();
      },
      [MAIL_OUTBOUND_JOB]: async (payload, ctx) => {
        const m = payload as OutboundMail;
        if (!transport) {
          o.log?.info({ to: m.to, subject: m.subject }, 'mail not configured; not sent');
          return;
        }
        // The job's creation time keeps the Date header stable across retries.
        const raw = composeRaw(m, { from: smtp.from, charset: o.charset, now: ctx.job.createdAt });
        await transport.sendMail({ envelope: { from: addressOf(smtp.from), to: [m.to] }, raw });
      },
    },
    close: () => transport?.close(),
  };
}
