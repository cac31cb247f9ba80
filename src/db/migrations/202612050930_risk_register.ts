/**
 * The risk register (issue 14): scoring criteria by version, risks with their inherent and
 * residual ratings, every score change, controls presented to the client and their
 * acknowledgements, formal acceptances of a residual risk, the discussion thread and links to
 * incidents / change requests / security incidents (generic `kind` + id).
 * Frozen once landed: imports only kysely. SQLite: the bigint guard triggers of
 * 202612040900_integer_instants for every new table with a bigint column.
 */
import { sql, SqliteAdapter, type Kysely } from 'kysely';

const BIGINTS: Record<string, string[]> = {
  risk_criteria: ['created_at'],
  risks: [
    'next_review_at', 'last_reviewed_at', 'review_due_fired_at', 'review_overdue_fired_at', 'closed_at', 'created_at', 'updated_at',
  ],
  risk_score_changes: ['at'],
  risk_controls: ['presented_at', 'acknowledged_at', 'created_at', 'updated_at'],
  risk_acceptances: ['accepted_at', 'expires_at'],
  risk_messages: ['at'],
  risk_links: ['created_at'],
};

const DEFAULT_V1 = {
  likelihood: [
    { value: 1, ja: 'まれ', en: 'Rare' },
    { value: 2, ja: '起こりにくい', en: 'Unlikely' },
    { value: 3, ja: '起こりうる', en: 'Possible' },
    { value: 4, ja: '起こりやすい', en: 'Likely' },
    { value: 5, ja: 'ほぼ確実', en: 'Almost certain' },
  ],
  impact: [
    { value: 1, ja: '軽微', en: 'Negligible' },
    { value: 2, ja: '小', en: 'Minor' },
    { value: 3, ja: '中', en: 'Moderate' },
    { value: 4, ja: '大', en: 'Major' },
    { value: 5, ja: '重大', en: 'Severe' },
  ],
  levels: [
    { level: 'low', minScore: 1, reviewDays: 180 },
    { level: 'medium', minScore: 5, reviewDays: 90 },
    { level: 'high', minScore: 10, reviewDays: 30 },
    { level: 'critical', minScore: 17, reviewDays: 14 },
  ],
  overdueAfterDays: 14,
};

// Migrations see an untyped database on purpose: they must not depend on today's schema.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('risk_criteria')
    .addColumn('version', 'integer', (c) => c.primaryKey())
    .addColumn('document', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  // Version 1: the default scale (1–5 × 1–5), written out here so the migration stays frozen.
  await db.insertInto('risk_criteria').values({
    version: 1, document: JSON.stringify(DEFAULT_V1), note: '', created_by: 'system', created_at: Date.now(),
  }).execute();

  await db.schema
    .createTable('risks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('number', 'integer', (c) => c.notNull().unique())
    .addColumn('client_id', 'text', (c) => c.notNull().references('clients.id'))
    .addColumn('contract_id', 'text', (c) => c.notNull().references('contracts.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('affected_system_ids', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('source_kind', 'text')
    .addColumn('source_id', 'text')
    .addColumn('owner_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('treatment', 'text', (c) => c.notNull())
    .addColumn('criteria_version', 'integer', (c) => c.notNull().references('risk_criteria.version'))
    .addColumn('score_revision', 'integer', (c) => c.notNull())
    .addColumn('inherent_likelihood', 'integer', (c) => c.notNull())
    .addColumn('inherent_impact', 'integer', (c) => c.notNull())
    .addColumn('inherent_score', 'integer', (c) => c.notNull())
    .addColumn('inherent_level', 'text', (c) => c.notNull())
    .addColumn('residual_likelihood', 'integer')
    .addColumn('residual_impact', 'integer')
    .addColumn('residual_score', 'integer')
    .addColumn('residual_level', 'text')
    .addColumn('next_review_at', 'bigint')
    .addColumn('last_reviewed_at', 'bigint')
    .addColumn('review_due_fired_at', 'bigint')
    .addColumn('review_overdue_fired_at', 'bigint')
    .addColumn('closed_at', 'bigint')
    .addColumn('close_reason', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('risks_client_idx').on('risks').columns(['client_id', 'status']).execute();
  await db.schema.createIndex('risks_source_idx').on('risks').columns(['source_kind', 'source_id']).execute();

  await db.schema
    .createTable('risk_score_changes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('risk_id', 'text', (c) => c.notNull().references('risks.id'))
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('criteria_version', 'integer', (c) => c.notNull())
    .addColumn('inherent_likelihood', 'integer', (c) => c.notNull())
    .addColumn('inherent_impact', 'integer', (c) => c.notNull())
    .addColumn('inherent_score', 'integer', (c) => c.notNull())
    .addColumn('inherent_level', 'text', (c) => c.notNull())
    .addColumn('residual_likelihood', 'integer')
    .addColumn('residual_impact', 'integer')
    .addColumn('residual_score', 'integer')
    .addColumn('residual_level', 'text')
    .addColumn('reason', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema.createIndex('risk_score_changes_risk_idx').on('risk_score_changes').columns(['risk_id', 'revision']).execute();

  await db.schema
    .createTable('risk_controls')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('risk_id', 'text', (c) => c.notNull().references('risks.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('owner_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('due_on', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('presented_at', 'bigint')
    .addColumn('presented_by', 'text')
    .addColumn('acknowledged_at', 'bigint')
    .addColumn('acknowledged_by', 'text')
    .addColumn('acknowledged_name', 'text')
    .addColumn('acknowledged_revision', 'integer')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('risk_controls_risk_idx').on('risk_controls').column('risk_id').execute();

  await db.schema
    .createTable('risk_acceptances')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('risk_id', 'text', (c) => c.notNull().references('risks.id'))
    .addColumn('accepted_by', 'text', (c) => c.notNull())
    .addColumn('accepted_name', 'text', (c) => c.notNull())
    .addColumn('accepted_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_on', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('criteria_version', 'integer', (c) => c.notNull())
    .addColumn('score_revision', 'integer', (c) => c.notNull())
    .addColumn('residual_likelihood', 'integer', (c) => c.notNull())
    .addColumn('residual_impact', 'integer', (c) => c.notNull())
    .addColumn('residual_score', 'integer', (c) => c.notNull())
    .addColumn('residual_level', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema.createIndex('risk_acceptances_risk_idx').on('risk_acceptances').column('risk_id').execute();

  await db.schema
    .createTable('risk_messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('risk_id', 'text', (c) => c.notNull().references('risks.id'))
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('author_id', 'text', (c) => c.notNull())
    .addColumn('author_name', 'text', (c) => c.notNull())
    .addColumn('author_role', 'text', (c) => c.notNull())
    .addColumn('visibility', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('risk_messages_risk_idx').on('risk_messages').columns(['risk_id', 'at']).execute();

  await db.schema
    .createTable('risk_links')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('risk_id', 'text', (c) => c.notNull().references('risks.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('target_id', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('risk_links_unique', ['risk_id', 'kind', 'target_id'])
    .execute();

  if (db.getExecutor().adapter instanceof SqliteAdapter) {
    for (const [table, cols] of Object.entries(BIGINTS)) {
      const bad = sql.raw(cols.map((c) => `typeof(new."${c}") not in ('integer', 'null')`).join(' or '));
      const message = sql.lit(`${table}: a bigint column takes whole numbers only`);
      for (const kind of ['insert', 'update']) {
        await sql`create trigger ${sql.id(`${table}_bigint_${kind}`)} before ${sql.raw(kind)} on ${sql.id(table)}
                  when ${bad} begin select raise(abort, ${message}); end`.execute(db);
      }
    }
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['risk_links', 'risk_messages', 'risk_acceptances', 'risk_controls', 'risk_score_changes', 'risks', 'risk_criteria']) {
    await db.schema.dropTable(t).execute();
  }
}
