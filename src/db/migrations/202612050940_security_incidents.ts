/**
 * Security incidents (issue 14): the record with its instants kept apart (each with who
 * recorded it), the report-to-the-client clock (due / at-risk instants and fired marks, so
 * each timer fires once), the timeline, the dated reports (第一報・続報・最終報告) and who of the
 * client read them, evidence files (the bytes live outside the database; the row keeps their
 * SHA-256) with their chain of custody, and generic links to risks, change requests and
 * incidents. Frozen once landed: imports only kysely. SQLite: the bigint guard triggers of
 * 202612040900_integer_instants for every new table with a bigint column.
 */
import { sql, SqliteAdapter, type Kysely } from 'kysely';

const WHO = ['occurred', 'discovered', 'recognized', 'reported', 'contained', 'threat_removed', 'closed'] as const;

// Migrations see an untyped database on purpose: they must not depend on today's schema.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function guardBigints(db: Kysely<any>, table: string, columns: readonly string[]): Promise<void> {
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return;
  const bad = sql.raw(columns.map((c) => `typeof(new."${c}") not in ('integer', 'null')`).join(' or '));
  const message = sql.lit(`${table}: a bigint column takes whole numbers only`);
  for (const kind of ['insert', 'update'] as const) {
    await sql`create trigger ${sql.id(`${table}_bigint_${kind}`)} before ${sql.raw(kind)} on ${sql.id(table)}
              when ${bad} begin select raise(abort, ${message}); end`.execute(db);
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  let t = db.schema
    .createTable('security_incidents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('number', 'integer', (c) => c.notNull().unique())
    .addColumn('contract_id', 'text', (c) => c.notNull().references('contracts.id'))
    .addColumn('client_id', 'text', (c) => c.notNull().references('clients.id'))
    .addColumn('system_id', 'text', (c) => c.references('systems.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('personal_data', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'text', (c) => c.notNull());
  for (const w of WHO) {
    t = t.addColumn(`${w}_at`, 'bigint').addColumn(`${w}_by`, 'text');
  }
  await t
    .addColumn('in_scope', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('out_of_scope_condition', 'text')
    .addColumn('scope_reason', 'text')
    .addColumn('scope_decided_at', 'bigint')
    .addColumn('scope_decided_by', 'text')
    .addColumn('report_target', 'text', (c) => c.notNull())
    .addColumn('report_calendar_id', 'text')
    .addColumn('report_due_at', 'bigint')
    .addColumn('report_at_risk_at', 'bigint')
    .addColumn('report_at_risk_fired_at', 'bigint')
    .addColumn('report_breached_fired_at', 'bigint')
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('security_incidents_client_idx').on('security_incidents').columns(['client_id', 'number']).execute();
  await guardBigints(db, 'security_incidents', [
    ...WHO.map((w) => `${w}_at`), 'scope_decided_at', 'report_due_at', 'report_at_risk_at', 'report_at_risk_fired_at',
    'report_breached_fired_at', 'created_at', 'updated_at',
  ]);

  await db.schema
    .createTable('security_incident_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('security_incident_id', 'text', (c) => c.notNull().references('security_incidents.id'))
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('visibility', 'text', (c) => c.notNull())
    .addColumn('author_id', 'text')
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('data', 'text')
    .addColumn('recorded_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('security_incident_events_idx').on('security_incident_events').columns(['security_incident_id', 'at']).execute();
  await guardBigints(db, 'security_incident_events', ['at', 'recorded_at']);

  await db.schema
    .createTable('security_incident_reports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('security_incident_id', 'text', (c) => c.notNull().references('security_incidents.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('snapshot', 'text', (c) => c.notNull())
    .addColumn('issued_at', 'bigint', (c) => c.notNull())
    .addColumn('issued_by', 'text', (c) => c.notNull())
    .addUniqueConstraint('security_incident_reports_seq_uq', ['security_incident_id', 'seq'])
    .execute();
  await guardBigints(db, 'security_incident_reports', ['issued_at']);

  await db.schema
    .createTable('security_report_reads')
    .addColumn('report_id', 'text', (c) => c.notNull().references('security_incident_reports.id'))
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('read_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('security_report_reads_pk', ['report_id', 'user_id'])
    .execute();
  await guardBigints(db, 'security_report_reads', ['read_at']);

  await db.schema
    .createTable('security_evidence')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('security_incident_id', 'text', (c) => c.notNull().references('security_incidents.id'))
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('media_type', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('storage_key', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('shared', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('uploaded_at', 'bigint', (c) => c.notNull())
    .addColumn('uploaded_by', 'text', (c) => c.notNull())
    .execute();
  await guardBigints(db, 'security_evidence', ['uploaded_at']);

  await db.schema
    .createTable('security_evidence_custody')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('evidence_id', 'text', (c) => c.notNull().references('security_evidence.id'))
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await guardBigints(db, 'security_evidence_custody', ['at']);

  await db.schema
    .createTable('security_incident_links')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('security_incident_id', 'text', (c) => c.notNull().references('security_incidents.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('target_id', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addUniqueConstraint('security_incident_links_uq', ['security_incident_id', 'kind', 'target_id'])
    .execute();
  await guardBigints(db, 'security_incident_links', ['created_at']);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['security_incident_links', 'security_evidence_custody', 'security_evidence', 'security_report_reads',
    'security_incident_reports', 'security_incident_events', 'security_incidents']) {
    await db.schema.dropTable(t).execute();
  }
}
