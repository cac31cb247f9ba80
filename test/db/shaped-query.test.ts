/** Reused compiled statements give the same results as building each query, on both dialects. */
import { describe, expect, it } from 'vitest';
import { insertRows } from '../../src/db/insert-rows.ts';
import { executeShaped } from '../../src/db/shaped-query.ts';
import { tableVersionsOf } from '../../src/db/table-versions.ts';
import { testDialects, useTestDb } from '../helpers/db.ts';

for (const dialect of testDialects) {
  describe(`shaped queries (${dialect})`, () => {
    const t = useTestDb(dialect);

    it('binds each call\'s own values into the reused statement', async () => {
      for (const [name, value] of [['s-a', 1], ['s-b', 2], ['s-c', 3]] as const) {
        await insertRows(t.db, 'counters', [{ name, value }]);
      }
      await insertRows(t.db, 'counters', [{ name: 's-a', value: 10 }], { conflict: ['name'], fromRow: ['value'] });
      const read = async (name: string) =>
        (await executeShaped(t.db, 'test-counter', [name], () => t.db.selectFrom('counters').select(['name', 'value']).where('name', '=', name))).rows;
      expect(await read('s-a')).toEqual([{ name: 's-a', value: 10 }]);
      expect(await read('s-b')).toEqual([{ name: 's-b', value: 2 }]);
      expect(await read('nope')).toEqual([]);
    });

    it('a shape whose parameters are not the given values is built every time (and stays right)', async () => {
      await insertRows(t.db, 'counters', [{ name: 'm-1', value: 1 }, { name: 'm-2', value: 2 }]);
      // The builder adds a value of its own before the given one: the check refuses the template.
      const read = async (min: number) =>
        (await executeShaped(t.db, 'test-mismatch', [min], () => t.db.selectFrom('counters').select('name').where('name', 'like', 'm-%').where('value', '>=', min).orderBy('name'))).rows.map((r) => r.name);
      expect(await read(1)).toEqual(['m-1', 'm-2']);
      expect(await read(2)).toEqual(['m-2']);
    });

    it('a shape is kept per plugin set, and only once it has run', async () => {
      await insertRows(t.db, 'counters', [{ name: 'p-1', value: 7 }]);
      const byName = (ex: typeof t.db) => executeShaped(ex, 'test-plugins', ['p-1'], () => ex.selectFrom('counters').select(['name', 'value']).where('name', '=', 'p-1'));
      // Without the camel-case plugin the same builder names no real column: it fails there…
      const bare = t.db.withoutPlugins();
      await expect(executeShaped(bare, 'test-plugins-2', [1], () => bare.selectFrom('calendars').select('createdAt' as never).where('version', '=', 1))).rejects.toThrow();
      await expect(byName(bare)).resolves.toBeDefined();
      // …and the instance with plugins keeps its own, working SQL for the same shapes.
      const calendars = await executeShaped(t.db, 'test-plugins-2', [1], () => t.db.selectFrom('calendars').select('createdAt').where('version', '=', 1));
      expect(calendars.rows).toEqual([]);
      expect((await byName(t.db)).rows).toEqual([{ name: 'p-1', value: 7 }]);
    });

    it('a column left undefined gets its default, as with a built insert', async () => {
      const job = (id: string, attempts: number | undefined) => ({
        id, kind: 'test', payload: 'null', runAt: 1, status: 'done', attempts, maxAttempts: 1, lockedUntil: null, lockToken: null,
        dedupeKey: null, lastError: null, createdAt: 1, updatedAt: 1,
      });
      await insertRows(t.db, 'jobs', [job('j-1', 4) as never]);
      // jobs.attempts is typed as required; other tables' defaulted columns are optional, so the case is real.
      await insertRows(t.db, 'jobs', [job('j-2', undefined) as never]);
      const rows = await t.db.selectFrom('jobs').select(['id', 'attempts']).where('id', 'in', ['j-1', 'j-2']).orderBy('id').execute();
      expect(rows).toEqual([{ id: 'j-1', attempts: 4 }, { id: 'j-2', attempts: 0 }]);
    });

    it.runIf(dialect === 'sqlite')('a reused insert still counts as a change of its table for the read caches', async () => {
      const versions = tableVersionsOf(t.db)!;
      await insertRows(t.db, 'counters', [{ name: 'v-1', value: 1 }]);
      const before = versions.token(['counters']);
      await insertRows(t.db, 'counters', [{ name: 'v-2', value: 1 }]);
      expect(versions.token(['counters'])).not.toBe(before);
    });
  });
}
