/**
 * Fuzzes every write operation of the API (taken from its OpenAPI document) with
 * bodies generated from the contract's schemas plus hostile mutations; see
 * test/http/fuzz/harness.ts for what is asserted. Fixed seed and bounded run count
 * here (FUZZ_RUNS, FUZZ_SEED to vary it); `npm run bench -- fuzz` runs longer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { testDialects, useTestDb } from '../helpers/db.ts';
import { fixedClock, makeApp, type Caller } from './helpers.ts';
import { runFuzz } from './fuzz/harness.ts';
import { fuzzWorld } from './fuzz/world.ts';

const RUNS = Number(process.env.FUZZ_RUNS ?? 1500);
const SEED = Number(process.env.FUZZ_SEED ?? 20261204);
/** The CI bound per dialect; the run stops early when it is spent. */
const BUDGET_MS = Number(process.env.FUZZ_BUDGET_MS ?? 45_000);

for (const dialect of testDialects) {
  describe(`API fuzz (${dialect})`, () => {
    const t = useTestDb(dialect);
    const clock = fixedClock(Date.parse('2026-04-01T10:00:00+09:00'));
    let app: FastifyInstance;
    let callers: [Caller, Caller, Caller];
    let pools: Map<string, string[]>;

    beforeAll(async () => {
      app = await makeApp(t.db, clock, { loginRateLimit: { perAccount: 100_000, perAddress: 100_000, windowMs: 60_000 } });
      ({ callers, pools } = await fuzzWorld(app, t.db, clock));
    });
    afterAll(async () => app?.close());

    it('no write answers ≥ 500, every error has the documented shape, a refused request changes no row', async () => {
      const r = await runFuzz({ app, db: t.db, callers, pools, seed: SEED, runs: RUNS, budgetMs: BUDGET_MS, tick: () => clock.advance(1000) });
      console.log(`fuzz ${dialect}: ${r.tried} requests, ${r.accepted} accepted, by status ${JSON.stringify(r.byStatus)}`);
      expect(r.failures).toEqual([]);
      expect(r.tried).toBeGreaterThan(200);
      // Not only refusals: the generated bodies reach the services and change the desk.
      expect(r.accepted).toBeGreaterThan(r.tried / 50);
    }, BUDGET_MS + 30_000);
  });
}
