/**
 * The live streak machine records the outages the core's `outagesFromChecks`
 * finds afterwards in the same results (fast-check, fixed seed): same starts,
 * same ends (an outage still open at the end: same start), unknown results ignored, for N = 1..4 and M = 1..3.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { outagesFromChecks } from '../../src/core/availability/index.ts';
import { applyResult, type StreakState } from '../../src/modules/monitoring/monitoring.state.ts';

const I = 30_000;

describe('live outage recording = the core rules', () => {
  it('agrees with outagesFromChecks on random result sequences', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(0, 0, 0, 1, 1, 2), { minLength: 1, maxLength: 120 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 3 }),
        (statuses, n, m) => {
          const at = statuses.map((_, i) => i * I);
          let s: StreakState = { failStreak: 0, okStreak: 0, firstFailAt: null, recoveringSince: null, outageSince: null };
          const live: Array<[number, number | null]> = [];
          statuses.forEach((st, i) => {
            const r = applyResult(s, st, at[i]!, n, m);
            s = r.state;
            if (r.event?.kind === 'opened') live.push([r.event.startedAt, null]);
            if (r.event?.kind === 'closed') live[live.length - 1]![1] = r.event.endedAt;
          });
          const end = at.at(-1)! + I * 1.5;
          const core = outagesFromChecks({ at, status: statuses, intervalMs: I }, { from: 0, to: end, confirmAfter: n, recoverAfter: m }).outages;
          // The core merges touching outages and runs an open one to the end of the data.
          const merged: Array<[number, number]> = [];
          for (const [a, b] of live) {
            const e = b ?? end;
            if (merged.length && merged.at(-1)![1] >= a) merged.at(-1)![1] = Math.max(merged.at(-1)![1], e);
            else if (e > a) merged.push([a, e]);
          }
          // An outage still open at the end of the data ends where the core's data ends; compare its start.
          const open = live.length > 0 && live.at(-1)![1] === null;
          const cut = (l: ReadonlyArray<readonly [number, number]>) => l.map(([a, b], i) => (open && i === l.length - 1 ? [a] : [a, b]));
          expect(cut(merged)).toEqual(cut(core));
        },
      ),
      { seed: 20261201, numRuns: 2000 },
    );
  });
});
