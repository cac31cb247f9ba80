/**
 * The API fuzzer of test/http/fuzz.test.ts, run longer: `npm run bench -- fuzz`
 * (or `tsx bench/fuzz.bench.ts`). Prints requests tried, answers by status, and
 * every failure (an answer ≥ 500, an error outside the documented shape, a row
 * changed by a refused request, a body that had to be refused but was accepted).
 * FUZZ_RUNS (default 20,000), FUZZ_SEED (default: the time), FUZZ_SECONDS (default
 * 600) bound it; SQLite in a temp directory, and PostgreSQL too when
 * DATABASE_URL_TEST names a scratch database (it is migrated and filled).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDb, type Database } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { runFuzz, type FuzzResult } from '../test/http/fuzz/harness.ts';
import { fuzzWorld } from '../test/http/fuzz/world.ts';
import { fixedClock, makeApp } from '../test/http/helpers.ts';

const RUNS = Number(process.env.FUZZ_RUNS ?? 20_000);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const SECONDS = Number(process.env.FUZZ_SECONDS ?? 600);

async function fuzzOn(name: string, database: Database): Promise<FuzzResult> {
  await migrateToLatest(database.db);
  const clock = fixedClock(Date.parse('2026-04-01T10:00:00+09:00'));
  const app = await makeApp(database.db, clock, { loginRateLimit: { perAccount: 1e9, perAddress: 1e9, windowMs: 60_000 } });
  try {
    const { callers, pools } = await fuzzWorld(app, database.db, clock);
    const started = Date.now();
    const r = await runFuzz({
      app, db: database.db, callers, pools, seed: SEED, runs: RUNS, budgetMs: SECONDS * 1000, tick: () => clock.advance(1000),
      onProgress: (p) => process.stdout.write(`  ${name}: ${p.tried} requests, ${p.failures.length} failures\r`),
    });
    process.stdout.write('\n');
    const s = (Date.now() - started) / 1000;
    console.log(`${name}: ${r.tried} requests in ${s.toFixed(0)} s (${(r.tried / s).toFixed(0)}/s), seed ${SEED}; ${r.accepted} accepted; by status ${JSON.stringify(r.byStatus)}`);
    console.log(`${name}: ${r.failures.length} failures`);
    for (const f of r.failures) console.log(`  ${f}`);
    return r;
  } finally {
    await app.close();
  }
}

export async function run(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hoshu-bench-fuzz-'));
  const failures: string[] = [];
  const sqlite = createDb({ dialect: 'sqlite', file: path.join(dir, 'hoshu.db') });
  try {
    failures.push(...(await fuzzOn('sqlite', sqlite)).failures);
  } finally {
    await sqlite.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const url = process.env.DATABASE_URL_TEST;
  if (url) {
    const pg = createDb({ dialect: 'postgres', url });
    try {
      failures.push(...(await fuzzOn('postgres', pg)).failures);
    } finally {
      await pg.close();
    }
  }
  if (failures.length) throw new Error(`${failures.length} fuzz failures (seed ${SEED})`);
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
