/**
 * Monitoring storage rollups (issue 15): six weeks of hourly checks of two monitors
 * (through the real check path with a network-free check), with outages, unknown
 * stretches, a gap, a planned maintenance window and an emergency one. The availability of
 * March (and February) over HTTP is the same — every figure and interval, to the
 * millisecond — from raw runs only, with the retention boundary inside March, and with
 * March wholly rolled up. The rollup is idempotent, safe to run twice at once, and
 * leaves one interval row per state change.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { CHECK_DOWN, CHECK_UNKNOWN, CHECK_UP, type CheckStatus } from '../../src/core/availability/index.ts';
import { createServices } from '../../src/http/services.ts';
import { JobRunner } from '../../src/jobs/runner.ts';
import { createMonitoringJobHandlers } from '../../src/modules/monitoring/monitoring.jobs.ts';
import { rollUp } from '../../src/modules/monitoring/monitoring.rollup.ts';
import { testDialects, useTestDb } from '../helpers/db.ts';
import { call, fixedClock, makeApp } from '../http/helpers.ts';
import { buildWorld, type World } from '../http/world.ts';

const JST = (s: string) => Date.parse(`${s}+09:00`);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** What the stand-in check answers at an instant: scripted outages, unknown stretches and one monitor's blip. */
function scripted(name: string, at: number): CheckStatus {
  const within = (a: string, b: string) => at >= JST(a) && at < JST(b);
  if (within('2026-02-27T03:00:00', '2026-02-27T09:00:00')) return CHECK_DOWN;
  if (within('2026-03-05T22:00:00', '2026-03-06T04:00:00')) return CHECK_DOWN;
  if (within('2026-03-16T11:00:00', '2026-03-16T13:00:00')) return CHECK_DOWN; // inside the planned window
  if (within('2026-03-31T20:00:00', '2026-04-01T02:00:00')) return CHECK_DOWN; // across the month's end, after the boundary
  if (within('2026-03-10T00:00:00', '2026-03-10T12:00:00')) return CHECK_UNKNOWN;
  if (name === 'API' && within('2026-03-20T00:00:00', '2026-03-20T05:00:00')) return CHECK_DOWN;
  return CHECK_UP;
}

for (const dialect of testDialects) {
  describe(`monitoring rollups (${dialect})`, () => {
    const t = useTestDb(dialect);
    const clock = fixedClock(JST('2026-02-20T00:00:00'));
    let app: FastifyInstance;
    let w: World;
    let jobs: JobRunner;
    const ids: string[] = [];

    beforeAll(async () => {
      app = await makeApp(t.db, clock);
      w = await buildWorld(t.db, clock);
      const m = createMonitoringJobHandlers({
        db: t.db, monitoring: createServices({ db: t.db, clock }).monitoring, clock,
        check: async (mon) => ({ status: scripted(mon.name, clock()), latencyMs: 40 + (clock() / HOUR) % 17, error: null }),
      });
      jobs = new JobRunner(t.database, { handlers: m.handlers, clock });
    });
    afterAll(async () => app?.close());

    const month = async (ym: string) => {
      const r = await call(app, w.agent, { method: 'GET', url: `/api/v1/contracts/${w.a.contractId}/availability/${ym}` });
      expect(r.statusCode, r.body).toBe(200);
      return r.json() as { contract: { availability: number; unknownMs: number; plannedMs: number; downtimeMs: number } };
    };
    const rawRuns = async () => Number((await t.db.selectFrom('monitorRuns').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

    it('six weeks of hourly checks with outages, unknowns, a gap and maintenance', async () => {
      for (const name of ['Web', 'API']) {
        const r = await call(app, w.agent, {
          method: 'POST', url: '/api/v1/monitors',
          payload: { contractId: w.a.contractId, systemId: w.a.systemId, name, kind: 'http', url: 'http://192.0.2.1/', intervalMs: HOUR, timeoutMs: 2000, confirmAfter: 2, recoverAfter: 2 },
        });
        expect(r.statusCode, r.body).toBe(201);
        ids.push(r.json().id);
      }
      const planned = await call(app, w.agent, {
        method: 'POST', url: '/api/v1/maintenance',
        payload: { contractId: w.a.contractId, systemId: w.a.systemId, kind: 'planned', title: 'OS 更新', startsAt: new Date(JST('2026-03-16T10:00:00')).toISOString(), endsAt: new Date(JST('2026-03-16T14:00:00')).toISOString(), announce: true },
      });
      expect(planned.statusCode, planned.body).toBe(201);
      // Every hour until 2026-04-06, but a 9-hour gap (the checker was stopped) on 03-22.
      while (clock() < JST('2026-04-06T00:00:00')) {
        const next = clock() + HOUR;
        clock.set(next >= JST('2026-03-22T01:00:00') && next < JST('2026-03-22T10:00:00') ? JST('2026-03-22T10:00:00') : next);
        if (clock() === JST('2026-03-05T23:30:00') - 30 * 60_000) {
          await call(app, w.agent, {
            method: 'POST', url: '/api/v1/maintenance',
            payload: { contractId: w.a.contractId, systemId: w.a.systemId, kind: 'emergency', emergencyReason: '電源交換', title: '緊急停止', startsAt: new Date(clock() + 60_000).toISOString(), endsAt: new Date(clock() + 3 * HOUR).toISOString(), announce: true },
          });
        }
        await jobs.runDue();
        await jobs.runDue();
      }
      expect(await rawRuns()).toBeGreaterThan(2 * 40); // a run per monitor per UTC day at least
    }, 900_000);

    it('March and February: the same figures from raw runs, across the retention boundary, and from rollups alone', async () => {
      const rawMarch = await month('2026-03');
      const rawFeb = await month('2026-02');
      expect(rawMarch.contract.downtimeMs).toBeGreaterThan(0);
      expect(rawMarch.contract.unknownMs).toBeGreaterThan(0);
      expect(rawMarch.contract.plannedMs).toBeGreaterThan(0);

      // 7 days' retention on 04-05: the boundary is 2026-03-29T00:00Z, inside March. Two at once: each run counted once.
      const runsBefore = await rawRuns();
      const [a, b] = await Promise.all([rollUp(t.db, clock(), 7, { batch: 1 }), rollUp(t.db, clock(), 7, { batch: 1 })]);
      expect(a.runs + b.runs).toBeGreaterThan(0);
      expect(await rawRuns()).toBe(runsBefore - a.runs - b.runs);
      expect(await month('2026-03')).toEqual(rawMarch);
      expect(await month('2026-02')).toEqual(rawFeb);
      // Idempotent: nothing left to roll up.
      expect((await rollUp(t.db, clock(), 7)).runs).toBe(0);

      // One day's retention: March is rolled up whole.
      expect((await rollUp(t.db, clock(), 1)).runs).toBeGreaterThan(0);
      const first = await t.db.selectFrom('monitorRuns').select((eb) => eb.fn.min('startedAt').as('m')).executeTakeFirstOrThrow();
      // Runs whose last result reaches within two intervals of the cutoff (04-04T00:00Z) stay raw.
      expect(Number(first.m)).toBeGreaterThanOrEqual(Date.UTC(2026, 3, 3));
      expect(await month('2026-03')).toEqual(rawMarch);
      expect(await month('2026-02')).toEqual(rawFeb);
    }, 60_000);

    it('a row per state change, and daily figures for every day', async () => {
      const web = await t.db.selectFrom('monitorIntervals').select(['status', 'startedAt', 'endedAt']).where('monitorId', '=', ids[0]!).orderBy('startedAt').execute();
      // up, down, up, down, up, unknown, up, down (maintenance), up, gap → up, down (03-31), up
      expect(web.map((r) => r.status)).toEqual([0, 1, 0, 1, 0, 2, 0, 1, 0, 0, 1, 0]);
      const daily = await t.db.selectFrom('monitorDaily').selectAll().where('monitorId', '=', ids[0]!).orderBy('day').execute();
      expect(daily.length).toBeGreaterThanOrEqual(43);
      const d = daily.find((x) => x.day === Math.floor(JST('2026-03-05T23:00:00') / DAY))!;
      expect(d.checks).toBe(24);
      expect(d.failures).toBeGreaterThan(0);
      expect(d.latencyMaxMs).toBeGreaterThanOrEqual(40);
    });
  });
}
