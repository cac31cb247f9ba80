/**
 * Maintenance over HTTP on each dialect: the notice rule on GET and at announce
 * (409 maintenance.notice.conflict when late, emergency with a reason accepted),
 * notices recorded and e-mailed through the job table to a real SMTP server on
 * loopback, reschedule/cancel notifying again, the reminder the day before,
 * recurring windows stored as occurrences in the contract's zone, audit rows,
 * and contact scoping.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { JobRunner } from '../../src/jobs/runner.ts';
import { createMaintenanceJobHandlers } from '../../src/modules/maintenance/maintenance.jobs.ts';
import { createMailTransport, createOutboundMailHandlers } from '../../src/modules/mail/mail.outbound.ts';
import { testDialects, useTestDb } from '../helpers/db.ts';
import { startSmtp } from '../helpers/smtp.ts';
import { call, fixedClock, makeApp } from '../http/helpers.ts';
import { buildWorld, type World } from '../http/world.ts';
import { createServices } from '../../src/http/services.ts';
import { unitOfWork } from '../../src/db/unit-of-work.ts';

const JST = (s: string) => Date.parse(`${s}+09:00`);
const iso = (ms: number) => new Date(ms).toISOString();

for (const dialect of testDialects) {
  describe(`maintenance (${dialect})`, () => {
    const t = useTestDb(dialect);
    // Monday 2026-03-09 10:00 in Tokyo.
    const clock = fixedClock(JST('2026-03-09T10:00:00'));
    let app: FastifyInstance;
    let w: World;
    let smtp: Awaited<ReturnType<typeof startSmtp>>;
    let runner: JobRunner;
    let closeMail: () => void;

    beforeAll(async () => {
      app = await makeApp(t.db, clock);
      w = await buildWorld(t.db, clock);
      smtp = await startSmtp();
      const transport = createMailTransport({ transport: smtp.url })!;
      closeMail = transport.close;
      runner = new JobRunner(t.database, { handlers: { ...createOutboundMailHandlers({ transport, uow: unitOfWork(t.db, clock), from: 'Hoshu <hoshu@vendor.test>', charset: 'utf-8' }), ...createMaintenanceJobHandlers({ db: t.db, maintenance: createServices({ db: t.db, clock }).maintenance }) }, clock });
    });
    afterAll(async () => {
      await app?.close();
      closeMail?.();
      await smtp?.close();
    });

    const post = (url: string, payload: object, who = w.agent) => call(app, who, { method: 'POST', url, payload });
    const draft = async (start: string, end: string, extra: object = {}) => {
      const r = await post('/api/v1/maintenance', { contractId: w.a.contractId, title: 'OS パッチ適用', startsAt: `${start}+09:00`, endsAt: `${end}+09:00`, ...extra });
      expect(r.statusCode, r.body).toBe(201);
      return r.json() as { id: string; latestAnnouncementAt: string; status: string };
    };

    it('shows the latest announcement instant while scheduling (contract calendar, 2 business days by default)', async () => {
      const r = await call(app, w.agent, { method: 'GET', url: `/api/v1/contracts/${w.a.contractId}/maintenance-notice?startsAt=${encodeURIComponent('2026-03-16T02:00:00+09:00')}` });
      expect(r.statusCode, r.body).toBe(200);
      // Mon 03-16 02:00 → Fri is 1, Thu 03-12 is 2 → Thu 18:00.
      expect(r.json()).toMatchObject({ latestAnnouncementAt: iso(JST('2026-03-12T18:00:00')), noticeBusinessDays: 2, inTimeNow: true, timeZone: 'Asia/Tokyo' });
      const d = await draft('2026-03-23T02:00:00', '2026-03-23T04:00:00');
      // Fri 03-20 is the equinox holiday: Thu 03-19 is 1, Wed 03-18 is 2.
      expect(d.latestAnnouncementAt).toBe(iso(JST('2026-03-18T18:00:00')));
      expect(d.status).toBe('draft');
    });

    it('announces in time: notices recorded, mail queued per contact, reminder armed, audited', async () => {
      const d = await draft('2026-03-11T02:00:00', '2026-03-11T04:00:00');
      expect(d.latestAnnouncementAt).toBe(iso(JST('2026-03-09T18:00:00')));
      const r = await post(`/api/v1/maintenance/${d.id}/announce`, {});
      expect(r.statusCode, r.body).toBe(200);
      const body = r.json();
      expect(body).toMatchObject({ status: 'announced', announcedAt: iso(clock()), noticeInTime: true, kind: 'planned' });
      expect(body.notices).toEqual([expect.objectContaining({ kind: 'announce', contactId: w.a.contactId, email: 'desk@clienta.example', notifiedAt: iso(clock()) })]);
      const reminder = await t.db.selectFrom('jobs').select(['runAt', 'status']).where('dedupeKey', '=', `maintenance:reminder:${d.id}`).executeTakeFirstOrThrow();
      expect(reminder).toEqual({ runAt: JST('2026-03-10T02:00:00'), status: 'pending' });
      const audit = await t.db.selectFrom('auditLog').select('action').where('entityId', '=', d.id).orderBy('at').execute();
      expect(audit.map((a) => a.action)).toEqual(['create', 'announce']);

      await runner.runDue();
      const mail = smtp.mails.find((m) => m.text.includes('OS パッチ適用'));
      expect(mail?.to).toEqual(['desk@clienta.example']);
      // As the portal shows instants (JST, not the zone's id), in each language of the two-language mail.
      expect(mail!.text).toContain('日時: 2026/03/11(水) 02:00–04:00 JST');
      expect(mail!.text).toContain('When: Wed, 11 Mar 2026, 02:00–04:00 GMT+9');

      // Twice is refused.
      const again = await post(`/api/v1/maintenance/${d.id}/announce`, {});
      expect(again.statusCode).toBe(409);
      expect(again.json().code).toBe('maintenance.invalid_state');

      // The day before, the reminder goes out once.
      const before = smtp.mails.length;
      clock.set(JST('2026-03-10T02:00:00'));
      await runner.runDue();
      const notices = (await call(app, w.agent, { method: 'GET', url: `/api/v1/maintenance/${d.id}` })).json().notices as Array<{ kind: string }>;
      expect(notices.map((n) => n.kind)).toEqual(['announce', 'reminder']);
      await runner.runDue();
      expect(smtp.mails.length).toBe(before + 1);
      expect(smtp.mails.at(-1)!.text).toMatch(/A reminder of the maintenance/);
      clock.set(JST('2026-03-09T10:00:00'));
    });

    it('refuses a late announcement with 409 and a clear code; emergency with a reason is accepted and recorded', async () => {
      const d = await draft('2026-03-10T02:00:00', '2026-03-10T03:00:00');
      const late = await call(app, w.agent, { method: 'POST', url: `/api/v1/maintenance/${d.id}/announce`, payload: {}, headers: { 'accept-language': 'en' } });
      expect(late.statusCode).toBe(409);
      expect(late.json().code).toBe('maintenance.notice.conflict');
      // The instants read as everywhere else, in the reader's language and the contract's zone (not "2026-03-06 18:00 (Asia/Tokyo)").
      expect(late.json().message).toBe('Too late to announce: planned maintenance starting Tue, 10 Mar 2026, 02:00 GMT+9 must be announced 2 business day(s) before, '
        + 'by Fri, 06 Mar 2026, 18:00 GMT+9. Move it, or announce it as emergency maintenance with a reason.');
      const lateJa = await call(app, w.agent, { method: 'POST', url: `/api/v1/maintenance/${d.id}/announce`, payload: {}, headers: { 'accept-language': 'ja' } });
      expect(lateJa.statusCode).toBe(409);
      expect(lateJa.json().message).toBe('告知期限を過ぎています：2026/03/10(火) 02:00 JST 開始の計画メンテナンスは 2 営業日前の 2026/03/06(金) 18:00 JST までに告知が必要です。'
        + '日程を変更するか、緊急メンテナンスとして理由を記録してください。');
      // Nothing changed, nobody was told.
      const still = (await call(app, w.agent, { method: 'GET', url: `/api/v1/maintenance/${d.id}` })).json();
      expect(still).toMatchObject({ status: 'draft', notices: [] });

      const blank = await post(`/api/v1/maintenance/${d.id}/announce`, { emergencyReason: '   ' });
      expect(blank.statusCode).toBe(409);
      const ok = await post(`/api/v1/maintenance/${d.id}/announce`, { emergencyReason: '受注処理の不具合修正（障害 #12）' });
      expect(ok.statusCode, ok.body).toBe(200);
      expect(ok.json()).toMatchObject({ kind: 'emergency', status: 'announced', noticeInTime: false, emergencyReason: '受注処理の不具合修正（障害 #12）' });

      // Emergency created directly needs its reason (every issue listed).
      const bad = await post('/api/v1/maintenance', { contractId: w.a.contractId, kind: 'emergency', title: '', startsAt: '2026-03-09T12:00:00+09:00', endsAt: '2026-03-09T11:00:00+09:00' });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().issues.map((i: { path: string[] }) => i.path.join('.')).sort()).toEqual(['body.emergencyReason', 'body.endsAt', 'body.title']);
    });

    it('per-contract notice days change the rule', async () => {
      const set = await call(app, w.admin, { method: 'PUT', url: `/api/v1/contracts/${w.b.contractId}/maintenance-settings`, payload: { noticeBusinessDays: 5 } });
      expect(set.statusCode, set.body).toBe(200);
      expect(set.json()).toMatchObject({ noticeBusinessDays: 5, published: false });
      const r = await call(app, w.agent, { method: 'GET', url: `/api/v1/contracts/${w.b.contractId}/maintenance-notice?startsAt=${encodeURIComponent('2026-03-16T02:00:00+09:00')}` });
      // 5 business days before Mon 03-16: Fri 13, Thu 12, Wed 11, Tue 10, Mon 09 → Mon 18:00.
      expect(r.json().latestAnnouncementAt).toBe(iso(JST('2026-03-09T18:00:00')));
      expect((await call(app, w.agent, { method: 'PUT', url: `/api/v1/contracts/${w.b.contractId}/maintenance-settings`, payload: { noticeBusinessDays: 3 } })).statusCode).toBe(403);
    });

    it('reschedule and cancel notify again and move or drop the reminder', async () => {
      const d = await draft('2026-03-19T02:00:00', '2026-03-19T04:00:00', { announce: true });
      const moved = await call(app, w.agent, { method: 'PATCH', url: `/api/v1/maintenance/${d.id}`, payload: { startsAt: '2026-03-26T02:00:00+09:00', endsAt: '2026-03-26T05:00:00+09:00' } });
      expect(moved.statusCode, moved.body).toBe(200);
      expect(moved.json()).toMatchObject({ sequence: 1, startsAt: iso(JST('2026-03-26T02:00:00')) });
      expect(moved.json().notices.map((n: { kind: string }) => n.kind)).toEqual(['announce', 'reschedule']);
      const job = await t.db.selectFrom('jobs').select('runAt').where('dedupeKey', '=', `maintenance:reminder:${d.id}`).executeTakeFirstOrThrow();
      expect(job.runAt).toBe(JST('2026-03-25T02:00:00'));

      // Moving it to tomorrow is too late for planned maintenance.
      const tooLate = await call(app, w.agent, { method: 'PATCH', url: `/api/v1/maintenance/${d.id}`, payload: { startsAt: '2026-03-10T02:00:00+09:00', endsAt: '2026-03-10T03:00:00+09:00' } });
      expect(tooLate.statusCode).toBe(409);

      const c = await post(`/api/v1/maintenance/${d.id}/cancel`, { reason: '顧客都合' });
      expect(c.statusCode, c.body).toBe(200);
      expect(c.json()).toMatchObject({ status: 'cancelled', sequence: 2, cancelReason: '顧客都合' });
      expect(c.json().notices.map((n: { kind: string }) => n.kind)).toEqual(['announce', 'reschedule', 'cancel']);
      expect(await t.db.selectFrom('jobs').select('id').where('dedupeKey', '=', `maintenance:reminder:${d.id}`).executeTakeFirst()).toBeUndefined();
      const audit = await t.db.selectFrom('auditLog').select('action').where('entityId', '=', d.id).orderBy('at').orderBy('id').execute();
      expect(audit.map((a) => a.action)).toEqual(['create', 'reschedule', 'cancel']);
    });

    it('stores a daily backup window as occurrences in the contract zone, skipping those the notice cannot reach', async () => {
      const r = await post('/api/v1/maintenance-series', {
        contractId: w.a.contractId, title: 'バックアップ', startTime: '02:00', endTime: '04:00', repeat: { kind: 'daily' }, firstDate: '2026-03-09',
      });
      expect(r.statusCode, r.body).toBe(201);
      const { series } = r.json() as { series: { id: string }; occurrences: number };
      const list = (await call(app, w.contactA, { method: 'GET', url: `/api/v1/maintenance?contractId=${w.a.contractId}&limit=1000` })).json().items as Array<{ seriesId: string | null; startsAt: string; endsAt: string; kind: string }>;
      const occ = list.filter((x) => x.seriesId === series.id);
      // 03-09 has begun, 03-10 02:00 needed notice by Fri 03-06: the first stored one is 03-11.
      expect(occ[0]).toMatchObject({ startsAt: iso(JST('2026-03-11T02:00:00')), endsAt: iso(JST('2026-03-11T04:00:00')), kind: 'recurring' });
      // Across the month end, every night at 02:00 Tokyo.
      expect(occ.map((o) => o.startsAt)).toContain(iso(JST('2026-03-31T02:00:00')));
      expect(occ.map((o) => o.startsAt)).toContain(iso(JST('2026-04-01T02:00:00')));
      expect(occ.length).toBeGreaterThanOrEqual(87);
      const notices = await t.db.selectFrom('maintenanceNotices').select(['kind', 'email']).where('seriesId', '=', series.id).execute();
      expect(notices).toEqual([{ kind: 'announce', email: 'desk@clienta.example' }]);

      // The daily job keeps 90 days stored; run 10 days later it adds about 10.
      clock.set(JST('2026-03-19T10:00:00'));
      await t.db.updateTable('jobs').set({ runAt: clock() }).where('dedupeKey', '=', 'maintenance:materialize').execute();
      await runner.runDue();
      const after = await t.db.selectFrom('maintenanceWindows').select('startsAt').where('seriesId', '=', series.id).orderBy('startsAt', 'desc').executeTakeFirstOrThrow();
      expect(after.startsAt).toBeGreaterThan(JST('2026-06-15T00:00:00'));
      const next = await t.db.selectFrom('jobs').select(['runAt', 'status']).where('dedupeKey', '=', 'maintenance:materialize').executeTakeFirstOrThrow();
      expect(next).toEqual({ runAt: clock() + 86_400_000, status: 'pending' });

      const cancel = await post(`/api/v1/maintenance-series/${series.id}/cancel`, { reason: 'バックアップ方式の変更' });
      expect(cancel.statusCode, cancel.body).toBe(200);
      const left = await t.db.selectFrom('maintenanceWindows').select('id').where('seriesId', '=', series.id).where('status', '!=', 'cancelled').where('startsAt', '>=', clock()).execute();
      expect(left).toEqual([]);
      clock.set(JST('2026-03-09T10:00:00'));
    });

    it('weekly patterns: Tue and Fri 22:00–01:00 across midnight', async () => {
      const r = await post('/api/v1/maintenance-series', {
        contractId: w.a.contractId, title: '定期パッチ', startTime: '22:00', endTime: '01:00', repeat: { kind: 'weekly', weekdays: ['tue', 'fri'] }, firstDate: '2026-03-09', count: 4,
      });
      expect(r.statusCode, r.body).toBe(201);
      const sid = (r.json() as { series: { id: string } }).series.id;
      const occ = await t.db.selectFrom('maintenanceWindows').select(['startsAt', 'endsAt', 'occurrenceIndex']).where('seriesId', '=', sid).orderBy('startsAt').execute();
      // Tue 03-10 22:00 needed notice by Fri 03-06: skipped. Fri 13, Tue 17, Fri 20 remain of 4.
      expect(occ.map((o) => iso(o.startsAt))).toEqual([JST('2026-03-13T22:00:00'), JST('2026-03-17T22:00:00'), JST('2026-03-20T22:00:00')].map(iso));
      expect(occ.every((o) => o.endsAt - o.startsAt === 3 * 3_600_000)).toBe(true);
    });

    it('contacts read their own client\'s maintenance only and cannot write', async () => {
      const d = await draft('2026-04-15T02:00:00', '2026-04-15T03:00:00');
      // A draft is not the client's to see yet (issue 11, item 1): the same answer as a missing id.
      expect((await call(app, w.contactA, { method: 'GET', url: `/api/v1/maintenance/${d.id}` })).statusCode).toBe(404);
      expect((await post(`/api/v1/maintenance/${d.id}/announce`, {})).statusCode).toBe(200);
      expect((await call(app, w.contactA, { method: 'GET', url: `/api/v1/maintenance/${d.id}` })).statusCode).toBe(200);
      const b = await call(app, w.contactB, { method: 'GET', url: `/api/v1/maintenance/${d.id}` });
      const missing = await call(app, w.contactB, { method: 'GET', url: '/api/v1/maintenance/0190a6e0-0000-7000-8000-000000000000' });
      expect(b.statusCode).toBe(404);
      expect(b.body).toBe(missing.body);
      expect((await post(`/api/v1/maintenance/${d.id}/announce`, {}, w.contactA)).statusCode).toBe(403);
      const listB = (await call(app, w.contactB, { method: 'GET', url: '/api/v1/maintenance?limit=1000' })).json().items as Array<{ clientId: string }>;
      expect(listB.every((x) => x.clientId === w.b.clientId)).toBe(true);
    });
  });
}
