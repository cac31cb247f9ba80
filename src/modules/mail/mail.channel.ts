/**
 * Composition of the e-mail channel for src/main.ts: the job handlers (processing,
 * threaded outbound mail) and the intake (IMAP mailboxes from HOSHU_IMAP_URL; the
 * SMTP listener when HOSHU_SMTP_LISTEN_PORT is set).
 */
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Config } from '../../config.ts';
import type { DB } from '../../db/schema.ts';
import type { JobHandler } from '../../jobs/runner.ts';
import { ImapIntake, parseImapUrl } from './mail.imap.ts';
import { createMailJobHandlers } from './mail.jobs.ts';
import { createMailService, type MailService } from './mail.service.ts';
import { startSmtpListener, type SmtpListener } from './mail.smtp.ts';

export function mailServiceFor(db: Kysely<DB>, config: Config, clock: () => number): MailService {
  return createMailService({
    db, clock, options: { from: config.smtp.from, acksPerHour: config.mail.acksPerHour, deskEmail: config.smtp.deskEmail, authservId: config.mail.authservId },
  });
}

export function mailJobHandlers(db: Kysely<DB>, config: Config, clock: () => number, log?: Logger): Record<string, JobHandler> {
  return createMailJobHandlers(mailServiceFor(db, config, clock), config.smtp, { charset: config.mail.charset, clock, ...(log ? { log } : {}) }).handlers;
}

/** Starts the IMAP intakes (in job-running processes) and the SMTP listener; `poke` runs due jobs at once. */
export async function startMailIntake(
  db: Kysely<DB>, config: Config, clock: () => number, log: Logger, poke: () => void,
): Promise<{ close(): Promise<void> }> {
  const mail = mailServiceFor(db, config, clock);
  const intakes = config.runJobs
    ? config.mail.imapUrls.map((url) => new ImapIntake({ mailbox: parseImapUrl(url), mail, clock, pollMs: config.mail.imapPollMs, onStored: poke, log }))
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
