/**
 * Composition of the e-mail channel for src/main.ts: the job handlers (processing,
 * and the one outbound path every desk mail takes, through the process's one SMTP
 * transport) and the intake (IMAP mailboxes from HOSHU_IMAP_URL; the SMTP listener
 * when HOSHU_SMTP_LISTEN_PORT is set).
 */
import type { Logger } from 'pino';
import type { Config } from '../../config.ts';
import type { UnitOfWork } from '../../db/unit-of-work.ts';
import type { JobHandler } from '../../jobs/runner.ts';
import { ImapIntake, parseImapUrl } from './mail.imap.ts';
import { leaseOn } from '../../db/lease.ts';
import { createMailJobHandlers } from './mail.jobs.ts';
import type { MailTransport } from './mail.outbound.ts';
import type { MailOptions, MailService } from './mail.service.ts';
import { startSmtpListener, type SmtpListener } from './mail.smtp.ts';

/** The mail service's settings from the configuration (the composition root passes them to createServices). */
export function mailOptionsOf(config: Config): MailOptions {
  return {
    from: config.smtp.from, acksPerHour: config.mail.acksPerHour, deskEmail: config.smtp.deskEmail, authservId: config.mail.authservId,
    outboundConfigured: config.smtp.transport !== null,
  };
}

/** Processing and outbound handlers; `transport` is the process's one (main creates it and closes it on shutdown). */
export function mailJobHandlers(
  deps: { mail: MailService; transport: MailTransport | null; uow: UnitOfWork; config: Config; log?: Logger },
): Record<string, JobHandler> {
  const { mail, transport, uow, config, log } = deps;
  return createMailJobHandlers({ mail, outbound: { transport, uow, from: config.smtp.from, charset: config.mail.charset, ...(log ? { log } : {}) } });
}

/** Starts the IMAP intakes (in job-running processes) and the SMTP listener; `poke` runs due jobs at once. */
export async function startMailIntake(
  mail: MailService, config: Config, clock: () => number, log: Logger, poke: () => void,
): Promise<{ close(): Promise<void> }> {
  const intakes = config.runJobs
    ? config.mail.imapUrls.map((url) => {
      const mailbox = parseImapUrl(url);
      // One process at a time polls a mailbox, whichever processes share the database.
      const lease = leaseOn(config.database, `imap:${mailbox.key}`);
      return new ImapIntake({ mailbox, mail, clock, pollMs: config.mail.imapPollMs, onStored: poke, log, lease });
    })
    : [];
  for (const i of intakes) i.start();
  let listener: SmtpListener | null = null;
  if (config.mail.smtpListen) {
    listener = await startSmtpListener({ mail, ...config.mail.smtpListen, maxBytes: config.mail.maxBytes, clock, onStored: poke, log });
    log.info({ port: listener.port, host: config.mail.smtpListen.host }, 'SMTP listener accepting mail');
  }
  return {
    async close() {
      await Promise.all(intakes.map((i) => i.stop()));
      await listener?.close();
    },
  };
}
