/**
 * The pure report core over incidents in any order, and without drill lists (the CSV's
 * figures): neither changes a figure. The core sorts its lists only when one got a number
 * below its last, so the order of the input is what this pins down.
 */
import { describe, expect, it } from 'vitest';
import { alwaysOpen } from '../../src/core/calendar/always-open.ts';
import { monthRange } from '../../src/core/availability/index.ts';
import { computeReport, type ReportIncidentInput } from '../../src/core/report/compute.ts';

const MIN = 60_000;
const [FROM, TO] = monthRange(2026, 11, 'Asia/Tokyo');
const AS_OF = TO + 3 * 24 * 60 * MIN;
const PRIORITIES = ['urgent', 'important', 'minor'] as const;
const CATEGORIES = ['outage', 'bug', 'inquiry', 'other'] as const;

function month(count: number): ReportIncidentInput[] {
  const out: ReportIncidentInput[] = [];
  for (let k = 0; k < count; k++) {
    const receivedAt = FROM + Math.floor((k * (TO - FROM - 60 * MIN)) / count);
    const late = k % 7 === 0;
    const target = (kind: 'start' | 'resolve', minutes: number) => ({
      kind, target: { kind: 'calendar' as const, minutes }, clockStart: receivedAt, dueAt: receivedAt + minutes * MIN,
      metAt: k % 11 === 3 ? null : receivedAt + (late ? minutes + 5 : minutes - 1) * MIN, pausable: false,
    });
    out.push({
      id: `inc-${k}`, number: 10 + k, title: `障害 ${k}`, priority: PRIORITIES[k % 3]!, category: CATEGORIES[k % 4]!, status: 'resolved',
      inScope: k % 9 !== 4, billable: false, outOfScopeReason: null, receivedAt, recognizedAt: receivedAt + (k % 5) * MIN, policyVersion: 1,
      calendarId: 'cal', resolutionCause: null, targets: [target('start', 30), target('resolve', 240)], pauses: [],
    });
  }
  return out;
}

const compute = (incidents: ReportIncidentInput[], o: { drill?: boolean } = {}) =>
  computeReport({ from: FROM, to: TO, timeZone: 'Asia/Tokyo', asOf: AS_OF, incidents, calendarOf: () => alwaysOpen(), ...o });

describe('the report core', () => {
  const ordered = compute(month(300));

  it('gives the same figures, drill lists in number order, whatever the order of its input', () => {
    const shuffled = month(300);
    // A fixed interleaving: every third from the end, then the rest backwards.
    const mixed = [...shuffled.filter((_, k) => k % 3 === 0).reverse(), ...shuffled.filter((_, k) => k % 3 !== 0).reverse()];
    const figures = compute(mixed);
    expect(Object.keys(ordered.drill).length).toBeGreaterThan(10);
    for (const list of Object.values(figures.drill)) expect(list).toEqual([...list].sort((a, b) => a - b));
    // The lag and out-of-scope rows keep the input's order (the desk reads incidents by number).
    const byNumber = <T extends { number: number }>(rows: T[]) => [...rows].sort((a, b) => a.number - b.number);
    expect({ ...figures, lagRows: byNumber(figures.lagRows), outOfScope: byNumber(figures.outOfScope) }).toEqual(ordered);
  });

  it('without drill lists (the CSV) leaves only those out', () => {
    const plain = compute(month(300), { drill: false });
    expect(plain.drill).toEqual({});
    expect({ ...plain, drill: ordered.drill }).toEqual(ordered);
  });
});
