export { dueAt, explainDeadline, clockFor, targetWorkingMs, type DeadlineInput, type Explanation, type CountedInterval } from './deadline.ts';
export { slaStatus, atRiskWorkingMs, DEFAULT_AT_RISK_THRESHOLD, type SlaState, type SlaStatus, type StatusInput } from './status.ts';
export { workingMsBetween, addWorkingMs, workingIntervalsBetween } from './clock.ts';
export { normalizePauses, type Pause } from './pauses.ts';
export { slaTargetSchema, type SlaTarget } from './target.ts';

import type { WorkingCalendar } from '../calendar/working-calendar.ts';
/** The first working instant at or after `at` (where a business clock starting at `at` begins to count). */
export const nextOpening = (calendar: WorkingCalendar, at: number): number => calendar.nextOpening(at);
