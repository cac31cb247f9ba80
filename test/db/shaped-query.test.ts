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

    it.runIf(dialect === 'sqlite')('a reused insert still counts as a change of its table for the read caches', async () => {
      const versions = tableVersionsOf(t.db)!;
      await insertRows(t.db, 'counters', [{ name: 'v-1', value: 1 }]);
      const before = versions.token(['counters']);
      await insertRows(t.db, 'counters', [{ name: 'v-2', value: 1 }]);
      expect(versions.token(['counters'])).not.toBe(before);
    });
  });
}
