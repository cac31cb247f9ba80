/**
 * What a contact may see of the desk's terms and plans (issue 11, item 1): only the
 * SLA policies and calendars their own contracts follow, and of a policy only the
 * versions those contracts are on (not another version's document or revision
 * note); maintenance only once announced (or cancelled after announcement); a
 * monitor by name and state, not where it checks. Anything else answers exactly
 * like a missing id.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { STANDARD_POLICY } from '../../src/contract/sla-policy-document.ts';
import { testDialects, useTestDb } from '../helpers/db.ts';
import { call, fixedClock, makeApp, sessionCaller, type Caller } from './helpers.ts';
import { TOKYO_CALENDAR, buildWorld, type World } from './world.ts';

const MISSING = '0190a6e0-0000-7000-8000-000000000000';

for (const dialect of testDialects) {
  describe(`a contact sees only their own client's terms (${dialect})`, () => {
    const t = useTestDb(dialect);
    const clock = fixedClock(Date.parse('2026-04-01T10:00:00+09:00'));
    let app: FastifyInstance;
    let w: World;
    /** Client A's contact signed in through the web UI (cookie session), beside the bearer-token callers. */
    let portalA: Caller;
    const json = async (who: Caller, url: string) => {
      const r = await call(app, who, { method: 'GET', url });
      return { status: r.statusCode, body: r.json() as Record<string, unknown> & { items: Array<Record<string, unknown>> } };
    };
    const post = async (who: Caller, url: string, payload: object) => {
      const r = await call(app, who, { method: 'POST', url, payload });
      if (r.statusCode >= 300) throw new Error(`${url}: ${r.statusCode} ${r.body}`);
      return r.json() as Record<string, unknown> & { id: string };
    };

    beforeAll(async () => {
      app = await makeApp(t.db, clock);
      w = await buildWorld(t.db, clock);
      portalA = await sessionCaller(app, t.db, 'contact', w.a.clientId);
    });
    afterAll(async () => app?.close());

    it('SLA policies: another client\'s special terms are not found; a revision no contract of theirs follows is not shown', async () => {
      const special = await post(w.admin, '/api/v1/sla-policies', { name: 'A社 特約', establishedOn: '2026-01-01', document: STANDARD_POLICY, note: 'A社向け 初版' });
      await post(w.admin, '/api/v1/contracts', { clientId: w.a.clientId, name: 'A社 特約契約', startsOn: '2026-04-01', slaPolicyId: special.id, calendarId: w.calendarId });
      await post(w.admin, `/api/v1/sla-policies/${special.id}/versions`, {
        document: { ...STANDARD_POLICY, atRiskThreshold: 0.5 }, revisedOn: '2026-06-01', note: '値下げ交渉中の改訂案', applyToContracts: false,
      });

      for (const who of [w.contactA, portalA]) {
        const mine = await json(who, `/api/v1/sla-policies/${special.id}`);
        expect(mine.status).toBe(200);
        expect(mine.body.currentVersion).toBe(1);
        expect((mine.body.document as { atRiskThreshold: number }).atRiskThreshold).toBe(0.75);
        expect(mine.body.versions).toEqual([expect.objectContaining({ version: 1, note: 'A社向け 初版' })]);
        expect(JSON.stringify(mine.body)).not.toContain('改訂案');
        expect((await json(who, `/api/v1/sla-policies/${special.id}/versions/1`)).status).toBe(200);
        const v2 = await json(who, `/api/v1/sla-policies/${special.id}/versions/2`);
        expect([v2.status, v2.body.code]).toEqual([404, 'sla_policy.not_found']);
        expect((await json(who, '/api/v1/sla-policies')).body.items.map((p) => p.id)).toEqual(expect.arrayContaining([w.policyId, special.id]));
      }

      const theirs = await json(w.contactB, `/api/v1/sla-policies/${special.id}`);
      const missing = await json(w.contactB, `/api/v1/sla-policies/${MISSING}`);
      expect([theirs.status, theirs.body]).toEqual([404, missing.body]);
      expect(missing.body.code).toBe('sla_policy.not_found');
      expect((await json(w.contactB, `/api/v1/sla-policies/${special.id}/versions/1`)).status).toBe(404);
      const listB = (await json(w.contactB, '/api/v1/sla-policies')).body.items.map((p) => p.id);
      expect(listB).toContain(w.policyId);
      expect(listB).not.toContain(special.id);

      const staff = await json(w.agent, `/api/v1/sla-policies/${special.id}`);
      expect(staff.body.currentVersion).toBe(2);
      expect((staff.body.versions as unknown[]).length).toBe(2);
    });

    it('calendars: a contact lists and reads only the calendars their contracts follow', async () => {
      const special = await post(w.admin, '/api/v1/calendars', { name: 'A社 土曜営業', document: { ...TOKYO_CALENDAR, weekly: { ...TOKYO_CALENDAR.weekly, sat: [['10:00', '13:00']] } } });
      await post(w.admin, '/api/v1/contracts', { clientId: w.a.clientId, name: 'A社 土曜契約', startsOn: '2026-04-01', calendarId: special.id });
      const unused = await post(w.admin, '/api/v1/calendars', { name: '未使用', document: TOKYO_CALENDAR });

      expect((await json(portalA, `/api/v1/calendars/${special.id}`)).status).toBe(200);
      expect((await json(portalA, '/api/v1/calendars')).body.items.map((c) => c.id)).toEqual(expect.arrayContaining([w.calendarId, special.id]));
      for (const [who, id] of [[w.contactB, special.id], [w.contactA, unused.id], [w.contactB, unused.id]] as const) {
        const r = await json(who, `/api/v1/calendars/${id}`);
        expect([r.status, r.body]).toEqual([404, (await json(who, `/api/v1/calendars/${MISSING}`)).body]);
        expect(r.body.code).toBe('calendar.not_found');
      }
      const listB = (await json(w.contactB, '/api/v1/calendars')).body.items.map((c) => c.id);
      expect(listB).toEqual([w.calendarId]);
      expect((await json(w.agent, '/api/v1/calendars')).body.items.map((c) => c.id)).toEqual(expect.arrayContaining([special.id, unused.id]));
    });

    it('maintenance: a contact sees announced windows (and those cancelled after announcement), never a draft', async () => {
      const body = (title: string, announce: boolean) => ({ contractId: w.a.contractId, title, startsAt: '2026-06-01T02:00:00+09:00', endsAt: '2026-06-01T04:00:00+09:00', announce });
      const draft = await post(w.agent, '/api/v1/maintenance', body('社内検討中の停止', false));
      const announced = await post(w.agent, '/api/v1/maintenance', body('告知済みの停止', true));
      const withdrawn = await post(w.agent, '/api/v1/maintenance', body('告知後に中止', true));
      await post(w.agent, `/api/v1/maintenance/${withdrawn.id}/cancel`, { reason: '延期' });
      const draftCancelled = await post(w.agent, '/api/v1/maintenance', body('告知前に中止', false));
      await post(w.agent, `/api/v1/maintenance/${draftCancelled.id}/cancel`, { reason: '不要' });

      for (const who of [w.contactA, portalA]) {
        const titles = (await json(who, '/api/v1/maintenance?includeCancelled=true')).body.items.map((x) => x.title);
        expect(titles).toEqual(expect.arrayContaining(['告知済みの停止', '告知後に中止']));
        expect(titles).not.toContain('社内検討中の停止');
        expect(titles).not.toContain('告知前に中止');
        expect((await json(who, `/api/v1/maintenance/${announced.id}`)).status).toBe(200);
        expect((await json(who, `/api/v1/maintenance/${withdrawn.id}`)).status).toBe(200);
        for (const id of [draft.id, draftCancelled.id]) {
          const r = await json(who, `/api/v1/maintenance/${id}`);
          expect([r.status, r.body]).toEqual([404, (await json(who, `/api/v1/maintenance/${MISSING}`)).body]);
        }
      }
      expect((await json(w.contactB, `/api/v1/maintenance/${announced.id}`)).status).toBe(404);
      const staff = (await json(w.agent, '/api/v1/maintenance?includeCancelled=true')).body.items.map((x) => x.title);
      expect(staff).toEqual(expect.arrayContaining(['社内検討中の停止', '告知前に中止']));
    });

    it('monitors: a contact sees name and state, not the target URL, host, port, keyword or last error', async () => {
      const web = await post(w.agent, '/api/v1/monitors', {
        contractId: w.a.contractId, systemId: w.a.systemId, name: '受注画面', kind: 'http', url: 'https://10.20.30.40:8443/internal/health', keyword: 'OK', enabled: false,
      });
      const db = await post(w.agent, '/api/v1/monitors', { contractId: w.a.contractId, systemId: w.a.systemId, name: 'DB', kind: 'tcp', host: 'db.internal.example', port: 5432, enabled: false });
      const hidden = { url: null, host: null, port: null, expectedStatus: null, keyword: null, keywordMode: null, lastError: null };

      for (const who of [w.contactA, portalA]) {
        const one = await json(who, `/api/v1/monitors/${web.id}`);
        expect(one.body).toMatchObject({ name: '受注画面', kind: 'http', state: 'unknown', ...hidden });
        const listed = (await json(who, '/api/v1/monitors')).body.items;
        expect(listed.map((m) => m.name)).toEqual(expect.arrayContaining(['受注画面', 'DB']));
        for (const m of listed) expect(m).toMatchObject(hidden);
        expect(JSON.stringify(listed)).not.toMatch(/10\.20\.30\.40|db\.internal|"port":5432|:5432\b/);
      }
      expect((await json(w.contactB, `/api/v1/monitors/${db.id}`)).status).toBe(404);
      expect((await json(w.agent, `/api/v1/monitors/${web.id}`)).body).toMatchObject({ url: 'https://10.20.30.40:8443/internal/health', keyword: 'OK' });
      expect((await json(w.agent, `/api/v1/monitors/${db.id}`)).body).toMatchObject({ host: 'db.internal.example', port: 5432 });
    });
  });
}
