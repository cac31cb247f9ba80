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
        // An FTS5 table (SQLite's incident_search) keeps its index in shadow tables of its own.
        const shadow = /^incident_search_(data|idx|config|content|docsize)$/;
        for (const t of tables) if (!shadow.test(t.name)) actual[camel(t.name)] = t.columns.map((c) => camel(c.name)).sort();
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

  if (dialect === 'sqlite') {
    it('SQLite refuses a non-integer in every bigint column, as PostgreSQL does (one trigger pair per table)', async () => {
      const { database, drop } = await emptyDatabase(dialect);
      try {
        await migrateToLatest(database.db);
        const cols = await sql<{ tbl: string; col: string }>`
          select m.name as tbl, p.name as col from sqlite_master m join pragma_table_info(m.name) p
          where m.type = 'table' and lower(p.type) = 'bigint'`.execute(database.db);
        expect(cols.rows.length).toBeGreaterThan(50);
        const triggers = await sql<{ name: string; sql: string }>`select name, sql from sqlite_master where type = 'trigger'`.execute(database.db);
        const text = new Map(triggers.rows.map((r) => [r.name, r.sql]));
        // A later migration that adds a bigint column must guard it too.
        for (const { tbl, col } of cols.rows) {
          for (const kind of ['insert', 'update']) {
            expect(text.get(`${tbl}_bigint_${kind}`) ?? '', `${tbl}.${col} on ${kind}`).toContain(`new."${col}"`);
          }
        }
        // What a user would have met: a fractional at-risk instant is refused, not stored as a REAL.
        await database.db.insertInto('counters').values({ name: 'y', value: 1 }).execute();
        await expect(database.db.updateTable('counters').set({ value: 229.25 }).where('name', '=', 'y').execute()).rejects.toThrow(/whole numbers/);
        await expect(database.db.insertInto('counters').values({ name: 'z', value: 1.5 }).execute()).rejects.toThrow(/whole numbers/);
        const row = await database.db.selectFrom('counters').select('value').where('name', '=', 'y').executeTakeFirstOrThrow();
        expect(row.value).toBe(1);
      } finally {
        await drop();
      }
    });

    it('rounds up REAL values an older SQLite desk already stored', async () => {
      const { database, drop } = await emptyDatabase(dialect);
      try {
        const m = migrator(database.db);
        await m.migrateTo('202612011200_monitoring_recovery');
        await database.db.insertInto('counters').values({ name: 'r', value: 1_767_225_600_229.25 }).execute();
        await migrateToLatest(database.db);
        const row = await database.db.selectFrom('counters').select('value').where('name', '=', 'r').executeTakeFirstOrThrow();
        expect(row.value).toBe(1_767_225_600_230);
      } finally {
        await drop();
      }
    });
  }
  });
}
