import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { tableColumns } from '../../src/db/schema.ts';
import { migrateToLatest, migrator } from '../../src/db/migrate.ts';
import { emptyDatabase, testDialects } from '../helpers/db.ts';

const camel = (s: string) => s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

for (const dialect of testDialects) {
  describe(`migrations on ${dialect}`, () => {
    it('migrate an empty database to exactly the tables and columns schema.ts declares', async () => {
      const { database, drop } = await emptyDatabase(dialect);
      try {
        const applied = await migrateToLatest(database.db);
        expect(applied.length).toBeGreaterThan(0);
        // A second run is a no-op: start-up migrates every time.
        expect(await migrateToLatest(database.db)).toEqual([]);

        const tables = await database.db.introspection.getTables();
        const actual: Record<string, string[]> = {};
        for (const t of tables) actual[camel(t.name)] = t.columns.map((c) => camel(c.name)).sort();
        const expected: Record<string, string[]> = {};
        for (const [t, cols] of Object.entries(tableColumns)) expected[t] = [...cols].sort();
        expect(actual).toEqual(expected);

        // Instants come back as numbers in both dialects (int8 parsed on PostgreSQL).
        await database.db.insertInto('counters').values({ name: 'x', value: 1_767_225_600_000 }).execute();
        const row = await database.db.selectFrom('counters').select('value').where('name', '=', 'x').executeTakeFirstOrThrow();
        expect(row.value).toBe(1_767_225_600_000);
        const n = await sql<{ n: number }>`select count(*) as n from counters`.execute(database.db);
        expect(n.rows[0]?.n).toBe(1);
        const listed = await migrator(database.db).getMigrations();
        expect(listed.every((m) => m.executedAt)).toBe(true);
      } finally {
        await drop();
      }
    });
  });
}
