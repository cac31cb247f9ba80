/**
 * Incidents and inquiries (SPEC §3). Every change runs in one transaction that
 * also re-derives the SLA targets, rewrites the timer jobs, appends the
 * timeline entry and writes the audit row. Contacts see and file only their own
 * client's incidents (others answer incident.not_found) and never see internal
 * notes or SLA events; everything else is for vendor staff.
 *
 * The service is composed of its parts: reads, caches and presentation in
 * incident.queries.ts; the SLA plumbing every change writes through (targets, timers,
 * timeline, calendar re-derivation) in incident.writes.ts; filing in incident.create.ts;
 * the lifecycle and the other commands here.
 */
import { uuidv7 } from 'uuidv7';
import type { z } from 'zod';
import type { ScopeBody, UpdateIncidentBody } from '../../contract/incidents.ts';
import { commandFor, transition, type Command, type CommandInput } from '../../contract/incident-lifecycle.ts';
import { CATEGORIES, PRIORITIES, STATUSES, type Priority, type Status } from '../../contract/vocabulary.ts';
import { fromFlag, toFlag, type ServiceDeps } from '../../db/tx.ts';
import { unitOfWork, type Work } from '../../db/unit-of-work.ts';
import { AppError, type ErrorIssue } from '../../errors.ts';
import type { Actor } from '../auth/actor.ts';
import { isStaff } from '../auth/access.ts';
import { authorize, may } from '../auth/authorize.ts';
import { contractCoversSystem } from '../contracts/contract.service.ts';
import { BULK_BATCH, createIncidentBulkFiling, type BulkIncidentInput } from './incident.bulk.ts';
import { createIncidentFiling, type CreateIncidentInput } from './incident.create.ts';
import { invalid, isStaffUser, issue, type IncidentDetail } from './incident.model.ts';
import { createIncidentQueries, type IncidentPageFilter } from './incident.queries.ts';
import { queueCsv } from './incident.csv.ts';
import type { Locale } from '../../i18n/index.ts';
import * as repo from './incident.repository.ts';
import { createFilingTerms } from './incident.terms.ts';
import { createIncidentWrites, event, snapshot } from './incident.writes.ts';

export type { CreateIncidentInput } from './incident.create.ts';
export type { BulkIncidentInput } from './incident.bulk.ts';
/** Edit title, description, category or system (PATCH /incidents/{id}). */
export type IncidentPatch = z.infer<typeof UpdateIncidentBody>;
/** In or out of scope (POST /incidents/{id}/scope); a reason is required when out of scope. */
export type ScopeInput = Omit<z.infer<typeof ScopeBody>, 'reason'> & { reason?: string | null };

export type { IncidentListFilter, IncidentPage, IncidentPageFilter } from './incident.queries.ts';

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

/** How many incident services this process has built (a serving desk builds exactly one: test/http/composition.test.ts). */
export let incidentServicesBuilt = 0;

export interface IncidentServiceOptions {
  /**
   * List pages from the stored ready-to-send items (incident.list-items.ts; default true).
   * false presents every page from the rows, as before issue 15: the bench's same-run baseline.
   */
  storedListItems?: boolean;
}

export function createIncidentService(deps: ServiceDeps, o: IncidentServiceOptions = {}) {
  const { db, clock } = deps;
  incidentServicesBuilt += 1;
  // Every write is a unit of work: one transaction with its audit rows (concurrent ones share one commit on SQLite).
  const uow = deps.uow ?? unitOfWork(db, clock);
  // Reads, caches and presentation live apart (incident.queries.ts); commands answer through them.
  const queries = createIncidentQueries(deps);
  const { load, detail } = queries;
  const writes = createIncidentWrites(queries);
  const { save, rederiveIn, refreshListItem, takeLeft, forgetLeft } = writes;
  const createIn = createIncidentFiling(queries, writes, createFilingTerms(db));
  const createManyIn = createIncidentBulkFiling(queries, writes);

  type Change = (w: Work<Actor>, row: repo.IncidentRow) => Promise<void>;

  /** A change to one incident inside a unit already open; returns the fresh detail. */
  async function mutateIn(w: Work<Actor>, id: string, fn: Change): Promise<IncidentDetail> {
    const row = await load(w.tx, w.actor, id, true);
    forgetLeft(w.tx, id);
    await fn(w, row);
    // The detail as the change left the incident: the rows it stored the list item from, else read back.
    const left = takeLeft(w.tx, id);
    if (left) return detail(w.tx, w.actor, left.row, w.now, left);
    return detail(w.tx, w.actor, (await repo.findIncident(w.tx, id, null))!, w.now);
  }

  /** Runs a change as its own unit of work and returns the fresh detail. */
  const mutate = (actor: Actor, id: string, fn: Change, name: string): Promise<IncidentDetail> =>
    uow.command(actor, (w) => mutateIn(w, id, fn), { name: `incident.${name}` });

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

  /**
   * A message (public, the client sees it) or an internal note (staff only), inside a unit
   * already open. A contact's reply while the desk waits for them resumes the clock.
   */
  async function addCommentIn(w: Work<Actor>, id: string, input: { body: string; internal?: boolean }): Promise<IncidentDetail> {
    const { tx, actor, now } = w;
    authorize(actor, input.internal ? 'incident.note' : 'incident.comment');
    if (!input.body?.trim()) throw invalid('incident.invalid', [issue(['body'], 'too_small', 'required')]);
    return mutateIn(w, id, async (_, row) => {
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
        row.updatedAt = now;
        await repo.updateIncident(tx, row.id, { updatedAt: now });
        await refreshListItem(tx, row, now);
      }
    });
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
    listRenderedStored: queries.listRenderedStored,
    storedListItems: o.storedListItems ?? true,
    page: queries.page,
    pageRendered: queries.pageRendered,
    pageRenderedStored: queries.pageRenderedStored,
    /** The filtered queue as CSV (incident.csv.ts). */
    queueCsv: (actor: Actor, filter: Omit<IncidentPageFilter, 'limit' | 'after'>, locale: Locale): Promise<string> =>
      queueCsv(deps.db, actor, filter, locale, queries.page),
    explain: queries.explain,
    // Commands inside a unit another module opened.
    createIn,
    addCommentIn,
    changeStatusIn,
    rederiveIn,

    /** The incident's id and client when the actor may read it (a contact: their own client's), else incident.not_found. */
    async visible(actor: Actor, id: string): Promise<{ id: string; clientId: string }> {
      authorize(actor, 'incident.read');
      const row = await load(db, actor, id);
      return { id: row.id, clientId: row.clientId };
    },

    /**
     * A timeline entry another module records in its own unit (an attachment added or
     * removed): the row is locked and scoped like any change (incident.not_found for
     * another client's contact) and its updatedAt moves; the caller audits its own change.
     */
    async recordIn(w: Work<Actor>, id: string, e: { kind: string; visibility: 'public' | 'internal'; body?: string; data?: Record<string, unknown> }) {
      const row = await load(w.tx, w.actor, id, true);
      const author = await repo.userById(w.tx, w.actor.userId);
      await event(w.tx, w.actor, w.now, row.id, { ...e, authorName: author?.name ?? null });
      row.updatedAt = w.now;
      await repo.updateIncident(w.tx, row.id, { updatedAt: w.now });
      // The list shows updatedAt: its stored item changes with it.
      await refreshListItem(w.tx, row, w.now);
      return { id: row.id, clientId: row.clientId };
    },

    /** Open incidents whose clocks run on a calendar (its new version re-derives them). */
    openOnCalendarIn: (w: Work<Actor>, calendarId: string): Promise<string[]> => repo.openIncidentIdsOnCalendar(w.tx, calendarId),

    async create(actor: Actor, input: CreateIncidentInput): Promise<IncidentDetail> {
      return uow.command(actor, (w) => createIn(w, input), { name: 'incident.create' });
    },

    /**
     * Files many incidents (staff; no reporter or assignee), one unit of work per
     * BULK_BATCH: the rows `create` writes, with multi-row inserts. Returns the ids in order.
     */
    async createMany(actor: Actor, inputs: readonly BulkIncidentInput[]): Promise<string[]> {
      const ids: string[] = [];
      for (let i = 0; i < inputs.length; i += BULK_BATCH) {
        const part = inputs.slice(i, i + BULK_BATCH);
        ids.push(...await uow.command(actor, (w) => createManyIn(w, part), { name: 'incident.create_many' }));
      }
      return ids;
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
        await refreshListItem(tx, row, now);
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
        await refreshListItem(tx, row, now);
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
