/**
 * Change requests (変更要求, SPEC §6, issue 13): the commands. A request is filed by a
 * contact in the portal, by an agent (a call, or an incident of category "change
 * request" converted: the incident links to it and is closed), or over the API; the
 * desk judges feasibility against the SLA policy's target (timers in
 * change-request.jobs.ts), writes versioned proposals (immutable once sent), the
 * client's designated contact approves or rejects one version in the portal (the
 * SHA-256 of the version shown is recorded; a later version voids the approval),
 * scheduling needs a standing, unexpired approval and creates an announced maintenance
 * window in the same unit when the work affects the service, and the finished work is
 * confirmed by the client (検収) or closes itself after the contract's timeout.
 *
 * Every command is one unit of work: the row, its timeline entry, its audit entry, its
 * jobs (timers, mail) commit together. The lifecycle is the table in
 * src/contract/change-request-lifecycle.ts.
 */
import crypto from 'node:crypto';
import { uuidv7 } from 'uuidv7';
import { dueAt as coreDueAt } from '../../core/sla/index.ts';
import { localDayNumberOf } from '../../core/time/zone.ts';
import { parseIsoDate } from '../../core/time/civil.ts';
import { toIso } from '../../contract/common.ts';
import { transition, type ChangeCommand, type FinishOutcome } from '../../contract/change-request-lifecycle.ts';
import { proposalCanonical, taxOf, DEFAULT_TAX_RATE_PERCENT, type ChangeStatus } from '../../contract/change-requests.ts';
import type { Executor } from '../../db/database.ts';
import { fromFlag, toFlag, type ServiceDeps } from '../../db/tx.ts';
import { unitOfWork, type Work } from '../../db/unit-of-work.ts';
import { AppError, notFound, type ErrorIssue, type IssueCode, type IssueParams } from '../../errors.ts';
import { t } from '../../i18n/index.ts';
import type { Actor } from '../auth/actor.ts';
import { SYSTEM_ACTOR } from '../auth/actor.ts';
import { isStaff } from '../auth/access.ts';
import { authorize } from '../auth/authorize.ts';
import { loadWorkingCalendar } from '../calendars/calendar.service.ts';
import { contractCoversSystem, loadContractTerms } from '../contracts/contract.service.ts';
import type { IncidentService } from '../incidents/incident.service.ts';
import { createAnnouncedWindowIn } from '../maintenance/maintenance.windows-in.ts';
import { loadPolicyVersion } from '../sla-policies/sla-policy.service.ts';
import { feasibilityInstants, timerInstants } from './change-request.clock.ts';
import { armConfirmationTimeout, cancelConfirmationTimeout, syncTimers, type FeasibilityTimerPayload, FEASIBILITY_TIMER_JOB, timerKey } from './change-request.jobs.ts';
import { sendChangeMail, type ChangeMailKind, type ChangeMailSubject } from './change-request.mail.ts';
import { approverContact, createChangeRequestQueries, currentSent, type ChangeDetail } from './change-request.queries.ts';
import * as repo from './change-request.repository.ts';
import { enqueue } from '../../jobs/queue.ts';

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

const issue = (path: (string | number)[], code: IssueCode, message: string, params?: IssueParams): ErrorIssue => ({ path, code, message, ...(params ? { params } : {}) });
const invalid = (issues: ErrorIssue[]) => new AppError('change_request.invalid', 'invalid change request input', issues);
const sha256 = (text: string) => crypto.createHash('sha256').update(text).digest('hex');
const centi = (n: number) => Math.round(n * 100);
const ref = (n: number) => `CR-${n}`;
/** Stored with a voided approval; the presenter reads the version back (voidedByVersion), the UI words it. */
const voidReason = (version: number) => `voided by version ${version}`;

function authorizeCommand(actor: Actor, command: ChangeCommand): void {
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

export function createChangeRequestService(deps: ServiceDeps, collaborators: { incidents: IncidentService }) {
  const { db, clock } = deps;
  const uow = deps.uow ?? unitOfWork(db, clock);
  const queries = createChangeRequestQueries(deps);
  const { load, detail } = queries;

  async function actorName(ex: Executor, actor: Actor): Promise<string | null> {
    return (await repo.userById(ex, actor.userId))?.name ?? null;
  }

  async function event(
    w: Work<Actor>, row: repo.ChangeRow, kind: string, body: string, data: Record<string, unknown> = {}, visibility: 'public' | 'internal' = 'public',
  ): Promise<string> {
    const id = uuidv7();
    await repo.insertEvent(w.tx, {
      id, changeRequestId: row.id, at: w.now, kind, visibility, actorId: w.actor.userId,
      actorName: await actorName(w.tx, w.actor), body, data: JSON.stringify(data),
    });
    return id;
  }

  async function contractInfo(ex: Executor, row: Pick<repo.ChangeRow, 'calendarId' | 'contractId'>) {
    const calendar = await loadWorkingCalendar(ex, row.calendarId);
    const c = await ex.selectFrom('contracts').select(['name']).where('id', '=', row.contractId).executeTakeFirst();
    return { calendar, contractName: c?.name ?? '' };
  }

  async function mail(w: Work<Actor>, row: repo.ChangeRow, kind: ChangeMailKind, eventId: string, extra: Partial<ChangeMailSubject>): Promise<void> {
    const { calendar, contractName } = await contractInfo(w.tx, row);
    await sendChangeMail(w.tx, row, kind, { number: row.number, title: row.title, contractName, timeZone: calendar.timeZone, ...extra }, eventId, w.now);
  }

  /** Re-derives the feasibility instants from receipt and the pauses so far, stores them and rewrites the timers. */
  async function rearmFeasibility(w: Work<Actor>, row: repo.ChangeRow): Promise<repo.ChangeRow> {
    if (row.feasibilityTarget === null) return row;
    const calendar = await loadWorkingCalendar(w.tx, row.calendarId);
    const pauses = await repo.pausesOf(w.tx, row.id);
    const policy = (await loadPolicyVersion(w.tx, row.slaPolicyId, row.slaPolicyVersion)).document;
    const inst = feasibilityInstants(row, { calendar, pauses, now: w.now, atRiskThreshold: policy.atRiskThreshold });
    const next = { ...row, feasibilityDueAt: inst?.dueAt ?? null, feasibilityAtRiskAt: inst?.atRiskAt ?? null };
    // A deadline moved later by a pause re-arms its warnings (they fire once per deadline that is still ahead).
    if (next.feasibilityAtRiskAt !== null && next.feasibilityAtRiskAt > w.now) next.feasibilityAtRiskFiredAt = null;
    if (next.feasibilityDueAt !== null && next.feasibilityDueAt >= w.now) next.feasibilityBreachedFiredAt = null;
    const paused = pauses.some((p) => p.endedAt === null);
    await syncTimers(w.tx, next, paused, w.now);
    return next;
  }

  function step(status: string, command: ChangeCommand, actor: Actor, outcome?: FinishOutcome): ChangeStatus {
    const role = actor === SYSTEM_ACTOR ? 'system' : isStaff(actor) ? 'staff' : 'contact';
    const tr = transition(status, command, role, outcome);
    if (!tr.ok) {
      if (tr.error.code === 'auth.forbidden') throw new AppError('auth.forbidden', 'forbidden');
      throw new AppError('change_request.invalid_transition', `cannot ${command} from ${status}`, [], tr.error.params);
    }
    return tr.to;
  }

  async function save(w: Work<Actor>, before: repo.ChangeRow, after: repo.ChangeRow, action: string): Promise<void> {
    const { updatedAt: _u, ...rest } = after;
    await repo.updateChange(w.tx, after.id, { ...rest, updatedAt: w.now });
    const diff = (r: repo.ChangeRow) => Object.fromEntries(Object.entries(r).filter(([k, v]) => k !== 'updatedAt' && (before as Record<string, unknown>)[k] !== (after as Record<string, unknown>)[k] && v !== undefined));
    w.audit({ entity: 'change_request', entityId: after.id, action, before: diff(before), after: diff(after) });
  }

  const fresh = async (w: Work<Actor>, id: string): Promise<ChangeDetail> => detail(w.tx, w.actor, (await repo.findChange(w.tx, id, null))!, w.now);

  /** Files a change request inside a unit already open (the incident conversion). */
  async function createIn(w: Work<Actor>, input: CreateChangeInput): Promise<repo.ChangeRow> {
    const { tx, actor, now } = w;
    authorize(actor, 'change_request.create');
    const staff = isStaff(actor);
    const issues: ErrorIssue[] = [];
    if (!input.title?.trim()) issues.push(issue(['title'], 'too_small', 'required'));
    if (!staff) {
      if (input.requesterContactId) issues.push(issue(['requesterContactId'], 'not_allowed', 'set by the desk'));
      if (input.receivedAt !== undefined) issues.push(issue(['receivedAt'], 'not_allowed', 'set by the desk'));
      if (input.channel === 'phone' || input.channel === 'incident') issues.push(issue(['channel'], 'not_allowed', 'set by the desk'));
    } else if (input.requesterContactId || input.receivedAt !== undefined) {
      authorize(actor, 'change_request.create_for');
    }
    if (input.receivedAt !== undefined && input.receivedAt > now) issues.push(issue(['receivedAt'], 'invalid', 'not in the future', { rule: 'not_in_future' }));
    if (input.desiredDate && parseIsoDate(input.desiredDate) === null) issues.push(issue(['desiredDate'], 'invalid_date', 'not a date'));
    if (issues.length) throw invalid(issues);

    // Scoped: a contact naming another client's contract gets contract.not_found.
    const contract = await loadContractTerms(tx, actor, input.contractId);
    const systemIds = [...new Set(input.systemIds ?? [])];
    for (const [i, s] of systemIds.entries()) {
      if (!(await contractCoversSystem(tx, contract.id, s))) issues.push(issue(['systemIds', i], 'not_found', 'not a system of this contract'));
    }
    let contactId: string | null = null;
    let requesterName: string | null = null;
    if (!staff) {
      const u = await repo.userById(tx, actor.userId);
      requesterName = u?.name ?? null;
      contactId = u ? (await repo.contactByEmail(tx, contract.clientId, u.email))?.id ?? null : null;
    } else if (input.requesterContactId) {
      const c = await repo.contactById(tx, input.requesterContactId);
      if (!c || c.clientId !== contract.clientId) issues.push(issue(['requesterContactId'], 'not_found', 'no such contact of this client'));
      else {
        contactId = c.id;
        requesterName = c.name;
      }
    } else {
      requesterName = await actorName(tx, actor);
    }
    if (issues.length) throw invalid(issues);

    const policy = (await loadPolicyVersion(tx, contract.slaPolicyId, contract.slaPolicyVersion)).document;
    const target = policy.changeRequests?.feasibility ?? null;
    const channel = input.channel ?? (staff ? 'phone' : 'portal');
    let row: repo.ChangeRow = {
      id: uuidv7(), number: await repo.nextNumber(tx), contractId: contract.id, clientId: contract.clientId,
      title: input.title.trim(), description: input.description ?? '', reason: input.reason ?? '', desiredDate: input.desiredDate ?? null,
      channel, requestedByUserId: actor === SYSTEM_ACTOR ? null : actor.userId, requestedByContactId: contactId, requesterName,
      requestedByStaff: toFlag(staff && contactId === null), sourceIncidentId: input.sourceIncidentId ?? null, status: 'requested',
      slaPolicyId: contract.slaPolicyId, slaPolicyVersion: contract.slaPolicyVersion, calendarId: contract.calendarId,
      receivedAt: input.receivedAt ?? now, feasibility: null, feasibilityReason: null, feasibilityAt: null, feasibilityBy: null,
      feasibilityTarget: target ? JSON.stringify(target) : null, feasibilityDueAt: null, feasibilityAtRiskAt: null,
      feasibilityAtRiskFiredAt: null, feasibilityBreachedFiredAt: null, windowStartsAt: null, windowEndsAt: null,
      maintenanceWindowId: null, scheduledAt: null, startedAt: null, finishedAt: null, outcome: null, actualEffortCenti: null,
      resultNotes: null, confirmationDueAt: null, confirmedAt: null, confirmedBy: null, confirmationComment: null, autoClosed: 0,
      closedAt: null, createdBy: actor.userId, createdAt: now, updatedAt: now,
    };
    await repo.insertChange(tx, row, systemIds);
    row = await rearmFeasibility(w, row);
    await repo.updateChange(tx, row.id, { feasibilityDueAt: row.feasibilityDueAt, feasibilityAtRiskAt: row.feasibilityAtRiskAt });
    await event(w, row, 'created', row.description, { channel, sourceIncidentId: row.sourceIncidentId });
    w.audit({ entity: 'change_request', entityId: row.id, action: 'create', after: row });
    return row;
  }

  /** A text command of the lifecycle table, applied to a loaded, locked row. */
  async function applyText(w: Work<Actor>, row: repo.ChangeRow, command: TextCommand, text: string | undefined): Promise<void> {
    const { tx, now, actor } = w;
    const to = step(row.status, command, actor);
    const body = text?.trim() ?? '';
    const required: TextCommand[] = ['judge_not_feasible', 'ask_clarification', 'clarify', 'withdraw'];
    if (required.includes(command) && !body) throw invalid([issue(['text'], 'required', `required to ${command}`)]);
    let after: repo.ChangeRow = { ...row, status: to };
    let paused = row.status === 'needs_clarification';
    switch (command) {
      case 'judge_feasible':
      case 'judge_not_feasible':
        after = { ...after, feasibility: command === 'judge_feasible' ? 'feasible' : 'not_feasible', feasibilityReason: body || null, feasibilityAt: now, feasibilityBy: actor.userId };
        if (paused) await repo.closeOpenPause(tx, row.id, now);
        paused = false;
        break;
      case 'ask_clarification':
        await repo.insertPause(tx, { id: uuidv7(), changeRequestId: row.id, startedAt: now, endedAt: null, reason: body });
        paused = true;
        break;
      case 'clarify':
        await repo.closeOpenPause(tx, row.id, now);
        paused = false;
        break;
      case 'start':
        after = { ...after, startedAt: now };
        break;
      case 'confirm':
        after = { ...after, confirmedAt: now, confirmedBy: actor.userId, confirmationComment: body || null, closedAt: now };
        await cancelConfirmationTimeout(tx, row.id);
        break;
      case 'close':
        after = { ...after, closedAt: now };
        break;
      case 'withdraw':
        after = { ...after, closedAt: now };
        if (paused) await repo.closeOpenPause(tx, row.id, now);
        break;
    }
    if (command === 'clarify' || command === 'ask_clarification') after = await rearmFeasibility(w, after);
    else if (after.feasibilityAt !== null || FINAL(after.status)) await syncTimers(tx, after, paused, now);
    await save(w, row, after, command);
    await event(w, after, command, body, { from: row.status, to });
  }

  const FINAL = (s: string) => s === 'closed' || s === 'withdrawn' || s === 'not_feasible';

  async function mutate<T>(actor: Actor, id: string, name: string, fn: (w: Work<Actor>, row: repo.ChangeRow) => Promise<T>): Promise<T> {
    return uow.command(actor, async (w) => fn(w, await load(w.tx, actor, id, true)), { name: `change_request.${name}` });
  }

  function checkProposal(p: Partial<ProposalInput>, path: (string | number)[] = []): ErrorIssue[] {
    const issues: ErrorIssue[] = [];
    if (p.validUntil !== undefined && parseIsoDate(p.validUntil) === null) issues.push(issue([...path, 'validUntil'], 'invalid_date', 'not a date'));
    const s = p.windowStartsAt;
    const e = p.windowEndsAt;
    if ((s == null) !== (e == null)) issues.push(issue([...path, s == null ? 'windowStartsAt' : 'windowEndsAt'], 'required', 'both or neither'));
    else if (s != null && e != null && !(e > s)) issues.push(issue([...path, 'windowEndsAt'], 'too_small', 'after the start', { rule: 'after_start' }));
    return issues;
  }

  function expired(validUntil: string, timeZone: string, now: number): boolean {
    const day = parseIsoDate(validUntil);
    return day !== null && localDayNumberOf(timeZone, now) > day;
  }

  /** Sends a draft version: immutable from now on, earlier versions superseded, a standing approval voided. */
  async function sendIn(w: Work<Actor>, row: repo.ChangeRow, p: repo.ProposalRow): Promise<repo.ProposalRow> {
    const { tx, now, actor } = w;
    authorize(actor, 'change_proposal.send');
    const to = step(row.status, 'send_proposal', actor);
    const { calendar } = await contractInfo(tx, row);
    if (expired(p.validUntil, calendar.timeZone, now)) throw invalid([issue(['validUntil'], 'in_past', 'the proposal would be expired already')]);
    const sent: repo.ProposalRow = { ...p, status: 'sent', sentAt: now, sentBy: actor.userId, updatedAt: now };
    sent.contentHash = proposalHash(sent);
    await repo.updateProposal(tx, p.id, { status: 'sent', sentAt: now, sentBy: actor.userId, contentHash: sent.contentHash, updatedAt: now });
    await repo.supersedeSent(tx, row.id, p.id, now);
    const voided = await repo.voidApprovals(tx, row.id, now, voidReason(p.version));
    w.audit({ entity: 'change_proposal', entityId: p.id, action: 'send', before: { status: p.status }, after: { status: 'sent', version: p.version, contentHash: sent.contentHash, voidedApprovals: voided } });
    const after = { ...row, status: to };
    await save(w, row, after, 'send_proposal');
    const eventId = await event(w, after, 'send_proposal', '', { version: p.version, contentHash: sent.contentHash, totalJpy: p.amountJpy + p.taxJpy, voidedApprovals: voided });
    await mail(w, after, 'proposal_sent', eventId, {
      version: p.version, amountJpy: p.amountJpy, taxJpy: p.taxJpy, totalJpy: p.amountJpy + p.taxJpy, validUntil: p.validUntil,
      startsAt: p.windowStartsAt, endsAt: p.windowEndsAt,
    });
    return sent;
  }

  return {
    // Reads (change-request.queries.ts).
    get: queries.get,
    getByNumber: queries.getByNumber,
    list: queries.list,
    conflicts: queries.conflicts,
    forReport: queries.forReport,
    createIn,

    async create(actor: Actor, input: CreateChangeInput): Promise<ChangeDetail> {
      return uow.command(actor, async (w) => fresh(w, (await createIn(w, input)).id), { name: 'change_request.create' });
    },

    /**
     * An incident of category "change request" becomes a change request: the request
     * names the incident, the incident gets a message naming the request and is closed
     * as "moved to change request" — one unit of work.
     */
    async convertIncident(actor: Actor, input: { incidentId: string; reason?: string; desiredDate?: string | null }): Promise<ChangeDetail> {
      authorize(actor, 'change_request.convert');
      const incident = await collaborators.incidents.get(actor, input.incidentId);
      if (incident.category !== 'change_request' || incident.status === 'closed') {
        throw new AppError('change_request.not_a_change', 'only an open incident of category change_request', [], { category: incident.category, status: incident.status });
      }
      return uow.command(actor, async (w) => {
        if (await repo.findBySourceIncident(w.tx, incident.id)) throw new AppError('change_request.not_a_change', 'already converted');
        const row = await createIn(w, {
          contractId: incident.contractId, systemIds: incident.systemId ? [incident.systemId] : [], title: incident.title,
          description: incident.description, reason: input.reason ?? '', desiredDate: input.desiredDate ?? null, channel: 'incident',
          sourceIncidentId: incident.id, requesterContactId: incident.reporter.contactId, receivedAt: incident.receivedAt,
        });
        const moved = t('ja', 'change.movedToChange', { ref: ref(row.number) });
        const inc = collaborators.incidents;
        await inc.addCommentIn(w, incident.id, { body: moved });
        if (incident.status === 'new') await inc.changeStatusIn(w, incident.id, { to: 'recognized' });
        if (incident.status !== 'resolved') {
          await inc.changeStatusIn(w, incident.id, { to: 'resolved', resolution: { cause: t('ja', 'change.movedCause'), fix: moved, course: moved } });
        }
        await inc.changeStatusIn(w, incident.id, { to: 'closed', reason: moved });
        return fresh(w, row.id);
      }, { name: 'change_request.convert' });
    },

    /** A command of the lifecycle whose only input is a text: judge, clarify, start, confirm, close, withdraw. */
    async command(actor: Actor, id: string, command: TextCommand, input: { text?: string | undefined } = {}): Promise<ChangeDetail> {
      authorizeCommand(actor, command);
      return mutate(actor, id, command, async (w, row) => {
        await applyText(w, row, command, input.text);
        return fresh(w, id);
      });
    },

    async comment(actor: Actor, id: string, input: { body: string }): Promise<ChangeDetail> {
      authorize(actor, 'change_request.comment');
      if (!input.body?.trim()) throw invalid([issue(['body'], 'required', 'required')]);
      return mutate(actor, id, 'comment', async (w, row) => {
        const eventId = await event(w, row, 'comment', input.body.trim());
        await repo.updateChange(w.tx, row.id, { updatedAt: w.now });
        w.audit({ entity: 'change_request', entityId: row.id, action: 'comment', after: { eventId, body: input.body.trim() } });
        return fresh(w, id);
      });
    },

    /**
     * A new proposal version (a draft, or sent at once with `send`). After an approval the
     * new version voids it at once: the change cannot be scheduled until the client
     * approves again.
     */
    async createProposal(actor: Actor, id: string, input: ProposalInput & { send?: boolean }): Promise<ChangeDetail> {
      authorize(actor, 'change_proposal.create');
      const issues = checkProposal(input);
      if (issues.length) throw invalid(issues);
      return mutate(actor, id, 'proposal', async (w, row) => {
        const { tx, now } = w;
        const sendable: readonly string[] = ['feasible', 'proposal_sent', 'approved', 'rejected'];
        if (!sendable.includes(row.status)) step(row.status, 'send_proposal', actor);
        const versions = await repo.proposalsOf(tx, [row.id]);
        const rate = input.taxRatePercent ?? DEFAULT_TAX_RATE_PERCENT;
        const p: repo.ProposalRow = {
          id: uuidv7(), changeRequestId: row.id, version: (versions[0]?.version ?? 0) + 1, status: 'draft',
          effortCenti: centi(input.effortAmount), effortUnit: input.effortUnit, amountJpy: input.amountJpy, taxRatePercent: rate,
          taxJpy: taxOf(input.amountJpy, rate), plan: input.plan.trim(), impact: input.impact.trim(), backout: input.backout.trim(),
          windowStartsAt: input.windowStartsAt ?? null, windowEndsAt: input.windowEndsAt ?? null, affectsService: toFlag(input.affectsService ?? true),
          validUntil: input.validUntil, contentHash: null, sentAt: null, sentBy: null, createdBy: actor.userId, createdAt: now, updatedAt: now,
        };
        await repo.insertProposal(tx, p);
        w.audit({ entity: 'change_proposal', entityId: p.id, action: 'create', after: { ...p, changeRequestNumber: row.number } });
        let current = row;
        if (row.status === 'approved' && !input.send) {
          // revise_proposal: editing after approval voids the approval.
          const to = step(row.status, 'revise_proposal', actor);
          const voided = await repo.voidApprovals(tx, row.id, now, voidReason(p.version));
          current = { ...row, status: to };
          await save(w, row, current, 'revise_proposal');
          await event(w, current, 'revise_proposal', '', { version: p.version, voidedApprovals: voided });
        } else if (!input.send) {
          await event(w, row, 'proposal_draft', '', { version: p.version }, 'internal');
          w.audit({ entity: 'change_request', entityId: row.id, action: 'proposal_draft', after: { version: p.version } });
        }
        if (input.send) await sendIn(w, current, p);
        return fresh(w, id);
      });
    },

    /** Edits a draft version; a sent version is immutable (change_proposal.immutable). */
    async updateProposal(actor: Actor, id: string, version: number, patch: Partial<ProposalInput>): Promise<ChangeDetail> {
      authorize(actor, 'change_proposal.update');
      return mutate(actor, id, 'proposal.update', async (w, row) => {
        const p = await repo.findProposal(w.tx, row.id, version);
        if (!p) throw notFound('change_proposal');
        if (p.status !== 'draft') throw new AppError('change_proposal.immutable', 'sent versions never change', [], { version });
        const rate = patch.taxRatePercent ?? p.taxRatePercent;
        const amount = patch.amountJpy ?? p.amountJpy;
        const next: repo.ProposalRow = {
          ...p,
          ...(patch.effortAmount !== undefined ? { effortCenti: centi(patch.effortAmount) } : {}),
          ...(patch.effortUnit !== undefined ? { effortUnit: patch.effortUnit } : {}),
          amountJpy: amount, taxRatePercent: rate, taxJpy: taxOf(amount, rate),
          ...(patch.plan !== undefined ? { plan: patch.plan.trim() } : {}),
          ...(patch.impact !== undefined ? { impact: patch.impact.trim() } : {}),
          ...(patch.backout !== undefined ? { backout: patch.backout.trim() } : {}),
          ...(patch.windowStartsAt !== undefined ? { windowStartsAt: patch.windowStartsAt } : {}),
          ...(patch.windowEndsAt !== undefined ? { windowEndsAt: patch.windowEndsAt } : {}),
          ...(patch.affectsService !== undefined ? { affectsService: toFlag(patch.affectsService) } : {}),
          ...(patch.validUntil !== undefined ? { validUntil: patch.validUntil } : {}),
          updatedAt: w.now,
        };
        const issues = checkProposal({ ...patch, windowStartsAt: next.windowStartsAt, windowEndsAt: next.windowEndsAt });
        if (issues.length) throw invalid(issues);
        await repo.updateProposal(w.tx, p.id, next);
        w.audit({ entity: 'change_proposal', entityId: p.id, action: 'update', before: p, after: next });
        w.audit({ entity: 'change_request', entityId: row.id, action: 'proposal_update', after: { version } });
        await event(w, row, 'proposal_update', '', { version }, 'internal');
        return fresh(w, id);
      });
    },

    async sendProposal(actor: Actor, id: string, version: number): Promise<ChangeDetail> {
      authorize(actor, 'change_proposal.send');
      return mutate(actor, id, 'proposal.send', async (w, row) => {
        const p = await repo.findProposal(w.tx, row.id, version);
        if (!p) throw notFound('change_proposal');
        if (p.status !== 'draft') throw new AppError('change_proposal.immutable', 'already sent', [], { version });
        await sendIn(w, row, p);
        return fresh(w, id);
      });
    },

    /**
     * The client's decision on one version, in the portal, by the designated contact (or an
     * allowed deputy). The version and the hash of what the portal showed must be the
     * version now offered: a voided or superseded version cannot be approved.
     */
    async decide(actor: Actor, id: string, decision: 'approve' | 'reject', input: { version: number; contentHash: string; comment?: string }): Promise<ChangeDetail> {
      authorize(actor, 'change_request.decide');
      return mutate(actor, id, decision, async (w, row) => {
        const { tx, now } = w;
        const approver = await approverContact(tx, actor, row.contractId, row.clientId);
        if (!approver) throw new AppError('change_request.not_designated', 'not the designated contact');
        const to = step(row.status, decision, actor);
        const current = currentSent(await repo.proposalsOf(tx, [row.id]));
        if (!current || current.version !== input.version || current.contentHash !== input.contentHash) {
          throw new AppError('change_request.version_mismatch', 'not the version offered now', [], { version: input.version, current: current?.version ?? '-' });
        }
        const { calendar } = await contractInfo(tx, row);
        if (decision === 'approve' && expired(current.validUntil, calendar.timeZone, now)) {
          throw new AppError('change_request.proposal_expired', 'the proposal expired', [], { version: current.version, validUntil: current.validUntil });
        }
        const name = (await actorName(tx, actor)) ?? approver.name;
        const approval: repo.ApprovalRow = {
          id: uuidv7(), changeRequestId: row.id, proposalId: current.id, version: current.version,
          decision: decision === 'approve' ? 'approved' : 'rejected', comment: input.comment?.trim() ?? '', userId: actor.userId,
          contactId: approver.id, name, decidedAt: now, contentHash: current.contentHash!, voidedAt: null, voidReason: null,
        };
        await repo.insertApproval(tx, approval);
        w.audit({ entity: 'change_approval', entityId: approval.id, action: approval.decision, after: approval });
        const after = { ...row, status: to };
        await save(w, row, after, decision);
        const eventId = await event(w, after, decision, approval.comment, { version: current.version, contentHash: approval.contentHash });
        await mail(w, after, decision === 'approve' ? 'approved' : 'rejected', eventId, {
          version: current.version, totalJpy: current.amountJpy + current.taxJpy, comment: approval.comment,
        });
        return fresh(w, id);
      });
    },

    /**
     * Puts an approved change in a window. Refused without a standing approval of the
     * version on offer (voided by a later version, or never given) or once that version's
     * validity date has passed. When the work stops or affects the service, an announced
     * planned maintenance window is created in the same unit (the notice rule applies).
     */
    async schedule(actor: Actor, id: string, input: ScheduleInput): Promise<ChangeDetail> {
      authorize(actor, 'change_request.schedule');
      if (!(input.endsAt > input.startsAt)) throw invalid([issue(['endsAt'], 'too_small', 'after the start', { rule: 'after_start' })]);
      return mutate(actor, id, 'schedule', async (w, row) => {
        const { tx, now } = w;
        const approvals = await repo.approvalsOf(tx, row.id);
        const current = currentSent(await repo.proposalsOf(tx, [row.id]));
        const standing = approvals.find((a) => a.decision === 'approved' && a.voidedAt === null && current !== null && a.proposalId === current.id);
        const scheduleFrom: readonly string[] = ['approved', 'failed', 'backed_out'];
        if (!standing && !['scheduled', 'in_progress', 'awaiting_confirmation', 'closed', 'withdrawn', 'not_feasible'].includes(row.status)) {
          const voided = approvals.some((a) => a.decision === 'approved' && a.voidedAt !== null);
          throw new AppError('change_request.approval_required', 'no standing approval', [], {
            reason: voided ? 'voided' : 'missing',
          });
        }
        if (!scheduleFrom.includes(row.status)) step(row.status, 'schedule', actor);
        const { calendar } = await contractInfo(tx, row);
        if (current && expired(current.validUntil, calendar.timeZone, now)) {
          throw new AppError('change_request.proposal_expired', 'the approved proposal expired', [], { version: current.version, validUntil: current.validUntil });
        }
        const to = step(row.status, 'schedule', actor);
        let maintenanceWindowId: string | null = null;
        const affects = input.affectsService ?? (current ? fromFlag(current.affectsService) : true);
        if (affects) {
          const win = await createAnnouncedWindowIn(w, {
            contractId: row.contractId, systemId: input.systemId ?? null,
            title: t('ja', 'change.maintenanceTitle', { ref: ref(row.number), title: row.title }),
            description: current ? current.impact : row.description, startsAt: input.startsAt, endsAt: input.endsAt,
            ...(input.emergencyReason ? { emergencyReason: input.emergencyReason } : {}),
          });
          maintenanceWindowId = win.id;
        }
        const after: repo.ChangeRow = { ...row, status: to, windowStartsAt: input.startsAt, windowEndsAt: input.endsAt, maintenanceWindowId, scheduledAt: now };
        await save(w, row, after, 'schedule');
        const eventId = await event(w, after, 'schedule', '', {
          startsAt: input.startsAt, endsAt: input.endsAt, maintenanceWindowId, approvalId: standing?.id ?? null,
        });
        await mail(w, after, 'scheduled', eventId, { startsAt: input.startsAt, endsAt: input.endsAt });
        return fresh(w, id);
      });
    },

    /** The end of the work: done waits for the client's confirmation, with a timeout; failed / backed out wait for the desk. */
    async finish(actor: Actor, id: string, input: FinishInput): Promise<ChangeDetail> {
      authorize(actor, 'change_request.implement');
      const issues: ErrorIssue[] = [];
      if (!input.resultNotes?.trim()) issues.push(issue(['resultNotes'], 'required', 'required'));
      if (!(input.actualEffortAmount >= 0)) issues.push(issue(['actualEffortAmount'], 'invalid', 'not negative'));
      if (issues.length) throw invalid(issues);
      return mutate(actor, id, 'finish', async (w, row) => {
        const { tx, now } = w;
        const to = step(row.status, 'finish', actor, input.outcome);
        let confirmationDueAt: number | null = null;
        if (to === 'awaiting_confirmation') {
          const days = (await repo.findSettings(tx, row.contractId))?.confirmationBusinessDays ?? DEFAULT_CONFIRMATION_BUSINESS_DAYS;
          const calendar = await loadWorkingCalendar(tx, row.calendarId);
          confirmationDueAt = coreDueAt({ calendar, start: now, target: { kind: 'endOfNthBusinessDay', n: days } });
          await armConfirmationTimeout(tx, row.id, confirmationDueAt, now);
        }
        const after: repo.ChangeRow = {
          ...row, status: to, finishedAt: now, outcome: input.outcome, actualEffortCenti: centi(input.actualEffortAmount),
          resultNotes: input.resultNotes.trim(), confirmationDueAt,
        };
        await save(w, row, after, 'finish');
        const eventId = await event(w, after, 'finish', after.resultNotes ?? '', { outcome: input.outcome, actualEffortAmount: input.actualEffortAmount, confirmationDueAt });
        await mail(w, after, 'done', eventId, { outcome: input.outcome, notes: after.resultNotes ?? '' });
        return fresh(w, id);
      });
    },

    async getSettings(actor: Actor, contractId: string): Promise<{ contractId: string; deputiesMayApprove: boolean; confirmationBusinessDays: number }> {
      authorize(actor, 'change_request.read_settings');
      const c = await loadContractTerms(db, actor, contractId);
      const s = await repo.findSettings(db, c.id);
      return { contractId: c.id, deputiesMayApprove: s?.deputiesMayApprove === 1, confirmationBusinessDays: s?.confirmationBusinessDays ?? DEFAULT_CONFIRMATION_BUSINESS_DAYS };
    },

    async updateSettings(actor: Actor, contractId: string, input: { deputiesMayApprove?: boolean; confirmationBusinessDays?: number }) {
      authorize(actor, 'change_request.update_settings');
      if (input.confirmationBusinessDays !== undefined && !(Number.isInteger(input.confirmationBusinessDays) && input.confirmationBusinessDays >= 1 && input.confirmationBusinessDays <= 60)) {
        throw invalid([issue(['confirmationBusinessDays'], 'invalid', 'an integer 1..60')]);
      }
      await uow.command(actor, async (w) => {
        const c = await loadContractTerms(w.tx, actor, contractId);
        const before = await repo.findSettings(w.tx, c.id);
        const row: repo.SettingsRow = {
          contractId: c.id,
          deputiesMayApprove: toFlag(input.deputiesMayApprove ?? before?.deputiesMayApprove === 1),
          confirmationBusinessDays: input.confirmationBusinessDays ?? before?.confirmationBusinessDays ?? DEFAULT_CONFIRMATION_BUSINESS_DAYS,
          updatedAt: w.now,
        };
        await repo.upsertSettings(w.tx, row);
        w.audit({ entity: 'change_settings', entityId: c.id, action: 'update', before: before ?? null, after: row });
      }, { name: 'change_request.settings' });
      return this.getSettings(actor, contractId);
    },

    // ---- jobs ----

    /** A feasibility timer: fires its event once, while the answer is still outstanding. */
    async fireFeasibilityTimer(p: FeasibilityTimerPayload, now = clock()): Promise<boolean> {
      return uow.command(SYSTEM_ACTOR, async (w) => {
        const { tx } = w;
        const row = await repo.findChange(tx, p.changeRequestId, null, true);
        if (!row) { w.unchanged(); return false; }
        const paused = (await repo.pausesOf(tx, row.id)).some((x) => x.endedAt === null);
        const due = timerInstants(row, paused)[p.event];
        if (due === null) { w.unchanged(); return false; } // answered, paused, or already fired
        if (due > now) {
          // The deadline moved later since this job was armed: wait for the new instant.
          await enqueue(tx, { kind: FEASIBILITY_TIMER_JOB, payload: p, runAt: due, dedupeKey: timerKey(row.id, p.event), now });
          w.unchanged();
          return false;
        }
        if (!(await repo.markFeasibilityFired(tx, row.id, p.event, now))) { w.unchanged(); return false; }
        await event(w, row, `feasibility.${p.event}`, '', { dueAt: row.feasibilityDueAt, atRiskAt: row.feasibilityAtRiskAt }, 'internal');
        w.audit({ entity: 'change_request', entityId: row.id, action: `feasibility.${p.event}`, after: { dueAt: row.feasibilityDueAt } });
        return true;
      }, { now, name: `change_request.feasibility.${p.event}` });
    },

    /** The confirmation timeout: a change still awaiting the client's confirmation closes itself (recorded as automatic). */
    async autoClose(id: string, now = clock()): Promise<boolean> {
      return uow.command(SYSTEM_ACTOR, async (w) => {
        const row = await repo.findChange(w.tx, id, null, true);
        if (!row || row.status !== 'awaiting_confirmation' || row.confirmationDueAt === null || row.confirmationDueAt > now) { w.unchanged(); return false; }
        const to = step(row.status, 'auto_close', SYSTEM_ACTOR);
        const after: repo.ChangeRow = { ...row, status: to, autoClosed: 1, closedAt: now };
        await save(w, row, after, 'auto_close');
        await event(w, after, 'auto_close', '', { confirmationDueAt: row.confirmationDueAt });
        return true;
      }, { now, name: 'change_request.auto_close' });
    },
  };
}
export type ChangeRequestService = ReturnType<typeof createChangeRequestService>;
