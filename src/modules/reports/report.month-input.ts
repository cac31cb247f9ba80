/**
 * The month's incidents as the report core takes them: every incident of the month read
 * whole (issuing), or the settled split (report.settled.ts) with only the rest read whole
 * (the HTML, the PDF, a CSV preview). SQLite reads on its own handle, PostgreSQL through Kysely.
 */
import type { Kysely } from 'kysely';
import type { ReportIncidentInput, SettledMonth } from '../../core/report/compute.ts';
import type { Executor } from '../../db/database.ts';
import { rawSqliteOf } from '../../db/raw-sqlite.ts';
import type { DB } from '../../db/schema.ts';
import * as repo from './report.repository.ts';
import { kyselyMonthReader, monthSplit, rawMonthReader } from './report.settled.ts';

/** What to split: the appendix's padding, and whether the settled rows' facts come along (the CSV). */
export interface SplitRequest { pad: number; facts: boolean }

/** The month's incidents for the core: all of them, or (with `split`) the split of monthSplit. */
export async function monthInput(db: Kysely<DB>, ex: Executor, contractId: string, from: number, to: number, asOf: number, split: SplitRequest | null): Promise<{ incidents: ReportIncidentInput[]; settled: SettledMonth | null }> {
  // SQLite: array rows on the connection held as Kysely holds it (the reads also see one state of the desk).
  const raw = rawSqliteOf(db);
  if (raw) {
    return db.connection().execute(async () => {
      if (split === null) return { incidents: repo.monthIncidentInputsRaw(db, raw, contractId, from, to), settled: null };
      const s = await monthSplit(rawMonthReader(db, raw), contractId, from, to, asOf, split.pad, split);
      return { incidents: repo.monthIncidentInputsRaw(db, raw, contractId, from, to, s.whole), settled: s.settled };
    });
  }
  if (split === null) return { incidents: repo.toCoreIncidents(await repo.monthIncidents(ex, contractId, from, to)), settled: null };
  const s = await monthSplit(kyselyMonthReader(ex), contractId, from, to, asOf, split.pad, split);
  return { incidents: repo.toCoreIncidents(await repo.monthIncidents(ex, contractId, from, to, s.whole)), settled: s.settled };
}
