/**
 * The incident model (SPEC §3); the words are the contract's (src/contract/vocabulary.ts)
 * and the lifecycle is its one table (src/contract/incident-lifecycle.ts).
 */
import type { SlaState } from '../../core/sla/index.ts';
import type { SlaTarget } from '../../core/sla/index.ts';
import type { Anchor, Category, Channel, Priority, Status, TargetKind } from '../../contract/vocabulary.ts';
import { AppError, type ErrorCode, type ErrorIssue, type IssueCode, type IssueParams } from '../../errors.ts';

export type TargetState = SlaState | 'pending';

/** One SLA target of an incident as the API shows it. */
export interface IncidentTarget {
  kind: TargetKind;
  anchor: Anchor;
  target: SlaTarget;
  /** 'calendar' = 24/7 clock; 'business' = the contract's support calendar. */
  clock: 'calendar' | 'business';
  /** Where the clock counts from (recognized_at or started_at); null until that happens. */
  clockStart: number | null;
  dueAt: number | null;
  atRiskAt: number | null;
  metAt: number | null;
  /** 'pending' until the clock starts. */
  state: TargetState;
  /** The clock is stopped (waiting for the client). */
  paused: boolean;
  /** Out-of-scope incidents are excluded from SLA attainment. */
  excluded: boolean;
}

export interface IncidentPause {
  id: string;
  startedAt: number;
  endedAt: number | null;
  startedBy: string;
  endedBy: string | null;
  reason: string;
}

export interface TimelineEntry {
  id: string;
  at: number;
  kind: string;
  visibility: 'public' | 'internal';
  authorId: string;
  /** staff: an admin or agent; contact: the client (a portal user, or their e-mail through the intake); system: jobs. */
  authorKind: 'staff' | 'contact' | 'system';
  authorName: string | null;
  body: string;
  data: Record<string, unknown>;
}

export interface Incident {
  id: string;
  number: number;
  contractId: string;
  clientId: string;
  systemId: string | null;
  title: string;
  description: string;
  channel: Channel;
  category: Category;
  priority: Priority;
  suggestedPriority: Priority | null;
  status: Status;
  inScope: boolean;
  outOfScopeReason: string | null;
  billable: boolean;
  assigneeId: string | null;
  reporter: { contactId: string | null; name: string | null; email: string | null };
  notViaDesignatedContact: boolean;
  slaPolicyId: string;
  slaPolicyVersion: number;
  calendarId: string;
  receivedAt: number;
  recognizedAt: number | null;
  startedAt: number | null;
  proposedAt: number | null;
  resolvedAt: number | null;
  closedAt: number | null;
  resolution: { cause: string; fix: string; course: string } | null;
  nextTimerAt: number | null;
  createdBy: string;
  createdAt: number;
  updatedAt: number;
  targets: IncidentTarget[];
  pauses: IncidentPause[];
}

export interface IncidentDetail extends Incident {
  timeline: TimelineEntry[];
}

/** A vendor user (admin or agent): the only kind of user an incident may be assigned to. */
export const isStaffUser = (u: { role: string }): boolean => u.role === 'admin' || u.role === 'agent';
export const invalid = (code: ErrorCode, issues: ErrorIssue[]) => new AppError(code, 'invalid input', issues);
export const issue = (path: (string | number)[], code: IssueCode, message: string, params?: IssueParams): ErrorIssue => ({ path, code, message, ...(params ? { params } : {}) });
