/**
 * Intake health: each intake round's outcome per mailbox, the alert after
 * `alertAfter` consecutive errors (visible in /mail/status, logged by the caller, mailed
 * to the desk once), and what an agent must look at (failed mail jobs, counts by status).
 */
import { t } from '../../i18n/index.ts';
import type { Actor } from '../auth/actor.ts';
import { authorize } from '../auth/authorize.ts';
import { enqueueMail, MAIL_OUTBOUND_JOB } from './mail.outbound.ts';
import { MAIL_ACTOR, MAIL_PROCESS_JOB, type MailParts } from './mail.shared.ts';

export function createMailHealth({ db, clock, uow, o }: Omit<MailParts, 'incidents'>) {
  return {
    /** Intake health per mailbox, and the counts an agent must look at. */
    async status(actor: Actor) {
      authorize(actor, 'mail_message.intake_status');
      const mailboxes = await db.selectFrom('mailIntakeState').selectAll().orderBy('mailbox').execute();
      const counts = await db.selectFrom('mailMessages').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('status').execute();
      const failed = await db.selectFrom('jobs').select((eb) => eb.fn.countAll<number>().as('n'))
        .where('kind', 'in', [MAIL_PROCESS_JOB, MAIL_OUTBOUND_JOB]).where('status', '=', 'failed').executeTakeFirst();
      return {
        mailboxes,
        counts: Object.fromEntries(counts.map((c) => [c.status, Number(c.n)])) as Record<string, number>,
        failedJobs: Number(failed?.n ?? 0),
        alert: mailboxes.some((m) => m.alertSince !== null) || Number(failed?.n ?? 0) > 0,
      };
    },

    /**
     * Records the outcome of one intake round. After `alertAfter` consecutive errors the
     * mailbox is in alert (visible in /mail/status, logged by the caller, mailed to the desk once).
     */
    async recordIntake(mailbox: string, error: unknown | null): Promise<{ alertRaised: boolean }> {
      const now = clock();
      return uow.internal(MAIL_ACTOR, async ({ tx }) => {
        const cur = await tx.selectFrom('mailIntakeState').selectAll().where('mailbox', '=', mailbox).forUpdate().executeTakeFirst();
        if (error === null) {
          const next = { consecutiveErrors: 0, lastOkAt: now, alertSince: null, updatedAt: now };
          if (cur) await tx.updateTable('mailIntakeState').set(next).where('mailbox', '=', mailbox).execute();
          else await tx.insertInto('mailIntakeState').values({ mailbox, lastError: null, lastErrorAt: null, ...next }).execute();
          return { alertRaised: false };
        }
        const message = (error instanceof Error ? error.message : String(error)).slice(0, 2000);
        const n = (cur?.consecutiveErrors ?? 0) + 1;
        const raise = n >= (o.alertAfter ?? 3) && !cur?.alertSince;
        const next = { consecutiveErrors: n, lastError: message, lastErrorAt: now, alertSince: raise ? now : (cur?.alertSince ?? null), updatedAt: now };
        if (cur) await tx.updateTable('mailIntakeState').set(next).where('mailbox', '=', mailbox).execute();
        else await tx.insertInto('mailIntakeState').values({ mailbox, lastOkAt: null, ...next }).execute();
        if (raise && o.deskEmail) {
          await enqueueMail(
            tx,
            { to: [o.deskEmail], subject: t('ja', 'mail.alert.subject', { mailbox }), text: t('ja', 'mail.alert.body', { mailbox, count: n, error: message }) },
            { runAt: now, dedupeKey: `mail:alert:${mailbox}:${now}`, now },
          );
        }
        return { alertRaised: raise };
      }, { now });
    },
  };
}
