/**
 * Incidents and inquiries (SPEC §3). Every change runs in one transaction that
 * also re-derives the SLA targets, rewrites the timer jobs, appends the
 * timeline entry and writes the audit row. Contacts see and file only their own
 * client's incidents (others answer incident.not_found) and never see internal
 * notes or SLA events; everything else is for vendor staff.
 */
import { uuidv7 } from 'uuidv7';
import type { z } from 'zod';
import type { WithInstants } from '../../contract/common.ts';
import type { CreateIncidentBody, ScopeBody, UpdateIncidentBody } from '../../contract/incidents.ts';
import { parseIsoDate } from '../../core/time/civil.ts';
import { instantOfLocal } from '../../core/time/zone.ts';
import { AppError, type ErrorCode, type ErrorIssue, type IssueCode, type IssueParams } from '../../errors.ts';
import type { Executor } from '../../db/database.ts';
import { fromFlag, toFlag, type ServiceDeps } from '../../db/tx.ts';
import { unitOfWork, type Work } from '../../db/unit-of-work.ts';
import type { Actor } from '../auth/actor.ts';
import { isStaff } from '../auth/access.ts';
import { authorize, may } from '../auth/authorize.ts';
import { loadWorkingCalendar } from '../calendars/calendar.service.ts';
import { contractCoversSystem, loadContractTerms } from '../contracts/contract.service.ts';
import type { WorkingCalendar } from '../../core/calendar/index.ts';
import {
  CATEGORIES, CHANNELS, OPEN_STATUSES, PRIORITIES, STATUSES, type Channel, type Priority, type Status,
} from '../../contract/vocabulary.ts';
import type { IncidentDetail } from './incident.model.ts';
import * as repo from './incident.repository.ts';
import { planTimers, syncTimers } from './incident.jobs.ts';
import { createIncidentQueries } from './incident.queries.ts';
import { enqueueMany } from '../../jobs/queue.ts';
import { computeTargetRows } from './incident.sla.ts';
import { commandFor, transition, type Command, type CommandInput } from '../../contract/incident-lifecycle.ts';

/**
 * A new incident: POST /incidents' body (receivedAt as ms) on any channel. From the body:
 * `priority` is set by the desk and ignored for contacts (their wish goes to
 * suggestedPriority; default 'important'); `reporter` is a registered contact, or a free
 * name/e-mail (flagged "not via designated contact" unless it matches one); `receivedAt`
 * is the call or message arrival, which staff may back-date (never into the future;
 * default now). Beyond the body, for the desk's own channels: `channel` is any channel
 * (the route resolves the caller's; the intake files 'email', monitoring 'monitoring'),
 * and `recognized: false` (staff only) waits in "new" until an agent has read it (e-mail
 * intake; SLA clocks start then; default true).
 */
export type CreateIncidentInput = Omit<WithInstants<z.infer<typeof CreateIncidentBody>, 'receivedAt'>, 'channel'> & {
  channel: Channel;
  recognized?: boolean;
};
/** Edit title, description, category or system (PATCH /incidents/{id}). */
export type IncidentPatch = z.infer<typeof UpdateIncidentBody>;
/** In or out of scope (POST /incidents/{id}/scope); a reason is required when out of scope. */
export type ScopeInput = Omit<z.infer<typeof ScopeBody>, 'reason'> & { reason?: string | null };

export type { IncidentListFilter } from './incident.queries.ts';

export interface ResolutionInput {
  cause: string;
  fix: string;
  /** 解決後経緯の説明: the course of events, shown to the client. */
  course: string;
}

export interface StatusChangeInput {
  to: Status;
  /** Shown in the timeline (e.g. what we wait for, why reopened). */
  reason?: string;
  /** Required when moving to resolved. */
  resolution?: ResolutionInput;
}

/** How far ahead of the desk's clock a logged receivedAt may be: the clock of the PC the call was noted on may run fast. */
const RECEIVED_AT_SKEW_MS = 5 * 60_000;
const isStaffUser = (u: { role: string }): boolean => u.role === 'admin' || u.role === 'agent';
const invalid = (code: ErrorCode, issues: ErrorIssue[]) => new AppError(code, 'invalid input', issues);
const issue = (path: (string | number)[], code: IssueCode, message: string, params?: IssueParams): ErrorIssue => ({ path, code, message, ...(params ? { params } : {}) });

/** How many incident services this process has built (a serving desk builds exactly one: test/http/composition.test.ts). */
export let incidentServicesBuilt = 0;

export function createIncidentService(deps: ServiceDeps) {
  const { db, clock } = deps;
  incidentServicesBuilt += 1;
  // Every write is a unit of work: one transaction with its audit rows (concurrent ones share one commit on SQLite).
  const uow = deps.uow ?? unitOfWork(db, clock);
  // Reads, caches and presentation live apart (incident.queries.ts); commands answer through them.
  const queries = createIncidentQueries(deps);
  const { policyDoc, load, toIncident, toTimeline, detail } = queries;
  async function event(
    ex: Executor, actor: Actor, at: number, incidentId: string,
    e: { kind: string; visibility: 'public' | 'internal'; body?: string; data?: Record<string, unknown>; authorName?: string | null },
  ): Promise<repo.EventRow> {
    const row: repo.EventRow = {
      id: uuidv7(),
      incidentId,
      at,
      kind: e.kind,
      visibility: e.visibility,
      authorId: actor.userId,
      authorName: e.authorName ?? null,
      body: e.body ?? '',
      data: JSON.stringify(e.data ?? {}),
    };
    await repo.insertEvent(ex, row);
    return row;
  }

  /** The target rows of an incident as of `now` (a given calendar, or the calendar as it stands). */
  async function derive(
    ex: Executor, row: repo.IncidentRow, now: number,
    o: { rederive?: boolean; fresh?: boolean; calendar?: WorkingCalendar; pauses?: repo.PauseRow[]; existing?: repo.TargetRow[] } = {},
  ): Promise<{ targets: repo.TargetRow[]; pauses: repo.PauseRow[] }> {
    const [policy, calendar, pauses, existing] = await Promise.all([
      policyDoc(ex, row.slaPolicyId, row.slaPolicyVersion),
      o.calendar ?? loadWorkingCalendar(ex, row.calendarId),
      o.pauses ?? (o.fresh ? Promise.resolve([]) : repo.pausesOf(ex, [row.id])),
      o.existing ?? (o.fresh ? Promise.resolve([]) : repo.targetsOf(ex, [row.id])),
    ]);
    const targets = computeTargetRows({
      incident: row, priority: row.priority as Priority, policy, calendar, pauses, existing, now, newId: uuidv7, rederive: o.rederive,
    });
    return { targets, pauses };
  }

  /** Writes the derived targets, the timer jobs and the incident row. */
  async function write(ex: Executor, row: repo.IncidentRow, now: number, targets: repo.TargetRow[], pauses: readonly repo.PauseRow[], fresh = false): Promise<void> {
    const paused = pauses.some((p) => p.endedAt === null);
    row.updatedAt = now;
    if (fresh) {
      // A new incident has no jobs to cancel; its row must exist before targets reference it.
      const { jobs, next } = planTimers(row, targets, paused, now);
      row.nextTimerAt = next;
      await repo.insertIncident(ex, row);
      await repo.upsertTargets(ex, targets);
      await enqueueMany(ex, jobs);
    } else {
      await repo.deleteTargetsExcept(ex, row.id, targets.map((t) => t.kind));
      await repo.upsertTargets(ex, targets);
      row.nextTimerAt = await syncTimers(ex, row, targets, paused, now);
      await repo.updateIncident(ex, row.id, row);
    }
  }

  /**
   * Writes the incident row after re-deriving targets and timers from it; returns
   * the target rows. `rederive` re-arms warnings whose instants moved into the
   * future (priority change); `fresh` inserts a new incident.
   */
  async function save(
    ex: Executor, row: repo.IncidentRow, now: number, o: { rederive?: boolean; fresh?: boolean } = {},
  ): Promise<repo.TargetRow[]> {
    const { targets, pauses } = await derive(ex, row, now, o);
    await write(ex, row, now, targets, pauses, o.fresh);
    return targets;
  }

  /**
   * A calendar's new version: re-derives an open incident's deadlines from the stored
   * clock starts under the calendar as it now stands, when that moves any of them
   * (compared with the calendar just before the version, so a paused clock's live
   * deadline is not mistaken for the change). Recorded on the timeline (internal,
   * `calendar_rederived`, old and new due per target; the monthly report reads these)
   * and audited; the timer jobs follow.
   */
  async function rederiveIn(
    w: Work<Actor>, id: string, cause: { calendarId: string; version: number; effectiveFrom: number; previous: WorkingCalendar },
  ): Promise<boolean> {
    const { tx, actor, now } = w;
    const row = await repo.findIncident(tx, id, null, true);
    if (!row || !OPEN_STATUSES.includes(row.status as Status) || row.calendarId !== cause.calendarId) return false;
    const [pauses, existing] = await Promise.all([repo.pausesOf(tx, [row.id]), repo.targetsOf(tx, [row.id])]);
    const was = (await derive(tx, row, now, { calendar: cause.previous, pauses, existing, rederive: true })).targets;
    const { targets } = await derive(tx, row, now, { pauses, existing, rederive: true });
    const moved = targets.filter((t) => {
      const p = was.find((x) => x.kind === t.kind);
      return !p || p.dueAt !== t.dueAt || p.atRiskAt !== t.atRiskAt;
    });
    if (moved.length === 0) return false;
    const before = snapshot(row);
    const oldTargets = existing.map((t) => ({ kind: t.kind, dueAt: t.dueAt, atRiskAt: t.atRiskAt }));
    await write(tx, row, now, targets, pauses);
    const changes = moved.map((t) => {
      const old = existing.find((x) => x.kind === t.kind);
      return { kind: t.kind, oldDue: old?.dueAt ?? null, newDue: t.dueAt, oldAtRisk: old?.atRiskAt ?? null, newAtRisk: t.atRiskAt };
    });
    await event(tx, actor, now, row.id, {
      kind: 'calendar_rederived', visibility: 'internal',
      data: { calendarId: cause.calendarId, calendarVersion: cause.version, effectiveFrom: cause.effectiveFrom, targets: changes },
    });
    w.audit({
      entity: 'incident', entityId: row.id, action: 'calendar_rederived',
      before: { ...before, targets: oldTargets },
      after: {
        calendarId: cause.calendarId, calendarVersion: cause.version, effectiveFrom: cause.effectiveFrom,
        targets: targets.map((t) => ({ kind: t.kind, dueAt: t.dueAt, atRiskAt: t.atRiskAt })),
      },
    });
    return true;
  }

  type Change = (w: Work<Actor>, row: repo.IncidentRow) => Promise<void>;

  /** A change to one incident inside a unit already open; returns the fresh detail. */
  async function mutateIn(w: Work<Actor>, id: string, fn: Change): Promise<IncidentDetail> {
    const row = await load(w.tx, w.actor, id, true);
    await fn(w, row);
    return detail(w.tx, w.actor, (await repo.findIncident(w.tx, id, null))!, w.now);
  }

  /** Runs a change as its own unit of work and returns the fresh detail. */
  const mutate = (actor: Actor, id: string, fn: Change, name: string): Promise<IncidentDetail> =>
    uow.command(actor, (w) => mutateIn(w, id, fn), { name: `incident.${name}` });

  const snapshot = (r: repo.IncidentRow) => {
    const { nextTimerAt: _n, updatedAt: _u, ...rest } = r;
    return rest;
  };

  /** Gives a lifecycle command (incident-lifecycle.ts) to a locked row: pause, fields, targets and timeline, audited in the unit. */
  async function applyCommand(w: Work<Actor>, row: repo.IncidentRow, command: Command, input: CommandInput = {}): Promise<void> {
    const { tx, actor, now } = w;
    const t = transition(row, command, now, input);
    if (!t.ok) throw new AppError(t.error.code, t.error.message, t.error.issues, t.error.params);
    const before = snapshot(row);
    if (t.pause === 'close') await repo.closeOpenPause(tx, row.id, now, actor.userId);
    if (t.pause === 'open') {
      await repo.insertPause(tx, {
        id: uuidv7(), incidentId: row.id, startedAt: now, endedAt: null, startedBy: actor.userId, endedBy: null, reason: input.reason ?? '',
      });
    }
    Object.assign(row, t.row);
    await save(tx, row, now);
    await event(tx, actor, now, row.id, { kind: t.event.kind, visibility: 'public', body: t.event.body, data: t.event.data });
    w.audit({ entity: 'incident', entityId: row.id, action: t.event.kind, before, after: snapshot(row) });
  }

  /** For callers that name the target status: the one command that makes that move, else the coded refusal. */
  async function applyStatus(w: Work<Actor>, row: repo.IncidentRow, input: StatusChangeInput): Promise<void> {
    const from = row.status;
    const to = input.to;
    if (!STATUSES.includes(to)) throw invalid('incident.invalid', [issue(['to'], 'invalid_enum_value', `one of ${STATUSES.join(', ')}`)]);
    const command = commandFor(from, to);
    if (!command) throw new AppError('incident.invalid_transition', `cannot go from ${from} to ${to}`, [], { from, to });
    await applyCommand(w, row, command, { reason: input.reason, resolution: input.resolution });
  }

  /** Files an incident inside a unit already open (the mail intake, monitoring). */
  async function createIn(w: Work<Actor>, input: CreateIncidentInput): Promise<IncidentDetail> {
      const { tx, actor, now } = w;
      authorize(actor, 'incident.create');
      const staff = isStaff(actor);
      const issues: ErrorIssue[] = [];
      if (!input.title?.trim()) issues.push(issue(['title'], 'too_small', 'required'));
      if (!CHANNELS.includes(input.channel)) issues.push(issue(['channel'], 'invalid_enum_value', `one of ${CHANNELS.join(', ')}`));
      if (input.category !== undefined && !CATEGORIES.includes(input.category)) {
        issues.push(issue(['category'], 'invalid_enum_value', `one of ${CATEGORIES.join(', ')}`));
      }
      for (const k of ['priority', 'suggestedPriority'] as const) {
        const v = input[k];
        if (v != null && !PRIORITIES.includes(v)) issues.push(issue([k], 'invalid_enum_value', `one of ${PRIORITIES.join(', ')}`));
      }
      if (!staff && (input.channel === 'phone' || input.channel === 'monitoring' || input.channel === 'email')) {
        issues.push(issue(['channel'], 'not_allowed', 'contacts file via web or api'));
      }
      if (input.receivedAt !== undefined && (!Number.isFinite(input.receivedAt) || input.receivedAt > now + RECEIVED_AT_SKEW_MS)) {
        issues.push(issue(['receivedAt'], 'invalid', 'must not be in the future', { rule: 'not_in_future' }));
      }
      if (input.inScope === false && !input.outOfScopeReason?.trim()) {
        issues.push(issue(['outOfScopeReason'], 'required', 'required when out of scope'));
      }
      if (issues.length) throw invalid('incident.invalid', issues);

      {
        // Scoped: a contact naming another client's contract gets contract.not_found.
        const contract = await loadContractTerms(tx, actor, input.contractId);
        const more: ErrorIssue[] = [];
        if (input.systemId && !(await contractCoversSystem(tx, contract.id, input.systemId))) {
          more.push(issue(['systemId'], 'not_found', 'not a system of this contract'));
        }
        // A call logged by hand cannot have come in before the contract existed (a typo in the year,
        // or the wrong contract); mail and monitoring give the instant they saw, which is never refused.
        if (staff && input.receivedAt !== undefined && (input.channel === 'phone' || input.channel === 'web' || input.channel === 'api')) {
          const day = parseIsoDate(contract.startsOn);
          const zone = (await loadWorkingCalendar(tx, contract.calendarId)).timeZone;
          if (day !== null && input.receivedAt < instantOfLocal(zone, day, 0)) {
            more.push(issue(['receivedAt'], 'invalid', 'must not be before the contract starts', { rule: 'not_before_contract', startsOn: contract.startsOn }));
          }
        }
        const designated = contract.designatedContactIds;
        let reporterContactId: string | null = null;
        let reporterName = input.reporter?.name?.trim() || null;
        let reporterEmail = input.reporter?.email?.trim().toLowerCase() || null;
        if (!staff) {
          const u = await repo.userById(tx, actor.userId);
          reporterEmail = u?.email ?? reporterEmail;
          reporterName = u?.name ?? reporterName;
        }
        if (input.reporter?.contactId) {
          const c = await tx.selectFrom('contacts').select(['id', 'clientId', 'name', 'email']).where('id', '=', input.reporter.contactId).executeTakeFirst();
          if (!c || c.clientId !== contract.clientId) more.push(issue(['reporter', 'contactId'], 'not_found', 'no such contact of this client'));
          else {
            reporterContactId = c.id;
            reporterName ??= c.name;
            reporterEmail ??= c.email;
          }
        } else if (reporterEmail && designated.length) {
          const c = await tx.selectFrom('contacts').select('id').where('id', 'in', designated).where('email', '=', reporterEmail).executeTakeFirst();
          reporterContactId = c?.id ?? null;
        }
        if (input.assigneeId) {
          if (!staff) more.push(issue(['assigneeId'], 'not_allowed', 'set by the desk'));
          else {
            const u = await repo.userById(tx, input.assigneeId);
            if (!u) more.push(issue(['assigneeId'], 'not_found', 'no such vendor user'));
            // A client's contact is a user too, but never the desk's assignee.
            else if (!isStaffUser(u)) throw invalid('incident.assignee_not_staff', [issue(['assigneeId'], 'not_staff', 'not a vendor user')]);
          }
        }
        if (more.length) throw invalid('incident.invalid', more);

        // Staff log what they already know about (a phone call is recognized when logged);
        // a contact's filing waits in "new" until the desk has read it.
        const recognizedAt = staff && input.recognized !== false ? now : null;
        const priority: Priority = staff ? (input.priority ?? input.suggestedPriority ?? 'important') : 'important';
        const row: repo.IncidentRow = {
          id: uuidv7(),
          number: await repo.nextIncidentNumber(tx),
          contractId: contract.id,
          clientId: contract.clientId,
          systemId: input.systemId ?? null,
          title: input.title.trim(),
          description: input.description ?? '',
          channel: input.channel,
          category: input.category ?? 'other',
          priority,
          suggestedPriority: staff ? (input.suggestedPriority ?? null) : (input.suggestedPriority ?? input.priority ?? null),
          status: recognizedAt !== null ? 'recognized' : 'new',
          inScope: toFlag(staff ? input.inScope ?? true : true),
          outOfScopeReason: staff && input.inScope === false ? input.outOfScopeReason!.trim() : null,
          billable: toFlag(staff ? input.billable ?? false : false),
          assigneeId: staff ? input.assigneeId ?? null : null,
          reporterContactId,
          reporterName,
          reporterEmail,
          // SPEC §3 flags an item from a *person* who is not a registered contact, for the desk to
          // confirm who called; a monitoring alert comes from no person, so there is nobody to confirm.
          notViaDesignatedContact: toFlag(input.channel !== 'monitoring' && !(reporterContactId && designated.includes(reporterContactId))),
          slaPolicyId: contract.slaPolicyId,
          slaPolicyVersion: contract.slaPolicyVersion,
          calendarId: contract.calendarId,
          receivedAt: staff ? input.receivedAt ?? now : now,
          recognizedAt,
          startedAt: null,
          proposedAt: null,
          resolvedAt: null,
          closedAt: null,
          resolutionCause: null,
          resolutionFix: null,
          resolutionCourse: null,
          nextTimerAt: null,
          createdBy: actor.userId,
          createdAt: now,
          updatedAt: now,
        };
        const targets = await save(tx, row, now, { fresh: true });
        const created = await event(tx, actor, now, row.id, { kind: 'created', visibility: 'public', body: row.description, data: { channel: row.channel, priority } });
        w.audit({ entity: 'incident', entityId: row.id, action: 'create', after: snapshot(row) });
        // Built from what was just written: a new incident has no pauses and one timeline entry.
        const noCalendar = () => { throw new Error('a new incident is never paused'); };
        return { ...toIncident(actor, row, targets, [], now, noCalendar), timeline: [toTimeline(created)] };
      }
  }

  /**
   * A message (public, the client sees it) or an internal note (staff only), inside a unit
   * already open. A contact's reply while the desk waits for them resumes the clock.
   */
  async function addCommentIn(w: Work<Actor>, id: string, input: { body: string; internal?: boolean }): Promise<IncidentDetail> {
    const { tx, actor, now } = w;
    authorize(actor, input.internal ? 'incident.note' : 'incident.comment');
    if (!input.body?.trim()) throw invalid('incident.invalid', [issue(['body'], 'too_small', 'required')]);
    const row = await load(tx, actor, id, true);
    const author = await repo.userById(tx, actor.userId);
    await event(tx, actor, now, row.id, {
      kind: input.internal ? 'note' : 'message',
      visibility: input.internal ? 'internal' : 'public',
      body: input.body,
      authorName: author?.name ?? null,
    });
    w.audit({ entity: 'incident', entityId: row.id, action: input.internal ? 'note' : 'message', after: { body: input.body } });
    if (!isStaff(actor) && row.status === 'waiting_for_client') {
      await applyCommand(w, row, 'resume', { reason: 'client replied' });
    } else {
      await repo.updateIncident(tx, row.id, { updatedAt: now });
    }
    return detail(tx, actor, (await repo.findIncident(tx, id, null))!, now);
  }

  function changeStatusIn(w: Work<Actor>, id: string, input: StatusChangeInput): Promise<IncidentDetail> {
    authorize(w.actor, 'incident.lifecycle');
    return mutateIn(w, id, (w2, row) => applyStatus(w2, row, input));
  }

  return {
    // Reads (incident.queries.ts).
    get: queries.get,
    getByNumber: queries.getByNumber,
    list: queries.list,
    listRendered: queries.listRendered,
    explain: queries.explain,
    // Commands inside a unit another module opened.
    createIn,
    addCommentIn,
    changeStatusIn,
    rederiveIn,

    /** Open incidents whose clocks run on a calendar (its new version re-derives them). */
    openOnCalendarIn: (w: Work<Actor>, calendarId: string): Promise<string[]> => repo.openIncidentIdsOnCalendar(w.tx, calendarId),

    async create(actor: Actor, input: CreateIncidentInput): Promise<IncidentDetail> {
      return uow.command(actor, (w) => createIn(w, input), { name: 'incident.create' });
    },

    /**
     * "Recognized when an agent first opens it" (SPEC §2), for every channel: for
     * staff, a new incident becomes recognized now; otherwise nothing changes and
     * the detail is returned as a read would (a contact's scoping and 404 included).
     * Idempotent, so the agent's UI sends it on every open.
     */
    async open(actor: Actor, id: string): Promise<IncidentDetail> {
      authorize(actor, 'incident.open');
      const current = await load(db, actor, id);
      if (!may(actor, 'incident.lifecycle') || current.status !== 'new') return detail(db, actor, current, clock());
      return mutate(actor, id, async (w, row) => {
        // Another agent may have opened it since the read above.
        if (row.status === 'new') await applyCommand(w, row, 'recognize');
        else w.unchanged();
      }, 'open');
    },

    /** A lifecycle command (start, wait, resolve, …; see LIFECYCLE) given by staff. */
    async command(actor: Actor, id: string, command: Command, input: CommandInput = {}): Promise<IncidentDetail> {
      authorize(actor, 'incident.lifecycle');
      return mutate(actor, id, (w, row) => applyCommand(w, row, command, input), command);
    },

    /** The same commands named by their target status (the move from the current status decides which). */
    async changeStatus(actor: Actor, id: string, input: StatusChangeInput): Promise<IncidentDetail> {
      return uow.command(actor, (w) => changeStatusIn(w, id, input), { name: 'incident.status' });
    },

    /** Re-derives every deadline from the same clock start under the new priority; who and why are recorded. */
    async changePriority(actor: Actor, id: string, input: { priority: Priority; reason: string }): Promise<IncidentDetail> {
      authorize(actor, 'incident.priority');
      const issues: ErrorIssue[] = [];
      if (!PRIORITIES.includes(input.priority)) issues.push(issue(['priority'], 'invalid_enum_value', `one of ${PRIORITIES.join(', ')}`));
      if (!input.reason?.trim()) issues.push(issue(['reason'], 'required', 'say why the priority changes'));
      if (issues.length) throw invalid('incident.invalid', issues);
      return mutate(actor, id, async (w, row) => {
        const { tx, now } = w;
        const from = row.priority;
        if (from === input.priority) return w.unchanged();
        const before = snapshot(row);
        row.priority = input.priority;
        await save(tx, row, now, { rederive: true });
        await event(tx, actor, now, row.id, { kind: 'priority', visibility: 'public', body: input.reason.trim(), data: { from, to: input.priority } });
        w.audit({ entity: 'incident', entityId: row.id, action: 'priority', before, after: { ...snapshot(row), reason: input.reason.trim() } });
      }, 'priority');
    },

    /** Out-of-scope incidents stay recorded and answered but are excluded from SLA attainment (no warnings). */
    async changeScope(actor: Actor, id: string, input: ScopeInput): Promise<IncidentDetail> {
      authorize(actor, 'incident.scope');
      if (!input.inScope && !input.reason?.trim()) throw invalid('incident.invalid', [issue(['reason'], 'required', 'required when out of scope')]);
      return mutate(actor, id, async (w, row) => {
        const { tx, now } = w;
        const before = snapshot(row);
        row.inScope = toFlag(input.inScope);
        row.outOfScopeReason = input.inScope ? null : input.reason!.trim();
        row.billable = toFlag(input.billable ?? (input.inScope ? false : fromFlag(row.billable)));
        await save(tx, row, now);
        await event(tx, actor, now, row.id, {
          kind: 'scope', visibility: 'public', body: row.outOfScopeReason ?? '', data: { inScope: input.inScope, billable: fromFlag(row.billable) },
        });
        w.audit({ entity: 'incident', entityId: row.id, action: 'scope', before, after: snapshot(row) });
      }, 'scope');
    },

    async assign(actor: Actor, id: string, assigneeId: string | null): Promise<IncidentDetail> {
      authorize(actor, 'incident.assign');
      return mutate(actor, id, async (w, row) => {
        const { tx, now } = w;
        if (assigneeId) {
          const u = await repo.userById(tx, assigneeId);
          if (!u) throw invalid('incident.invalid', [issue(['assigneeId'], 'not_found', 'no such vendor user')]);
          if (!isStaffUser(u)) throw invalid('incident.assignee_not_staff', [issue(['assigneeId'], 'not_staff', 'not a vendor user')]);
        }
        const before = snapshot(row);
        row.assigneeId = assigneeId;
        row.updatedAt = now;
        await repo.updateIncident(tx, row.id, { assigneeId, updatedAt: now });
        await event(tx, actor, now, row.id, { kind: 'assign', visibility: 'internal', data: { from: before.assigneeId, to: assigneeId } });
        w.audit({ entity: 'incident', entityId: row.id, action: 'assign', before, after: snapshot(row) });
      }, 'assign');
    },

    /** Edits descriptive fields (not status, priority or scope, which have their own audited moves). */
    async update(actor: Actor, id: string, patch: IncidentPatch): Promise<IncidentDetail> {
      authorize(actor, 'incident.update');
      return mutate(actor, id, async (w, row) => {
        const { tx, now } = w;
        const issues: ErrorIssue[] = [];
        if (patch.title !== undefined && !patch.title.trim()) issues.push(issue(['title'], 'too_small', 'required'));
        if (patch.category !== undefined && !CATEGORIES.includes(patch.category)) issues.push(issue(['category'], 'invalid_enum_value', `one of ${CATEGORIES.join(', ')}`));
        if (patch.systemId && !(await contractCoversSystem(tx, row.contractId, patch.systemId))) {
          issues.push(issue(['systemId'], 'not_found', 'not a system of this contract'));
        }
        if (issues.length) throw invalid('incident.invalid', issues);
        const before = snapshot(row);
        const set = {
          ...(patch.title !== undefined ? { title: patch.title.trim() } : {}),
          ...(patch.description !== undefined ? { description: patch.description } : {}),
          ...(patch.category !== undefined ? { category: patch.category } : {}),
          ...(patch.systemId !== undefined ? { systemId: patch.systemId } : {}),
          updatedAt: now,
        };
        Object.assign(row, set);
        await repo.updateIncident(tx, row.id, set);
        await event(tx, actor, now, row.id, { kind: 'field', visibility: 'internal', data: { fields: Object.keys(set).filter((k) => k !== 'updatedAt') } });
        w.audit({ entity: 'incident', entityId: row.id, action: 'update', before, after: snapshot(row) });
      }, 'update');
    },

    /** A message or an internal note as its own unit of work (see addCommentIn). */
    async addComment(actor: Actor, id: string, input: { body: string; internal?: boolean }): Promise<IncidentDetail> {
      return uow.command(actor, (w) => addCommentIn(w, id, input), { name: 'incident.comment' });
    },

  };
}
export type IncidentService = ReturnType<typeof createIncidentService>;
