/**
 * The shapes of the monthly report's figures and of the rows they are computed from
 * (compute.ts decides what counts where; this file only names things).
 */
import type { WorkingCalendar } from '../calendar/working-calendar.ts';
import type { SlaTarget } from '../sla/index.ts';

export const REPORT_PRIORITIES = ['urgent', 'important', 'minor'] as const;
export const REPORT_CATEGORIES = ['outage', 'bug', 'inquiry', 'change_request', 'security', 'other'] as const;
export const REPORT_TARGET_KINDS = ['start', 'resolve', 'propose'] as const;
export type ReportTargetKind = (typeof REPORT_TARGET_KINDS)[number];
export type TargetOutcome = 'met' | 'metLate' | 'breached' | 'open';

export interface ReportTargetInput {
  kind: ReportTargetKind;
  target: SlaTarget;
  /** null: the clock has not started (not recognized yet). */
  clockStart: number | null;
  /** Stored deadline (exact unless a pause is still open). */
  dueAt: number | null;
  metAt: number | null;
  pausable: boolean;
}

export interface ReportIncidentInput {
  id: string;
  number: number;
  title: string;
  priority: string;
  category: string;
  status: string;
  inScope: boolean;
  billable: boolean;
  outOfScopeReason: string | null;
  receivedAt: number;
  recognizedAt: number | null;
  policyVersion: number;
  calendarId: string;
  resolutionCause: string | null;
  targets: ReportTargetInput[];
  /** [start, end|null] waiting-for-client pauses. */
  pauses: Array<readonly [number, number | null]>;
}

export interface ReportComputeInput {
  /** [from, to) of the month in the contract's zone. */
  from: number;
  to: number;
  timeZone: string;
  /** When the figures are taken (the issue instant, or now for a preview). */
  asOf: number;
  /** In number order when `settled` is given. */
  incidents: readonly ReportIncidentInput[];
  /**
   * Incidents of the month the database only counted (see SettledMonth); none of them is
   * in `incidents`. Their figures are the same as if they were, but they get no row.
   */
  settled?: SettledMonth;
  calendarOf: (calendarId: string) => WorkingCalendar;
  /** Up to this many incidents get their counted/paused intervals in the appendix (the rest link to the incident page). */
  intervalLimit?: number;
  /**
   * false: leave `drill` empty (the CSV, whose tables list rows, not the incidents behind a
   * figure): a big month's drill lists are ~600,000 numbers no file of it would show.
   */
  drill?: boolean;
}

/**
 * The month's settled incidents as columns (each array in number order): in scope, of a
 * known priority and category, and every started target of theirs either met on time
 * within the month (`met_at` in [from, to), `met_at <= due_at`, `met_at <= asOf`, a stored
 * due) or settled before the month began (met by asOf, and its end — met or, late, due —
 * before `from`). Nothing about them depends on a calendar, a pause or asOf beyond that,
 * so a big month's bulk is counted from a few integer columns instead of an object per
 * incident and target. Which incidents qualify is the database's predicate
 * (report.settled.ts), checked against the core's own reading of every row by
 * report-settled.test.ts.
 */
export interface SettledMonth {
  /**
   * Those received in the month (their incident figures and lag); priority and category as indexes into
   * REPORT_PRIORITIES and REPORT_CATEGORIES, `recognizedAt` NaN for not recognized (typed columns: a
   * month's 100,000 rows are written in place, not pushed).
   */
  received: { number: Float64Array; priority: Uint8Array; category: Uint8Array; receivedAt: Float64Array; recognizedAt: Float64Array; facts?: SettledFacts };
  /** Their targets met on time in the month, one entry per target; kind and priority as indexes into REPORT_TARGET_KINDS and REPORT_PRIORITIES. */
  met: { number: Float64Array; kind: Uint8Array; priority: Uint8Array };
  /**
   * The policy versions of every target met on time in the month (theirs and the others'),
   * by kind and priority: a cell's versions are a set, so they need not come per target.
   */
  metVersions: Array<{ kind: ReportTargetKind; priority: string; policyVersion: number }>;
}

/**
 * What the CSV's incident table shows of a settled incident beyond its codes and instants
 * (columns parallel to `SettledMonth.received`), read with the split when the CSV is written
 * from it: the core passes them through to `ReportFigures.settledRows` untouched.
 */
export interface SettledFacts {
  title: string[];
  status: string[];
  billable: boolean[];
  policyVersion: number[];
}

/**
 * The settled incidents received in the month, as their CSV rows need them (figures with
 * `rows: 'split'`): the columns of `SettledMonth.received` with their facts, in number order.
 */
export type SettledRows = Omit<SettledMonth['received'], 'facts'> & SettledFacts;

export interface AttainmentRow {
  kind: ReportTargetKind;
  priority: string;
  met: number;
  metLate: number;
  breached: number;
  open: number;
  /** met / (met + metLate + breached), null when nothing ended. */
  rate: number | null;
  policyVersions: number[];
}

export interface BreachRow {
  incidentId: string;
  number: number;
  title: string;
  priority: string;
  kind: ReportTargetKind;
  policyVersion: number;
  dueAt: number;
  /** When it was met after all; null while still unmet at asOf. */
  metAt: number | null;
  /** Late by, on the target's own clock (business time for business targets), up to metAt or asOf. */
  lateMs: number;
  /** The target counts business hours: lateMs is working time, and 36 of its hours are not a day and a half. */
  businessTime: boolean;
  cause: string | null;
}

export interface OpenRow {
  incidentId: string;
  number: number;
  title: string;
  priority: string;
  kind: ReportTargetKind;
  dueAt: number;
  /** Share of the target's time used by month end (0..1). */
  share: number;
}

export interface IncidentTargetRow {
  kind: ReportTargetKind;
  outcome: TargetOutcome | 'later' | 'earlier' | 'pending';
  dueAt: number | null;
  metAt: number | null;
  /** Working intervals counted towards the target and the pauses in it (omitted past intervalLimit). */
  counted?: Array<[number, number]>;
  paused?: Array<[number, number]>;
}

/** An incident as the report lists it: its facts as read, and each target's outcome in the month. */
export interface IncidentRow extends Pick<ReportIncidentInput,
  'id' | 'number' | 'title' | 'priority' | 'category' | 'status' | 'inScope' | 'billable' | 'receivedAt' | 'recognizedAt' | 'policyVersion'> {
  /** Received in this month (else listed because a target of it ended or was open here). */
  receivedInMonth: boolean;
  targets: IncidentTargetRow[];
}

export interface ReportFigures {
  from: number;
  to: number;
  asOf: number;
  timeZone: string;
  incidents: {
    total: number;
    inScope: number;
    outOfScope: number;
    byPriority: Record<string, number>;
    byCategory: Record<string, number>;
  };
  outOfScope: Array<{ incidentId: string; number: number; title: string; reason: string | null; billable: boolean; category: string }>;
  attainment: AttainmentRow[];
  breaches: BreachRow[];
  openAtMonthEnd: OpenRow[];
  lag: { count: number; unrecognized: number; medianMs: number | null; p90Ms: number | null; maxMs: number | null; distribution: Array<{ bucket: string; count: number }> };
  lagRows: Array<{ incidentId: string; number: number; receivedAt: number; recognizedAt: number | null; lagMs: number | null }>;
  weekly: Array<{ week: string; received: number; breached: number }>;
  policyVersions: number[];
  incidentRows: IncidentRow[];
  /**
   * How many incidents the month lists. Absent in reports issued before it was kept, whose
   * `incidentRows` hold every listed incident.
   */
  listedCount?: number;
  /**
   * 'appendix': `incidentRows` holds only the rows the appendix shows and `lagRows` is empty —
   * the figures as an issued report stores them (see `keepAppendixRows`). 'split': see
   * `settledRows`. Absent: every row.
   */
  rows?: 'appendix' | 'split';
  /**
   * With `rows: 'split'` (the CSV written from the settled split): the settled incidents received
   * in the month, whose rows are not in `incidentRows` or `lagRows` — those hold the incidents
   * read whole. Every listed incident is in one of the two.
   */
  settledRows?: SettledRows;
  /** Figure key → incident numbers behind it. */
  drill: Record<string, number[]>;
}
