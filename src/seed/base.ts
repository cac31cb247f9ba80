/**
 * Data every desk needs before its first contract: the standard support
 * calendar and the standard SLA policy of SPEC §2 as the default. Idempotent:
 * runs at every start and only inserts what is missing.
 */
import { sql, type Kysely } from 'kysely';
import { advisoryXactLockSql, type DialectName } from '../db/dialect.ts';
import { STANDARD_JP_CALENDAR } from '../core/calendar/index.ts';
import { SYSTEM_ACTOR } from '../modules/auth/actor.ts';
import { unitOfWork } from '../db/unit-of-work.ts';
import { STANDARD_POLICY } from '../contract/sla-policy-document.ts';
import { insertPolicyWithVersion } from '../modules/sla-policies/sla-policy.service.ts';
import { insertCalendarWithVersion } from '../modules/calendars/calendar.service.ts';
import type { DB } from '../db/schema.ts';

export const STANDARD_CALENDAR_NAME = '標準営業日 / Standard business days (Mon–Fri 9:00–18:00 JST)';
export const STANDARD_POLICY_NAME = '標準SLA / Standard SLA';

const SEED_LOCK = 7_301_986;

/** `dialect` lets two processes starting together on PostgreSQL seed once, not twice. */
export async function seedBaseData(db: Kysely<DB>, now: number, dialect: DialectName = 'sqlite'): Promise<void> {
  await unitOfWork(db, () => now).command(SYSTEM_ACTOR, async (w) => {
    const tx = w.tx;
    const lock = advisoryXactLockSql(dialect, SEED_LOCK);
    if (lock) await sql.raw(lock).execute(tx);
    const cal = await tx.selectFrom('calendars').select('id').limit(1).executeTakeFirst();
    if (!cal) {
      await insertCalendarWithVersion(w, { name: STANDARD_CALENDAR_NAME, document: STANDARD_JP_CALENDAR });
    }
    const policy = await tx.selectFrom('slaPolicies').select('id').limit(1).executeTakeFirst();
    if (!policy) {
      const establishedOn = new Date(now).toISOString().slice(0, 10);
      await insertPolicyWithVersion(w, {
        name: STANDARD_POLICY_NAME, establishedOn, document: STANDARD_POLICY, isDefault: true, note: 'Standard policy (SPEC §2)',
      });
    }
    if (cal && policy) w.unchanged();
  });
}
