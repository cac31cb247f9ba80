/**
 * An incident's rows as an actor sees them at "now": the incident with its SLA targets
 * (presentTarget), the first instant at which that view may change without a write, and
 * timeline entries with who acted as the client may be told. Pure over rows already read,
 * but for the calendars a stopped clock needs (read lazily through the executor given).
 */
import type { WorkingCalendar } from '../../core/calendar/index.ts';
import type { Executor } from '../../db/database.ts';
import { fromFlag } from '../../db/tx.ts';
import type { Actor } from '../auth/actor.ts';
import { may } from '../auth/authorize.ts';
import { loadWorkingCalendar } from '../calendars/calendar.service.ts';
import type { Category, Channel, Priority, Status } from '../../contract/vocabulary.ts';
import type { Incident, TimelineEntry } from './incident.model.ts';
import * as repo from './incident.repository.ts';
import { presentTarget } from './incident.sla.ts';

const TARGET_ORDER: Record<string, number> = { start: 0, propose: 1, resolve: 2 };

/**
 * Who acted, as the client may be told. The mail intake writes the client's own e-mails
 * (a new incident, a reply) as `system:mail`: those are the contact's; anything else not
 * done by a user is the system's.
 */
export function authorKind(authorId: string, role: string | null, eventKind: string): 'staff' | 'contact' | 'system' {
  if (authorId === 'system:mail') return eventKind === 'message' || eventKind === 'created' ? 'contact' : 'system';
  if (role === 'contact') return 'contact';
  if (role === 'admin' || role === 'agent') return 'staff';
  return 'system';
}

export function toIncident(
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
    nextTimerAt: may(actor, 'incident.read_internal') ? r.nextTimerAt : null,
    createdBy: r.createdBy,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    targets: [...targets]
      .sort((a, b) => (TARGET_ORDER[a.kind] ?? 9) - (TARGET_ORDER[b.kind] ?? 9))
      .map((t) => presentTarget(t, { pauses: ps, inScope, now, calendar })),
    pauses: ps.map((p) => ({ id: p.id, startedAt: p.startedAt, endedAt: p.endedAt, startedBy: p.startedBy, endedBy: p.endedBy, reason: p.reason })),
  };
}

export async function present(ex: Executor, actor: Actor, rows: repo.IncidentRow[], now: number, known?: KnownRows): Promise<Incident[]> {
  return (await presentUntil(ex, actor, rows, now, known)).items;
}

/** The targets and pauses of every row, when the caller has them already (a command that just wrote them). */
export interface KnownRows {
  targets: readonly repo.TargetRow[];
  pauses: readonly repo.PauseRow[];
}

/** The incidents as seen at `now`, and the first instant at which that view may change without a write. */
export async function presentUntil(
  ex: Executor, actor: Actor, rows: repo.IncidentRow[], now: number, known?: KnownRows,
): Promise<{ items: Incident[]; until: number }> {
  const ids = rows.map((r) => r.id);
  const [targets, pauses] = known ? [known.targets, known.pauses] : await Promise.all([repo.targetsOf(ex, ids), repo.pausesOf(ex, ids)]);
  const targetsBy = repo.byIncident(targets);
  const pausesBy = repo.byIncident(pauses);
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

/** `role`: the author's role when the row was not read with its author (just written by this actor). */
export const toTimeline = (e: repo.EventRow | repo.EventWithAuthor, role?: string): TimelineEntry => {
  const kind = authorKind(e.authorId, 'userRole' in e ? e.userRole : (role ?? null), e.kind);
  return {
    id: e.id,
    at: e.at,
    kind: e.kind,
    visibility: e.visibility as 'public' | 'internal',
    authorId: e.authorId,
    authorKind: kind,
    // The name written with the entry (a comment's author at the time), else the user's
    // name today: status changes, proposals and resolutions are credited to the staff
    // member who made them, not to the reporter.
    authorName: kind === 'system' ? null : (e.authorName ?? ('userName' in e ? e.userName : null)),
    body: e.body,
    data: JSON.parse(e.data) as Record<string, unknown>,
  };
};
