/**
 * The unit of work on both dialects: a command commits its change and its audit rows
 * together or not at all; a command that records no audit entry (and does not say
 * `unchanged()`) rolls back; a unit opened inside a unit is refused after a queue
 * timeout instead of waiting forever behind its parent in the group-commit queue.
 */
import { describe, expect, it } from 'vitest';
import { createUnitOfWork, unitOfWork, asActor, UnauditedChangeError } from '../../src/db/unit-of-work.ts';
import { testDialects, useTestDb } from '../helpers/db.ts';

const AGENT = { userId: 'u-agent', role: 'agent' };
const MAIL = { userId: 'system:mail', role: 'admin' };

for (const dialect of testDialects) {
  describe(`unit of work (${dialect})`, () => {
    const t = useTestDb(dialect);
    let n = 0;
    const counter = () => `uow-${dialect}-${++n}`;
    const counterValue = async (name: string) => (await t.db.selectFrom('counters').select('value').where('name', '=', name).executeTakeFirst())?.value;
    const auditOf = (entityId: string) => t.db.selectFrom('auditLog').select(['entity', 'action', 'actorId', 'actorRole', 'at', 'before', 'after']).where('entityId', '=', entityId).execute();

    it('writes the change and its audit row in one transaction, at the unit\'s instant', async () => {
      const uow = unitOfWork(t.db, () => 1_767_225_600_123);
      const name = counter();
      await uow.command(AGENT, async (w) => {
        await w.tx.insertInto('counters').values({ name, value: 7 }).execute();
        w.audit({ entity: 'counter', entityId: name, action: 'create', after: { value: 7 } });
      });
      expect(await counterValue(name)).toBe(7);
      expect(await auditOf(name)).toEqual([{ entity: 'counter', action: 'create', actorId: 'u-agent', actorRole: 'agent', at: 1_767_225_600_123, before: null, after: '{"value":7}' }]);
    });

    it('a command that forgets its audit entry rolls back and says which command it was', async () => {
      const uow = unitOfWork(t.db, Date.now);
      const name = counter();
      await expect(uow.command(AGENT, async (w) => {
        await w.tx.insertInto('counters').values({ name, value: 1 }).execute();
      }, { name: 'counter.create' })).rejects.toThrow(UnauditedChangeError);
      await expect(uow.command(AGENT, async () => undefined, { name: 'counter.noop' })).rejects.toThrow(/counter\.noop/);
      expect(await counterValue(name)).toBeUndefined();
    });

    it('unchanged() is a no-op command without an audit row; internal work needs none', async () => {
      const uow = unitOfWork(t.db, Date.now);
      await expect(uow.command(AGENT, async (w) => w.unchanged())).resolves.toBeUndefined();
      const name = counter();
      await uow.internal(AGENT, async (w) => void (await w.tx.insertInto('counters').values({ name, value: 2 }).execute()));
      expect(await counterValue(name)).toBe(2);
      expect(await auditOf(name)).toEqual([]);
    });

    it('an error after the audit entry leaves neither the change nor the audit row', async () => {
      const uow = unitOfWork(t.db, Date.now);
      const name = counter();
      await expect(uow.command(AGENT, async (w) => {
        await w.tx.insertInto('counters').values({ name, value: 3 }).execute();
        w.audit({ entity: 'counter', entityId: name, action: 'create' });
        throw new Error('boom');
      })).rejects.toThrow('boom');
      expect(await counterValue(name)).toBeUndefined();
      expect(await auditOf(name)).toEqual([]);
    });

    it('a unit opened inside a unit is refused after its queue timeout instead of hanging (pass the Work on instead)', async () => {
      // On PostgreSQL a nested unit takes a second connection and would not wait; the rule is the same.
      const uow = createUnitOfWork(t.db, Date.now, { queueTimeoutMs: 300 });
      const name = counter();
      const started = Date.now();
      const outer = uow.command(AGENT, async (w) => {
        w.audit({ entity: 'counter', entityId: name, action: 'outer' });
        await w.tx.insertInto('counters').values({ name, value: 5 }).execute();
        await uow.command(AGENT, async (inner) => inner.unchanged(), { name: 'inner' });
      });
      if (dialect === 'sqlite') {
        await expect(outer).rejects.toThrow(/inner.*waited 300 ms/);
        expect(Date.now() - started).toBeLessThan(5_000);
        expect(await counterValue(name)).toBeUndefined();
      } else {
        await expect(outer).resolves.toBeUndefined();
      }
      // The refused unit never runs later, and the queue carries on.
      await uow.command(AGENT, async (w) => w.unchanged());
    });

    it('another actor in the same unit (asActor) writes its entries under that actor, in the same transaction', async () => {
      const uow = unitOfWork(t.db, Date.now);
      const name = counter();
      await uow.internal(MAIL, async (w) => {
        await w.tx.insertInto('counters').values({ name, value: 4 }).execute();
        asActor(w, AGENT).audit({ entity: 'counter', entityId: name, action: 'create' });
      });
      expect((await auditOf(name)).map((r) => [r.actorId, r.actorRole])).toEqual([['u-agent', 'agent']]);
    });
  });
}
