/**
 * Monitoring storage per day in steady state (issue 15), by simulated days: N monitors
 * (default 20,000) whose results go through the real recording path
 * (monitoring.recordResults, in batches of 500 as the check lane does) with a simulated
 * clock — each monitor's checks of a day (a run per monitor per UTC day: the checker
 * starts one at midnight; the checks within a run only update it in place, so one check
 * per day stands for 2,880) and, for 1 % of the monitors a day, an outage (3 failures,
 * 2 successes). Two databases side by side: raw runs only (no rollup job) and with the
 * hourly rollup job (retention BENCH_RETENTION_DAYS, default 2 so the steady state comes
 * sooner: growth per day does not depend on the window, only the raw part's size does).
 * Growth = pages in use (page_count − freelist_count, after a WAL checkpoint) per day over
 * the last two simulated days.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { uuidv7 } from 'uuidv7';
import { createDb } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import type { NewRow } from '../src/db/schema.ts';
import { seedBaseData } from '../src/seed/base.ts';
import { createServices } from '../src/http/services.ts';
import { SYSTEM_ACTOR } from '../src/modules/auth/actor.ts';
import { CHECK_DOWN, CHECK_UP, DAY_MS } from '../src/core/availability/index.ts';
import { rollUp } from '../src/modules/monitoring/monitoring.rollup.ts';
import type { CheckedItem } from '../src/modules/monitoring/monitoring.service.ts';
import * as repo from '../src/modules/monitoring/monitoring.repository.ts';

const N = Number(process.env.HOSHU_BENCH_MONITORS ?? 20_000);
const RETENTION = Number(process.env.BENCH_RETENTION_DAYS ?? 2);
const DAYS = RETENTION + 3;
const mb = (b: number) => `${(b / 1048576).toFixed(1)} MB`;

async function simulate(withRollup: boolean): Promise<{ perDay: number; rawRuns: number; total: number; rollupMs: number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hoshu-monstore-'));
  const file = path.join(dir, 'hoshu.db');
  const database = createDb({ dialect: 'sqlite', file });
  try {
    await migrateToLatest(database.db);
    const day0 = Math.ceil(Date.now() / DAY_MS) * DAY_MS;
    let now = day0;
    const clock = () => now;
    await seedBaseData(database.db, now);
    const s = createServices({ db: database.db, clock });
    const client = await s.clients.create(SYSTEM_ACTOR, { name: 'Bench KK' });
    const system = await s.systems.create(SYSTEM_ACTOR, { clientId: client.id, name: 'Web' });
    const contract = await s.contracts.create(SYSTEM_ACTOR, { clientId: client.id, name: 'Bench contract', startsOn: '2026-01-01', systemIds: [system.id] });
    for (let i = 0; i < N; i += 500) {
      const rows: NewRow<'monitors'>[] = [];
      for (let k = i; k < Math.min(N, i + 500); k++) {
        rows.push({
          id: uuidv7(), contractId: contract.id, clientId: client.id, systemId: system.id, name: `m${k}`, kind: 'http', url: 'http://127.0.0.1/', host: null, port: null,
          expectedStatus: null, keyword: null, keywordMode: null, intervalMs: 30_000, timeoutMs: 5000, retries: 0, confirmAfter: 3, recoverAfter: 2,
          enabled: 1, state: 'unknown', failStreak: 0, okStreak: 0, firstFailAt: null, recoveringSince: null, lastCheckAt: null, lastResult: null,
          lastLatencyMs: null, lastError: null, currentRunId: null, openOutageId: null, createdBy: 'bench', createdAt: now, updatedAt: now,
        });
      }
      await database.db.insertInto('monitors').values(rows).execute();
    }
    const ids = (await database.db.selectFrom('monitors').select('id').orderBy('id').execute()).map((r) => r.id);
    const used = async () => {
      await sql`pragma wal_checkpoint(truncate)`.execute(database.db);
      const p = await sql<{ n: number }>`select ((select page_count from pragma_page_count) - (select freelist_count from pragma_freelist_count)) * (select page_size from pragma_page_size) as n`.execute(database.db);
      return Number(p.rows[0]!.n);
    };
    const record = async (batch: Array<{ id: string; status: number; at: number }>) => {
      for (let i = 0; i < batch.length; i += 500) {
        const part = batch.slice(i, i + 500);
        now = Math.max(...part.map((x) => x.at));
        const monitors = new Map((await repo.monitorsByIds(database.db, part.map((x) => x.id))).map((m) => [m.id, m]));
        const items: CheckedItem[] = part.map((x) => ({
          job: { id: `bench-${x.id}`, runAt: x.at, lockToken: null }, monitor: monitors.get(x.id)!, outcome: { status: x.status as 0, latencyMs: 40, error: null }, at: x.at,
        }));
        await database.db.transaction().execute((tx) => s.monitoring.recordResults(tx, items, now));
      }
    };
    const sizes: number[] = [];
    let rollupMs = 0;
    for (let d = 0; d < DAYS; d++) {
      const base = day0 + d * DAY_MS;
      // The day's steady checks: one stands for the run of the day.
      await record(ids.map((id, k) => ({ id, status: CHECK_UP, at: base + 60_000 + (k % 30_000) })));
      // 1 % flap: 3 failures confirm an outage, 2 successes end it.
      const flapping = ids.filter((_, k) => (k + d * 7) % 100 === 0);
      for (const [j, status] of [CHECK_DOWN, CHECK_DOWN, CHECK_DOWN, CHECK_UP, CHECK_UP].entries()) {
        await record(flapping.map((id) => ({ id, status, at: base + 12 * 3600_000 + j * 30_000 })));
      }
      if (withRollup) {
        now = base + DAY_MS;
        const t0 = performance.now();
        await rollUp(database.db, now, RETENTION);
        rollupMs = performance.now() - t0;
      }
      sizes.push(await used());
    }
    const rawRuns = Number((await database.db.selectFrom('monitorRuns').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    return { perDay: (sizes.at(-1)! - sizes.at(-3)!) / 2, rawRuns, total: sizes.at(-1)!, rollupMs };
  } finally {
    await database.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Prints growth per day at N monitors: raw runs only, and with the rollup job. */
export async function storageGrowth(): Promise<void> {
  const raw = await simulate(false);
  const rolled = await simulate(true);
  console.log(`storage, ${N} monitors, ${DAYS} simulated days, 1 % of monitors with an outage a day (SQLite pages in use; load ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}):`);
  console.log(`  raw runs only (no rollup job):      ${mb(raw.perDay)} per day; ${raw.rawRuns} runs, ${mb(raw.total)} after ${DAYS} days`);
  console.log(`  with the rollup job (${RETENTION}-day window): ${mb(rolled.perDay)} per day (goal ≤ 50 MB); ${rolled.rawRuns} raw runs kept, ${mb(rolled.total)} after ${DAYS} days; one day's rollup ${(rolled.rollupMs / 1000).toFixed(1)} s`);
}

if (import.meta.url === `file://${process.argv[1]}`) await storageGrowth();
