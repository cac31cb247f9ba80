/** The `mail.send` job: one SMTP delivery per job, after the enqueuing transaction committed. */
import nodemailer from 'nodemailer';
import type { SmtpConfig } from '../../config.ts';
import type { JobHandler } from '../../jobs/runner.ts';
import type { MailMessage } from './notification.service.ts';

export interface MailLog {
  info(obj: object, msg: string): void;
}

export function createMailHandler(smtp: SmtpConfig, log?: MailLog): { handler: JobHandler; close(): void } {
  const transport = smtp.transport === null
    ? null
    : typeof smtp.transport === 'string'
      ? nodemailer.createTransport(smtp.transport)
      // Plain SMTP on a trusted relay unless `secure` asks for TLS from the start.
      : nodemailer.createTransport({ ...smtp.transport, ignoreTLS: !smtp.transport.secure });
  return {
    handler: async (payload) => {
      const m = payload as MailMessage;
      if (!transport) {
        // Mail is not configured: the event is recorded in the timeline and audit log anyway.
        log?.info({ to: m.to, subject: m.subject }, 'mail not configured; not sent');
        return;
      }
      await transport.sendMail({ from: smtp.from, to: m.to, subject: m.subject, text: m.text });
    },
    close: () => transport?.close(),
  };
}
