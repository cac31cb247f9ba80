/**
 * Filing many incidents at once (seeding, load tests, imports by the desk): the same rows
 * `createIn` writes for a staff filing without reporter or assignee — incident, SLA targets
 * (computeTargetRows), timer jobs (planTimers), the stored list item (listItemRow), the
 * "created" timeline entry and the audit entry — but each table written with multi-row inserts and the policy, calendar and
 * contract read once per batch instead of once per incident. A million open incidents take
 * minutes this way instead of half an hour through one create per call.
 * test/http/incident-bulk.test.ts compares a bulk-filed incident with a normally filed one.
 */
import { uuidv7 } from 'uuidv7';
import { CATEGORIES, CHANNELS, PRIORITIES, type Category, type Channel, type Priority } from '../../contract/vocabulary.ts';
import type { WorkingCalendar } from '../../core/calendar/index.ts';
import type { Executor } from '../../db/database.ts';
import { insertRows } from '../../db/insert-rows.ts';
import { toFlag } from '../../db/tx.ts';
import type { Work } from '../../db/unit-of-work.ts';
import { AppError, type ErrorIssue } from '../../errors.ts';
import { enqueueMany, type EnqueueOptions } from '../../jobs/queue.ts';
import type { Actor } from '../auth/actor.ts';
import { isStaff } from '../auth/access.ts';
import { authorize } from '../auth/authorize.ts';
import { loadWorkingCalendar } from '../calendars/calendar.service.ts';
import { contractCoversSystem, loadContractTerms, type ContractTerms } from '../contracts/contract.service.ts';
import { planTimers } from './incident.jobs.ts';
import { invalid, issue } from './incident.model.ts';
import type { IncidentQueries } from './incident.queries.ts';
import * as repo from './incident.repository.ts';
import { computeTargetRows } from './incident.sla.ts';
import type { ListItemRow } from './incident.list-items.repository.ts';
import { snapshot, type IncidentWrites } from './incident.writes.ts';

/** One incident of a bulk filing: a staff filing's body without reporter, assignee or scope changes. */
export interface BulkIncidentInput {
  contractId: string;
  title: string;
  description?: string;
  channel: Channel;
  category?: Category;
  priority?: Priority;
  systemId?: string | null;
  receivedAt?: number;
}

/** Incidents per unit of work: big enough to amortise the statements, small enough for one statement's parameters. */
export const BULK_BATCH = 500;
/** Rows per insert statement (SQLite allows 32,766 parameters; a job row has 13). */
const ROWS_PER_STATEMENT = 1000;
const RECEIVED_AT_SKEW_MS = 5 * 60_000;

async function chunked<T>(rows: readonly T[], write: (part: readonly T[]) => Promise<void>): Promise<void> {
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) await write(rows.slice(i, i + ROWS_PER_STATEMENT));
}

export function createIncidentBulkFiling({ policyDoc }: Pick<IncidentQueries, 'policyDoc'>, { listItemRow }: Pick<IncidentWrites, 'listItemRow'>) {
  /** Files up to BULK_BATCH incidents inside a unit already open; returns their ids in input order. */
  async function createManyIn(w: Work<Actor>, inputs: readonly BulkIncidentInput[]): Promise<string[]> {
    const { tx, actor, now } = w;
    authorize(actor, 'incident.create');
    if (!isStaff(actor)) throw new AppError('auth.forbidden', 'forbidden');
    if (inputs.length > BULK_BATCH) throw invalid('incident.invalid', [issue([], 'too_big', `at most ${BULK_BATCH} per batch`)]);
    const issues: ErrorIssue[] = [];
    inputs.forEach((input, i) => {
      if (!input.title?.trim()) issues.push(issue([i, 'title'], 'too_small', 'required'));
      if (!CHANNELS.includes(input.channel)) issues.push(issue([i, 'channel'], 'invalid_enum_value', `one of ${CHANNELS.join(', ')}`));
      if (input.category !== undefined && !CATEGORIES.includes(input.category)) issues.push(issue([i, 'category'], 'invalid_enum_value', `one of ${CATEGORIES.join(', ')}`));
      if (input.priority !== undefined && !PRIORITIES.includes(input.priority)) issues.push(issue([i, 'priority'], 'invalid_enum_value', `one of ${PRIORITIES.join(', ')}`));
      if (input.receivedAt !== undefined && (!Number.isFinite(input.receivedAt) || input.receivedAt > now + RECEIVED_AT_SKEW_MS)) {
        issues.push(issue([i, 'receivedAt'], 'invalid', 'must not be in the future', { rule: 'not_in_future' }));
      }
    });
    if (issues.length) throw invalid('incident.invalid', issues);

    // What a create reads per incident, read once per contract (and system) of the batch.
    const contracts = new Map<string, ContractTerms>();
    const calendars = new Map<string, WorkingCalendar>();
    const covered = new Map<string, boolean>();
    for (const input of inputs) {
      let c = contracts.get(input.contractId);
      if (!c) contracts.set(input.contractId, (c = await loadContractTerms(tx, actor, input.contractId)));
      if (!calendars.has(c.calendarId)) calendars.set(c.calendarId, await loadWorkingCalendar(tx, c.calendarId));
      if (input.systemId) {
        const key = `${c.id}:${input.systemId}`;
        if (!covered.has(key)) covered.set(key, await contractCoversSystem(tx, c.id, input.systemId));
        if (!covered.get(key)) throw invalid('incident.invalid', [issue(['systemId'], 'not_found', 'not a system of this contract')]);
      }
    }
    const numbers = await repo.reserveIncidentNumbers(tx, inputs.length);
    const incidents: repo.IncidentRow[] = [];
    const targets: repo.TargetRow[] = [];
    const jobs: EnqueueOptions[] = [];
    const events: repo.EventRow[] = [];
    const items: ListItemRow[] = [];
    for (const [i, input] of inputs.entries()) {
      const contract = contracts.get(input.contractId)!;
      const priority: Priority = input.priority ?? 'important';
      // The row createIn builds for a staff filing with no reporter and no assignee.
      const row: repo.IncidentRow = {
        id: uuidv7(), number: numbers[i]!, contractId: contract.id, clientId: contract.clientId, systemId: input.systemId ?? null,
        title: input.title.trim(), description: input.description ?? '', channel: input.channel, category: input.category ?? 'other',
        priority, suggestedPriority: null, status: 'recognized', inScope: toFlag(true), outOfScopeReason: null, billable: toFlag(false),
        assigneeId: null, reporterContactId: null, reporterName: null, reporterEmail: null,
        notViaDesignatedContact: toFlag(input.channel !== 'monitoring'),
        slaPolicyId: contract.slaPolicyId, slaPolicyVersion: contract.slaPolicyVersion, calendarId: contract.calendarId,
        receivedAt: input.receivedAt ?? now, recognizedAt: now, startedAt: null, proposedAt: null, resolvedAt: null, closedAt: null,
        resolutionCause: null, resolutionFix: null, resolutionCourse: null, nextTimerAt: null, createdBy: actor.userId, createdAt: now, updatedAt: now,
      };
      const policy = await policyDoc(tx, row.slaPolicyId, row.slaPolicyVersion);
      const mine = computeTargetRows({ incident: row, priority, policy, calendar: calendars.get(row.calendarId)!, pauses: [], existing: [], now, newId: uuidv7 });
      const plan = planTimers(row, mine, false, now);
      row.nextTimerAt = plan.next;
      incidents.push(row);
      targets.push(...mine);
      // Without it the list would present these incidents row by row until the next rebuild.
      items.push(listItemRow(row, mine, [], now));
      jobs.push(...plan.jobs);
      events.push({
        id: uuidv7(), incidentId: row.id, at: now, kind: 'created', visibility: 'public', authorId: actor.userId, authorName: null,
        body: row.description, data: JSON.stringify({ channel: row.channel, priority }),
      });
      w.audit({ entity: 'incident', entityId: row.id, action: 'create', after: snapshot(row) });
    }
    await write(tx, { incidents, targets, items, jobs, events });
    return incidents.map((r) => r.id);
  }

  async function write(
    ex: Executor,
    { incidents, targets, items, jobs, events }: { incidents: repo.IncidentRow[]; targets: repo.TargetRow[]; items: ListItemRow[]; jobs: EnqueueOptions[]; events: repo.EventRow[] },
  ): Promise<void> {
    // Incidents first: targets, list items and events reference them.
    await chunked(incidents, (part) => insertRows(ex, 'incidents', part));
    await chunked(targets, (part) => repo.upsertTargets(ex, part));
    await chunked(items, (part) => insertRows(ex, 'incidentListItems', part));
    await chunked(jobs, (part) => enqueueMany(ex, part));
    await chunked(events, (part) => insertRows(ex, 'incidentEvents', part));
  }

  return createManyIn;
}
