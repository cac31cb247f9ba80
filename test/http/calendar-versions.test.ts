/**
 * Calendars change by versions with an effective instant (issue 11, item 11): a closure
 * added for next week moves an open incident's business-time deadline and its at-risk
 * timer, recorded on its timeline and audited; a back-dated change is refused and changes
 * nothing; a resolved incident keeps its figures; working time counted before the
 * effective instant stays as it was. Both dialects.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { testDialects, useTestDb } from '../helpers/db.ts';
import { createServices } from '../../src/http/services.ts';
import { SYSTEM_ACTOR } from '../../src/modules/auth/actor.ts';
import { STANDARD_POLICY, type SlaPolicyDocument } from '../../src/contract/sla-policy-document.ts';
import { call, fixedClock, makeApp } from './helpers.ts';
import { buildWorld, TOKYO_CALENDAR, type World } from './world.ts';

/** Three business days to start work on an important incident (so the deadline lies in next week). */
const THREE_DAYS: SlaPolicyDocument = {
  ...STANDARD_POLICY,
  priorities: {
    ...STANDARD_POLICY.priorities,
    important: { start: { from: 'recognized', clock: { kind: 'business', minutes: 3 * 540 } }, resolve: { from: 'started', clock: { kind: 'endOfNthBusinessDay', n: 5 } } },
  },
};
const FRIDAY_10 = Date.parse('2026-04-03T10:00:00+09:00');
const CLOSED_NEXT_WEEK = { ...TOKYO_CALENDAR, closures: [...TOKYO_CALENDAR.closures, { from: '2026-04-06', to: '2026-04-08' }] };
const iso = (local: string) => new Date(`${local}+09:00`).toISOString();

type Target = { kind: string; dueAt: string | null; atRiskAt: string | null; metAt: string | null };

for (const dialect of testDialects) {
  describe(`calendar versions (${dialect})`, () => {
    const t = useTestDb(dialect);
    const clock = fixedClock(FRIDAY_10);
    let app: FastifyInstance;
    let w: World;
    let calendarId: string;
    let contractId: string;
    beforeAll(async () => {
      app = await makeApp(t.db, clock);
      w = await buildWorld(t.db, clock);
      const s = createServices({ db: t.db, clock });
      // A calendar of its own, so this file's changes do not reach the world's other contracts.
      const cal = await s.calendars.create(SYSTEM_ACTOR, { name: 'Tokyo (versions)', document: TOKYO_CALENDAR });
      calendarId = cal.id;
      const policy = await s.slaPolicies.create(SYSTEM_ACTOR, { name: 'three days', establishedOn: '2026-01-01', document: THREE_DAYS });
      contractId = (await s.contracts.create(SYSTEM_ACTOR, {
        clientId: w.a.clientId, name: 'versions 契約', startsOn: '2026-01-01', calendarId, slaPolicyId: policy.id,
        systemIds: [w.a.systemId], primaryContactId: w.a.contactId,
      })).id;
    });
    afterAll(async () => app?.close());

    const post = (url: string, payload: object = {}) => call(app, w.agent, { method: 'POST', url, payload });
    const get = (url: string) => call(app, w.agent, { method: 'GET', url });
    const patch = (payload: object, lang = 'ja') =>
      call(app, w.admin, { method: 'PATCH', url: `/api/v1/calendars/${calendarId}`, payload, headers: { 'accept-language': lang } });
    const file = async (title: string) => {
      const r = await post('/api/v1/incidents', { contractId, systemId: w.a.systemId, title, channel: 'phone', priority: 'important', reporter: { contactId: w.a.contactId } });
      expect(r.statusCode, r.body).toBe(201);
      return r.json() as { id: string; targets: Target[] };
    };
    const startTarget = async (id: string) => ((await get(`/api/v1/incidents/${id}`)).json().targets as Target[]).find((x) => x.kind === 'start')!;
    const atRiskJob = async (id: string) =>
      (await t.db.selectFrom('jobs').select(['runAt']).where('dedupeKey', '=', `sla:${id}:start:atRisk`).where('status', '=', 'pending').executeTakeFirst())?.runAt ?? null;

    it('a back-dated change is refused with a coded, translated 400 and changes nothing', async () => {
      clock.set(FRIDAY_10);
      const open = await file('遡及テスト');
      const before = await startTarget(open.id);
      const auditBefore = await t.db.selectFrom('auditLog').select('id').where('entityId', '=', calendarId).execute();
      // Today's date means local midnight, already past at 10:00; so is one millisecond ago.
      for (const effectiveFrom of ['2026-04-02', '2026-04-03', new Date(FRIDAY_10 - 1).toISOString()]) {
        const r = await patch({ document: CLOSED_NEXT_WEEK, effectiveFrom });
        expect(r.statusCode, effectiveFrom).toBe(400);
        expect(r.json()).toMatchObject({
          code: 'calendar.effective_in_past',
          issues: [{ path: ['body', 'effectiveFrom'], code: 'in_past' }],
        });
        expect(r.json().message).toContain('過去にさかのぼって適用することはできません');
      }
      // Nor beyond what the calendar can compute (the bundled holiday data ends with 2050).
      const far = await patch({ document: CLOSED_NEXT_WEEK, effectiveFrom: '2060-01-05' });
      expect(far.statusCode).toBe(400);
      expect(far.json()).toMatchObject({ code: 'calendar.invalid', issues: [{ path: ['body', 'effectiveFrom'], code: 'invalid_date' }] });
      const en = await patch({ document: CLOSED_NEXT_WEEK, effectiveFrom: '2026-04-01' }, 'en');
      expect(en.json().message).toContain('never to time already past');
      const cal = (await get(`/api/v1/calendars/${calendarId}`)).json();
      expect(cal.version).toBe(1);
      expect(cal.versions).toHaveLength(1);
      expect(cal.document).toEqual(TOKYO_CALENDAR);
      expect(await startTarget(open.id)).toEqual(before);
      expect(await t.db.selectFrom('auditLog').select('id').where('entityId', '=', calendarId).execute()).toHaveLength(auditBefore.length);
      // Close it again so the next test starts from its own incidents only.
      const resolved = await post(`/api/v1/incidents/${open.id}/resolve`, { cause: 'x', fix: 'y', courseOfEvents: 'z' });
      expect(resolved.statusCode, resolved.body).toBe(200);
    });

    it('a closure added for next week moves an open incident\'s deadline and at-risk timer; a resolved one keeps its figures; time before the cut-over is unchanged', async () => {
      clock.set(FRIDAY_10);
      const open = await file('来週休業の影響');
      const done = await file('解決済み');
      clock.set(FRIDAY_10 + 30 * 60_000);
      expect((await post(`/api/v1/incidents/${done.id}/start`)).statusCode).toBe(200);
      expect((await post(`/api/v1/incidents/${done.id}/resolve`, { cause: '設定誤り', fix: '修正', courseOfEvents: '10:30 解決' })).statusCode).toBe(200);
      const doneBefore = (await get(`/api/v1/incidents/${done.id}`)).json();

      // 27 working hours from Friday 10:00: Fri 8 h, Mon 9 h, Tue 9 h, Wed 1 h → Wed 8 Apr 10:00; at risk at 75 % (20.25 h) → Tue 12:15.
      const before = await startTarget(open.id);
      expect([before.dueAt, before.atRiskAt]).toEqual([iso('2026-04-08T10:00:00'), iso('2026-04-07T12:15:00')]);
      expect(await atRiskJob(open.id)).toBe(Date.parse(before.atRiskAt!));
      const explainedBefore = (await get(`/api/v1/incidents/${open.id}/targets/start/explanation`)).json();

      clock.set(FRIDAY_10 + 60 * 60_000);
      const r = await patch({ document: CLOSED_NEXT_WEEK, effectiveFrom: '2026-04-04', note: '社内行事のため休業' });
      expect(r.statusCode, r.body).toBe(200);
      const cutOver = Date.parse('2026-04-04T00:00:00+09:00');
      expect(r.json()).toMatchObject({ version: 2, effectiveFrom: new Date(cutOver).toISOString(), document: CLOSED_NEXT_WEEK });
      expect(r.json().versions.map((v: { version: number; effectiveFrom: string }) => [v.version, v.effectiveFrom]))
        .toEqual([[1, new Date(0).toISOString()], [2, new Date(cutOver).toISOString()]]);

      // Closed Mon–Wed: Fri 8 h, Thu 9 h, Fri 9 h, Mon 1 h → Mon 13 Apr 10:00; at risk → Fri 10 Apr 12:15.
      const after = await startTarget(open.id);
      expect([after.dueAt, after.atRiskAt]).toEqual([iso('2026-04-13T10:00:00'), iso('2026-04-10T12:15:00')]);
      expect(await atRiskJob(open.id)).toBe(Date.parse(iso('2026-04-10T12:15:00')));

      const timeline = (await get(`/api/v1/incidents/${open.id}`)).json().timeline as Array<{ kind: string; visibility: string; data: Record<string, unknown> }>;
      const entry = timeline.find((e) => e.kind === 'calendar_rederived');
      expect(entry).toMatchObject({
        visibility: 'internal',
        data: { calendarId, calendarVersion: 2, effectiveFrom: cutOver, targets: [{ kind: 'start', oldDue: Date.parse(before.dueAt!), newDue: Date.parse(after.dueAt!) }] },
      });
      // The client does not see desk bookkeeping.
      const seenByContact = (await call(app, w.contactA, { method: 'GET', url: `/api/v1/incidents/${open.id}` })).json();
      expect(seenByContact.timeline.map((e: { kind: string }) => e.kind)).not.toContain('calendar_rederived');
      const audit = await t.db.selectFrom('auditLog').select(['actorId', 'after']).where('entityId', '=', open.id).where('action', '=', 'calendar_rederived').execute();
      expect(audit).toHaveLength(1);
      expect(audit[0]!.actorId).toBe(w.admin.userId);
      expect(JSON.parse(audit[0]!.after!)).toMatchObject({ calendarVersion: 2, targets: expect.arrayContaining([expect.objectContaining({ kind: 'start', dueAt: Date.parse(after.dueAt!) })]) });
      const calAudit = await t.db.selectFrom('auditLog').select(['action', 'after']).where('entityId', '=', calendarId).where('action', '=', 'version').execute();
      expect(calAudit).toHaveLength(1);

      // The resolved incident keeps its figures and gets no entry.
      const doneAfter = (await get(`/api/v1/incidents/${done.id}`)).json();
      expect(doneAfter.targets).toEqual(doneBefore.targets);
      expect(doneAfter.timeline.map((e: { kind: string }) => e.kind)).not.toContain('calendar_rederived');

      // Working time counted before the cut-over is what it was.
      const explained = (await get(`/api/v1/incidents/${open.id}/targets/start/explanation`)).json();
      const upTo = (xs: Array<{ fromMs?: number; from: string; to: string }>) => xs.filter((iv) => Date.parse(iv.from) < cutOver);
      expect(upTo(explained.counted)).toEqual(upTo(explainedBefore.counted));
      expect(upTo(explained.counted).map((iv) => [iv.from, iv.to])).toEqual([['2026-04-03T10:00:00+09:00', '2026-04-03T18:00:00+09:00']]);
      expect(explained.due).toBe('2026-04-13T10:00:00+09:00');

      // Both versions stay readable.
      const versions = (await get(`/api/v1/calendars/${calendarId}/versions`)).json().items;
      expect(versions.map((v: { version: number; document: unknown; note: string }) => [v.version, v.document, v.note]))
        .toEqual([[1, TOKYO_CALENDAR, ''], [2, CLOSED_NEXT_WEEK, '社内行事のため休業']]);
      expect((await get(`/api/v1/calendars/${calendarId}/versions/1`)).json().document).toEqual(TOKYO_CALENDAR);
      expect((await get(`/api/v1/calendars/${calendarId}/versions/3`)).statusCode).toBe(404);

      // A new incident filed now runs on the new version from the start.
      const fresh = await file('変更後の受付');
      expect(fresh.targets.find((x) => x.kind === 'start')!.dueAt).toBe(iso('2026-04-13T11:00:00'));
    });
  });
}
