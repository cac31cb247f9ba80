import { describe, expect, it } from 'vitest';
import { enqueue, cancelJobs } from '../../src/jobs/queue.ts';
import { JobRunner } from '../../src/jobs/runner.ts';
import { testDialects, useTestDb } from '../helpers/db.ts';

const T0 = Date.UTC(2026, 3, 1, 0, 0);

for (const dialect of testDialects) {
  describe(`job runner on ${dialect}`, () => {
    const t = useTestDb(dialect);

    it('runs only jobs that are due, once, and a dedupe key reschedules instead of duplicating', async () => {
      const ran: string[] = [];
      let now = T0;
      const runner = new JobRunner(t.database, {
        clock: () => now,
        handlers: { 'test.a': async (p) => void ran.push((p as { n: string }).n) },
      });
      await enqueue(t.db, { kind: 'test.a', payload: { n: 'due' }, runAt: T0 - 1, now });
      await enqueue(t.db, { kind: 'test.a', payload: { n: 'later' }, runAt: T0 + 60_000, dedupeKey: 'k1', now });
      await enqueue(t.db, { kind: 'test.a', payload: { n: 'later2' }, runAt: T0 + 120_000, dedupeKey: 'k1', now });
      expect(await runner.runDue()).toBe(1);
      expect(ran).toEqual(['due']);
      now = T0 + 90_000;
      expect(await runner.runDue()).toBe(0);
      now = T0 + 120_000;
      expect(await runner.runDue()).toBe(1);
      expect(ran).toEqual(['due', 'later2']);
      expect(await runner.runDue()).toBe(0);
    });

    it('retries a failing job with back-off, records the error, and gives up after max attempts', async () => {
      let now = T0;
      let calls = 0;
      const runner = new JobRunner(t.database, {
        clock: () => now,
        handlers: { 'test.fail': async () => { calls++; throw new Error('smtp down'); } },
      });
      await enqueue(t.db, { kind: 'test.fail', payload: {}, runAt: T0, dedupeKey: 'fail1', maxAttempts: 2, now });
      await runner.runDue();
      let job = await t.db.selectFrom('jobs').selectAll().where('dedupeKey', '=', 'fail1').executeTakeFirstOrThrow();
      expect(job.status).toBe('pending');
      expect(job.lastError).toContain('smtp down');
      expect(job.runAt).toBeGreaterThan(T0);
      now = job.runAt;
      await runner.runDue();
      job = await t.db.selectFrom('jobs').selectAll().where('dedupeKey', '=', 'fail1').executeTakeFirstOrThrow();
      expect(job.status).toBe('failed');
      expect(calls).toBe(2);
      now += 10 * 3600_000;
      await runner.runDue();
      expect(calls).toBe(2);
    });

    it('cancels pending jobs by key prefix', async () => {
      await enqueue(t.db, { kind: 'test.c', payload: {}, runAt: T0, dedupeKey: 'sla:abc:start:atRisk', now: T0 });
      await enqueue(t.db, { kind: 'test.c', payload: {}, runAt: T0, dedupeKey: 'sla:abc:start:breached', now: T0 });
      await enqueue(t.db, { kind: 'test.c', payload: {}, runAt: T0, dedupeKey: 'sla:abd:start:breached', now: T0 });
      expect(await cancelJobs(t.db, 'sla:abc:')).toBe(2);
    });

    it('hands a batch kind its due jobs in batches, in its own lane, and leaves their outcome to the handler', async () => {
      let now = T0;
      const batches: number[][] = [];
      let fail = false;
      const runner = new JobRunner(t.database, {
        clock: () => now,
        handlers: {
          'test.single': async () => undefined,
          'test.batch': {
            async batch(jobs) {
              if (fail) throw new Error('batch failed');
              batches.push(jobs.map((j) => (JSON.parse(j.payload) as { n: number }).n).sort((a, b) => a - b));
              // Reschedules the first job of each batch itself; the others it leaves alone.
              const first = jobs[0]!;
              await t.db.updateTable('jobs').set({ runAt: now + 60_000, lockedUntil: null, lockToken: null })
                .where('id', '=', first.id).where('lockToken', '=', first.lockToken).execute();
            },
          },
        },
        batchLane: { size: 3, leaseMs: 30_000 },
      });
      expect(runner.lanes.map((l) => [l.name, l.kinds, l.batchSize])).toEqual([['jobs', ['test.single'], 50], ['test.batch', ['test.batch'], 3]]);
      for (let n = 0; n < 5; n++) await enqueue(t.db, { kind: 'test.batch', payload: { n }, runAt: T0 + n, dedupeKey: `batch:${n}`, now });
      await enqueue(t.db, { kind: 'test.single', payload: {}, runAt: T0, dedupeKey: 'single', now });
      now = T0 + 10;
      expect(await runner.runDue()).toBe(6);
      expect(batches).toEqual([[0, 1, 2], [3, 4]]);
      const rows = await t.db.selectFrom('jobs').select(['dedupeKey', 'status', 'lockToken', 'runAt']).where('kind', 'in', ['test.batch', 'test.single']).orderBy('dedupeKey').execute();
      // The single job is done; batch jobs stay pending, the untouched ones still leased.
      expect(rows.map((r) => [r.dedupeKey, r.status, r.lockToken !== null])).toEqual([
        ['batch:0', 'pending', false], ['batch:1', 'pending', true], ['batch:2', 'pending', true],
        ['batch:3', 'pending', false], ['batch:4', 'pending', true], ['single', 'done', false],
      ]);
      // A failing batch is thrown to the caller; its jobs are claimed again only once the lease lapsed.
      now = T0 + 60_000 + 10;
      fail = true;
      await expect(runner.runBatch()).rejects.toThrow('batch failed');
      fail = false;
      const held = await t.db.selectFrom('jobs').select('payload').where('kind', '=', 'test.batch').where('lockedUntil', '=', now + 30_000).execute();
      const failed = held.map((r) => (JSON.parse(r.payload) as { n: number }).n).sort();
      expect(failed).toHaveLength(3);
      batches.length = 0;
      expect(await runner.runDue()).toBe(2); // the two the failed batch did not take
      expect(batches.flat().some((n) => failed.includes(n))).toBe(false);
      now += 30_001;
      batches.length = 0;
      await runner.runDue();
      expect(failed.every((n) => batches.flat().includes(n))).toBe(true);
    });

    it('two runners on one database run each of 1,000 due jobs exactly once', async () => {
      const now = T0;
      const rows = Array.from({ length: 1000 }, (_, i) => i);
      for (let i = 0; i < rows.length; i += 200) {
        await t.db.transaction().execute(async (tx) => {
          for (const n of rows.slice(i, i + 200)) {
            await enqueue(tx, { kind: 'test.many', payload: { n }, runAt: T0 - n, dedupeKey: `many:${n}`, now });
          }
        });
      }
      const seen = new Map<number, number>();
      const handler = async (p: unknown) => {
        const n = (p as { n: number }).n;
        seen.set(n, (seen.get(n) ?? 0) + 1);
        // Yield so the two runners interleave for real.
        await new Promise((r) => setImmediate(r));
      };
      // PostgreSQL: a second pool, as a second app process would have. SQLite: better-sqlite3
      // is synchronous, so two handles in one process would block each other's busy wait;
      // two runners share the handle instead (separate processes wait on busy_timeout).
      const other = dialect === 'postgres' ? t.openAnother() : t.database;
      const a = new JobRunner(t.database, { clock: () => now, handlers: { 'test.many': handler }, batchSize: 20 });
      const b = new JobRunner(other, { clock: () => now, handlers: { 'test.many': handler }, batchSize: 20 });
      const [na, nb] = await Promise.all([a.runDue(), b.runDue()]);
      expect(na + nb).toBe(1000);
      expect(na).toBeGreaterThan(0);
      expect(nb).toBeGreaterThan(0);
      expect(seen.size).toBe(1000);
      expect([...seen.values()].every((c) => c === 1)).toBe(true);
    }, 120_000);
  });
}
