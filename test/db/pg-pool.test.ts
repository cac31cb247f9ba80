/**
 * HOSHU_PG_POOL: how many connections a process opens to PostgreSQL for its work (an
 * operator dividing the server's connections between several app processes). Shown on the
 * real server: with a pool of 2, four slow statements at once run two at a time.
 */
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createDb } from '../../src/db/database.ts';
import { testDialects, useTestDb } from '../helpers/db.ts';

describe('HOSHU_PG_POOL', () => {
  it('is read from the environment for PostgreSQL, 10 by default, and refused when not a positive whole number', () => {
    const url = 'postgres://hoshu@127.0.0.1:5432/hoshu';
    expect(loadConfig({ DATABASE_URL: url }).database).toEqual({ dialect: 'postgres', url, poolSize: 10 });
    expect(loadConfig({ DATABASE_URL: url, HOSHU_PG_POOL: '4' }).database).toEqual({ dialect: 'postgres', url, poolSize: 4 });
    expect(() => loadConfig({ DATABASE_URL: url, HOSHU_PG_POOL: '0' })).toThrow(/HOSHU_PG_POOL/);
    expect(() => loadConfig({ DATABASE_URL: url, HOSHU_PG_POOL: 'many' })).toThrow(/HOSHU_PG_POOL/);
    // SQLite has no pool: the setting does not appear there.
    expect(loadConfig({ HOSHU_PG_POOL: '4', HOSHU_DATA_DIR: '/tmp/x' }).database).not.toHaveProperty('poolSize');
  });

  describe.skipIf(!testDialects.includes('postgres'))('on the server', () => {
    const t = useTestDb('postgres');

    it('opens no more connections than the pool allows: four slow statements on a pool of 2 run two at a time', async () => {
      const database = createDb(loadConfig({ DATABASE_URL: t.url, HOSHU_PG_POOL: '2' }).database);
      try {
        const started = performance.now();
        const running = Promise.all(Array.from({ length: 4 }, () => sql`select pg_sleep(0.3) as pool_probe`.execute(database.db)));
        // Watched from the test's own handle: never more than two of the four at once.
        let most = 0;
        let done = false;
        void running.finally(() => { done = true; });
        while (!done) {
          const r = await sql<{ n: string }>`select count(*) as n from pg_stat_activity
            where datname = current_database() and state = 'active' and query like '%pool_probe%' and pid <> pg_backend_pid()`.execute(t.db);
          most = Math.max(most, Number(r.rows[0]!.n));
          await new Promise((res) => setTimeout(res, 20));
        }
        await running;
        // Two rounds of 0.3 s: four connections would have taken one.
        expect(performance.now() - started).toBeGreaterThanOrEqual(590);
        expect(most).toBeLessThanOrEqual(2);
        expect(most).toBeGreaterThan(0);
      } finally {
        await database.close();
      }
    });
  });
});
