/**
 * Change requests: the pure decisions the commands share (no I/O) — the input types, who may
 * give which command of the lifecycle, the lifecycle step itself (src/contract/change-request-
 * lifecycle.ts), the problems of a proposal, its validity date, and the content a client's
 * approval is a hash of.
 */
import crypto from 'node:crypto';
import { localDayNumberOf } from '../../core/time/zone.ts';
import { parseIsoDate } from '../../core/time/civil.ts';
import { toIso } from '../../contract/common.ts';
import { transition, type ChangeCommand, type FinishOutcome } from '../../contract/change-request-lifecycle.ts';
import { proposalCanonical, type ChangeStatus } from '../../contract/change-requests.ts';
import { fromFlag } from '../../db/tx.ts';
import { AppError, type ErrorIssue, type IssueCode, type IssueParams } from '../../errors.ts';
import type { Actor } from '../auth/actor.ts';
import { SYSTEM_ACTOR } from '../auth/actor.ts';
import { isStaff } from '../auth/access.ts';
import { authorize } from '../auth/authorize.ts';
import type * as repo from './change-request.repository.ts';

export const DEFAULT_CONFIRMATION_BUSINESS_DAYS = 5;

export interface CreateChangeInput {
  contractId: string;
  /** Set by the conversion of an incident (createIn only). */
  sourceIncidentId?: string;
  systemIds?: string[];
  title: string;
  description?: string;
  reason?: string;
  desiredDate?: string | null;
  channel?: 'portal' | 'phone' | 'api' | 'incident';
  requesterContactId?: string | null;
  receivedAt?: number;
}

export interface ProposalInput {
  effortAmount: number;
  effortUnit: 'hours' | 'person_days';
  amountJpy: number;
  taxRatePercent?: number;
  plan: string;
  impact: string;
  backout: string;
  windowStartsAt?: number | null;
  windowEndsAt?: number | null;
  affectsService?: boolean;
  validUntil: string;
}

export interface ScheduleInput {
  startsAt: number;
  endsAt: number;
  affectsService?: boolean;
  systemId?: string | null;
  emergencyReason?: string | null;
}

export interface FinishInput {
  outcome: FinishOutcome;
  actualEffortAmount: number;
  resultNotes: string;
}

/** The commands whose only input is a text (the routes are generated from the lifecycle table). */
export type TextCommand = 'judge_feasible' | 'judge_not_feasible' | 'ask_clarification' | 'clarify' | 'start' | 'confirm' | 'close' | 'withdraw';

export const issue = (path: (string | number)[], code: IssueCode, message: string, params?: IssueParams): ErrorIssue => ({ path, code, message, ...(params ? { params } : {}) });
export const invalid = (issues: ErrorIssue[]) => new AppError('change_request.invalid', 'invalid change request input', issues);
const sha256 = (text: string) => crypto.createHash('sha256').update(text).digest('hex');
export const centi = (n: number) => Math.round(n * 100);
export const ref = (n: number) => `CR-${n}`;
/** Stored with a voided approval; the presenter reads the version back (voidedByVersion), the UI words it. */
export const voidReason = (version: number) => `voided by version ${version}`;
export const FINAL = (s: string) => s === 'closed' || s === 'withdrawn' || s === 'not_feasible';

export function authorizeCommand(actor: Actor, command: ChangeCommand): void {
  switch (command) {
    case 'judge_feasible':
    case 'judge_not_feasible':
    case 'ask_clarification':
      return authorize(actor, 'change_request.judge');
    case 'clarify':
      return authorize(actor, 'change_request.clarify');
    case 'start':
    case 'finish':
      return authorize(actor, 'change_request.implement');
    case 'confirm':
      return authorize(actor, 'change_request.confirm');
    case 'close':
      return authorize(actor, 'change_request.close');
    case 'withdraw':
      return authorize(actor, 'change_request.withdraw');
    case 'approve':
    case 'reject':
      return authorize(actor, 'change_request.decide');
    case 'schedule':
      return authorize(actor, 'change_request.schedule');
    case 'send_proposal':
      return authorize(actor, 'change_proposal.send');
    case 'revise_proposal':
      return authorize(actor, 'change_proposal.create');
    case 'auto_close':
      return undefined; // the desk's own job
  }
}

/** The proposal's content as the client sees it (the text its hash is taken over). */
export function proposalContent(p: repo.ProposalRow) {
  return {
    changeRequestId: p.changeRequestId, version: p.version, effortAmount: p.effortCenti / 100, effortUnit: p.effortUnit,
    amountJpy: p.amountJpy, taxRatePercent: p.taxRatePercent, taxJpy: p.taxJpy, plan: p.plan, impact: p.impact, backout: p.backout,
    windowStartsAt: p.windowStartsAt === null ? null : toIso(p.windowStartsAt), windowEndsAt: p.windowEndsAt === null ? null : toIso(p.windowEndsAt),
    affectsService: fromFlag(p.affectsService), validUntil: p.validUntil,
  };
}
export const proposalHash = (p: repo.ProposalRow): string => sha256(proposalCanonical(proposalContent(p)));

/** The lifecycle table's answer for this actor, or the refusal (forbidden, or not from this status). */
export function step(status: string, command: ChangeCommand, actor: Actor, outcome?: FinishOutcome): ChangeStatus {
  const role = actor === SYSTEM_ACTOR ? 'system' : isStaff(actor) ? 'staff' : 'contact';
  const tr = transition(status, command, role, outcome);
  if (!tr.ok) {
    if (tr.error.code === 'auth.forbidden') throw new AppError('auth.forbidden', 'forbidden');
    throw new AppError('change_request.invalid_transition', `cannot ${command} from ${status}`, [], tr.error.params);
  }
  return tr.to;
}

/** A proposal's validity date, and its window: both ends or neither, the end after the start. */
export function checkProposal(p: Partial<ProposalInput>, path: (string | number)[] = []): ErrorIssue[] {
  const issues: ErrorIssue[] = [];
  if (p.validUntil !== undefined && parseIsoDate(p.validUntil) === null) issues.push(issue([...path, 'validUntil'], 'invalid_date', 'not a date'));
  const s = p.windowStartsAt;
  const e = p.windowEndsAt;
  if ((s == null) !== (e == null)) issues.push(issue([...path, s == null ? 'windowStartsAt' : 'windowEndsAt'], 'required', 'both or neither'));
  else if (s != null && e != null && !(e > s)) issues.push(issue([...path, 'windowEndsAt'], 'too_small', 'after the start', { rule: 'after_start' }));
  return issues;
}

/** A proposal is valid through the end of its `validUntil` day on the contract's calendar. */
export function expired(validUntil: string, timeZone: string, now: number): boolean {
  const day = parseIsoDate(validUntil);
  return day !== null && localDayNumberOf(timeZone, now) > day;
}

/** What a filing may not set unless the desk files it, and the dates it names. */
export function createIssues(input: CreateChangeInput, staff: boolean, now: number): ErrorIssue[] {
  const issues: ErrorIssue[] = [];
  if (!input.title?.trim()) issues.push(issue(['title'], 'too_small', 'required'));
  if (!staff) {
    if (input.requesterContactId) issues.push(issue(['requesterContactId'], 'not_allowed', 'set by the desk'));
    if (input.receivedAt !== undefined) issues.push(issue(['receivedAt'], 'not_allowed', 'set by the desk'));
    if (input.channel === 'phone' || input.channel === 'incident') issues.push(issue(['channel'], 'not_allowed', 'set by the desk'));
  }
  if (input.receivedAt !== undefined && input.receivedAt > now) issues.push(issue(['receivedAt'], 'invalid', 'not in the future', { rule: 'not_in_future' }));
  if (input.desiredDate && parseIsoDate(input.desiredDate) === null) issues.push(issue(['desiredDate'], 'invalid_date', 'not a date'));
  return issues;
}
