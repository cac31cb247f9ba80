/**
 * The incident lifecycle at ordinary wall-clock instants (not round test-clock values),
 * on both dialects, under the standard policy and custom policies with non-round at-risk
 * thresholds: create, start, and a priority change in every direction, before and after
 * work starts. On PostgreSQL a fractional at-risk instant made most of these a 500
 * (issue 11, item 0); every stored instant must be a whole millisecond.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { testDialects, useTestDb } from '../helpers/db.ts';
import { createServices } from '../../src/http/services.ts';
import { SYSTEM_ACTOR } from '../../src/modules/auth/actor.ts';
import { STANDARD_POLICY, type SlaPolicyDocument } from '../../src/contract/sla-policy-document.ts';
import { call, fixedClock, makeApp } from './helpers.ts';
import { buildWorld, type World } from './world.ts';

const PRIORITIES = ['urgent', 'important', 'minor'] as const;
type P = (typeof PRIORITIES)[number];
/** Every ordered pair of priorities, as one walk: urgent→important→minor→urgent→minor→important→urgent. */
const EVERY_DIRECTION: P[] = ['important', 'minor', 'urgent', 'minor', 'important', 'urgent'];

/** The custom policy: end of the next business day, threshold 0.8, for start and resolution. */
const END_OF_DAY_08: SlaPolicyDocument = {
  ...STANDARD_POLICY,
  atRiskThreshold: 0.8,
  priorities: {
    urgent: STANDARD_POLICY.priorities.urgent,
    important: { start: { from: 'recognized', clock: { kind: 'endOfNthBusinessDay', n: 1 } }, resolve: { from: 'started', clock: { kind: 'endOfNthBusinessDay', n: 2 } } },
    minor: { start: { from: 'recognized', clock: { kind: 'endOfNthBusinessDay', n: 1 } }, propose: { from: 'recognized', clock: { kind: 'endOfNthBusinessDay', n: 5 } } },
  },
};
/** Thresholds and durations that divide into nothing round. */
const ODD: SlaPolicyDocument = {
  ...STANDARD_POLICY,
  atRiskThreshold: 0.3337,
  priorities: {
    urgent: { start: { from: 'recognized', clock: { kind: 'calendar', minutes: 7.3 } }, resolve: { from: 'recognized', clock: { kind: 'business', minutes: 333.3 } } },
    important: { start: { from: 'recognized', clock: { kind: 'business', minutes: 537.7 } }, resolve: { from: 'started', clock: { kind: 'endOfNthBusinessDay', n: 3 } } },
    minor: { start: { from: 'recognized', clock: { kind: 'business', minutes: 1001 } }, propose: { from: 'recognized', clock: { kind: 'calendar', minutes: 9999.9 } } },
  },
};

// Ordinary moments in working hours, on several days, each with odd seconds and milliseconds.
const MOMENTS = [
  '2026-04-01T10:17:43.229+09:00', '2026-04-02T17:59:58.871+09:00', '2026-04-03T09:00:00.001+09:00',
  '2026-04-06T13:33:21.517+09:00', '2026-04-07T16:04:09.093+09:00', '2026-04-08T11:48:36.666+09:00',
].map(Date.parse);

for (const dialect of testDialects) {
  describe(`lifecycle at non-round instants (${dialect})`, () => {
    const t = useTestDb(dialect);
    const clock = fixedClock(MOMENTS[0]);
    let app: FastifyInstance;
    let w: World;
    const contracts: Record<string, string> = {};
    beforeAll(async () => {
      app = await makeApp(t.db, clock);
      w = await buildWorld(t.db, clock);
      contracts.standard = w.a.contractId;
      const s = createServices({ db: t.db, clock });
      for (const [name, document] of [['endOfDay08', END_OF_DAY_08], ['odd', ODD]] as const) {
        const policy = await s.slaPolicies.create(SYSTEM_ACTOR, { name, establishedOn: '2026-01-01', document });
        const contract = await s.contracts.create(SYSTEM_ACTOR, {
          clientId: w.a.clientId, name: `${name} 契約`, startsOn: '2026-01-01', calendarId: w.calendarId, slaPolicyId: policy.id,
          systemIds: [w.a.systemId], primaryContactId: w.a.contactId,
        });
        contracts[name] = contract.id;
      }
    });
    afterAll(async () => app?.close());

    const post = (url: string, payload: object = {}) => call(app, w.agent, { method: 'POST', url, payload });

    for (const policy of ['standard', 'endOfDay08', 'odd']) {
      for (const first of PRIORITIES) {
        it(`${policy}: filed as ${first}, started, then moved through every priority direction before and after start`, async () => {
          for (const [i, at] of MOMENTS.entries()) {
            clock.set(at);
            const created = await post('/api/v1/incidents', {
              contractId: contracts[policy], systemId: w.a.systemId, title: `非整数時刻 ${policy} ${first} ${i}`, channel: 'phone', category: 'outage',
              priority: first, receivedAt: new Date(at - 61_237).toISOString(), reporter: { contactId: w.a.contactId },
            });
            expect(created.statusCode, created.body).toBe(201);
            const id = created.json().id as string;
            // Before start: one step in the walk.
            clock.set(at + 7_919);
            const before = await post(`/api/v1/incidents/${id}/priority`, { priority: EVERY_DIRECTION[i % EVERY_DIRECTION.length], reason: '影響範囲の再評価' });
            expect(before.statusCode, before.body).toBe(200);
            clock.set(at + 123_457);
            const started = await post(`/api/v1/incidents/${id}/start`);
            expect(started.statusCode, started.body).toBe(200);
            expect(started.json().status).toBe('in_progress');
            // After start: the whole walk, each change re-derives deadlines from the stored clock start.
            let current = before.json().priority as P;
            for (const [k, next] of EVERY_DIRECTION.entries()) {
              if (next === current) continue;
              clock.set(at + 200_003 + k * 31_337);
              const r = await post(`/api/v1/incidents/${id}/priority`, { priority: next, reason: `再評価 ${k}` });
              expect(r.statusCode, `${current}→${next}: ${r.body}`).toBe(200);
              expect(r.json().priority).toBe(next);
              for (const target of r.json().targets as Array<{ dueAt: string | null; atRiskAt: string | null }>) {
                for (const v of [target.dueAt, target.atRiskAt]) if (v !== null) expect(v).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
              }
              current = next;
            }
          }
          // What was stored is whole milliseconds in both dialects.
          const rows = await t.db.selectFrom('incidentTargets').select(['dueAt', 'atRiskAt', 'clockStart', 'metAt']).execute();
          expect(rows.length).toBeGreaterThan(0);
          for (const r of rows) for (const v of [r.dueAt, r.atRiskAt, r.clockStart, r.metAt]) if (v !== null) expect(Number.isInteger(Number(v)), String(v)).toBe(true);
        });
      }
    }
  });
}
