import { describe, expect, it } from 'vitest';
import { seedBaseData } from '../../src/seed/base.ts';
import { enqueue, pruneJobs } from '../../src/jobs/queue.ts';
import { JobRunner } from '../../src/jobs/runner.ts';
import { SYSTEM_ACTOR } from '../../src/modules/auth/actor.ts';
import { STANDARD_POLICY } from '../../src/contract/sla-policy-document.ts';
import { makeServices } from '../helpers/factories.ts';
import { testDialects, useTestDb } from '../helpers/db.ts';

const NOW = Date.parse('2026-04-01T00:00:00Z');

for (const dialect of testDialects) {
  describe(`base data and upkeep on ${dialect}`, () => {
    const t = useTestDb(dialect);

    it('seeds the standard calendar and the standard SLA policy once, also when processes start together', async () => {
      const other = dialect === 'postgres' ? t.openAnother().db : t.db;
      await Promise.all([seedBaseData(t.db, NOW, dialect), seedBaseData(other, NOW, dialect), seedBaseData(t.db, NOW, dialect)]);
      const s = makeServices(t.db, () => NOW);
      const [calendars, policies] = await Promise.all([s.calendars.list(SYSTEM_ACTOR), s.policies.list(SYSTEM_ACTOR)]);
      expect(calendars).toHaveLength(1);
      expect(calendars[0]!.document).toMatchObject({ timeZone: 'Asia/Tokyo', holidays: ['jp'] });
      expect(policies).toHaveLength(1);
      expect(policies[0]).toMatchObject({ isDefault: true, currentVersion: 1, document: STANDARD_POLICY });
      // SPEC §2's table, as stored.
      const p = policies[0]!.document.priorities;
      expect(p.urgent.start?.clock).toEqual({ kind: 'calendar', minutes: 10 });
      expect(p.urgent.resolve?.clock).toEqual({ kind: 'calendar', minutes: 480 });
      expect(p.important.resolve).toEqual({ from: 'started', clock: { kind: 'endOfNthBusinessDay', n: 1 } });
      expect(p.minor.propose?.clock).toEqual({ kind: 'calendar', minutes: 7 * 24 * 60 });
    });

    it('prunes finished jobs older than the cut-off and keeps pending ones', async () => {
      let now = NOW;
      const runner = new JobRunner(t.database, { clock: () => now, handlers: { 'test.p': async () => undefined } });
      await enqueue(t.db, { kind: 'test.p', payload: {}, runAt: NOW, dedupeKey: 'p-old', now });
      await enqueue(t.db, { kind: 'test.p', payload: {}, runAt: NOW + 90 * 86_400_000, dedupeKey: 'p-future', now });
      await runner.runDue();
      now += 40 * 86_400_000;
      expect(await pruneJobs(t.db, now - 30 * 86_400_000)).toBe(1);
      const left = await t.db.selectFrom('jobs').select('dedupeKey').where('dedupeKey', 'in', ['p-old', 'p-future']).execute();
      expect(left.map((r) => r.dedupeKey)).toEqual(['p-future']);
    });
  });
}
