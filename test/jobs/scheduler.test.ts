import { describe, expect, it } from 'vitest';
import { enqueue } from '../../src/jobs/queue.ts';
import { JobRunner } from '../../src/jobs/runner.ts';
import { Scheduler } from '../../src/jobs/scheduler.ts';
import { loadConfig } from '../../src/config.ts';
import { testDialects, useTestDb } from '../helpers/db.ts';

const T0 = Date.UTC(2026, 3, 1);

for (const dialect of testDialects) {
  describe(`job leases and the scheduler on ${dialect}`, () => {
    const t = useTestDb(dialect);

    it('a job claimed by a runner that died is taken over after its lease, and runs once', async () => {
      let now = T0;
      const ran: string[] = [];
      const handlers = { 'test.lease': async () => void ran.push('b') };
      await enqueue(t.db, { kind: 'test.lease', payload: {}, runAt: T0, dedupeKey: 'lease-1', now });
      const dead = new JobRunner(t.database, { clock: () => now, handlers, leaseMs: 60_000 });
      const claimed = await dead.claim(); // …and the process dies before finishing
      expect(claimed).toHaveLength(1);
      const b = new JobRunner(t.database, { clock: () => now, handlers, leaseMs: 60_000 });
      expect(await b.runDue()).toBe(0); // still leased
      now += 61_000;
      expect(await b.runDue()).toBe(1);
      expect(ran).toEqual(['b']);
      const row = await t.db.selectFrom('jobs').select(['status', 'attempts']).where('dedupeKey', '=', 'lease-1').executeTakeFirstOrThrow();
      expect(row).toEqual({ status: 'done', attempts: 2 });
    });

    it('rescheduling a job while it runs keeps the new schedule', async () => {
      let now = T0;
      const seen: number[] = [];
      const handlers = {
        'test.resched': async (p: unknown) => {
          seen.push((p as { v: number }).v);
          // A change commits meanwhile and moves the timer.
          if (seen.length === 1) await enqueue(t.db, { kind: 'test.resched', payload: { v: 2 }, runAt: T0 + 5_000, dedupeKey: 'resched', now });
        },
      };
      const runner = new JobRunner(t.database, { clock: () => now, handlers });
      await enqueue(t.db, { kind: 'test.resched', payload: { v: 1 }, runAt: T0, dedupeKey: 'resched', now });
      await runner.runDue();
      now = T0 + 5_000;
      await runner.runDue();
      expect(seen).toEqual([1, 2]);
    });

    it('the scheduler runs due jobs in the background and stops cleanly', async () => {
      const ran: number[] = [];
      const runner = new JobRunner(t.database, { handlers: { 'test.bg': async (p) => void ran.push((p as { n: number }).n) } });
      const scheduler = new Scheduler(runner, { intervalMs: 50 });
      scheduler.start();
      await enqueue(t.db, { kind: 'test.bg', payload: { n: 1 }, runAt: Date.now(), now: Date.now() });
      scheduler.poke();
      for (let i = 0; i < 100 && ran.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      await scheduler.stop();
      expect(ran).toEqual([1]);
    });
  });
}

describe('configuration', () => {
  it('defaults to SQLite in ./data and reads PostgreSQL and SMTP settings from the environment', () => {
    const c = loadConfig({});
    expect(c.database).toEqual({ dialect: 'sqlite', file: expect.stringMatching(/data[/\\]hoshu\.db$/), synchronous: 'full' });
    expect(loadConfig({ HOSHU_SQLITE_SYNC: 'normal' }).database).toMatchObject({ synchronous: 'normal' });
    expect(c.port).toBe(8080);
    expect(c.smtp.transport).toBeNull();
    const pgc = loadConfig({ DATABASE_URL: 'postgres://u:pw@db:5432/hoshu', PORT: '9000', HOSHU_SMTP_HOST: 'mail', HOSHU_SMTP_PORT: '2525', HOSHU_DESK_EMAIL: 'desk@x.test', DIALECTS: '' });
    expect(pgc.database).toEqual({ dialect: 'postgres', url: 'postgres://u:pw@db:5432/hoshu', poolSize: 10 });
    expect(pgc.smtp).toMatchObject({ transport: { host: 'mail', port: 2525, secure: false }, deskEmail: 'desk@x.test' });
    expect(pgc.port).toBe(9000);
  });

  it('trusts X-Forwarded-For only when told which proxies to believe', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({}).cookieSecure).toBe('auto');
    expect(loadConfig({ HOSHU_TRUST_PROXY: '1', HOSHU_COOKIE_SECURE: 'true' })).toMatchObject({ trustProxy: 1, cookieSecure: true });
    expect(() => loadConfig({ HOSHU_TRUST_PROXY: 'yes' })).toThrow(/HOSHU_TRUST_PROXY/);
  });

  it('names every invalid variable', () => {
    expect(() => loadConfig({ PORT: 'abc', HOSHU_DESK_EMAIL: 'nope', DATABASE_URL: 'mysql://x' })).toThrow(/PORT[\s\S]*HOSHU_DESK_EMAIL/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://root:secret@x/db' })).toThrow(/mysql:\/\/root:\*\*\*@x\/db/);
  });
});
