/**
 * Incident attachments (issue 17): one row per uploaded file, its bytes outside the
 * database (`<data dir>/attachments`, under `storage_key`) with their SHA-256; the
 * type sniffed from the bytes apart from the one the uploader declared. Frozen once
 * landed: imports only kysely. SQLite: the bigint guard triggers of
 * 202612040900_integer_instants.
 */
import { sql, SqliteAdapter, type Kysely } from 'kysely';

// Migrations see an untyped database on purpose: they must not depend on today's schema.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('incident_attachments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id'))
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('declared_type', 'text', (c) => c.notNull())
    .addColumn('media_type', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('storage_key', 'text', (c) => c.notNull())
    .addColumn('uploaded_at', 'bigint', (c) => c.notNull())
    .addColumn('uploaded_by', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('incident_attachments_incident_idx').on('incident_attachments').columns(['incident_id', 'uploaded_at']).execute();
  if (db.getExecutor().adapter instanceof SqliteAdapter) {
    for (const kind of ['insert', 'update'] as const) {
      await sql`create trigger ${sql.id(`incident_attachments_bigint_${kind}`)} before ${sql.raw(kind)} on incident_attachments
                when typeof(new."uploaded_at") not in ('integer', 'null')
                begin select raise(abort, 'incident_attachments: a bigint column takes whole numbers only'); end`.execute(db);
    }
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('incident_attachments').execute();
}
