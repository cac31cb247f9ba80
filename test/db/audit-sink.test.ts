/**
 * The unit of work's audit sink (the outbox hook the webhooks use): it sees each unit's
 * audit entries, with who and when, in the unit's own transaction — what it writes commits
 * with the unit — and a sink that fails rolls the whole unit back; a unit with no entries
 * (unchanged) does not call it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createUnitOfWork, setAuditSink, type AuditedUnit } from '../../src/db/unit-of-work.ts';
import { testDialects, useTestDb } from '../helpers/db.ts';

const actor = { userId: 'u1', role: 'admin' };

for (const dialect of testDialects) {
  describe(`audit sink on ${dialect}`, () => {
    const t = useTestDb(dialect);
    afterEach(() => setAuditSink(t.db, null));

    it('sees the entries in the unit\'s transaction; its writes commit with the unit', async () => {
      const seen: Array<Omit<AuditedUnit, 'tx'>> = [];
      setAuditSink(t.db, async (u) => {
        seen.push({ actor: u.actor, at: u.at, records: [...u.records] });
        await u.tx.insertInto('counters').values({ name: `sink:${u.records[0]!.entityId}`, value: u.records.length }).execute();
      });
      const uow = createUnitOfWork(t.db, () => 1_000);
      await uow.command(actor, async (w) => {
        w.audit({ entity: 'thing', entityId: 'a', action: 'create', after: { n: 1 } });
        w.audit({ entity: 'thing', entityId: 'a', action: 'update', before: { n: 1 }, after: { n: 2 } });
      });
      await uow.command(actor, async (w) => w.unchanged());
      expect(seen).toEqual([{ actor, at: 1_000, records: [
        { entity: 'thing', entityId: 'a', action: 'create', after: { n: 1 } },
        { entity: 'thing', entityId: 'a', action: 'update', before: { n: 1 }, after: { n: 2 } },
      ] }]);
      expect(await t.db.selectFrom('counters').select(['name', 'value']).where('name', '=', 'sink:a').execute()).toEqual([{ name: 'sink:a', value: 2 }]);
    });

    it('a failing sink rolls the unit back, audit rows and all', async () => {
      setAuditSink(t.db, async () => { throw new Error('outbox down'); });
      const uow = createUnitOfWork(t.db, () => 2_000);
      await expect(uow.command(actor, async (w) => {
        await w.tx.insertInto('counters').values({ name: 'rolled-back', value: 1 }).execute();
        w.audit({ entity: 'thing', entityId: 'b', action: 'create' });
      })).rejects.toThrow('outbox down');
      expect(await t.db.selectFrom('counters').select('name').where('name', '=', 'rolled-back').execute()).toEqual([]);
      expect(await t.db.selectFrom('auditLog').select('id').where('entityId', '=', 'b').execute()).toEqual([]);
    });
  });
}
