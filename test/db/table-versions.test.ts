/** Which statements count as writes to which tables, for the exact read caches. */
import { CamelCasePlugin, Kysely, SqliteDialect, sql } from 'kysely';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { DB } from '../../src/db/schema.ts';
import { TableVersions, writtenTables } from '../../src/db/table-versions.ts';

const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: new Database(':memory:') }), plugins: [new CamelCasePlugin()] });
const node = (q: { toOperationNode(): unknown }) => q.toOperationNode() as Parameters<typeof writtenTables>[0];

describe('writtenTables', () => {
  it('names the table (its SQL name) of an insert, update or delete and none for a select', () => {
    expect(writtenTables(node(db.insertInto('incidents').values({ id: 'x' } as never)))).toEqual(['incidents']);
    expect(writtenTables(node(db.updateTable('incidentTargets').set({ state: 'ok' })))).toEqual(['incident_targets']);
    expect(writtenTables(node(db.deleteFrom('incidentPauses')))).toEqual(['incident_pauses']);
    expect(writtenTables(node(db.selectFrom('incidents').selectAll()))).toEqual([]);
  });

  it('reads raw SQL: its target tables, nothing for a read, "unknown" (every table) when it cannot tell', () => {
    expect(writtenTables(node(sql`insert into incident_targets (id) values (${1})`))).toEqual(['incident_targets']);
    expect(writtenTables(node(sql`update "incidents" set title = ${'x'}`))).toEqual(['incidents']);
    expect(writtenTables(node(sql`select id from jobs where run_at <= ${1}`))).toEqual([]);
    expect(writtenTables(node(sql`vacuum; drop index foo`))).toBeNull();
    expect(writtenTables(node(sql`update main.incidents set title = ${'x'}`))).toEqual(['incidents']);
    expect(writtenTables(node(sql`update "main"."incident_targets" set state = ${'ok'}`))).toEqual(['incident_targets']);
  });

  it('sees SQL spliced in from inner raw fragments, and gives up on spliced identifiers', () => {
    expect(writtenTables(node(sql`${sql.raw('delete from incidents')} where id = ${'x'}`))).toEqual(['incidents']);
    expect(writtenTables(node(sql`select ${sql.raw('1')}`))).toEqual([]);
    expect(writtenTables(node(sql`delete from ${sql.table('incidents')}`))).toBeNull();
  });

  it('counts schema changes as changes of every table', () => {
    expect(writtenTables(node(db.schema.dropTable('incidents')))).toBeNull();
    expect(writtenTables(node(db.schema.alterTable('incidents').addColumn('x', 'text')))).toBeNull();
  });

  it('a select with a data-modifying CTE counts as an unknown write', () => {
    const q = db.with('gone', (d) => d.deleteFrom('jobs').returning('id')).selectFrom('gone').selectAll();
    expect(writtenTables(node(q))).toBeNull();
  });
});

describe('TableVersions', () => {
  it('a token changes only when one of its tables, an unknown write or another connection moved', () => {
    let external = 0;
    const v = new TableVersions(() => external);
    const t0 = v.token(['incidents']);
    v.bump(['jobs']);
    expect(v.token(['incidents'])).toBe(t0);
    v.bump(['incidents']);
    const t1 = v.token(['incidents']);
    expect(t1).not.toBe(t0);
    v.bump(null);
    const t2 = v.token(['incidents']);
    expect(t2).not.toBe(t1);
    external = 1;
    expect(v.token(['incidents'])).not.toBe(t2);
  });
});
