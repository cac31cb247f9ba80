/**
 * Outbound notifications. Nothing is sent inside a transaction: a notification
 * is a message of the one outbound mail path (`mail.outbound`, mail.outbound.ts)
 * enqueued in the same transaction as the event it reports, and the job runner
 * sends it after commit (retrying on SMTP failure).
 */
import type { Executor } from '../../db/database.ts';
import { DEFAULT_LOCALE, t, tLabel, type Locale } from '../../i18n/index.ts';
import { when } from '../../i18n/when.ts';
import { enqueueMail, type OutboundMessage } from '../mail/mail.outbound.ts';

/** A notification: plain text to one or several addresses, not part of a thread. */
export interface MailMessage extends OutboundMessage {
  to: string[];
}

export interface SlaEventNotice {
  incident: { id: string; number: number; title: string; priority: string; assigneeId: string | null; clientId: string };
  target: string;
  event: 'atRisk' | 'breached';
  dueAt: number;
  now: number;
  /** When the mail may go out (the next opening for business-hours targets). */
  sendAt: number;
  timeZone: string;
}

export interface NotificationDeps {
  deskEmail: string | null;
  baseUrl: string;
  /** Language of mail to the desk address (users get their own). */
  deskLocale?: Locale;
}

export function createNotificationService(deps: NotificationDeps) {
  /** Recipients grouped by language: the assignee in theirs, the desk in the desk's. */
  async function recipients(ex: Executor, assigneeId: string | null): Promise<{ assignee: string | null; byLocale: Map<Locale, string[]> }> {
    const byLocale = new Map<Locale, string[]>();
    const add = (locale: Locale, email: string) => {
      const list = byLocale.get(locale) ?? [];
      if (![...byLocale.values()].some((l) => l.includes(email))) list.push(email);
      byLocale.set(locale, list);
    };
    let assignee: string | null = null;
    if (assigneeId) {
      const u = await ex.selectFrom('users').select(['email', 'name', 'locale']).where('id', '=', assigneeId).where('disabledAt', 'is', null).executeTakeFirst();
      if (u) {
        assignee = u.name;
        add(u.locale === 'en' ? 'en' : 'ja', u.email);
      }
    }
    if (deps.deskEmail) add(deps.deskLocale ?? DEFAULT_LOCALE, deps.deskEmail);
    return { assignee, byLocale };
  }

  return {
    /** Enqueues the warning/breach e-mail to the assignee and the desk; returns false when nobody is to be told. */
    async slaEvent(ex: Executor, n: SlaEventNotice): Promise<boolean> {
      const { assignee, byLocale } = await recipients(ex, n.incident.assigneeId);
      if (byLocale.size === 0) return false;
      const client = await ex.selectFrom('clients').select('name').where('id', '=', n.incident.clientId).executeTakeFirst();
      const url = `${deps.baseUrl.replace(/\/$/, '')}/incidents/${n.incident.number}`;
      for (const [locale, to] of byLocale) {
        const params = {
          incident: `#${n.incident.number}`,
          title: n.incident.title,
          client: client?.name ?? '',
          target: t(locale, `sla.target.${n.target}`),
          // The value of a "Priority:" line, not a word in a sentence: Urgent, as the console shows it.
          priority: tLabel(locale, `priority.${n.incident.priority}`),
          dueAt: when(locale, n.dueAt, n.timeZone),
          assignee: assignee ?? '—',
          url,
        };
        const message: MailMessage = {
          to,
          subject: t(locale, `mail.sla.${n.event}.subject`, params),
          text: t(locale, `mail.sla.${n.event}.body`, params),
          // Dated when it may go out (the next opening), not when the timer fired.
          date: n.sendAt,
        };
        await enqueueMail(ex, message, {
          runAt: n.sendAt,
          // A second fire of the same event (there should be none) cannot mail twice.
          dedupeKey: `mail:sla:${n.incident.id}:${n.target}:${n.event}:${locale}`,
          now: n.now,
        });
      }
      return true;
    },
  };
}
export type NotificationService = ReturnType<typeof createNotificationService>;
