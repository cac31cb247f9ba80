/**
 * Monitors: when the current run of successes inside an outage began. The outage
 * ends at the first of M consecutive successes (the core's rule), which is only
 * known once the M-th arrives. Frozen once landed: imports only kysely.
 */
import type { Kysely } from 'kysely';

// Migrations see an untyped database on purpose: they must not depend on today's schema.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('monitors').addColumn('recovering_since', 'bigint').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('monitors').dropColumn('recovering_since').execute();
}
