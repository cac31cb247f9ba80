/**
 * Issue 12, the monthly report of a 100,000-incident month in under a second: each SLA
 * target carries a copy of the facts of its incident that put it in a contract's month —
 * contract, number, priority, scope, policy version, received and resolved instants — so
 * the report counts a month's settled targets from one covering index, without joining
 * every target to its incident (the join alone was 140 ms of SQLite's time for 200,000
 * targets, the counting with it 310–380 ms; from this index 70–90 ms: docs/benchmarks.md).
 * Triggers keep the copies exact in every write path (the services, bulk imports, the
 * CLI, a hand-written INSERT), inside the writing transaction: a target inserted takes
 * its incident's facts, and a change of those facts on the incident is copied to its
 * targets. PostgreSQL: AFTER triggers, because the desk sends an incident and its targets
 * in one statement (pg-driver's merged inserts), whose parts see each other only then.
 * Frozen once landed: imports only kysely.
 */
import { sql, SqliteAdapter, type Kysely } from 'kysely';

/** [copy on incident_targets, column of incidents, type] */
const COPIES = [
  ['incident_contract_id', 'contract_id', 'text'],
  ['incident_number', 'number', 'integer'],
  ['incident_priority', 'priority', 'text'],
  ['incident_in_scope', 'in_scope', 'integer'],
  ['incident_policy_version', 'sla_policy_version', 'integer'],
  ['incident_received_at', 'received_at', 'bigint'],
  ['incident_resolved_at', 'resolved_at', 'bigint'],
] as const;

const copies = COPIES.map(([c]) => c).join(', ');
const sources = (alias: string) => COPIES.map(([, s]) => `${alias}.${s}`).join(', ');
const assignNew = COPIES.map(([c, s]) => `${c} = new.${s}`).join(', ');
const changed = (distinct: string) => COPIES.map(([, s]) => `old.${s} ${distinct} new.${s}`).join(' or ');
const watched = COPIES.map(([, s]) => s).join(', ');
// The month's read goes by contract and met instant; the other columns make the index cover both of its queries.
const INDEXED = ['due_at', 'clock_start', 'kind', 'incident_in_scope', 'incident_priority', 'incident_policy_version', 'incident_number', 'incident_received_at', 'incident_resolved_at'];

// Migrations see an untyped database on purpose: they must not depend on today's schema.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/** SQLite's pair of triggers refusing a non-integer in a bigint column (migration 202612040900), over these columns. */
async function bigintGuard(db: AnyDb, columns: readonly string[]): Promise<void> {
  const table = 'incident_targets';
  const bad = sql.join(columns.map((c) => sql`typeof(new.${sql.id(c)}) not in ('integer', 'null')`), sql` or `);
  const message = sql.lit(`${table}: a bigint column takes whole numbers only`);
  for (const kind of ['insert', 'update'] as const) {
    await sql`drop trigger if exists ${sql.id(`${table}_bigint_${kind}`)}`.execute(db);
    await sql`create trigger ${sql.id(`${table}_bigint_${kind}`)} before ${sql.raw(kind)} on ${sql.id(table)}
              when ${bad} begin select raise(abort, ${message}); end`.execute(db);
  }
}
const GUARDED = ['clock_start', 'due_at', 'at_risk_at', 'met_at', 'at_risk_fired_at', 'breached_fired_at', 'updated_at'];

export async function up(db: AnyDb): Promise<void> {
  for (const [column, , type] of COPIES) await db.schema.alterTable('incident_targets').addColumn(column, type).execute();
  await sql.raw(`update incident_targets set (${copies}) = (select ${sources('i')} from incidents i where i.id = incident_targets.incident_id)`).execute(db);
  if (db.getExecutor().adapter instanceof SqliteAdapter) {
    await bigintGuard(db, [...GUARDED, ...COPIES.filter(([, , type]) => type === 'bigint').map(([c]) => c)]);
    await sql.raw(`create index incident_targets_report_idx on incident_targets (incident_contract_id, met_at, ${INDEXED.join(', ')})`).execute(db);
    await sql.raw(`create trigger incident_targets_copy_in after insert on incident_targets begin
        update incident_targets set (${copies}) = (select ${sources('i')} from incidents i where i.id = new.incident_id) where id = new.id; end`).execute(db);
    await sql.raw(`create trigger incident_targets_copy_out after update of ${watched} on incidents when ${changed('is not')} begin
        update incident_targets set ${assignNew} where incident_id = new.id; end`).execute(db);
    return;
  }
  await sql.raw(`create index incident_targets_report_idx on incident_targets (incident_contract_id, met_at) include (${INDEXED.join(', ')})`).execute(db);
  await sql.raw(`create function incident_targets_copy_in() returns trigger language plpgsql as $$
      begin
        update incident_targets t set (${copies}) = (select ${sources('i')} from incidents i where i.id = new.incident_id) where t.id = new.id;
        return null;
      end $$`).execute(db);
  await sql.raw(`create function incident_targets_copy_out() returns trigger language plpgsql as $$
      begin
        update incident_targets set ${assignNew} where incident_id = new.id;
        return null;
      end $$`).execute(db);
  await sql.raw(`create trigger incident_targets_copy_in after insert on incident_targets for each row execute function incident_targets_copy_in()`).execute(db);
  await sql.raw(`create trigger incident_targets_copy_out after update of ${watched} on incidents for each row
      when (${changed('is distinct from')}) execute function incident_targets_copy_out()`).execute(db);
}

export async function down(db: AnyDb): Promise<void> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) {
    await sql`drop trigger if exists incident_targets_copy_in`.execute(db);
    await sql`drop trigger if exists incident_targets_copy_out`.execute(db);
  } else {
    await sql`drop trigger if exists incident_targets_copy_in on incident_targets`.execute(db);
    await sql`drop trigger if exists incident_targets_copy_out on incidents`.execute(db);
    await sql`drop function if exists incident_targets_copy_in()`.execute(db);
    await sql`drop function if exists incident_targets_copy_out()`.execute(db);
  }
  await db.schema.dropIndex('incident_targets_report_idx').ifExists().execute();
  if (db.getExecutor().adapter instanceof SqliteAdapter) await bigintGuard(db, GUARDED);
  for (const [column] of [...COPIES].reverse()) await db.schema.alterTable('incident_targets').dropColumn(column).execute();
}
