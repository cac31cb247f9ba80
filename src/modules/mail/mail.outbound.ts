/**
 * The one outbound mail path. Every message the desk sends — acknowledgements and
 * agent replies (threaded), SLA warnings, maintenance notices, intake alerts — is a
 * `mail.outbound` job enqueued in the transaction of the event it reports, and
 * sent after commit by one handler through the process's one SMTP transport
 * (retried with back-off by the runner; a failed job is the record of a message
 * that could not be delivered). The handler composes the bytes itself
 * (mail.compose.ts: the configured charset, Message-ID, In-Reply-To/References,
 * Auto-Submitted for automatic replies), so a retry sends the same message.
 */
import nodemailer from 'nodemailer';
import type { SmtpConfig } from '../../config.ts';
import type { Executor } from '../../db/database.ts';
import type { Row } from '../../db/schema.ts';
import { enqueue } from '../../jobs/queue.ts';
import type { JobHandler } from '../../jobs/runner.ts';
import { addressOf, composeRaw, messageIdDomain, type MailCharset, type OutboundMail } from './mail.compose.ts';

export const MAIL_OUTBOUND_JOB = 'mail.outbound';
/**
 * The kind notifications used before there was one outbound path. Kept as an alias
 * in the handler table rather than migrated: jobs of it may still sit in a database
 * (an SLA warning armed for the next business morning), an older process of a
 * rolling upgrade may still enqueue them, and their payload is a subset of
 * `OutboundMessage` — a rewrite of JSON payloads on both dialects would buy nothing.
 */
export const LEGACY_MAIL_SEND_JOB = 'mail.send';

/** The payload of a `mail.outbound` job. */
export interface OutboundMessage {
  /** One address or several (one message, every address in To). */
  to: string | string[];
  subject: string;
  text: string;
  /** Without angle brackets. Absent: hoshu.<job id>@<sender's domain>, the same on every retry. */
  messageId?: string;
  inReplyTo?: string | null;
  references?: string[];
  /** Sets Auto-Submitted: auto-replied (acknowledgements), so other robots stay quiet. */
  automatic?: boolean;
  /** The Date header. Absent: when the job was created (stable across retries). */
  date?: number;
}

/** Enqueues one outbound message; call inside the transaction of the event it reports. */
export async function enqueueMail(
  ex: Executor, message: OutboundMessage, o: { runAt: number; dedupeKey: string; now: number },
): Promise<void> {
  await enqueue(ex, { kind: MAIL_OUTBOUND_JOB, payload: message, runAt: o.runAt, dedupeKey: o.dedupeKey, now: o.now });
}

/** What the SMTP server said per recipient. */
export interface SendResult {
  accepted: string[];
  rejected: string[];
}

/** The process's SMTP connection(s): created once, closed on shutdown. */
export interface MailTransport {
  send(envelope: { from: string; to: string[] }, raw: Buffer): Promise<SendResult>;
  close(): void;
}

/** nodemailer over the configured relay; null when mail is not configured. */
export function createMailTransport(smtp: Pick<SmtpConfig, 'transport'>): MailTransport | null {
  if (smtp.transport === null) return null;
  const t = typeof smtp.transport === 'string'
    ? nodemailer.createTransport(smtp.transport)
    // Plain SMTP on a trusted relay unless `secure` asks for TLS from the start.
    : nodemailer.createTransport({ ...smtp.transport, ignoreTLS: !smtp.transport.secure });
  const addr = (a: string | { address: string }) => (typeof a === 'string' ? a : a.address);
  return {
    async send(envelope, raw) {
      // nodemailer rejects only when every recipient was refused; a partial refusal comes back in `rejected`.
      const info = await t.sendMail({ envelope, raw });
      return { accepted: info.accepted.map(addr), rejected: info.rejected.map(addr) };
    },
    close: () => t.close(),
  };
}

export interface MailLog {
  info(obj: object, msg: string): void;
  warn?(obj: object, msg: string): void;
}

export interface OutboundMailDeps {
  /** null: mail not configured — the event is recorded anyway, the message only logged. */
  transport: MailTransport | null;
  /** The desk's sender (HOSHU_MAIL_FROM); its domain names our Message-IDs. */
  from: string;
  charset: MailCharset;
  log?: MailLog;
}

/** The handler of the one outbound kind (and its legacy alias). */
export function createOutboundMailHandlers(deps: OutboundMailDeps): Record<string, JobHandler> {
  const { transport, from, charset, log } = deps;
  const send = async (m: OutboundMessage, job: Row<'jobs'>, date: number): Promise<void> => {
    const to = [m.to].flat();
    if (!transport) {
      log?.info({ to, subject: m.subject }, 'mail not configured; not sent');
      return;
    }
    const mail: OutboundMail = {
      to: to.join(', '),
      subject: m.subject,
      text: m.text,
      messageId: m.messageId ?? `hoshu.${job.id}@${messageIdDomain(from)}`,
      inReplyTo: m.inReplyTo ?? null,
      references: m.references ?? [],
      automatic: m.automatic ?? false,
    };
    const r = await transport.send({ from: addressOf(from), to }, composeRaw(mail, { from, charset, now: date }));
    if (r.rejected.length) (log?.warn ?? log?.info)?.call(log, { jobId: job.id, rejected: r.rejected, accepted: r.accepted }, 'some recipients were refused');
  };
  return {
    [MAIL_OUTBOUND_JOB]: async (payload, ctx) => {
      const m = payload as OutboundMessage;
      await send(m, ctx.job, m.date ?? ctx.job.createdAt);
    },
    // Legacy payloads ({ to[], subject, text }) were dated when sent, as nodemailer did.
    [LEGACY_MAIL_SEND_JOB]: async (payload, ctx) => send(payload as OutboundMessage, ctx.job, ctx.now),
  };
}
