/**
 * The e-mails of the risk register, enqueued on the one outbound path (`enqueueMail`) inside the
 * unit that decided them, each recipient in their own language: a due review to the risk's
 * owner; an overdue one (escalation) to the owner and every active admin.
 */
import type { Executor } from '../../db/database.ts';
import { t, type Locale } from '../../i18n/index.ts';
import { when } from '../../i18n/when.ts';
import { enqueueMail } from '../mail/mail.outbound.ts';
import type { ReviewEvent } from './risk.jobs.ts';
import type { Person } from './risk.repository.ts';
import * as repo from './risk.repository.ts';

/** The desk's zone for dates in risk mail (reviews are whole days; the desk is in Japan). */
export const RISK_TIME_ZONE = 'Asia/Tokyo';

export async function mailReview(
  ex: Executor,
  risk: Pick<repo.RiskRow, 'id' | 'number' | 'title' | 'ownerId' | 'clientId' | 'inherentLevel' | 'residualLevel'>,
  event: ReviewEvent,
  dueAt: number,
  now: number,
  baseUrl: string,
): Promise<string[]> {
  const owner = (await repo.people(ex, [risk.ownerId])).find((p) => p.disabledAt === null);
  const recipients = [...(owner ? [owner] : []), ...(event === 'overdue' ? await repo.activeAdmins(ex) : [])];
  const byLocale = new Map<Locale, string[]>();
  for (const p of recipients) {
    const locale: Locale = p.locale === 'en' ? 'en' : 'ja';
    const list = byLocale.get(locale) ?? [];
    if (![...byLocale.values()].some((l) => l.includes(p.email))) list.push(p.email);
    byLocale.set(locale, list);
  }
  const client = await ex.selectFrom('clients').select('name').where('id', '=', risk.clientId).executeTakeFirst();
  const sent: string[] = [];
  for (const [locale, to] of byLocale) {
    if (to.length === 0) continue;
    const params = {
      ref: `R-${risk.number}`,
      title: risk.title,
      client: client?.name ?? '',
      level: t(locale, `risk.level.${risk.residualLevel ?? risk.inherentLevel}`),
      dueAt: when(locale, dueAt, RISK_TIME_ZONE),
      owner: owner?.name ?? '—',
      url: `${baseUrl.replace(/\/$/, '')}/risks/${risk.id}`,
    };
    await enqueueMail(ex, {
      to,
      subject: t(locale, `mail.risk.review_${event}.subject`, params),
      text: t(locale, `mail.risk.review_${event}.body`, params),
    }, { runAt: now, dedupeKey: `mail:risk-review:${risk.id}:${event}:${dueAt}:${locale}`, now });
    sent.push(...to);
  }
  return sent;
}

/** An accepted residual risk reached its expiry: the owner (to review it) and the contact who accepted it, each in their language. */
export async function mailAcceptanceExpired(
  ex: Executor,
  risk: Pick<repo.RiskRow, 'id' | 'number' | 'title' | 'ownerId' | 'clientId'>,
  acceptance: Pick<repo.AcceptanceRow, 'id' | 'acceptedBy' | 'acceptedName' | 'expiresOn'>,
  now: number,
  baseUrl: string,
): Promise<string[]> {
  const found = await repo.people(ex, [risk.ownerId, acceptance.acceptedBy]);
  const active = (id: string): Person | undefined => found.find((p) => p.id === id && p.disabledAt === null);
  const base = baseUrl.replace(/\/$/, '');
  const sent: string[] = [];
  for (const [who, path] of [[active(risk.ownerId), `/risks/${risk.id}`], [active(acceptance.acceptedBy), `/portal/risks/${risk.id}`]] as const) {
    if (!who || sent.includes(who.email)) continue;
    const locale: Locale = who.locale === 'en' ? 'en' : 'ja';
    const params = { ref: `R-${risk.number}`, title: risk.title, until: acceptance.expiresOn, name: acceptance.acceptedName, url: `${base}${path}` };
    await enqueueMail(ex, {
      to: who.email,
      subject: t(locale, 'mail.risk.acceptance_expired.subject', params),
      text: t(locale, 'mail.risk.acceptance_expired.body', params),
    }, { runAt: now, dedupeKey: `mail:risk-acceptance:${acceptance.id}:${who.id}`, now });
    sent.push(who.email);
  }
  return sent;
}
