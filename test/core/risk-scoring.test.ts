import { describe, expect, it } from 'vitest';
import {
  criteriaProblems, DEFAULT_RISK_CRITERIA as C, heatMap, levelOf, rate, ratingProblems, reviewDueAt, reviewOverdueAt, reviewState,
} from '../../src/core/risk/scoring.ts';

const DAY = 86_400_000;

describe('risk scoring (pure)', () => {
  it('scores likelihood × impact and takes the highest band reached', () => {
    expect(rate(C, { likelihood: 1, impact: 1 })).toEqual({ likelihood: 1, impact: 1, score: 1, level: 'low' });
    expect([4, 5, 9, 10, 16, 17, 25].map((s) => levelOf(C, s))).toEqual(['low', 'medium', 'medium', 'high', 'high', 'critical', 'critical']);
    expect(() => rate(C, { likelihood: 6, impact: 1 })).toThrow(RangeError);
    expect(ratingProblems(C, { likelihood: 0, impact: 6 })).toEqual([{ field: 'likelihood', max: 5 }, { field: 'impact', max: 5 }]);
  });

  it('derives review and overdue instants from the level, and the state at an instant', () => {
    expect(reviewDueAt(C, 'high', 0)).toBe(30 * DAY);
    expect(reviewDueAt(C, 'low', 0)).toBe(180 * DAY);
    expect(reviewOverdueAt(C, 30 * DAY)).toBe(44 * DAY);
    expect([0, 30 * DAY - 1, 30 * DAY, 44 * DAY - 1, 44 * DAY].map((t) => reviewState(C, 30 * DAY, t))).toEqual(['ok', 'ok', 'due', 'due', 'overdue']);
    expect(reviewState(C, null, 0)).toBe('none');
  });

  it('finds what is wrong with a criteria document', () => {
    expect(criteriaProblems(C)).toEqual([]);
    const bad = { ...C, impact: [C.impact[0]!, C.impact[2]!], levels: [{ level: 'low' as const, minScore: 2, reviewDays: 1 }, { level: 'low' as const, minScore: 2, reviewDays: 1 }] };
    expect(criteriaProblems(bad)).toEqual([
      { path: ['impact', 1, 'value'], rule: 'scale_numbered' },
      { path: ['levels', 0, 'minScore'], rule: 'bands_ascending' },
      { path: ['levels', 1, 'level'], rule: 'duplicate' },
      { path: ['levels', 1, 'minScore'], rule: 'bands_ascending' },
    ]);
  });

  it('refuses a level no rating can reach (a scale shrunk, its bands forgotten)', () => {
    const three = { ...C, likelihood: C.likelihood.slice(0, 3), impact: C.impact.slice(0, 3) };
    expect(criteriaProblems(three)).toEqual([
      { path: ['levels', 2, 'minScore'], rule: 'band_unreachable' },
      { path: ['levels', 3, 'minScore'], rule: 'band_unreachable' },
    ]);
  });

  it('lays out the heat map with the most likely row first', () => {
    const cells = heatMap(C, [{ likelihood: 5, impact: 5 }, { likelihood: 5, impact: 5 }, { likelihood: 1, impact: 2 }]);
    expect(cells).toHaveLength(25);
    expect(cells[0]).toEqual({ likelihood: 5, impact: 1, score: 5, level: 'medium', count: 0 });
    expect(cells[4]).toMatchObject({ likelihood: 5, impact: 5, count: 2, level: 'critical' });
    expect(cells[21]).toMatchObject({ likelihood: 1, impact: 2, count: 1 });
  });
});
