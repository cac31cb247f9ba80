/**
 * Maintenance notices to the client's contacts: one `mail.outbound` job per
 * recipient, enqueued in the transaction that makes the change, and one
 * `maintenance_notices` row per recipient (who was notified, when, of what). What
 * became of each mail (queued, sent with the server's reply, failed with the error)
 * is the outbound job's record under the notice's mail key (`noticeMailKey`).
 * The text is both languages, Japanese first (contacts have no language of
 * their own; the templates are i18n keys mail.maintenance.<kind>.*).
 */
import { uuidv7 } from 'uuidv7';
import type { Executor } from '../../db/database.ts';
import { t, type Locale } from '../../i18n/index.ts';
import { whenRange } from '../../i18n/when.ts';
import type { Actor } from '../auth/actor.ts';
import { enqueueMail } from '../mail/mail.outbound.ts';
import type { MailMessage } from '../notifications/notification.service.ts';
import * as repo from './maintenance.repository.ts';

export type NoticeKind = 'announce' | 'reschedule' | 'cancel' | 'reminder';

export interface NoticeSubject {
  contractId: string;
  contractName: string;
  clientName: string;
  timeZone: string;
  title: string;
  description: string;
  /** One window, or a series (the text then names its schedule). */
  windowId: string | null;
  seriesId: string | null;
  startsAt: number | null;
  endsAt: number | null;
  schedule?: string;
  systemName: string | null;
  emergencyReason?: string | null;
  cancelReason?: string | null;
}

function render(kind: NoticeKind, s: NoticeSubject, locale: Locale): { subject: string; body: string } {
  const when = s.startsAt !== null && s.endsAt !== null
    ? whenRange(locale, s.startsAt, s.endsAt, s.timeZone)
    : `${s.schedule ?? ''} (${s.timeZone})`;
  const p = {
    title: s.title,
    contract: s.contractName,
    client: s.clientName,
    when,
    system: s.systemName ?? t(locale, 'maintenance.allSystems'),
    description: s.description,
  };
  let body = t(locale, `mail.maintenance.${kind}.body`, p);
  if (s.emergencyReason) body += `\n\n${t(locale, 'mail.maintenance.emergencyReason', { reason: s.emergencyReason })}`;
  if (s.cancelReason) body += `\n\n${t(locale, 'mail.maintenance.cancelReason', { reason: s.cancelReason })}`;
  return { subject: t(locale, `mail.maintenance.${kind}.subject`, p), body };
}

/** The message for one recipient, both languages. Exported for tests and previews. */
export function noticeMessage(kind: NoticeKind, s: NoticeSubject, to: string): MailMessage {
  const ja = render(kind, s, 'ja');
  const en = render(kind, s, 'en');
  return { to: [to], subject: `${ja.subject} / ${en.subject}`, text: `${ja.body}\n\n----\n\n${en.body}\n` };
}

/** The dedupe key of a notice's mail: its delivery is recorded under it. */
export const noticeMailKey = (noticeId: string) => `mail:maintenance:${noticeId}`;

/**
 * Enqueues the notice to every designated contact with an address and records
 * who was notified; returns the recipients. Call inside the change's transaction.
 */
export async function sendNotices(
  ex: Executor, actor: Actor, now: number, kind: NoticeKind, s: NoticeSubject,
): Promise<Array<{ contactId: string; email: string }>> {
  const recipients = await repo.noticeRecipients(ex, s.contractId);
  const rows = recipients.map((r) => ({
    id: uuidv7(), contractId: s.contractId, windowId: s.windowId, seriesId: s.seriesId, kind,
    contactId: r.contactId, email: r.email, notifiedAt: now, actorId: actor.userId,
  }));
  for (const row of rows) {
    await enqueueMail(ex, noticeMessage(kind, s, row.email), {
      runAt: now,
      // One mail per notice row: a retried transaction cannot mail twice.
      dedupeKey: noticeMailKey(row.id),
      now,
    });
  }
  await repo.insertNotices(ex, rows);
  return recipients.map((r) => ({ contactId: r.contactId, email: r.email }));
}
