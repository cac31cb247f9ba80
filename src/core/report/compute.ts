/**
 * The monthly SLA report's figures, computed from stored incidents, targets and
 * pauses (pure: the module loads the rows, this file decides what counts where).
 *
 * Which month a figure belongs to (docs/design/reports.md, and the report's footnote):
 * - an incident counts in the month it was received, in the contract's zone;
 * - a target counts in the month it ended: met on time at its met instant; not met
 *   by its due instant at that due instant (breached, or "met late" once it was met
 *   afterwards) — so a late target is counted once, in the month it went late;
 * - a target still running at month end is listed "open at month end" with the share
 *   of its time used by then, and counts in the month it later ends;
 * - out-of-scope incidents are listed apart and excluded from attainment.
 */
import { clockFor, dueAt as coreDueAt, workingIntervalsBetween, workingMsBetween, type Pause } from '../sla/index.ts';
import { localDayNumberOf } from '../time/zone.ts';
import { civilFromDayNumber, formatCivil, weekdayOfDayNumber } from '../time/civil.ts';
import type { AttainmentRow, IncidentTargetRow, ReportComputeInput, ReportFigures, ReportIncidentInput, TargetOutcome } from './figures.ts';
import { REPORT_CATEGORIES, REPORT_PRIORITIES, REPORT_TARGET_KINDS } from './figures.ts';

// The shapes live in figures.ts; callers keep importing them from here.
export * from './figures.ts';

/** Nearest-rank percentile of sorted values (p in (0, 1]). */
export function percentile(sorted: ArrayLike<number>, p: number): number | null {
  if (!sorted.length) return null;
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
}

export const LAG_BUCKETS: ReadonlyArray<readonly [string, number]> = [
  ['≦5m', 5 * 60_000], ['≦15m', 15 * 60_000], ['≦1h', 3_600_000], ['≦4h', 4 * 3_600_000], ['≦1d', 86_400_000], ['>1d', Infinity],
];

/** The end of a target's clock as the report sees it. */
export function targetEnd(t: { dueAt: number; metAt: number | null }, asOf: number): { outcome: TargetOutcome; at: number | null } {
  if (t.metAt !== null && t.metAt <= asOf) {
    if (t.metAt <= t.dueAt) return { outcome: 'met', at: t.metAt };
    return { outcome: 'metLate', at: t.dueAt };
  }
  if (t.dueAt < asOf) return { outcome: 'breached', at: t.dueAt };
  return { outcome: 'open', at: null };
}

const NO_PAUSES: Pause[] = [];
function closedPauses(p: ReportIncidentInput['pauses'], until: number): Pause[] {
  if (p.length === 0) return NO_PAUSES;
  return p.map(([s, e]) => [s, e ?? Math.max(s, until)] as const);
}

export function computeReport(input: ReportComputeInput): ReportFigures {
  const { from, to, asOf, timeZone } = input;
  const limit = input.intervalLimit ?? 2000;
  const byPriority: Record<string, number> = Object.fromEntries(REPORT_PRIORITIES.map((p) => [p, 0]));
  const byCategory: Record<string, number> = Object.fromEntries(REPORT_CATEGORIES.map((c) => [c, 0]));
  const drill: Record<string, number[]> = {};
  // Figure key → its list, kept in Maps keyed by the row's own words: a month of 100,000 incidents
  // must not build a key string per incident and target (that was most of the time and the garbage).
  const lists = new Map<string, number[]>();
  const listOf = (key: string): number[] => {
    let l = lists.get(key);
    if (!l) lists.set(key, (l = []));
    return l;
  };
  const nested = new Map<string, Map<string, number[]>>();
  const listOf2 = (prefix: string, word: string): number[] => {
    let m = nested.get(prefix);
    if (!m) nested.set(prefix, (m = new Map()));
    let l = m.get(word);
    if (!l) m.set(word, (l = []));
    return l;
  };
  // Whether a list got a number below its last: incidents usually come in number order, so the lists are
  // checked (and sorted) at the end only when one did.
  let disordered = false;
  const push = input.drill === false ? () => {} : (list: number[], n: number) => {
    const last = list.length > 0 ? list[list.length - 1]! : -Infinity;
    // Skip the repeat of one incident (two breached targets) at once.
    if (last === n) return;
    if (last > n) disordered = true;
    list.push(n);
  };
  const add = (key: string, n: number) => push(listOf(key), n);
  const totalList = listOf('incidents.total');
  const inScopeList = listOf('incidents.inScope');
  const lagAllList = listOf('lag.all');
  type Cell = AttainmentRow & { versions: Set<number>; drill: Record<TargetOutcome, number[]> };
  const att = new Map<string, Map<string, Cell>>();
  for (const kind of REPORT_TARGET_KINDS) {
    const byPriority = new Map<string, Cell>();
    att.set(kind, byPriority);
    for (const priority of REPORT_PRIORITIES) {
      byPriority.set(priority, {
        kind, priority, met: 0, metLate: 0, breached: 0, open: 0, rate: null, policyVersions: [], versions: new Set(),
        drill: { met: [], metLate: [], breached: [], open: [] },
      });
    }
  }
  const cell = (kind: string, priority: string): Cell | undefined => att.get(kind)?.get(priority);
  const out: ReportFigures = {
    from, to, asOf, timeZone,
    incidents: { total: 0, inScope: 0, outOfScope: 0, byPriority, byCategory },
    outOfScope: [], attainment: [], breaches: [], openAtMonthEnd: [],
    lag: { count: 0, unrecognized: 0, medianMs: null, p90Ms: null, maxMs: null, distribution: [] },
    lagRows: [], weekly: [], policyVersions: [], incidentRows: [], drill,
  };

  // Weeks (Monday-based) overlapping the month, in the contract's zone.
  const firstDay = localDayNumberOf(timeZone, from);
  const lastDay = localDayNumberOf(timeZone, to - 1);
  const firstMonday = firstDay - ((weekdayOfDayNumber(firstDay) + 6) % 7);
  const weeks = Math.floor((lastDay - firstMonday) / 7) + 1;
  for (let w = 0; w < weeks; w++) out.weekly.push({ week: formatCivil(civilFromDayNumber(Math.max(firstDay, firstMonday + 7 * w))), received: 0, breached: 0 });
  const weekOf = (at: number) => Math.min(weeks - 1, Math.max(0, Math.floor((localDayNumberOf(timeZone, at) - firstMonday) / 7)));

  const settled = input.settled;
  // Settled without their facts, the figures keep the appendix's rows alone (below), and no lag row: none to make.
  const lagRows = !settled || settled.received.facts !== undefined;
  const settledReceived = settled?.received.number.length ?? 0;
  const settledMet = settled?.met.number.length ?? 0;
  // Lags in a typed array: its sort is numeric without a comparator call per comparison (100,000 lags: ~6× faster).
  const lagValues = new Float64Array(input.incidents.length + settledReceived);
  const lagNumbers = new Float64Array(lagValues.length);
  let lagCount = 0;
  const versions = new Set<number>();
  /** The input of each incident row, in the same order. */
  const listedInputs: ReportIncidentInput[] = [];

  /** An incident received in the month: its counts, its week, its lag (null: not recognized by asOf). */
  const received = (n: number, priority: string, category: string, receivedAt: number, recognizedAt: number | null): number | null => {
    out.incidents.total++;
    push(totalList, n);
    byPriority[priority] = (byPriority[priority] ?? 0) + 1;
    push(listOf2('incidents.priority.', priority), n);
    byCategory[category] = (byCategory[category] ?? 0) + 1;
    push(listOf2('incidents.category.', category), n);
    out.weekly[weekOf(receivedAt)]!.received++;
    const lag = lagOf(receivedAt, recognizedAt, asOf);
    if (lag === null) {
      out.lag.unrecognized++;
      add('lag.unrecognized', n);
    } else {
      lagValues[lagCount] = lag;
      lagNumbers[lagCount++] = n;
      push(lagAllList, n);
    }
    return lag;
  };
  /** A target of an in-scope incident that ended in the month, in its attainment cell. */
  const ended = (kind: string, priority: string, policyVersion: number, outcome: TargetOutcome, n: number) => {
    const a = cell(kind, priority);
    if (a) {
      a[outcome]++;
      a.versions.add(policyVersion);
      push(a.drill[outcome], n);
    } else add(`attainment.${kind}.${priority}.${outcome}`, n);
    versions.add(policyVersion);
  };
  // The settled incidents are folded in between the others, in number order, so every list stays ordered.
  // They come as vocabulary codes; a met target's cell is found by index, not by words, per row.
  let sr = 0;
  let sm = 0;
  let settledListed = 0;
  const metCells = REPORT_TARGET_KINDS.map((k) => REPORT_PRIORITIES.map((p) => cell(k, p)!));
  const settledBefore = (before: number) => {
    if (!settled) return;
    const r = settled.received;
    const m = settled.met;
    for (;;) {
      const a = sr < settledReceived ? r.number[sr]! : Infinity;
      const b = sm < settledMet ? m.number[sm]! : Infinity;
      const n = a < b ? a : b;
      if (n >= before) return;
      settledListed++;
      if (a === n) {
        const p = r.priority[sr]!;
        const c = r.category[sr]!;
        const recognizedAt = r.recognizedAt[sr]!;
        received(n, REPORT_PRIORITIES[p]!, REPORT_CATEGORIES[c]!, r.receivedAt[sr]!, Number.isNaN(recognizedAt) ? null : recognizedAt);
        out.incidents.inScope++;
        push(inScopeList, n);
        sr++;
      }
      // Their versions come with metVersions: a cell's versions are a set.
      for (; sm < settledMet && m.number[sm] === n; sm++) {
        const a = metCells[m.kind[sm]!]![m.priority[sm]!]!;
        a.met++;
        push(a.drill.met, n);
      }
    }
  };
  for (const v of settled?.metVersions ?? []) {
    cell(v.kind, v.priority)?.versions.add(v.policyVersion);
    versions.add(v.policyVersion);
  }
  if (settled) {
    for (let k = 1; k < input.incidents.length; k++) {
      if (input.incidents[k - 1]!.number >= input.incidents[k]!.number) throw new Error('computeReport: with settled incidents, the others must come in number order');
    }
  }

  for (const inc of input.incidents) {
    settledBefore(inc.number);
    const receivedInMonth = inc.receivedAt >= from && inc.receivedAt < to;
    let listed = receivedInMonth;
    if (receivedInMonth) {
      const lag = received(inc.number, inc.priority, inc.category, inc.receivedAt, inc.recognizedAt);
      if (inc.inScope) {
        out.incidents.inScope++;
        push(inScopeList, inc.number);
      } else {
        out.incidents.outOfScope++;
        add('incidents.outOfScope', inc.number);
        out.outOfScope.push({ incidentId: inc.id, number: inc.number, title: inc.title, reason: inc.outOfScopeReason, billable: inc.billable, category: inc.category });
      }
      if (lagRows) out.lagRows.push({ incidentId: inc.id, number: inc.number, receivedAt: inc.receivedAt, recognizedAt: lag === null ? null : inc.recognizedAt, lagMs: lag });
    }
    const calendar = input.calendarOf(inc.calendarId);
    const rows: IncidentTargetRow[] = [];
    for (const t of inc.targets) {
      if (t.clockStart === null) {
        rows.push({ kind: t.kind, outcome: 'pending', dueAt: null, metAt: null });
        continue;
      }
      const metAt = t.metAt !== null && t.metAt <= asOf ? t.metAt : null;
      const pauses = t.pausable ? closedPauses(inc.pauses, metAt ?? asOf) : [];
      const openPause = t.pausable && metAt === null && inc.pauses.length > 0 && inc.pauses.some(([, e]) => e === null);
      // A stored deadline is exact once no pause is open; while one is, it keeps moving: derive it as of asOf.
      const due = openPause || t.dueAt === null ? coreDueAt({ calendar, start: t.clockStart, target: t.target, pauses }) : t.dueAt;
      const end = targetEnd({ dueAt: due, metAt }, asOf);
      let outcome: IncidentTargetRow['outcome'];
      if (!inc.inScope) outcome = end.outcome;
      else if (end.at !== null && end.at >= from && end.at < to) {
        outcome = end.outcome;
        listed = true;
        ended(t.kind, inc.priority, inc.policyVersion, end.outcome, inc.number);
        if (end.outcome !== 'met') {
          const clock = clockFor(calendar, t.target);
          const lateMs = workingMsBetween(clock, due, metAt ?? asOf, pauses);
          out.breaches.push({
            incidentId: inc.id, number: inc.number, title: inc.title, priority: inc.priority, kind: t.kind, policyVersion: inc.policyVersion,
            dueAt: due, metAt, lateMs, businessTime: t.target.kind !== 'calendar', cause: inc.resolutionCause,
          });
          add('breaches', inc.number);
          out.weekly[weekOf(due)]!.breached++;
        }
      } else if (t.clockStart < to && (end.at === null || end.at >= to) && from < Math.min(to, asOf)) {
        outcome = 'open';
        listed = true;
        const monthEnd = Math.min(to, asOf);
        const clock = clockFor(calendar, t.target);
        const total = workingMsBetween(clock, t.clockStart, due, pauses);
        const used = workingMsBetween(clock, t.clockStart, monthEnd, pauses);
        const a = cell(t.kind, inc.priority);
        if (a) {
          a.open++;
          push(a.drill.open, inc.number);
        } else add(`attainment.${t.kind}.${inc.priority}.open`, inc.number);
        out.openAtMonthEnd.push({ incidentId: inc.id, number: inc.number, title: inc.title, priority: inc.priority, kind: t.kind, dueAt: due, share: total > 0 ? Math.min(1, used / total) : 1 });
        add('open', inc.number);
      } else outcome = end.at !== null && end.at < from ? 'earlier' : 'later';
      rows.push({ kind: t.kind, outcome, dueAt: due, metAt });
    }
    if (listed) {
      listedInputs.push(inc);
      out.incidentRows.push({
        id: inc.id, number: inc.number, title: inc.title, priority: inc.priority, category: inc.category, status: inc.status,
        inScope: inc.inScope, billable: inc.billable, receivedAt: inc.receivedAt, recognizedAt: inc.recognizedAt,
        policyVersion: inc.policyVersion, receivedInMonth, targets: rows,
      });
    }
  }

  settledBefore(Infinity);
  // A copy: lagValues and lagNumbers stay paired for the longest lag's incidents below.
  const lags = lagValues.slice(0, lagCount).sort();
  out.lag.count = lags.length;
  out.lag.medianMs = percentile(lags, 0.5);
  out.lag.p90Ms = percentile(lags, 0.9);
  out.lag.maxMs = lags.length ? lags[lags.length - 1]! : null;
  let i = 0;
  out.lag.distribution = LAG_BUCKETS.map(([bucket, max]) => {
    let count = 0;
    while (i < lags.length && lags[i]! <= max) {
      count++;
      i++;
    }
    return { bucket, count };
  });
  if (out.lag.maxMs !== null && input.drill !== false) {
    const max = out.lag.maxMs;
    const atMax: number[] = [];
    for (let k = 0; k < lagCount; k++) if (lagValues[k] === max) atMax.push(lagNumbers[k]!);
    drill['lag.max'] = atMax;
  }
  out.attainment = [...att.values()].flatMap((m) => [...m.values()]).map(({ versions: v, drill: d, ...a }) => {
    for (const o of ['met', 'metLate', 'breached', 'open'] as const) if (d[o].length) lists.set(`attainment.${a.kind}.${a.priority}.${o}`, d[o]);
    const ended = a.met + a.metLate + a.breached;
    return { ...a, rate: ended > 0 ? a.met / ended : null, policyVersions: [...v].sort((x, y) => x - y) };
  });
  for (const [prefix, m] of nested) for (const [word, l] of m) lists.set(`${prefix}${word}`, l);
  for (const [key, l] of lists) if (l.length) drill[key] = l;
  out.policyVersions = [...versions].sort((a, b) => a - b);
  out.breaches.sort((a, b) => a.dueAt - b.dueAt || a.number - b.number);
  out.openAtMonthEnd.sort((a, b) => a.dueAt - b.dueAt || a.number - b.number);
  let rowsOrdered = true;
  for (let i = 1; i < out.incidentRows.length && rowsOrdered; i++) rowsOrdered = out.incidentRows[i - 1]!.number < out.incidentRows[i]!.number;
  if (!rowsOrdered) {
    const pairs = out.incidentRows.map((r, k) => [r, listedInputs[k]!] as const).sort((a, b) => a[0].number - b[0].number);
    out.incidentRows = pairs.map(([r]) => r);
    pairs.forEach(([, i], k) => { listedInputs[k] = i; });
  }
  for (const k of disordered ? Object.keys(drill) : []) {
    const list = drill[k]!;
    let ordered = true;
    for (let i = 1; i < list.length && ordered; i++) ordered = list[i - 1]! < list[i]!;
    if (!ordered) drill[k] = [...new Set(list)].sort((a, b) => a - b);
  }

  out.listedCount = out.incidentRows.length + settledListed;
  // The counted and paused intervals (the core's explanation) for the incidents the appendix shows.
  const chosen = appendixNumbers(out, limit);
  out.incidentRows.forEach((row, k) => {
    if (!chosen.has(row.number)) return;
    const inc = listedInputs[k]!;
    const calendar = input.calendarOf(inc.calendarId);
    inc.targets.forEach((t, i) => {
      const r = row.targets[i]!;
      if (t.clockStart === null || r.dueAt === null) return;
      const pauses = t.pausable ? closedPauses(inc.pauses, r.metAt ?? asOf) : [];
      const until = Math.min(r.metAt ?? asOf, Math.max(r.dueAt, Math.min(asOf, to)));
      r.counted = workingIntervalsBetween(clockFor(calendar, t.target), t.clockStart, until, pauses);
      r.paused = pauses.filter(([ps, pe]) => pe > t.clockStart! && ps < until).map(([ps, pe]) => [ps, pe]);
    });
  });
  if (!settled) return out;
  // Settled incidents have no row here. With their facts (the CSV), their columns come along as they were read;
  // without, such figures never hold every row, so they keep the appendix's alone.
  if (!settled.received.facts) return keepAppendixRows(out, limit);
  const { facts, ...columns } = settled.received;
  return { ...out, rows: 'split', settledRows: { ...columns, ...facts } };
}

/** Received → recognized, or null while not recognized by asOf (the lag figures and the lag table). */
export function lagOf(receivedAt: number, recognizedAt: number | null, asOf: number): number | null {
  return recognizedAt !== null && recognizedAt <= asOf ? recognizedAt - receivedAt : null;
}

/**
 * The figures with only the rows the report's HTML uses: the incident rows its appendix shows
 * (`appendixNumbers` with the same `limit`) and no lag rows. Every count, list and drill
 * stays. An issued report stores these: a month of 100,000 incidents kept ~58 MB of rows
 * that only its CSV files needed, and those are written from every row at issue.
 * Idempotent; `appendixNumbers` over the kept rows chooses the same incidents again.
 */
export function keepAppendixRows(f: ReportFigures, limit: number): ReportFigures {
  const shown = appendixNumbers(f, limit);
  const { settledRows: _settled, ...kept } = f;
  return { ...kept, listedCount: listedCount(f), incidentRows: f.incidentRows.filter((r) => shown.has(r.number)), lagRows: [], rows: 'appendix' };
}

/** How many incidents the month lists, whichever rows the figures keep. */
export function listedCount(f: Pick<ReportFigures, 'listedCount' | 'incidentRows'>): number {
  return f.listedCount ?? f.incidentRows.length;
}

/**
 * The incidents whose rows a report's appendix shows, at most `limit`: those behind a
 * breach, an open target or out of scope first, then the others by number.
 */
export function appendixNumbers(f: Pick<ReportFigures, 'breaches' | 'openAtMonthEnd' | 'outOfScope' | 'incidentRows'>, limit: number): Set<number> {
  const rows = new Set<number>();
  const listed = hasRow(f.incidentRows);
  for (const first of [f.breaches, f.openAtMonthEnd, f.outOfScope]) {
    for (const { number: n } of first) {
      if (rows.size >= limit) return rows;
      if (listed(n)) rows.add(n);
    }
  }
  for (const r of f.incidentRows) {
    if (rows.size >= limit) break;
    rows.add(r.number);
  }
  return rows;
}

/**
 * Whether an incident number has a row. computeReport orders the rows by number, so a binary
 * search answers without a set of every listed number (100,000 in a big month, built for the
 * ~2,000 numbers asked); rows in another order (a hand-made snapshot) get the set.
 */
function hasRow(rows: ReadonlyArray<{ number: number }>): (n: number) => boolean {
  for (let i = 1; i < rows.length; i++) {
    if (rows[i - 1]!.number >= rows[i]!.number) {
      const numbers = new Set(rows.map((r) => r.number));
      return (n) => numbers.has(n);
    }
  }
  return (n) => {
    let lo = 0;
    let hi = rows.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const m = rows[mid]!.number;
      if (m === n) return true;
      if (m < n) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  };
}

/** Month text 'YYYY-MM' → [year, month], or null. */
export function parseMonthKey(key: string): [number, number] | null {
  const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(key);
  return m ? [Number(m[1]), Number(m[2])] : null;
}

/** The month before the one containing `at` in the zone, as 'YYYY-MM'. */
export function previousMonthKey(at: number, timeZone: string): string {
  const d = civilFromDayNumber(localDayNumberOf(timeZone, at));
  const y = d.month === 1 ? d.year - 1 : d.year;
  const m = d.month === 1 ? 12 : d.month - 1;
  return `${y}-${String(m).padStart(2, '0')}`;
}
