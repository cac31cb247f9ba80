/**
 * Security incidents: the pure decisions the commands share (no I/O): the input types, the
 * issues of an instant given for something done earlier, the lifecycle step of a command,
 * and the order the dated reports must come in. The commands (security-incident.commands.ts,
 * security-incident.custody.ts) load rows and write; this file only says yes or why not.
 */
import { AppError, type ErrorCode, type ErrorIssue, type IssueCode, type IssueParams } from '../../errors.ts';
import { SECURITY_TRANSITIONS, type ReportKind, type SecurityCommand, type SecurityKind } from '../../contract/security-incidents.ts';
import type { RowUpdate } from '../../db/schema.ts';
import { fromFlag } from '../../db/tx.ts';
import type { Delivery } from '../mail/mail.outbound.ts';
import { linkableFrom, type LinkTargetLookup } from '../links/link-target.ts';
export type { LinkTargetLookup } from '../links/link-target.ts';
import type * as repo from './security-incident.repository.ts';

export type SecurityIncidentRow = repo.SecurityIncidentRow;

/** Everything the detail view needs, read in one go. */
export interface SecurityIncidentBundle {
  row: SecurityIncidentRow;
  events: repo.EventRow[];
  reports: repo.ReportRow[];
  reads: repo.ReadRow[];
  /** The reports' e-mails by report id (staff). */
  deliveries: Map<string, Delivery[]>;
  evidence: repo.EvidenceRow[];
  custody: repo.CustodyRow[];
  links: repo.LinkRow[];
  names: Map<string, string>;
  /** Staff: internal entries, unshared evidence, custody, links, commands. */
  internal: boolean;
  now: number;
}

export interface CreateSecurityIncidentInput {
  contractId: string;
  kind: SecurityKind;
  title: string;
  description?: string;
  systemId?: string;
  personalData?: boolean;
  occurredAt?: number;
  discoveredAt?: number;
}

export interface UpdateSecurityIncidentInput {
  kind?: SecurityKind;
  title?: string;
  description?: string;
  systemId?: string | null;
  personalData?: boolean;
  occurredAt?: number | null;
  discoveredAt?: number;
}

export interface ListInput {
  status?: string;
  open?: boolean;
  contractId?: string;
  clientId?: string;
  limit: number;
}

/**
 * How a link's target is looked up, per kind: the record's client, or null when there is no such
 * record the actor may see. The composition root passes the lookups of the incident, risk and
 * change-request services (this module does not import them).
 */
export type LinkKind = 'risk' | 'change_request' | 'incident';
export type LinkTargets = Record<LinkKind, LinkTargetLookup>;

export const issue = (path: (string | number)[], code: IssueCode, message: string, params?: IssueParams): ErrorIssue => ({ path, code, message, ...(params ? { params } : {}) });
export const invalid = (code: ErrorCode, issues: ErrorIssue[]) => new AppError(code, issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '), issues);

/** The instant columns of each command (who recorded it goes beside). */
const COMMAND_INSTANT = {
  contain: ['containedAt', 'containedBy'],
  'remove-threat': ['threatRemovedAt', 'threatRemovedBy'],
  close: ['closedAt', 'closedBy'],
} as const;

/** An instant given for something done earlier: not in the future, not before discovery. */
export function checkAt(at: number | undefined, row: SecurityIncidentRow, now: number, field = 'at'): number {
  if (at === undefined) return now;
  if (at > now) throw invalid('security_incident.invalid', [issue([field], 'invalid', 'must not be in the future', { rule: 'not_in_future' })]);
  if (row.discoveredAt !== null && at < row.discoveredAt) {
    throw invalid('security_incident.invalid', [issue([field], 'invalid', 'must not be before discovery', { rule: 'not_before_start' })]);
  }
  return at;
}

/** A new record's instants: neither in the future, occurrence not after discovery. */
export function createInstantIssues(occurredAt: number | undefined, discoveredAt: number, now: number): ErrorIssue[] {
  const issues: ErrorIssue[] = [];
  if (discoveredAt > now) issues.push(issue(['discoveredAt'], 'invalid', 'must not be in the future', { rule: 'not_in_future' }));
  if (occurredAt !== undefined) {
    if (occurredAt > now) issues.push(issue(['occurredAt'], 'invalid', 'must not be in the future', { rule: 'not_in_future' }));
    else if (occurredAt > discoveredAt) issues.push(issue(['discoveredAt'], 'invalid', 'must not be before it occurred', { rule: 'not_before_start' }));
  }
  return issues;
}

/** Corrected instants: the given ones not in the future, the resulting occurrence not after the resulting discovery. */
export function updateInstantIssues(row: SecurityIncidentRow, input: { occurredAt?: number | null; discoveredAt?: number }, now: number): ErrorIssue[] {
  const issues: ErrorIssue[] = [];
  const discoveredAt = input.discoveredAt ?? row.discoveredAt;
  const occurredAt = input.occurredAt !== undefined ? input.occurredAt : row.occurredAt;
  if (input.discoveredAt !== undefined && input.discoveredAt > now) issues.push(issue(['discoveredAt'], 'invalid', 'must not be in the future', { rule: 'not_in_future' }));
  if (input.occurredAt != null && input.occurredAt > now) issues.push(issue(['occurredAt'], 'invalid', 'must not be in the future', { rule: 'not_in_future' }));
  if (occurredAt !== null && discoveredAt !== null && occurredAt > discoveredAt) issues.push(issue(['discoveredAt'], 'invalid', 'must not be before it occurred', { rule: 'not_before_start' }));
  return issues;
}

/**
 * The patch of a lifecycle command at `at` by `userId`, or the refusal. Closing an in-scope
 * incident needs its final report (`hasFinal`).
 */
export function commandPatch(row: SecurityIncidentRow, command: SecurityCommand, at: number, userId: string, hasFinal: boolean): RowUpdate<'securityIncidents'> {
  if (command === 'recognize') {
    if (row.recognizedAt !== null) throw new AppError('security_incident.already_recognized', 'already recognized');
    return { recognizedAt: at, recognizedBy: userId };
  }
  const rule = SECURITY_TRANSITIONS[command];
  if (!rule.from.includes(row.status as never)) {
    throw new AppError('security_incident.invalid_transition', `cannot ${command} from ${row.status}`, [], { command, status: row.status });
  }
  if (command === 'close' && fromFlag(row.inScope) && !hasFinal) throw new AppError('security_incident.final_report_required', 'issue the final report first');
  const [atCol, byCol] = COMMAND_INSTANT[command];
  return { status: rule.to, [atCol]: at, [byCol]: userId };
}

/**
 * The order of the dated reports: one first report (it meets the report clock), then
 * follow-ups, then one final report once the threat is removed (out of scope, whenever the
 * desk concludes); nothing after the final.
 */
export function checkReportOrder(row: SecurityIncidentRow, reports: readonly repo.ReportRow[], kind: ReportKind): void {
  if (row.recognizedAt === null) throw new AppError('security_report.not_recognized', 'recognize the incident first');
  if (reports.some((r) => r.kind === 'final')) throw new AppError('security_report.after_final', 'the final report was issued');
  if (kind === 'first' && reports.length > 0) throw new AppError('security_report.first_exists', 'a first report was issued');
  if (kind !== 'first' && reports.length === 0) throw new AppError('security_report.first_required', 'issue the first report first');
  if (kind === 'final' && fromFlag(row.inScope) && row.threatRemovedAt === null) throw new AppError('security_report.threat_not_removed', 'remove the threat first');
}

/** A link target must exist (as the actor may see it) and be of the incident's client. */
export function checkLinkTarget(row: SecurityIncidentRow, kind: string, targetId: string, target: { clientId: string } | null): void {
  if (!linkableFrom(target, row.clientId)) {
    throw new AppError('security_incident.link_not_found', `no ${kind} ${targetId} of this client`, [issue(['targetId'], 'not_found', `no ${kind} ${targetId} of this client`)], { kind, targetId });
  }
}
