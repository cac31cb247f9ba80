/**
 * Group commit: concurrent write units share one commit on SQLite, yet each one
 * is all-or-nothing on its own and is acknowledged only once it is on disk.
 */
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { writeTransaction } from '../../src/db/write-batch.ts';
import { testDialects, useTestDb } from '../helpers/db.ts';

for (const dialect of testDialects) {
  describe(`write transactions (${dialect})`, () => {
    const t = useTestDb(dialect);

    it('a failing unit rolls back alone; the others commit, and each is readable by another connection when acknowledged', async () => {
      const write = writeTransaction(t.db);
      const other = t.openAnother();
      const names = Array.from({ length: 40 }, (_, i) => `batch-${i}`);
      const seenOnAck: boolean[] = [];
      const results = await Promise.allSettled(names.map((name, i) => write(async (tx) => {
        await tx.insertInto('counters').values({ name, value: i }).execute();
        if (i === 7) throw new Error('unit 7 fails after writing');
        await tx.insertInto('counters').values({ name: `${name}-second`, value: i }).execute();
        return name;
      }).then(async (v) => {
        // Acknowledged: another connection (another process, say) must already see it.
        const row = await other.db.selectFrom('counters').select('value').where('name', '=', name).executeTakeFirst();
        seenOnAck[i] = row?.value === i;
        return v;
      })));

      expect(results[7]).toMatchObject({ status: 'rejected', reason: expect.objectContaining({ message: 'unit 7 fails after writing' }) });
      expect(results.filter((r) => r.status === 'fulfilled').map((r) => (r as PromiseFulfilledResult<string>).value)).toEqual(names.filter((_, i) => i !== 7));
      expect(seenOnAck.filter((_, i) => i !== 7).every(Boolean)).toBe(true);
      const stored = await t.db.selectFrom('counters').select('name').where('name', 'like', 'batch-%').execute();
      expect(stored.map((r) => r.name).sort()).toEqual(names.filter((_, i) => i !== 7).flatMap((n) => [n, `${n}-second`]).sort());
    });

    it('a unit alone in its batch that fails leaves nothing behind', async () => {
      const write = writeTransaction(t.db);
      await expect(write(async (tx) => {
        await tx.insertInto('counters').values({ name: 'lone', value: 1 }).execute();
        throw new Error('lone unit fails');
      })).rejects.toThrow('lone unit fails');
      expect(await t.db.selectFrom('counters').select('name').where('name', '=', 'lone').execute()).toEqual([]);
      await write((tx) => tx.insertInto('counters').values({ name: 'after-lone', value: 1 }).execute());
      expect(await t.db.selectFrom('counters').select('value').where('name', '=', 'after-lone').executeTakeFirst()).toEqual({ value: 1 });
    });

    it('a unit that breaks a constraint gets the database error and leaves the batch intact', async () => {
      const write = writeTransaction(t.db);
      await write((tx) => tx.insertInto('counters').values({ name: 'dup', value: 1 }).execute());
      const [a, b, c] = await Promise.allSettled([
        write((tx) => tx.insertInto('counters').values({ name: 'before-dup', value: 1 }).execute()),
        write((tx) => tx.insertInto('counters').values({ name: 'dup', value: 2 }).execute()),
        write((tx) => tx.insertInto('counters').values({ name: 'after-dup', value: 1 }).execute()),
      ]);
      expect([a.status, b.status, c.status]).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      const rows = await t.db.selectFrom('counters').select(['name', 'value']).where('name', 'in', ['dup', 'before-dup', 'after-dup']).orderBy('name').execute();
      expect(rows).toEqual([{ name: 'after-dup', value: 1 }, { name: 'before-dup', value: 1 }, { name: 'dup', value: 1 }]);
    });

    it.runIf(dialect === 'sqlite')('a unit whose error ends the whole transaction fails alone; the rest of its batch is run again and committed', async () => {
      const write = writeTransaction(t.db);
      await write((tx) => tx.insertInto('counters').values({ name: 'taken', value: 1 }).execute());
      const results = await Promise.allSettled([
        write((tx) => tx.insertInto('counters').values({ name: 'ended-1', value: 1 }).execute()),
        // ON CONFLICT ROLLBACK: SQLite ends the transaction itself, savepoints and all.
        write((tx) => sql`insert or rollback into counters (name, value) values ('taken', 2)`.execute(tx)),
        write((tx) => tx.insertInto('counters').values({ name: 'ended-3', value: 1 }).execute()),
      ]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/UNIQUE/);
      const rows = await t.db.selectFrom('counters').select(['name', 'value']).where('name', 'in', ['taken', 'ended-1', 'ended-3']).orderBy('name').execute();
      expect(rows).toEqual([{ name: 'ended-1', value: 1 }, { name: 'ended-3', value: 1 }, { name: 'taken', value: 1 }]);

      // Alone in its batch, the same error reaches the caller as itself.
      await expect(write((tx) => sql`insert or rollback into counters (name, value) values ('taken', 3)`.execute(tx))).rejects.toThrow(/UNIQUE/);
      await write((tx) => tx.insertInto('counters').values({ name: 'ended-after', value: 1 }).execute());
      expect(await t.db.selectFrom('counters').select('value').where('name', '=', 'taken').executeTakeFirst()).toEqual({ value: 1 });
    });
  });
}
