/**
 * The monthly report agrees, to the millisecond, with a brute-force recomputation done
 * here minute by minute — without the SLA core, the stored targets or the report code —
 * over a generated month: random priorities, back-dated receipts, late recognitions,
 * pauses (some still open), priority changes, out-of-scope incidents, incidents of the
 * previous month whose targets end in this one, and a policy revision mid-month.
 * The incidents are driven through the real incident service on a moving clock.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { testDialects, useTestDb } from '../helpers/db.ts';
import { makeWorld, TestClock, MIN } from '../helpers/factories.ts';
import { STANDARD_POLICY, type SlaPolicyDocument } from '../../src/contract/sla-policy-document.ts';
import type { ReportData } from '../../src/modules/reports/report.data.ts';
import { monthIncidentInputsRaw, monthIncidents, toCoreIncidents } from '../../src/modules/reports/report.repository.ts';
import { kyselyMonthReader, monthSplit } from '../../src/modules/reports/report.settled.ts';
import { keepAppendixRows } from '../../src/core/report/compute.ts';
import type { Services } from '../../src/http/services.ts';
import { rawSqliteOf } from '../../src/db/raw-sqlite.ts';

const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const JST = 9 * HOUR;
const NOV = Date.parse('2026-11-01T00:00:00+09:00');
const DEC = Date.parse('2026-12-01T00:00:00+09:00');
const REVISION_AT = Date.parse('2026-11-16T00:00:00+09:00');
const AS_OF = Date.parse('2026-12-04T12:00:00+09:00');

/** Non-working dates of the standard calendar around November 2026 (holidays; the year-end closure starts 12-29). */
const OFF_DATES = new Set(['2026-10-12', '2026-11-03', '2026-11-23']);

const V2: SlaPolicyDocument = {
  ...STANDARD_POLICY,
  priorities: {
    urgent: { start: { from: 'recognized', clock: { kind: 'calendar', minutes: 15 } }, resolve: { from: 'recognized', clock: { kind: 'business', minutes: 360 } } },
    important: { start: { from: 'recognized', clock: { kind: 'business', minutes: 240 } }, resolve: { from: 'started', clock: { kind: 'endOfNthBusinessDay', n: 2 } } },
    minor: { start: { from: 'recognized', clock: { kind: 'business', minutes: 540 } }, propose: { from: 'recognized', clock: { kind: 'endOfNthBusinessDay', n: 3 } } },
  },
};
const POLICIES: Record<number, SlaPolicyDocument> = { 1: STANDARD_POLICY, 2: V2 };

// ---- the brute-force clock: one minute at a time ----
const localDate = (t: number) => new Date(t + JST).toISOString().slice(0, 10);
function isWorkingMinute(t: number): boolean {
  const local = new Date(t + JST);
  const wd = local.getUTCDay();
  const h = local.getUTCHours();
  return wd >= 1 && wd <= 5 && h >= 9 && h < 18 && !OFF_DATES.has(localDate(t));
}
type Clock = 'calendar' | 'business';
type Pause = [number, number | null];
const inPause = (t: number, pauses: Pause[]) => pauses.some(([s, e]) => t >= s && t < (e ?? AS_OF));
const counts = (t: number, clock: Clock, pauses: Pause[]) => (clock === 'calendar' || isWorkingMinute(t)) && !inPause(t, pauses);
function countMinutes(a: number, b: number, clock: Clock, pauses: Pause[]): number {
  let n = 0;
  for (let t = a; t < b; t += MIN) if (counts(t, clock, pauses)) n++;
  return n;
}
function addMinutes(a: number, minutes: number, clock: Clock, pauses: Pause[]): number {
  let t = a;
  let n = 0;
  while (n < minutes) {
    if (counts(t, clock, pauses)) n++;
    t += MIN;
  }
  return t;
}
/** Closing (18:00) of the nth day with working time after the local date of t. */
function closingOfNthBusinessDay(t: number, n: number): number {
  let day = Date.parse(`${localDate(t)}T00:00:00+09:00`);
  let found = 0;
  while (found < n) {
    day += DAY;
    if (isWorkingMinute(day + 9 * HOUR)) found++;
  }
  return day + 18 * HOUR;
}

// ---- a seeded generator ----
function rng(seed: number) {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Priority = 'urgent' | 'important' | 'minor';
interface Plan {
  idx: number;
  receivedAt: number;
  createdAt: number;
  recognizedAt: number;
  emailed: boolean;
  priority: Priority;
  finalPriority: Priority;
  priorityChangeAt: number | null;
  startedAt: number | null;
  pauses: Pause[];
  proposedAt: number | null;
  resolvedAt: number | null;
  outOfScopeAt: number | null;
  version: number;
  id?: string;
  number?: number;
}

function generate(seed: number, count: number): Plan[] {
  const r = rng(seed);
  const minute = (a: number, b: number) => a + Math.floor(r() * ((b - a) / MIN)) * MIN;
  const prios: Priority[] = ['urgent', 'important', 'minor'];
  const plans: Plan[] = [];
  for (let idx = 0; idx < count; idx++) {
    const receivedAt = minute(NOV - 6 * DAY, DEC - 2 * HOUR);
    const createdAt = receivedAt + minute(0, 40 * MIN);
    const emailed = r() < 0.25;
    const recognizedAt = emailed ? createdAt + minute(MIN, 8 * HOUR) : createdAt;
    const priority = prios[Math.floor(r() * 3)]!;
    let t = recognizedAt;
    const p: Plan = {
      idx, receivedAt, createdAt, recognizedAt, emailed, priority, finalPriority: priority, priorityChangeAt: null, startedAt: null, pauses: [],
      proposedAt: null, resolvedAt: null, outOfScopeAt: null, version: createdAt >= REVISION_AT ? 2 : 1,
    };
    if (r() < 0.25) {
      p.priorityChangeAt = recognizedAt + minute(MIN, 3 * HOUR);
      p.finalPriority = prios[(prios.indexOf(priority) + 1 + Math.floor(r() * 2)) % 3]!;
    }
    if (r() < 0.12) p.outOfScopeAt = recognizedAt + minute(MIN, 2 * HOUR);
    if (r() < 0.85) {
      p.startedAt = t = t + minute(MIN, r() < 0.3 ? 20 * HOUR : 40 * MIN);
      const pauses = r() < 0.45 ? 1 + Math.floor(r() * 2) : 0;
      for (let k = 0; k < pauses; k++) {
        const s = t + minute(MIN, 6 * HOUR);
        const open = k === pauses - 1 && r() < 0.2;
        const e = open ? null : s + minute(MIN, 30 * HOUR);
        p.pauses.push([s, e]);
        if (e === null) break;
        t = e;
      }
      const lastOpen = p.pauses.length > 0 && p.pauses[p.pauses.length - 1]![1] === null;
      if (!lastOpen) {
        if (r() < 0.4) p.proposedAt = t = t + minute(MIN, 30 * HOUR);
        if (r() < 0.7) p.resolvedAt = t + minute(MIN, 40 * HOUR);
      }
    }
    plans.push(p);
  }
  return plans;
}

// ---- the brute-force report ----
interface Expected {
  attainment: Record<string, { met: number; metLate: number; breached: number; open: number }>;
  breaches: Array<{ number: number; kind: string; dueAt: number; metAt: number | null; lateMs: number; businessTime: boolean }>;
  open: Array<{ number: number; kind: string; dueAt: number; share: number }>;
  lag: { count: number; medianMs: number | null; p90Ms: number | null; maxMs: number | null };
  byPriority: Record<string, number>;
  outOfScope: number;
  total: number;
}

function bruteForce(plans: Plan[]): Expected {
  const e: Expected = { attainment: {}, breaches: [], open: [], lag: { count: 0, medianMs: null, p90Ms: null, maxMs: null }, byPriority: { urgent: 0, important: 0, minor: 0 }, outOfScope: 0, total: 0 };
  const lags: number[] = [];
  for (const p of plans) {
    const inScope = p.outOfScopeAt === null || p.outOfScopeAt > AS_OF;
    if (p.receivedAt >= NOV && p.receivedAt < DEC) {
      e.total++;
      e.byPriority[p.finalPriority]!++;
      if (!inScope) e.outOfScope++;
      lags.push(p.recognizedAt - p.receivedAt);
    }
    if (!inScope) continue;
    const policy = POLICIES[p.version]!;
    for (const kind of ['start', 'resolve', 'propose'] as const) {
      const spec = policy.priorities[p.finalPriority][kind];
      if (!spec) continue;
      const start = spec.from === 'started' ? p.startedAt : p.recognizedAt;
      if (start === null) continue;
      const pausable = kind !== 'start' && policy.pauseResolutionWhileWaiting;
      const pauses = pausable ? p.pauses : [];
      const met = kind === 'start' ? p.startedAt : kind === 'propose' ? (p.proposedAt ?? p.resolvedAt) : p.resolvedAt;
      const clock: Clock = spec.clock.kind === 'calendar' ? 'calendar' : 'business';
      let due: number;
      let total: number;
      if (spec.clock.kind === 'endOfNthBusinessDay') {
        total = countMinutes(start, closingOfNthBusinessDay(start, spec.clock.n), 'business', []);
        due = pauses.length ? addMinutes(start, total, 'business', pauses) : closingOfNthBusinessDay(start, spec.clock.n);
      } else {
        total = spec.clock.minutes;
        due = addMinutes(start, total, clock, pauses);
      }
      let outcome: 'met' | 'metLate' | 'breached' | 'open';
      let at: number | null;
      if (met !== null && met <= AS_OF) [outcome, at] = met <= due ? ['met', met] : ['metLate', due];
      else if (due < AS_OF) [outcome, at] = ['breached', due];
      else [outcome, at] = ['open', null];
      const key = `${kind}.${p.finalPriority}`;
      e.attainment[key] ??= { met: 0, metLate: 0, breached: 0, open: 0 };
      if (at !== null && at >= NOV && at < DEC) {
        e.attainment[key]![outcome]++;
        if (outcome !== 'met') e.breaches.push({ number: p.number!, kind, dueAt: due, metAt: met !== null && met <= AS_OF ? met : null, lateMs: countMinutes(due, met ?? AS_OF, clock, pauses) * MIN, businessTime: clock === 'business' });
      } else if (start < DEC && (at === null || at >= DEC)) {
        e.attainment[key]!.open++;
        e.open.push({ number: p.number!, kind, dueAt: due, share: Math.min(1, countMinutes(start, DEC, clock, pauses) / total) });
      }
    }
  }
  lags.sort((a, b) => a - b);
  const rank = (q: number) => (lags.length ? lags[Math.ceil(q * lags.length) - 1]! : null);
  e.lag = { count: lags.length, medianMs: rank(0.5), p90Ms: rank(0.9), maxMs: lags.length ? lags[lags.length - 1]! : null };
  e.breaches.sort((a, b) => a.dueAt - b.dueAt || a.number - b.number || a.kind.localeCompare(b.kind));
  e.open.sort((a, b) => a.dueAt - b.dueAt || a.number - b.number || a.kind.localeCompare(b.kind));
  return e;
}

// ---- availability: one system, two monitor runs with a gap, two outages, planned maintenance that overran ----
const MAINT: [number, number] = [Date.parse('2026-11-15T02:00:00+09:00'), Date.parse('2026-11-15T04:00:00+09:00')];
const MAINT_ACTUAL_END = Date.parse('2026-11-15T04:30:00+09:00');
const RUN_INTERVAL = MIN;
const RUNS: Array<[number, number]> = [ // [startedAt, lastAt] of "up/down" runs
  [NOV - DAY, Date.parse('2026-11-10T00:00:00+09:00')],
  [Date.parse('2026-11-12T00:00:00+09:00'), DEC + DAY],
];
const OUTAGES: Array<[number, number]> = [
  [Date.parse('2026-11-05T10:00:00+09:00'), Date.parse('2026-11-05T11:30:00+09:00')],
  [Date.parse('2026-11-20T23:00:00+09:00'), Date.parse('2026-11-21T01:00:00+09:00')],
  [Date.parse('2026-11-15T03:00:00+09:00'), Date.parse('2026-11-15T05:00:00+09:00')], // during the window and its overrun
];

function bruteAvailability() {
  const sum = { plannedMs: 0, downtimeMs: 0, overrunMs: 0, unknownMs: 0, upMs: 0 };
  // A run counts as monitored until 1.5 intervals after its last check, or until the next run starts.
  const monitored = (t: number) => RUNS.some(([a, b], i) => t >= a && t < Math.min(b + 1.5 * RUN_INTERVAL, RUNS[i + 1]?.[0] ?? Infinity));
  for (let t = NOV; t < DEC; t += 30_000) { // half-minute steps: the run's 1.5-minute tail ends on a half minute
    const step = 30_000;
    if (t >= MAINT[0] && t < MAINT[1]) sum.plannedMs += step;
    else if (t >= MAINT[1] && t < MAINT_ACTUAL_END) {
      sum.downtimeMs += step;
      sum.overrunMs += step;
    } else if (OUTAGES.some(([a, b]) => t >= a && t < b)) sum.downtimeMs += step;
    else if (!monitored(t)) sum.unknownMs += step;
    else sum.upMs += step;
  }
  const service = DEC - NOV - sum.plannedMs;
  return { ...sum, serviceMs: service, availability: sum.upMs / (service - sum.unknownMs) };
}

for (const dialect of testDialects) describe(`the monthly report against a brute-force recomputation (${dialect})`, () => {
  const t = useTestDb(dialect);
  const clock = new TestClock(NOV - 8 * DAY);
  let data: ReportData;
  let expected: Expected;
  let maintenanceId = '';
  let contractId = '';
  let reports: Services['reports'];

  beforeAll(async () => {
    const world = await makeWorld(t.db, clock, 'Brute');
    const { s, contract, agent, system, primary } = world;
    contractId = contract.id;
    reports = s.reports;
    const plans = generate(20261205, 70);
    type Step = { at: number; run: () => Promise<unknown> };
    const steps: Step[] = [{
      at: NOV - 7 * DAY,
      run: async () => {
        // Availability data: planned maintenance (announced in time), a monitor's runs and outages.
        const w = await s.maintenance.create(agent, { contractId: contract.id, systemId: system.id, kind: 'planned', title: 'DB更新', startsAt: MAINT[0], endsAt: MAINT[1], announce: true });
        maintenanceId = w.id;
        const m = await s.monitoring.create(agent, { contractId: contract.id, systemId: system.id, name: 'web', kind: 'http', url: 'http://127.0.0.1:9/', enabled: false });
        for (const [a, b] of RUNS) {
          await t.db.insertInto('monitorRuns').values({ id: `run-${a}`, monitorId: m.id, status: 0, startedAt: a, lastAt: b, checks: Math.floor((b - a) / RUN_INTERVAL), intervalMs: RUN_INTERVAL, latencySumMs: 0, latencyMaxMs: 0 }).execute();
        }
        for (const [a, b] of OUTAGES) {
          await t.db.insertInto('outages').values({
            id: `outage-${a}`, monitorId: m.id, contractId: contract.id, clientId: contract.clientId, systemId: system.id, startedAt: a, confirmedAt: a, endedAt: b,
            muted: 0, incidentId: null, createdAt: a, updatedAt: b, endedBy: 'recovered', endReason: null,
          }).execute();
        }
      },
    }, {
      at: MAINT_ACTUAL_END + HOUR,
      run: () => s.maintenance.recordActual(agent, maintenanceId, { actualStart: MAINT[0], actualEnd: MAINT_ACTUAL_END }),
    }, {
      at: REVISION_AT,
      run: () => s.policies.revise({ userId: 'system', role: 'admin', clientId: null }, contract.slaPolicyId, { document: V2, revisedOn: '2026-11-16', note: 'mid-month revision' }),
    }];
    for (const p of plans) {
      const id = () => p.id!;
      steps.push({
        at: p.createdAt,
        run: async () => {
          const d = await s.incidents.create(agent, {
            contractId: contract.id, systemId: system.id, title: `障害 ${p.idx}`, channel: p.emailed ? 'email' : 'phone', priority: p.priority,
            receivedAt: p.receivedAt, recognized: !p.emailed, reporter: { contactId: primary.id },
          });
          p.id = d.id;
          p.number = d.number;
        },
      });
      if (p.emailed) steps.push({ at: p.recognizedAt, run: () => s.incidents.open(agent, id()) });
      if (p.priorityChangeAt !== null) steps.push({ at: p.priorityChangeAt, run: () => s.incidents.changePriority(agent, id(), { priority: p.finalPriority, reason: '影響範囲の見直し' }) });
      if (p.outOfScopeAt !== null) steps.push({ at: p.outOfScopeAt, run: () => s.incidents.changeScope(agent, id(), { inScope: false, reason: '契約範囲外', billable: p.idx % 2 === 0 }) });
      if (p.startedAt !== null) steps.push({ at: p.startedAt, run: () => s.incidents.command(agent, id(), 'start') });
      for (const [ps, pe] of p.pauses) {
        steps.push({ at: ps, run: () => s.incidents.command(agent, id(), 'wait', { reason: '情報提供待ち' }) });
        if (pe !== null) steps.push({ at: pe, run: () => s.incidents.command(agent, id(), 'resume') });
      }
      if (p.proposedAt !== null) steps.push({ at: p.proposedAt, run: () => s.incidents.command(agent, id(), 'propose') });
      if (p.resolvedAt !== null) steps.push({ at: p.resolvedAt, run: () => s.incidents.command(agent, id(), 'resolve', { resolution: { cause: '原因', fix: '対処', course: '経緯' } }) });
    }
    // Same-minute steps keep their order of generation (a create before its own commands).
    steps.sort((a, b) => a.at - b.at);
    for (const step of steps) {
      if (step.at > AS_OF) continue;
      clock.now = step.at;
      await step.run();
    }
    // Plans are the truth of what happened up to AS_OF: forget what would have happened later.
    for (const p of plans) {
      if (p.startedAt !== null && p.startedAt > AS_OF) p.startedAt = null;
      if (p.proposedAt !== null && p.proposedAt > AS_OF) p.proposedAt = null;
      if (p.resolvedAt !== null && p.resolvedAt > AS_OF) p.resolvedAt = null;
      p.pauses = p.pauses.filter(([s]) => s <= AS_OF).map(([s, e]) => [s, e !== null && e > AS_OF ? null : e]);
      if (p.priorityChangeAt !== null && p.priorityChangeAt > AS_OF) p.finalPriority = p.priority;
    }
    clock.now = AS_OF;
    data = await s.reports.data(contract.id, '2026-11', AS_OF);
    expected = bruteForce(plans);
  }, 120_000);

  it('covers what it claims to: every outcome, both policy versions, pauses, open targets, out of scope', () => {
    const sum = (k: 'met' | 'metLate' | 'breached' | 'open') => Object.values(expected.attainment).reduce((s, a) => s + a[k], 0);
    expect(sum('met')).toBeGreaterThan(5);
    expect(sum('metLate')).toBeGreaterThan(0);
    expect(sum('breached')).toBeGreaterThan(0);
    expect(sum('open')).toBeGreaterThan(0);
    expect(expected.outOfScope).toBeGreaterThan(0);
    expect(data.figures.policyVersions).toEqual([1, 2]);
  });

  it('counts incidents by priority and scope as the brute force does', () => {
    expect(data.figures.incidents.total).toBe(expected.total);
    expect(data.figures.incidents.byPriority).toEqual(expected.byPriority);
    expect(data.figures.incidents.outOfScope).toBe(expected.outOfScope);
  });

  it('agrees on attainment per target kind and priority', () => {
    const got: Expected['attainment'] = {};
    for (const a of data.figures.attainment) {
      if (a.met + a.metLate + a.breached + a.open > 0) got[`${a.kind}.${a.priority}`] = { met: a.met, metLate: a.metLate, breached: a.breached, open: a.open };
    }
    const want = Object.fromEntries(Object.entries(expected.attainment).filter(([, a]) => a.met + a.metLate + a.breached + a.open > 0));
    expect(got).toEqual(want);
  });

  it('agrees on every breach: due and actual instants and lateness in business time, to the millisecond', () => {
    const got = data.figures.breaches.map((b) => ({ number: b.number, kind: b.kind, dueAt: b.dueAt, metAt: b.metAt, lateMs: b.lateMs, businessTime: b.businessTime }))
      .sort((a, b) => a.dueAt - b.dueAt || a.number - b.number || a.kind.localeCompare(b.kind));
    expect(got).toEqual(expected.breaches);
  });

  it('agrees on the targets open at month end and the share of time they used', () => {
    const got = data.figures.openAtMonthEnd.map((o) => ({ number: o.number, kind: o.kind, dueAt: o.dueAt, share: o.share }))
      .sort((a, b) => a.dueAt - b.dueAt || a.number - b.number || a.kind.localeCompare(b.kind));
    expect(got.map(({ share: _s, ...x }) => x)).toEqual(expected.open.map(({ share: _s, ...x }) => x));
    got.forEach((o, i) => expect(o.share).toBeCloseTo(expected.open[i]!.share, 12));
  });

  it('agrees on availability: planned maintenance excluded, overrun and outages down, the monitoring gap unknown', () => {
    const b = bruteAvailability();
    const [sys] = data.availability.systems;
    expect(sys).toMatchObject({ plannedMs: b.plannedMs, downtimeMs: b.downtimeMs, overrunMs: b.overrunMs, unknownMs: b.unknownMs, upMs: b.upMs, serviceMs: b.serviceMs });
    expect(sys!.availability).toBeCloseTo(b.availability, 12);
    expect(b.unknownMs).toBeGreaterThan(0);
    expect(b.overrunMs).toBe(30 * MIN);
    expect(data.outages).toHaveLength(3);
    expect(data.maintenance).toEqual([expect.objectContaining({ title: 'DB更新', inTime: true, actualEnd: MAINT_ACTUAL_END })]);
  });

  it('agrees on the received → recognized lag', () => {
    const { count, medianMs, p90Ms, maxMs } = data.figures.lag;
    expect({ count, medianMs, p90Ms, maxMs }).toEqual(expected.lag);
  });

  it('every target carries its incident\'s facts as they stand, after priority and scope changes, pauses, resolutions', async () => {
    const copies = [['incident_contract_id', 'contract_id'], ['incident_number', 'number'], ['incident_priority', 'priority'], ['incident_in_scope', 'in_scope'],
      ['incident_policy_version', 'sla_policy_version'], ['incident_received_at', 'received_at'], ['incident_resolved_at', 'resolved_at']];
    const differs = copies.map(([c, i]) => `t.${c} is distinct from i.${i}`).join(' or ');
    const counted = await sql<{ n: number; resolved: number }>`select count(*) as n, sum(case when t.incident_resolved_at is not null then 1 else 0 end) as resolved
      from incident_targets t join incidents i on i.id = t.incident_id where i.contract_id = ${contractId}`.execute(t.db);
    expect(Number(counted.rows[0]!.n)).toBeGreaterThan(100);
    expect(Number(counted.rows[0]!.resolved)).toBeGreaterThan(10);
    const stale = await sql<{ n: number }>`select count(*) as n from incident_targets t join incidents i on i.id = t.incident_id where ${sql.raw(differs)}`.execute(t.db);
    expect(Number(stale.rows[0]!.n)).toBe(0);
  });

  it('counts the settled incidents in the database and reads the rest whole, to the same figures as reading every incident', async () => {
    // Appendix sizes from none to all: the split moves the first settled incidents by number to the ones read whole.
    for (const limit of [0, 1, 7, 30, 2000]) {
      const split = await reports.data(contractId, '2026-11', AS_OF, { rows: 'appendix', intervalLimit: limit });
      const whole = await reports.data(contractId, '2026-11', AS_OF, { intervalLimit: limit });
      expect(split.figures, `appendix of ${limit}`).toEqual(keepAppendixRows(whole.figures, limit));
    }
    // The month has both kinds, so the comparison above is not between two whole reads.
    const split = await monthSplit(kyselyMonthReader(t.db), contractId, NOV, DEC, AS_OF, 0);
    expect(split.whole.length).toBeGreaterThan(10);
    expect(split.settled.met.number.length).toBeGreaterThan(10);
  });

  it.skipIf(dialect !== 'sqlite')('reads the month the same on SQLite\'s own handle (array rows, what the report uses there) as through Kysely (PostgreSQL\'s path)', async () => {
    const raw = rawSqliteOf(t.db);
    expect(raw).not.toBeNull();
    const viaKysely = toCoreIncidents(await monthIncidents(t.db, contractId, NOV, DEC));
    const viaRaw = await t.db.connection().execute(async () => monthIncidentInputsRaw(t.db, raw!, contractId, NOV, DEC));
    expect(viaRaw.length).toBeGreaterThan(50);
    expect(viaRaw.some((i) => i.pauses.length > 0) && viaRaw.some((i) => !i.inScope)).toBe(true);
    expect(viaRaw).toEqual(viaKysely);
  });
});
