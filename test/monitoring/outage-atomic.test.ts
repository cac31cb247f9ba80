/**
 * An outage and the incident it opens are created and linked in ONE unit of work: a
 * crash between any two statements of the monitoring incident job leaves either both or
 * neither — no incident without its outage (an orphan), and no outage linked to an
 * incident that is not its own (the old recovery guessed an orphan by system and could
 * adopt another monitor's incident). Every statement is made to fail in turn (both
 * dialects), and on SQLite the process is killed with SIGKILL between the incident's
 * insert and the link.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { uuidv7 } from 'uuidv7';
import { afterAll, describe, expect, it } from 'vitest';
import type { Kysely, KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import { createDb } from '../../src/db/database.ts';
import type { DB } from '../../src/db/schema.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { createServices } from '../../src/http/services.ts';
import { SYSTEM_ACTOR } from '../../src/modules/auth/actor.ts';
import { testDialects, useTestDb } from '../helpers/db.ts';
import { TestClock, makeWorld } from '../helpers/factories.ts';

class Crash extends Error {}

/** Fails the n-th statement run through it (counting from 1). */
class FailAt implements KyselyPlugin {
  seen = 0;
  constructor(readonly n: number) {}
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.seen += 1;
    if (this.seen === this.n) throw new Crash(`injected crash before statement ${this.n}`);
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

async function fixture(db: Kysely<DB>, clock: TestClock) {
  const w = await makeWorld(db, clock);
  const s = createServices({ db, clock: clock.fn });
  const monitor = (name: string) => s.monitoring.create(SYSTEM_ACTOR, { contractId: w.contract.id, systemId: w.system.id, name, kind: 'http', url: 'http://127.0.0.1:9/' });
  const [a, b] = [await monitor('Web A'), await monitor('Web B')];
  const outage = async (monitorId: string) => {
    const id = uuidv7();
    await db.insertInto('outages').values({
      id, monitorId, contractId: w.contract.id, clientId: w.client.id, systemId: w.system.id,
      startedAt: clock.now - 180_000, confirmedAt: clock.now, endedAt: null, muted: 0, incidentId: null, createdAt: clock.now, updatedAt: clock.now,
    }).execute();
    return id;
  };
  // Monitor A's outage has its incident, open: the one a guess by system could wrongly adopt.
  const outageA = await outage(a.id);
  const incidentA = (await s.monitoring.openIncident(outageA))!;
  const outageB = await outage(b.id);
  return { w, s, outageA, incidentA, outageB };
}

/** Monitoring incidents no outage links to, and outages linked to another monitor's incident. */
async function damage(db: Kysely<DB>) {
  const links = await db.selectFrom('outages').select(['id', 'monitorId', 'incidentId']).execute();
  const linked = new Set(links.flatMap((o) => (o.incidentId ? [o.incidentId] : [])));
  const incidents = await db.selectFrom('incidents').select('id').where('channel', '=', 'monitoring').execute();
  const orphans = incidents.filter((i) => !linked.has(i.id)).map((i) => i.id);
  const byIncident = new Map<string, Set<string>>();
  for (const o of links) if (o.incidentId) byIncident.set(o.incidentId, new Set([...(byIncident.get(o.incidentId) ?? []), o.monitorId]));
  const shared = [...byIncident.entries()].filter(([, monitors]) => monitors.size > 1).map(([id]) => id);
  return { orphans, shared };
}

for (const dialect of testDialects) {
  describe(`outage and incident commit together (${dialect})`, () => {
    const t = useTestDb(dialect);

    it('a crash before any statement of the incident job leaves no orphan and adopts nothing; the retry links exactly one incident', async () => {
      const clock = new TestClock(Date.parse('2026-04-08T10:00:00+09:00'));
      const f = await fixture(t.db, clock);
      let crashes = 0;
      for (let n = 1; n < 200; n++) {
        const plugin = new FailAt(n);
        const crashing = createServices({ db: t.db.withPlugin(plugin), clock: clock.fn });
        try {
          const linked = await crashing.monitoring.openIncident(f.outageB);
          // Past the last statement: the job ran to the end.
          expect(linked).not.toBe(f.incidentA);
          break;
        } catch (e) {
          if (!(e instanceof Crash)) throw e;
          crashes += 1;
          expect(await damage(t.db), `after a crash before statement ${n}`).toEqual({ orphans: [], shared: [] });
          const b = await t.db.selectFrom('outages').select('incidentId').where('id', '=', f.outageB).executeTakeFirstOrThrow();
          expect(b.incidentId).toBeNull();
        }
      }
      // The job is many statements long (lookups, incident, targets, timers, timeline, audit, link): each was a crash point.
      expect(crashes).toBeGreaterThan(10);
      const b = await t.db.selectFrom('outages').select('incidentId').where('id', '=', f.outageB).executeTakeFirstOrThrow();
      expect(b.incidentId).not.toBeNull();
      expect(b.incidentId).not.toBe(f.incidentA);
      expect(await damage(t.db)).toEqual({ orphans: [], shared: [] });
      expect(await t.db.selectFrom('incidents').select('id').where('channel', '=', 'monitoring').execute()).toHaveLength(2);
      // Run again (a duplicate job): nothing new.
      expect(await f.s.monitoring.openIncident(f.outageB)).toBe(b.incidentId);
      expect(await t.db.selectFrom('incidents').select('id').where('channel', '=', 'monitoring').execute()).toHaveLength(2);
    });
  });
}

if (testDialects.includes('sqlite')) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hoshu-outage-kill-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  describe('outage and incident under kill -9 (SQLite)', () => {
    it('a process killed between the incident insert and the link leaves neither; the next run links one', async () => {
      const file = path.join(dir, 'hoshu.db');
      const clock = new TestClock(Date.parse('2026-04-08T10:00:00+09:00'));
      const setup = createDb({ dialect: 'sqlite', file });
      await migrateToLatest(setup.db);
      const f = await fixture(setup.db, clock);
      await setup.close();

      const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'crash-child.ts')], {
        env: { ...process.env, HOSHU_TEST_DB_FILE: file, HOSHU_TEST_OUTAGE: f.outageB, HOSHU_TEST_NOW: String(clock.now) },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
      const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, sig) => resolve(sig)));
      expect(signal).toBe('SIGKILL');
      expect(out).not.toContain('completed');

      const after = createDb({ dialect: 'sqlite', file });
      try {
        expect(await damage(after.db)).toEqual({ orphans: [], shared: [] });
        expect(await after.db.selectFrom('incidents').select('id').where('channel', '=', 'monitoring').execute()).toHaveLength(1);
        const s = createServices({ db: after.db, clock: clock.fn });
        const linked = await s.monitoring.openIncident(f.outageB);
        expect(linked).not.toBeNull();
        expect(linked).not.toBe(f.incidentA);
        expect(await damage(after.db)).toEqual({ orphans: [], shared: [] });
        expect(await after.db.selectFrom('incidents').select('id').where('channel', '=', 'monitoring').execute()).toHaveLength(2);
      } finally {
        await after.close();
      }
    });
  });
}
