/**
 * The live dashboard's monthly figures (pure): breaches this month and last, and the
 * attainment trend over the last months. A target counts where the monthly report counts
 * it (src/core/report/compute.ts `targetEnd`): met on time at its met instant; not met by
 * its due instant at that due instant (breached, or met late once met afterwards). So the
 * dashboard and the issued report agree on every month they both show.
 */
import { targetEnd, type TargetOutcome } from '../report/compute.ts';
import { civilFromDayNumber, dayNumberFromCivil } from '../time/civil.ts';
import { instantOfLocal, localDayNumberOf } from '../time/zone.ts';

export interface MonthSpan {
  /** 'YYYY-MM' in the zone. */
  key: string;
  from: number;
  to: number;
}

/** The `count` months up to and including the one containing `asOf`, oldest first, in the zone. */
export function monthsUpTo(zone: string, asOf: number, count: number): MonthSpan[] {
  const today = civilFromDayNumber(localDayNumberOf(zone, asOf));
  const out: MonthSpan[] = [];
  for (let i = count - 1; i >= 0; i -= 1) {
    const index = today.year * 12 + (today.month - 1) - i;
    const [y, m] = [Math.floor(index / 12), (index % 12) + 1];
    const [ny, nm] = [Math.floor((index + 1) / 12), ((index + 1) % 12) + 1];
    out.push({
      key: `${y}-${String(m).padStart(2, '0')}`,
      from: instantOfLocal(zone, dayNumberFromCivil(y, m, 1), 0),
      to: instantOfLocal(zone, dayNumberFromCivil(ny, nm, 1), 0),
    });
  }
  return out;
}

export interface EndedTarget {
  priority: string;
  dueAt: number | null;
  metAt: number | null;
}

export interface MonthFigures {
  key: string;
  met: number;
  metLate: number;
  breached: number;
  /** met / (met + metLate + breached); null when no target ended in the month. */
  rate: number | null;
  /** metLate + breached per priority. */
  breachesByPriority: Record<string, number>;
}

/** Per month: how many in-scope targets ended met, late or breached (the caller passes in-scope targets only). */
export function monthlyFigures(targets: readonly EndedTarget[], months: readonly MonthSpan[], asOf: number, priorities: readonly string[]): MonthFigures[] {
  const rows = months.map((m) => ({
    key: m.key, met: 0, metLate: 0, breached: 0, rate: null as number | null,
    breachesByPriority: Object.fromEntries(priorities.map((p) => [p, 0])) as Record<string, number>,
  }));
  for (const t of targets) {
    if (t.dueAt === null) continue;
    const end: { outcome: TargetOutcome; at: number | null } = targetEnd({ dueAt: t.dueAt, metAt: t.metAt }, asOf);
    if (end.at === null || end.outcome === 'open') continue;
    const i = months.findIndex((m) => end.at! >= m.from && end.at! < m.to);
    if (i < 0) continue;
    const row = rows[i]!;
    row[end.outcome] += 1;
    if (end.outcome !== 'met') row.breachesByPriority[t.priority] = (row.breachesByPriority[t.priority] ?? 0) + 1;
  }
  for (const r of rows) {
    const ended = r.met + r.metLate + r.breached;
    r.rate = ended ? r.met / ended : null;
  }
  return rows;
}
