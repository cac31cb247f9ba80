/**
 * Filing an incident (phone, web, api, e-mail intake, monitoring) inside a unit of work:
 * the checks of who may file what, the reporter matched to a designated contact, the
 * first SLA targets and timers, the "created" timeline entry and the audit entry.
 */
import { uuidv7 } from 'uuidv7';
import type { z } from 'zod';
import type { WithInstants } from '../../contract/common.ts';
import type { CreateIncidentBody } from '../../contract/incidents.ts';
import { CATEGORIES, CHANNELS, PRIORITIES, type Channel, type Priority } from '../../contract/vocabulary.ts';
import { parseIsoDate } from '../../core/time/civil.ts';
import { instantOfLocal } from '../../core/time/zone.ts';
import { toFlag } from '../../db/tx.ts';
import type { Work } from '../../db/unit-of-work.ts';
import type { ErrorIssue } from '../../errors.ts';
import type { Actor } from '../auth/actor.ts';
import { isStaff } from '../auth/access.ts';
import { authorize } from '../auth/authorize.ts';
import { contractCoversSystem } from '../contracts/contract.service.ts';
import { invalid, isStaffUser, issue, type IncidentDetail } from './incident.model.ts';
import type { IncidentQueries } from './incident.queries.ts';
import * as repo from './incident.repository.ts';
import type { FilingTerms } from './incident.terms.ts';
import { event, snapshot, type IncidentWrites } from './incident.writes.ts';

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

/** How far ahead of the desk's clock a logged receivedAt may be: the clock of the PC the call was noted on may run fast. */
const RECEIVED_AT_SKEW_MS = 5 * 60_000;

export function createIncidentFiling(
  { toIncident, toTimeline }: Pick<IncidentQueries, 'toIncident' | 'toTimeline'>, { save }: Pick<IncidentWrites, 'save'>, terms: FilingTerms,
) {
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

    // Scoped: a contact naming another client's contract gets contract.not_found.
    const { contract, calendar } = await terms(tx, actor, input.contractId);
    const more: ErrorIssue[] = [];
    if (input.systemId && !(await contractCoversSystem(tx, contract.id, input.systemId))) {
      more.push(issue(['systemId'], 'not_found', 'not a system of this contract'));
    }
    // A call logged by hand cannot have come in before the contract existed (a typo in the year,
    // or the wrong contract); mail and monitoring give the instant they saw, which is never refused.
    if (staff && input.receivedAt !== undefined && (input.channel === 'phone' || input.channel === 'web' || input.channel === 'api')) {
      const day = parseIsoDate(contract.startsOn);
      const zone = calendar.timeZone;
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
    const targets = await save(tx, row, now, { fresh: true, calendar });
    const created = await event(tx, actor, now, row.id, { kind: 'created', visibility: 'public', body: row.description, data: { channel: row.channel, priority } });
    w.audit({ entity: 'incident', entityId: row.id, action: 'create', after: snapshot(row) });
    // Built from what was just written: a new incident has no pauses and one timeline entry.
    const noCalendar = () => { throw new Error('a new incident is never paused'); };
    return { ...toIncident(actor, row, targets, [], now, noCalendar), timeline: [toTimeline(created, actor.role)] };
  }

  return createIn;
}
