/**
 * Issued monthly SLA reports: a frozen snapshot per contract, month and revision (版数)
 * — the figures as JSON and the rendered files (HTML, CSV per table as text; PDF as
 * base64 text, so both dialects store it the same way) — the client's acknowledgement,
 * and each time a report was sent by e-mail. Frozen once landed: imports only kysely.
 * SQLite: bigint guard triggers as in 202612040900_integer_instants.
 */
import { sql, SqliteAdapter, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function guard(db: Kysely<any>, table: string, columns: string[]): Promise<void> {
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return;
  const bad = sql.join(columns.map((c) => sql`typeof(new.${sql.ref(c)}) not in ('integer', 'null')`), sql` or `);
  const message = sql.lit(`${table}: a bigint column takes whole numbers only`);
  for (const op of ['insert', 'update'] as const) {
    await sql`create trigger ${sql.ref(`${table}_bigint_${op}`)} before ${sql.raw(op)} on ${sql.table(table)}
              when ${bad} begin select raise(abort, ${message}); end`.execute(db);
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('reports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('number', 'integer', (c) => c.notNull().unique())
    .addColumn('contract_id', 'text', (c) => c.notNull().references('contracts.id'))
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('issued_at', 'bigint', (c) => c.notNull())
    .addColumn('issued_by', 'text', (c) => c.notNull())
    .addColumn('issued_by_name', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('figures', 'text', (c) => c.notNull())
    .addColumn('acknowledged_at', 'bigint')
    .addColumn('acknowledged_by', 'text')
    .addColumn('acknowledged_by_name', 'text')
    .addUniqueConstraint('reports_contract_month_revision', ['contract_id', 'month', 'revision'])
    .execute();
  await db.schema.createIndex('reports_client_month').on('reports').columns(['client_id', 'month']).execute();
  await guard(db, 'reports', ['issued_at', 'acknowledged_at']);

  await db.schema
    .createTable('report_files')
    .addColumn('report_id', 'text', (c) => c.notNull().references('reports.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    /** utf8 | base64 */
    .addColumn('encoding', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('report_files_pk', ['report_id', 'name'])
    .execute();

  await db.schema
    .createTable('report_sends')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('report_id', 'text', (c) => c.notNull().references('reports.id'))
    .addColumn('sent_at', 'bigint', (c) => c.notNull())
    .addColumn('sent_by', 'text', (c) => c.notNull())
    .addColumn('recipients', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('report_sends_report').on('report_sends').columns(['report_id']).execute();
  await guard(db, 'report_sends', ['sent_at']);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('report_sends').execute();
  await db.schema.dropTable('report_files').execute();
  await db.schema.dropTable('reports').execute();
}
