/**
 * What filing an incident reads besides the incident itself — the contract's terms (with
 * its designated contacts) and its working calendar — kept per process on PostgreSQL, where
 * each was a round trip of every create (issue 15: 5 → 2 round trips per create). An entry
 * holds while none of its tables changed in any process (ReadCache: this process's commits
 * are counted by the driver, other processes' arrive by LISTEN/NOTIFY, and every read first
 * waits for the listener's shared sync round trip, so a contract changed through another
 * process a moment ago is seen). SQLite reads them in the unit as before (in-process reads
 * cost less than the bookkeeping).
 *
 * A value is read on the unit's own connection (a second pool connection per unit could
 * exhaust the pool). So a unit must not change contracts, their contacts or calendars and
 * then file an incident: it would see the terms as committed before it (none does; the
 * filing units are the incident create, mail intake, monitoring outages, change requests
 * and risks).
 */
import type { Kysely } from 'kysely';
import type { WorkingCalendar } from '../../core/calendar/index.ts';
import type { Executor } from '../../db/database.ts';
import { isPostgres } from '../../db/dialect.ts';
import { ReadCache } from '../../db/read-cache.ts';
import type { DB } from '../../db/schema.ts';
import { tableVersionsOf } from '../../db/table-versions.ts';
import type { Actor } from '../auth/actor.ts';
import { clientScope } from '../auth/access.ts';
import { loadWorkingCalendar } from '../calendars/calendar.service.ts';
import { loadContractTerms, type ContractTerms } from '../contracts/contract.service.ts';

export interface Filing {
  /** The contract's terms as the actor may see them. Shared between creates: do not change. */
  contract: ContractTerms;
  /** Its working calendar as it stands (versions composed). */
  calendar: WorkingCalendar;
}

export function createFilingTerms(db: Kysely<DB>) {
  const versions = isPostgres(db) ? tableVersionsOf(db) : null;
  // One entry per contract and scope: one wait for the listener's sync per create.
  const cache = versions ? new ReadCache<Filing>(versions, ['contracts', 'contract_contacts', 'calendars', 'calendar_versions'], { entries: 2000 }) : null;
  const load = async (ex: Executor, actor: Actor, id: string): Promise<Filing> => {
    // Scoped: another client's contract is contract.not_found.
    const contract = await loadContractTerms(ex, actor, id);
    return { contract, calendar: await loadWorkingCalendar(ex, contract.calendarId) };
  };
  return (ex: Executor, actor: Actor, contractId: string): Promise<Filing> => {
    if (!cache) return load(ex, actor, contractId);
    return cache.read(JSON.stringify([contractId, clientScope(actor)]), 0, async () => ({ value: await load(ex, actor, contractId), until: Infinity }));
  };
}
export type FilingTerms = ReturnType<typeof createFilingTerms>;
