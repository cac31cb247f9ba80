/**
 * E-mails to the client's contact about a change request: proposal sent, approved or
 * rejected, scheduled, done. One `mail.outbound` job per step, enqueued in the step's
 * transaction (sent after commit, delivery recorded under its key). Both languages,
 * Japanese first, like the maintenance notices (contacts have no language of their
 * own); the texts are `mail.change.<kind>.*` in change-request.{ja,en}.json.
 * To: the contact who asked (if a contact did) and the contract's primary designated contact.
 */
import type { Executor } from '../../db/database.ts';
import { t, type Locale } from '../../i18n/index.ts';
import { whenRange } from '../../i18n/when.ts';
import { enqueueMail } from '../mail/mail.outbound.ts';
import * as repo from './change-request.repository.ts';

export type ChangeMailKind = 'proposal_sent' | 'approved' | 'rejected' | 'scheduled' | 'done';

export interface ChangeMailSubject {
  number: number;
  title: string;
  contractName: string;
  timeZone: string;
  version?: number;
  totalJpy?: number;
  taxJpy?: number;
  amountJpy?: number;
  validUntil?: string;
  startsAt?: number | null;
  endsAt?: number | null;
  comment?: string;
  outcome?: string;
  notes?: string;
}

const yen = (n: number | undefined) => (n === undefined ? '' : `¥${n.toLocaleString('ja-JP')}`);

function render(kind: ChangeMailKind, s: ChangeMailSubject, locale: Locale): { subject: string; body: string } {
  const p = {
    ref: `CR-${s.number}`,
    title: s.title,
    contract: s.contractName,
    version: s.version ?? '',
    amount: yen(s.amountJpy),
    tax: yen(s.taxJpy),
    total: yen(s.totalJpy),
    validUntil: s.validUntil ?? '',
    when: s.startsAt != null && s.endsAt != null ? whenRange(locale, s.startsAt, s.endsAt, s.timeZone) : '-',
    comment: s.comment || '-',
    outcome: s.outcome ? t(locale, `changeOutcome.${s.outcome}`) : '',
    notes: s.notes ?? '',
  };
  return { subject: t(locale, `mail.change.${kind}.subject`, p), body: t(locale, `mail.change.${kind}.body`, p) };
}

/** The message, both languages (exported for tests and previews). */
export function changeMessage(kind: ChangeMailKind, s: ChangeMailSubject): { subject: string; text: string } {
  const ja = render(kind, s, 'ja');
  const en = render(kind, s, 'en');
  return { subject: `${ja.subject} / ${en.subject}`, text: `${ja.body}\n\n----\n\n${en.body}\n` };
}

export const changeMailKey = (eventId: string) => `mail:change:${eventId}`;

/** Enqueues the step's mail (keyed by the step's timeline entry); returns the recipients. */
export async function sendChangeMail(
  ex: Executor, row: Pick<repo.ChangeRow, 'contractId' | 'requestedByContactId'>, kind: ChangeMailKind, s: ChangeMailSubject, eventId: string, now: number,
): Promise<string[]> {
  const to = new Set<string>();
  if (row.requestedByContactId) {
    const c = await repo.contactById(ex, row.requestedByContactId);
    if (c?.email) to.add(c.email);
  }
  const primary = (await repo.designatedContacts(ex, row.contractId)).find((c) => c.isPrimary === 1);
  if (primary?.email) to.add(primary.email);
  if (to.size === 0) return [];
  const m = changeMessage(kind, s);
  await enqueueMail(ex, { to: [...to], subject: m.subject, text: m.text }, { runAt: now, dedupeKey: changeMailKey(eventId), now });
  return [...to];
}
