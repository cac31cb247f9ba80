/**
 * Outbound notifications. Nothing is sent inside a transaction: a notification
 * is a `mail.send` job enqueued in the same transaction as the event it reports,
 * and the job runner sends it after commit (retrying on SMTP failure).
 */
import type { Executor } from '../../db/database.ts';
import { enqueue } from '../../jobs/queue.ts';

export const MAIL_JOB = 'mail.send';

export interface MailMessage {
  to: string[];
  subject: string;
  text: string;
}

export interface SlaEventNotice {
  incident: { id: string; number: number; title: string; priority: string; assigneeId: string | null };
  target: string;
  event: 'atRisk' | 'breached';
  dueAt: number;
  now: number;
  /** When the mail may go out (the next opening for business-hours targets). */
  sendAt: number;
  timeZone: string;
}

const TARGET_LABEL: Record<string, { ja: string; en: string }> = {
  start: { ja: '着手', en: 'start of work' },
  resolve: { ja: '解決', en: 'resolution' },
  propose: { ja: '解決策提示', en: 'solution proposed' },
};

function fmt(ms: number, timeZone: string): string {
  return new Intl.DateTimeFormat('sv-SE', {
    timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false,
  }).format(ms) + ` (${timeZone})`;
}

export interface NotificationDeps {
  deskEmail: string | null;
  baseUrl: string;
}

export function createNotificationService(deps: NotificationDeps) {
  async function recipients(ex: Executor, assigneeId: string | null): Promise<string[]> {
    const to = new Set<string>();
    if (assigneeId) {
      const u = await ex.selectFrom('users').select('email').where('id', '=', assigneeId).where('disabledAt', 'is', null).executeTakeFirst();
      if (u) to.add(u.email);
    }
    if (deps.deskEmail) to.add(deps.deskEmail);
    return [...to];
  }

  return {
    /** Enqueues the warning/breach e-mail to the assignee and the desk; returns false when nobody is to be told. */
    async slaEvent(ex: Executor, n: SlaEventNotice): Promise<boolean> {
      const to = await recipients(ex, n.incident.assigneeId);
      if (to.length === 0) return false;
      const label = TARGET_LABEL[n.target] ?? { ja: n.target, en: n.target };
      const what = n.event === 'atRisk'
        ? { ja: `SLA警告: ${label.ja}期限が迫っています`, en: `SLA warning: ${label.en} deadline approaching` }
        : { ja: `SLA違反: ${label.ja}期限を超過しました`, en: `SLA breach: ${label.en} deadline passed` };
      const due = fmt(n.dueAt, n.timeZone);
      const link = `${deps.baseUrl.replace(/\/$/, '')}/incidents/${n.incident.number}`;
      const message: MailMessage = {
        to,
        subject: `[Hoshu #${n.incident.number}] ${what.ja} / ${what.en}`,
        text: [
          `${what.ja}`,
          `#${n.incident.number} ${n.incident.title}`,
          `優先度: ${n.incident.priority}  期限: ${due}`,
          '',
          `${what.en}`,
          `#${n.incident.number} ${n.incident.title}`,
          `Priority: ${n.incident.priority}  Due: ${due}`,
          '',
          link,
        ].join('\n'),
      };
      await enqueue(ex, {
        kind: MAIL_JOB,
        payload: message,
        runAt: n.sendAt,
        // A second fire of the same event (there should be none) cannot mail twice.
        dedupeKey: `mail:sla:${n.incident.id}:${n.target}:${n.event}`,
        now: n.now,
      });
      return true;
    },
  };
}
export type NotificationService = ReturnType<typeof createNotificationService>;
