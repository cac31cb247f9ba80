/**
 * The one outbound mail path. Every message the desk sends — acknowledgements and
 * agent replies (threaded), SLA warnings, maintenance notices, intake alerts — is a
 * `mail.outbound` job enqueued in the transaction of the event it reports, and
 * sent after commit by one handler through the process's one SMTP transport
 * (retried with back-off by the runner; a failed job is the record of a message
 * that could not be delivered). The handler composes the bytes itself
 * (mail.compose.ts: the configured charset, Message-ID, In-Reply-To/References,
 * Auto-Submitted for automatic replies), so a retry sends the same message.
 *
 * Each recipient's fate is recorded in `mail_deliveries` under the job's dedupe key:
 * queued with the event, then sent with the server's reply or failed with the refusal
 * or error, from the handler's own result — what the desk shows as "notified" is what
 * the SMTP server said, never what we meant to do. Without SMTP the job fails at once
 * with "not sent: mail not configured" instead of finishing as if it had sent.
 */
import { createRequire } from 'node:module';
import type Nodemailer from 'nodemailer';
import type { SmtpConfig } from '../../config.ts';
import { MAIL_NOT_CONFIGURED } from '../../contract/mail.ts';
import type { Executor } from '../../db/database.ts';
import type { Row } from '../../db/schema.ts';
import type { UnitOfWork } from '../../db/unit-of-work.ts';
import { enqueue } from '../../jobs/queue.ts';
import { PermanentJobError, type JobHandler } from '../../jobs/runner.ts';
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

export type DeliveryStatus = 'queued' | 'sent' | 'failed';
export type Delivery = Row<'mailDeliveries'>;

const recipientsOf = (m: Pick<OutboundMessage, 'to'>) => [...new Set([m.to].flat())];

/**
 * Enqueues one outbound message and records each recipient as queued; call inside the
 * transaction of the event it reports. `dedupeKey` names the message: its deliveries
 * are found under it (`deliveriesOf`). Enqueueing a key again sends again, so its
 * recipients are queued again.
 */
export async function enqueueMail(
  ex: Executor, message: OutboundMessage, o: { runAt: number; dedupeKey: string; now: number },
): Promise<void> {
  await enqueue(ex, { kind: MAIL_OUTBOUND_JOB, payload: message, runAt: o.runAt, dedupeKey: o.dedupeKey, now: o.now });
  const rows = recipientsOf(message).map((recipient) => ({
    messageKey: o.dedupeKey, recipient, status: 'queued', detail: null, attempts: 0, queuedAt: o.now, updatedAt: o.now,
  }));
  if (rows.length === 0) return;
  await ex.insertInto('mailDeliveries').values(rows)
    .onConflict((oc) => oc.columns(['messageKey', 'recipient']).doUpdateSet({ status: 'queued', detail: null, attempts: 0, queuedAt: o.now, updatedAt: o.now }))
    .execute();
}

/** The recorded deliveries of messages by their dedupe keys (each message's recipients in address order). */
export async function deliveriesOf(ex: Executor, keys: readonly string[]): Promise<Map<string, Delivery[]>> {
  const out = new Map<string, Delivery[]>();
  const unique = [...new Set(keys)];
  // Chunked: SQLite allows a limited number of bound parameters per statement.
  for (let i = 0; i < unique.length; i += 500) {
    const rows = await ex.selectFrom('mailDeliveries').selectAll().where('messageKey', 'in', unique.slice(i, i + 500))
      .orderBy('queuedAt').orderBy('recipient').execute();
    for (const r of rows) out.set(r.messageKey, [...(out.get(r.messageKey) ?? []), r]);
  }
  return out;
}

/** What the SMTP server said. */
export interface SendResult {
  accepted: string[];
  rejected: string[];
  /** The server's reply to the message (after DATA), e.g. "250 2.0.0 Ok: queued as 4Q7k…". */
  response?: string;
  /** Per refused recipient: the server's reply to its RCPT TO. */
  refusals?: Record<string, string>;
}

/** What nodemailer puts on a refusal (smtp-connection's `_formatError`). */
interface SmtpRefusal {
  recipient?: string;
  response?: string;
  responseCode?: number;
  rejectedErrors?: SmtpRefusal[];
}
const refusalsOf = (errors: readonly SmtpRefusal[] | undefined): Record<string, string> =>
  Object.fromEntries((errors ?? []).filter((e) => e.recipient).map((e) => [e.recipient!.toLowerCase(), e.response ?? 'refused']));

/** The process's SMTP connection(s): created once, closed on shutdown. */
export interface MailTransport {
  send(envelope: { from: string; to: string[] }, raw: Buffer): Promise<SendResult>;
  close(): void;
}

/** nodemailer over the configured relay; null when mail is not configured. */
export function createMailTransport(smtp: Pick<SmtpConfig, 'transport'>): MailTransport | null {
  if (smtp.transport === null) return null;
  // Required here, not at the top: every process (each CLI command) would load nodemailer for nothing.
  const nodemailer = createRequire(import.meta.url)('nodemailer') as typeof Nodemailer;
  const t = typeof smtp.transport === 'string'
    ? nodemailer.createTransport(smtp.transport)
    // Plain SMTP on a trusted relay unless `secure` asks for TLS from the start.
    : nodemailer.createTransport({ ...smtp.transport, ignoreTLS: !smtp.transport.secure });
  const addr = (a: string | { address: string }) => (typeof a === 'string' ? a : a.address);
  return {
    async send(envelope, raw) {
      // nodemailer rejects only when every recipient was refused; a partial refusal comes back in `rejected`.
      const info = await t.sendMail({ envelope, raw });
      const refused = (info as { rejectedErrors?: SmtpRefusal[] }).rejectedErrors;
      return { accepted: info.accepted.map(addr), rejected: info.rejected.map(addr), response: info.response, refusals: refusalsOf(refused) };
    },
    close: () => t.close(),
  };
}

export interface MailLog {
  info(obj: object, msg: string): void;
  warn?(obj: object, msg: string): void;
}

export interface OutboundMailDeps {
  /** null: mail not configured — the event is recorded anyway; each job fails with MAIL_NOT_CONFIGURED. */
  transport: MailTransport | null;
  /** Where the handler records each recipient's delivery (desk bookkeeping, no audit entry). */
  uow: UnitOfWork;
  /** The desk's sender (HOSHU_MAIL_FROM); its domain names our Message-IDs. */
  from: string;
  charset: MailCharset;
  log?: MailLog;
}

const MAIL_JOB_ACTOR = { userId: 'system:mail', role: 'admin' };

/** Why a send failed, in one line (nodemailer puts the server's reply in the message). */
const describe = (e: unknown) => (e instanceof Error ? e.message : String(e)).replace(/\s+/g, ' ').slice(0, 1000);

/** A reply code from 500 on is the server's final word; 4xx and network errors may pass. */
const isPermanent = (e: unknown) => {
  const code = (e as SmtpRefusal | null)?.responseCode;
  return typeof code === 'number' && code >= 500;
};

/** The handler of the one outbound kind (and its legacy alias). */
export function createOutboundMailHandlers(deps: OutboundMailDeps): Record<string, JobHandler> {
  const { transport, uow, from, charset, log } = deps;

  async function record(job: Row<'jobs'>, outcome: Array<{ recipient: string; status: DeliveryStatus; detail: string | null }>, now: number): Promise<void> {
    // A job enqueued before deliveries were recorded (or without a key) is recorded under its id.
    const messageKey = job.dedupeKey ?? `job:${job.id}`;
    const rows = outcome.map((o) => ({ messageKey, ...o, attempts: job.attempts, queuedAt: job.createdAt, updatedAt: now }));
    if (rows.length === 0) return;
    await uow.internal(MAIL_JOB_ACTOR, async ({ tx }) => {
      for (const r of rows) {
        await tx.insertInto('mailDeliveries').values(r)
          .onConflict((oc) => oc.columns(['messageKey', 'recipient']).doUpdateSet({ status: r.status, detail: r.detail, attempts: r.attempts, updatedAt: r.updatedAt }))
          .execute();
      }
    }, { now });
  }

  const send = async (m: OutboundMessage, job: Row<'jobs'>, date: number, now: number): Promise<void> => {
    const to = recipientsOf(m);
    if (!transport) {
      log?.info({ jobId: job.id, to, subject: m.subject }, 'mail not configured; not sent');
      await record(job, to.map((recipient) => ({ recipient, status: 'failed', detail: MAIL_NOT_CONFIGURED })), now);
      throw new PermanentJobError(MAIL_NOT_CONFIGURED);
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
    let r: SendResult;
    try {
      r = await transport.send({ from: addressOf(from), to }, composeRaw(mail, { from, charset, now: date }));
    } catch (e) {
      // Nothing was accepted. A refusal from 500 on is final; anything else is tried again
      // by the runner (the recipients stay queued, with the error) until the last attempt.
      const refusals = refusalsOf((e as SmtpRefusal | null)?.rejectedErrors);
      const permanent = isPermanent(e);
      const last = permanent || job.attempts >= job.maxAttempts;
      const detail = describe(e);
      await record(job, to.map((recipient) => {
        const own = refusals[recipient.toLowerCase()];
        return last
          ? { recipient, status: 'failed' as const, detail: own ?? detail }
          : { recipient, status: 'queued' as const, detail: `attempt ${job.attempts} of ${job.maxAttempts} failed, will retry: ${own ?? detail}` };
      }), now);
      if (permanent) throw new PermanentJobError(detail);
      throw e;
    }
    const accepted = new Set(r.accepted.map((a) => a.toLowerCase()));
    const refusals = { ...Object.fromEntries(r.rejected.map((a) => [a.toLowerCase(), 'refused'])), ...r.refusals };
    await record(job, to.map((recipient) => {
      const key = recipient.toLowerCase();
      if (refusals[key] !== undefined) return { recipient, status: 'failed' as const, detail: refusals[key] };
      if (accepted.has(key)) return { recipient, status: 'sent' as const, detail: r.response ?? null };
      return { recipient, status: 'failed' as const, detail: `the server accepted the message without naming this recipient: ${r.response ?? ''}`.trim() };
    }), now);
    if (r.rejected.length) (log?.warn ?? log?.info)?.call(log, { jobId: job.id, rejected: r.rejected, accepted: r.accepted }, 'some recipients were refused');
  };
  return {
    [MAIL_OUTBOUND_JOB]: async (payload, ctx) => {
      const m = payload as OutboundMessage;
      await send(m, ctx.job, m.date ?? ctx.job.createdAt, ctx.now);
    },
    // Legacy payloads ({ to[], subject, text }) were dated when sent, as nodemailer did.
    [LEGACY_MAIL_SEND_JOB]: async (payload, ctx) => send(payload as OutboundMessage, ctx.job, ctx.now, ctx.now),
  };
}
