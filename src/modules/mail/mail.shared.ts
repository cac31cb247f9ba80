/**
 * What the parts of the e-mail channel share (intake, the agent API, intake health):
 * the job name, who the intake acts as, the options, and the steps both the intake and
 * an agent take — filing a message as an incident in the caller's unit, recording a
 * processed message, and queueing an acknowledgement or reply on the thread.
 * Re-exported by mail.service.ts; it imports none of the parts.
 */
import { type Kysely } from 'kysely';
import { uuidv7 } from 'uuidv7';
import type { Executor } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import { asActor, type UnitOfWork, type Work } from '../../db/unit-of-work.ts';
import { DEFAULT_LOCALE, t, type Locale } from '../../i18n/index.ts';
import type { Actor } from '../auth/actor.ts';
import type { IncidentService } from '../incidents/incident.service.ts';
import { messageIdDomain, type OutboundMail } from './mail.compose.ts';
import { enqueueMail } from './mail.outbound.ts';
import type { ParsedMessage } from './mail.parse.ts';
import * as repo from './mail.repository.ts';

export const MAIL_PROCESS_JOB = 'mail.process';

/** Who the intake acts as in the audit log and timeline. */
export const MAIL_ACTOR: Actor = { userId: 'system:mail', role: 'admin', clientId: null };

export interface MailOptions {
  /** The desk's sender address (HOSHU_MAIL_FROM); never acknowledged (loop guard). */
  from?: string;
  /** Acknowledgements per sender per hour (loop guard). */
  acksPerHour?: number;
  /** Consecutive intake errors of one mailbox before an alert is raised. */
  alertAfter?: number;
  deskEmail?: string | null;
  /**
   * The authserv-id our own MX writes in Authentication-Results (HOSHU_MAIL_AUTHSERV_ID).
   * Only its verdicts are read; without it none is (anyone can write that header).
   */
  authservId?: string | null;
  /**
   * Whether this desk has an SMTP relay (HOSHU_SMTP_URL); pages that send mail warn when
   * it has none. Absent: not configured — nothing said there is a relay.
   */
  outboundConfigured?: boolean;
}

export interface MailDeps {
  db: Kysely<DB>;
  clock: () => number;
  uow?: UnitOfWork;
  options?: MailOptions;
}

/** What each part of the channel is built from: the deps (with the shared unit of work) and the incident service. */
export interface MailParts {
  db: Kysely<DB>;
  clock: () => number;
  uow: UnitOfWork;
  o: MailOptions;
  incidents: IncidentService;
}

export interface StoreInput {
  source: 'imap' | 'smtp';
  mailbox: string;
  uidValidity?: number | null;
  uid?: number | null;
  raw: Buffer;
  receivedAt: number;
  envelopeFrom?: string | null;
  envelopeTo?: readonly string[];
  /** The mailbox's contract (IMAP URL `?contract=`), if it has one. */
  contractId?: string | null;
}

/**
 * The language the desk speaks with a contract's client: its mail setting (the one per-contract
 * language the desk has), else the desk default. For other modules' texts on the client's
 * incidents (monitoring's outage and recovery notes).
 */
export async function contractLocale(ex: Executor, contractId: string): Promise<Locale> {
  const s = await repo.contractSettings(ex, contractId);
  return s?.locale === 'en' ? 'en' : s?.locale === 'ja' ? 'ja' : DEFAULT_LOCALE;
}

/** The dedupe key of an acknowledgement or reply: its deliveries are recorded under it. */
export const outboundKey = (messageId: string) => `mail:out:${messageId}`;

/** A Message-ID of ours: random, so only whom we mailed can refer to it (threading). */
export const newMessageId = (o: MailOptions) => `hoshu.${uuidv7()}@${messageIdDomain(o.from ?? 'hoshu@localhost')}`;

/** Records an acknowledgement or reply on the incident's thread and queues its delivery. */
export async function enqueueOutbound(ex: Executor, kind: 'ack' | 'reply', incidentId: string, m: OutboundMail, now: number): Promise<void> {
  await ex.insertInto('mailOutbound').values({ id: uuidv7(), kind, incidentId, toAddress: m.to, messageId: m.messageId, createdAt: now }).execute();
  await repo.addThreadId(ex, m.messageId, incidentId, 'out', now);
  await enqueueMail(ex, m, { runAt: now, dedupeKey: outboundKey(m.messageId), now });
}

export async function finish(ex: Executor, id: string, set: Partial<repo.MailRow>, now: number): Promise<void> {
  await repo.updateMessage(ex, id, { ...set, updatedAt: now });
}

/** Files a message as a new, not yet recognized e-mail incident in the caller's unit (recorded as the intake's). */
export async function fileIncidentIn(incidents: IncidentService, w: Work, row: repo.MailRow, p: ParsedMessage, contractId: string) {
  const { tx, now } = w;
  const created = await incidents.createIn(asActor(w, MAIL_ACTOR), {
    contractId,
    title: (p.subject || t('ja', 'mail.no_subject')).slice(0, 500),
    description: p.text,
    channel: 'email',
    category: 'inquiry',
    reporter: { email: p.from.address, name: p.from.name },
    receivedAt: Math.min(row.receivedAt, now),
    recognized: false,
  });
  if (p.messageId) await repo.addThreadId(tx, p.messageId, created.id, 'in', now);
  return created;
}
