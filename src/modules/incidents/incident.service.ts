/**
 * Incidents and inquiries (SPEC §3). Every change runs in one transaction that
 * also re-derives the SLA targets, rewrites the timer jobs, appends the
 * timeline entry and writes the audit row. Contacts see and file only their own
 * client's incidents (others answer incident.not_found) and never see internal
 * notes or SLA events; everything else is for vendor staff.
 */
import { uuidv7 } from 'uuidv7';
import { explainDeadline, type Explanation, type SlaTarget } from '../../core/sla/index.ts';
import type { WorkingCalendar } from '../../core/calendar/index.ts';
import { AppError, notFound, type ErrorCode, type ErrorIssue, type IssueCode, type IssueParams } from '../../errors.ts';
import type { Executor } from '../../db/database.ts';
import { fromFlag, toFlag, type ServiceDeps } from '../../db/tx.ts';
import { unitOfWork, type Work } from '../../db/unit-of-work.ts';
import { ReadCache } from '../../db/read-cache.ts';
import { tableVersionsOf } from '../../db/table-versions.ts';
import type { Actor } from '../auth/actor.ts';
import { STAFF, clientScope, isStaff, requireRole } from '../auth/access.ts';
import { loadWorkingCalendar } from '../calendars/calendar.service.ts';
import { contractCoversSystem, loadContractTerms } from '../contracts/contract.service.ts';
import type { SlaPolicyDocument } from '../../contract/sla-policy-document.ts';
import {
  CATEGORIES, CHANNELS, OPEN_STATUSES, PRIORITIES, STATUSES,
  type Category, type Channel, type Priority, type Status, type TargetKind,
} from '../../contract/vocabulary.ts';
import { loadPolicyVersion } from '../sla-policies/sla-policy.service.ts';
import type { Incident, IncidentDetail, TimelineEntry } from './incident.model.ts';
import * as repo from './incident.repository.ts';
import { planTimers, syncTimers } from './incident.jobs.ts';
import { enqueueMany } from '../../jobs/queue.ts';
import { computeTargetRows, pausesFor, presentTarget } from './incident.sla.ts';
import { commandFor, transition, type Command, type CommandInput } from '../../contract/incident-lifecycle.ts';

export interface CreateIncidentInput {
  contractId: string;
  systemId?: string | null;
  title: string;
  description?: string;
  channel: Channel;
  category?: Category;
  /** Set by the desk; ignored for contacts (their wish goes to suggestedPriority). Default 'important'. */
  priority?: Priority;
  suggestedPriority?: Priority | null;
  /** A registered contact, or a free name/e-mail (flagged "not via designated contact" unless it matches one). */
  reporter?: { contactId?: string | null; name?: string | null; email?: string | null };
  /** Call or message arrival; staff may back-date it (never into the future). Default now. */
  receivedAt?: number;
  /** Staff only. false: wait in "new" until an agent has read it (e-mail intake; SLA clocks start then). Default true. */
  recognized?: boolean;
  assigneeId?: string | null;
  inScope?: boolean;
  outOfScopeReason?: string | null;
  billable?: boolean;
}

export interface IncidentListFilter {
  status?: Status[];
  /** Only open incidents (new … solution_proposed). */
  open?: boolean;
  priority?: Priority[];
  contractId?: string;
  clientId?: string;
  assigneeId?: string;
  beforeNumber?: number;
  /** 'newest' (default, by number, pages with beforeNumber) or 'deadline' (next SLA warning/breach first). */
  sort?: 'newest' | 'deadline';
  limit?: number;
}

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

const TARGET_ORDER: Record<string, number> = { start: 0, propose: 1, resolve: 2 };

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
  const policyCache = new Map<string, SlaPolicyDocument>();
  /** Policy versions never change once written, so they are cached for the process lifetime. */
  async function policyDoc(ex: Executor, id: string, version: number): Promise<SlaPolicyDocument> {
    const key = `${id}:${version}`;
    let doc = policyCache.get(key);
    if (!doc) {
      doc = (await loadPolicyVersion(ex, id, version)).document;
      policyCache.set(key, doc);
    }
    return doc;
  }

  async function load(ex: Executor, actor: Actor, id: string, lock = false): Promise<repo.IncidentRow> {
    const row = await repo.findIncident(ex, id, clientScope(actor), lock);
    if (!row) throw notFound('incident');
    return row;
  }

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

  function toIncident(
    actor: Actor, r: repo.IncidentRow, targets: readonly repo.TargetRow[], ps: readonly repo.PauseRow[], now: number,
    calendar: () => WorkingCalendar,
  ): Incident {
    const inScope = fromFlag(r.inScope);
    return {
      id: r.id,
      number: r.number,
      contractId: r.contractId,
      clientId: r.clientId,
      systemId: r.systemId,
      title: r.title,
      description: r.description,
      channel: r.channel as Channel,
      category: r.category as Category,
      priority: r.priority as Priority,
      suggestedPriority: r.suggestedPriority as Priority | null,
      status: r.status as Status,
      inScope,
      outOfScopeReason: r.outOfScopeReason,
      billable: fromFlag(r.billable),
      assigneeId: r.assigneeId,
      reporter: { contactId: r.reporterContactId, name: r.reporterName, email: r.reporterEmail },
      notViaDesignatedContact: fromFlag(r.notViaDesignatedContact),
      slaPolicyId: r.slaPolicyId,
      slaPolicyVersion: r.slaPolicyVersion,
      calendarId: r.calendarId,
      receivedAt: r.receivedAt,
      recognizedAt: r.recognizedAt,
      startedAt: r.startedAt,
      proposedAt: r.proposedAt,
      resolvedAt: r.resolvedAt,
      closedAt: r.closedAt,
      resolution: r.resolutionCause !== null
        ? { cause: r.resolutionCause, fix: r.resolutionFix ?? '', course: r.resolutionCourse ?? '' }
        : null,
      // Timer bookkeeping is desk-internal.
      nextTimerAt: isStaff(actor) ? r.nextTimerAt : null,
      createdBy: r.createdBy,
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
      targets: [...targets]
        .sort((a, b) => (TARGET_ORDER[a.kind] ?? 9) - (TARGET_ORDER[b.kind] ?? 9))
        .map((t) => presentTarget(t, { pauses: ps, inScope, now, calendar })),
      pauses: ps.map((p) => ({ id: p.id, startedAt: p.startedAt, endedAt: p.endedAt, startedBy: p.startedBy, endedBy: p.endedBy, reason: p.reason })),
    };
  }

  async function present(ex: Executor, actor: Actor, rows: repo.IncidentRow[], now: number): Promise<Incident[]> {
    return (await presentUntil(ex, actor, rows, now)).items;
  }

  /** The incidents as seen at `now`, and the first instant at which that view may change without a write. */
  async function presentUntil(
    ex: Executor, actor: Actor, rows: repo.IncidentRow[], now: number,
  ): Promise<{ items: Incident[]; until: number }> {
    const ids = rows.map((r) => r.id);
    const [targets, pauses] = await Promise.all([repo.targetsOf(ex, ids), repo.pausesOf(ex, ids)]);
    const byIncident = <T extends { incidentId: string }>(xs: readonly T[]) => {
      const m = new Map<string, T[]>();
      for (const x of xs) {
        const list = m.get(x.incidentId);
        if (list) list.push(x);
        else m.set(x.incidentId, [x]);
      }
      return m;
    };
    const targetsBy = byIncident(targets);
    const pausesBy = byIncident(pauses);
    const calendars = new Map<string, WorkingCalendar>();
    // Calendars are only needed to move the deadline of a paused target; load them lazily.
    for (const r of rows) {
      if ((pausesBy.get(r.id) ?? []).some((p) => p.endedAt === null) && !calendars.has(r.calendarId)) {
        calendars.set(r.calendarId, await loadWorkingCalendar(ex, r.calendarId));
      }
    }
    const items = rows.map((r) =>
      toIncident(actor, r, targetsBy.get(r.id) ?? [], pausesBy.get(r.id) ?? [], now, () => calendars.get(r.calendarId)!),
    );
    let until = Infinity;
    for (const t of targets) {
      if (t.clockStart === null || t.metAt !== null) continue;
      // A stopped clock's deadline moves with "now" (presentTarget): such a view holds for no time at all.
      if (fromFlag(t.pausable) && (pausesBy.get(t.incidentId) ?? []).some((p) => p.endedAt === null)) return { items, until: now };
      // States change at the warning instant and just after the deadline (see presentTarget).
      if (t.atRiskAt !== null && t.atRiskAt > now) until = Math.min(until, t.atRiskAt);
      if (t.dueAt !== null && t.dueAt + 1 > now) until = Math.min(until, t.dueAt + 1);
    }
    return { items, until };
  }

  const toTimeline = (e: repo.EventRow): TimelineEntry => ({
    id: e.id,
    at: e.at,
    kind: e.kind,
    visibility: e.visibility as 'public' | 'internal',
    authorId: e.authorId,
    authorName: e.authorName,
    body: e.body,
    data: JSON.parse(e.data) as Record<string, unknown>,
  });

  async function detail(ex: Executor, actor: Actor, row: repo.IncidentRow, now: number): Promise<IncidentDetail> {
    const [incident] = await present(ex, actor, [row], now);
    const events = await repo.eventsOf(ex, row.id, isStaff(actor));
    return { ...incident!, timeline: events.map(toTimeline) };
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

  async function listRows(actor: Actor, filter: IncidentListFilter): Promise<repo.IncidentRow[]> {
    const status = filter.open ? (filter.status?.length ? filter.status.filter((s) => OPEN_STATUSES.includes(s)) : OPEN_STATUSES) : filter.status;
    // open=true with only closed statuses asks for nothing (an empty list would mean "any status" below).
    if (filter.status?.length && status?.length === 0) return [];
    return repo.listIncidents(db, {
      scope: clientScope(actor),
      status,
      priority: filter.priority,
      contractId: filter.contractId,
      clientId: filter.clientId,
      assigneeId: filter.assigneeId,
      beforeNumber: filter.beforeNumber,
      sort: filter.sort,
      limit: Math.min(Math.max(filter.limit ?? 50, 1), 200),
    });
  }

  // What a list shows comes from these tables (calendars: the moving deadline of a stopped clock).
  const listCache = new ReadCache<unknown>(tableVersionsOf(db), ['incidents', 'incident_targets', 'incident_pauses', 'calendars'], {
    // Rendered answers are byte strings (the HTTP body); a page of 200 incidents is about 250 KB.
    sizeOf: (v) => (Buffer.isBuffer(v) || typeof v === 'string' ? v.length : 0),
  });

  /** Files an incident inside a unit already open (the mail intake, monitoring). */
  async function createIn(w: Work<Actor>, input: CreateIncidentInput): Promise<IncidentDetail> {
      const { tx, actor, now } = w;
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
      if (input.receivedAt !== undefined && (!Number.isFinite(input.receivedAt) || input.receivedAt > now)) {
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
          notViaDesignatedContact: toFlag(!(reporterContactId && designated.includes(reporterContactId))),
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
    if (input.internal) requireRole(actor, STAFF);
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
    requireRole(w.actor, STAFF);
    return mutateIn(w, id, (w2, row) => applyStatus(w2, row, input));
  }

  return {
    createIn,
    addCommentIn,
    changeStatusIn,
    rederiveIn,

    /** Open incidents whose clocks run on a calendar (its new version re-derives them). */
    openOnCalendarIn: (w: Work<Actor>, calendarId: string): Promise<string[]> => repo.openIncidentIdsOnCalendar(w.tx, calendarId),

    async create(actor: Actor, input: CreateIncidentInput): Promise<IncidentDetail> {
      return uow.command(actor, (w) => createIn(w, input), { name: 'incident.create' });
    },

    async get(actor: Actor, id: string): Promise<IncidentDetail> {
      const now = clock();
      return detail(db, actor, await load(db, actor, id), now);
    },

    async getByNumber(actor: Actor, number: number): Promise<IncidentDetail> {
      const row = await repo.findIncidentByNumber(db, number, clientScope(actor));
      if (!row) throw notFound('incident');
      return detail(db, actor, row, clock());
    },

    /** Newest first; page with `beforeNumber` = the last number of the previous page. */
    async list(actor: Actor, filter: IncidentListFilter = {}): Promise<Incident[]> {
      const now = clock();
      return present(db, actor, await listRows(actor, filter), now);
    },

    /**
     * The list as `render` makes it (e.g. the HTTP answer's JSON), from an exact
     * cache on SQLite: a queue polled by many agents is read far more often than it
     * changes. `renderKey` names the rendering; equal keys must render alike.
     */
    async listRendered<T>(actor: Actor, filter: IncidentListFilter, renderKey: string, render: (items: Incident[]) => T): Promise<T> {
      const now = clock();
      const key = JSON.stringify([renderKey, clientScope(actor), isStaff(actor), filter]);
      return listCache.read(key, now, async () => {
        const { items, until } = await presentUntil(db, actor, await listRows(actor, filter), now);
        return { value: render(items), until };
      }) as Promise<T>;
    },


    /**
     * "Recognized when an agent first opens it" (SPEC §2), for every channel: for
     * staff, a new incident becomes recognized now; otherwise nothing changes and
     * the detail is returned as a read would (a contact's scoping and 404 included).
     * Idempotent, so the agent's UI sends it on every open.
     */
    async open(actor: Actor, id: string): Promise<IncidentDetail> {
      const current = await load(db, actor, id);
      if (!isStaff(actor) || current.status !== 'new') return detail(db, actor, current, clock());
      return mutate(actor, id, async (w, row) => {
        // Another agent may have opened it since the read above.
        if (row.status === 'new') await applyCommand(w, row, 'recognize');
        else w.unchanged();
      }, 'open');
    },

    /** A lifecycle command (start, wait, resolve, …; see LIFECYCLE) given by staff. */
    async command(actor: Actor, id: string, command: Command, input: CommandInput = {}): Promise<IncidentDetail> {
      requireRole(actor, STAFF);
      return mutate(actor, id, (w, row) => applyCommand(w, row, command, input), command);
    },

    /** The same commands named by their target status (the move from the current status decides which). */
    async changeStatus(actor: Actor, id: string, input: StatusChangeInput): Promise<IncidentDetail> {
      return uow.command(actor, (w) => changeStatusIn(w, id, input), { name: 'incident.status' });
    },

    /** Re-derives every deadline from the same clock start under the new priority; who and why are recorded. */
    async changePriority(actor: Actor, id: string, input: { priority: Priority; reason: string }): Promise<IncidentDetail> {
      requireRole(actor, STAFF);
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
    async changeScope(actor: Actor, id: string, input: { inScope: boolean; reason?: string | null; billable?: boolean }): Promise<IncidentDetail> {
      requireRole(actor, STAFF);
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
      requireRole(actor, STAFF);
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
    async update(actor: Actor, id: string, patch: { title?: string; description?: string; category?: Category; systemId?: string | null }): Promise<IncidentDetail> {
      requireRole(actor, STAFF);
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

    /** The calendar intervals a target's deadline counted (SPEC §2: every deadline explains itself). */
    async explain(actor: Actor, id: string, kind: TargetKind): Promise<Explanation> {
      const row = await load(db, actor, id);
      const target = await repo.findTarget(db, row.id, kind);
      if (!target || target.clockStart === null) throw notFound('incident_target');
      const pauses = fromFlag(target.pausable) ? pausesFor(await repo.pausesOf(db, [row.id]), clock()) : [];
      return explainDeadline({
        calendar: await loadWorkingCalendar(db, row.calendarId),
        start: target.clockStart,
        target: JSON.parse(target.target) as SlaTarget,
        pauses,
      });
    },
  };
}
export type IncidentService = ReturnType<typeof createIncidentService>;
