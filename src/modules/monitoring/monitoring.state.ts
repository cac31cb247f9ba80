/**
 * The live form of the core's confirmation rules (src/core/availability/checks.ts),
 * applied one result at a time so the outage recorded when it happens is the one
 * `outagesFromChecks` finds afterwards (test/monitoring/state.test.ts compares them):
 * - N consecutive failures confirm an outage dated from the first of them;
 * - inside an outage, M consecutive successes end it at the first of them;
 *   a failure before M resets the successes;
 * - unknown results neither count towards nor break a streak.
 */
import { CHECK_DOWN, CHECK_UP } from '../../core/availability/index.ts';

export interface StreakState {
  failStreak: number;
  okStreak: number;
  firstFailAt: number | null;
  recoveringSince: number | null;
  /** Start of the open outage, or null. */
  outageSince: number | null;
}

export type StreakEvent = { kind: 'opened'; startedAt: number } | { kind: 'closed'; endedAt: number } | null;

export function applyResult(s: StreakState, status: number, at: number, confirmAfter: number, recoverAfter: number): { state: StreakState; event: StreakEvent } {
  if (status === CHECK_DOWN) {
    const firstFailAt = s.failStreak === 0 ? at : s.firstFailAt ?? at;
    const failStreak = s.failStreak + 1;
    if (s.outageSince === null && failStreak >= confirmAfter) {
      return { state: { failStreak, okStreak: 0, firstFailAt, recoveringSince: null, outageSince: firstFailAt }, event: { kind: 'opened', startedAt: firstFailAt } };
    }
    return { state: { ...s, failStreak, okStreak: 0, firstFailAt, recoveringSince: null }, event: null };
  }
  if (status === CHECK_UP) {
    if (s.outageSince !== null) {
      const recoveringSince = s.okStreak === 0 ? at : s.recoveringSince ?? at;
      const okStreak = s.okStreak + 1;
      if (okStreak >= recoverAfter) {
        return { state: { failStreak: 0, okStreak, firstFailAt: null, recoveringSince: null, outageSince: null }, event: { kind: 'closed', endedAt: recoveringSince } };
      }
      return { state: { ...s, failStreak: 0, firstFailAt: null, okStreak, recoveringSince }, event: null };
    }
    return { state: { ...s, failStreak: 0, firstFailAt: null, okStreak: s.okStreak + 1, recoveringSince: null }, event: null };
  }
  return { state: s, event: null };
}
