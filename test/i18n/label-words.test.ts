/**
 * Status, priority and category words standing alone — a table cell, the value of a
 * "Priority:" line in a mail — start with a capital in English, as the console writes them
 * (Urgent, In progress); inside a sentence they stay lowercase; Japanese is unchanged.
 */
import { describe, expect, it } from 'vitest';
import { t, tLabel } from '../../src/i18n/index.ts';
import { createNotificationService } from '../../src/modules/notifications/notification.service.ts';
import { useTestDb } from '../helpers/db.ts';

describe('words standing alone', () => {
  it('English capitalises the first letter only; Japanese is as the catalogue says', () => {
    expect(tLabel('en', 'status.in_progress')).toBe('In progress');
    expect(tLabel('en', 'status.waiting_for_client')).toBe('Waiting for client');
    expect(tLabel('en', 'priority.urgent')).toBe('Urgent');
    expect(tLabel('ja', 'status.in_progress')).toBe(t('ja', 'status.in_progress'));
    // The catalogue keeps the sentence form.
    expect(t('en', 'status.in_progress')).toBe('in progress');
  });

  describe('the SLA mail to the desk', () => {
    const db = useTestDb('sqlite');
    it('reads "Priority: Urgent", while the target inside the sentence stays lowercase', async () => {
      const mails = createNotificationService({ deskEmail: 'desk@vendor.test', baseUrl: 'https://hoshu.test', deskLocale: 'en' });
      const now = Date.parse('2026-03-09T10:00:00+09:00');
      await mails.slaEvent(db.db, {
        incident: { id: 'inc-1', number: 12, title: 'Order screen down', priority: 'urgent', assigneeId: null, clientId: 'none' },
        target: 'resolve', event: 'atRisk', dueAt: now + 3_600_000, now, sendAt: now, timeZone: 'Asia/Tokyo',
      });
      const job = await db.db.selectFrom('jobs').select('payload').where('kind', '=', 'mail.outbound').executeTakeFirstOrThrow();
      const { text } = JSON.parse(job.payload) as { text: string };
      expect(text).toContain('\nPriority: Urgent\n');
      expect(text).toContain('The resolution target of incident #12');
    });
  });
});
