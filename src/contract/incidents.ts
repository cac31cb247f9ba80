/**
 * Incidents and inquiries (障害・問合せ): list, detail, create, lifecycle
 * transitions, priority/scope changes, messages and notes.
 */
import { z } from 'zod';
import { slaTargetSchema } from '../core/sla/target.ts';
import { Email, Id, Instant, Text } from './common.ts';
import { ANCHORS, CATEGORIES, CHANNELS, PRIORITIES, STATUSES, TARGET_KINDS } from './vocabulary.ts';
import { rule } from './errors.ts';

export const Priority = z.enum(PRIORITIES).describe('urgent 緊急 / important 重要 / minor 軽微');
export const Status = z.enum(STATUSES);
export const Channel = z.enum(CHANNELS);
export const Category = z.enum(CATEGORIES);
export const SlaState = z.enum(['pending', 'ok', 'atRisk', 'breached', 'met', 'metLate'])
  .describe('pending = the clock has not started yet (e.g. resolution counted from start of work)');

export const IncidentTarget = z
  .object({
    kind: z.enum(TARGET_KINDS).describe('start = 着手, resolve = 解決, propose = 解決策提示'),
    anchor: z.enum(ANCHORS).describe('the instant the clock counts from'),
    target: slaTargetSchema,
    clock: z.enum(['calendar', 'business']).describe('24/7 clock or the support calendar'),
    clockStart: Instant.nullable(),
    dueAt: Instant.nullable(),
    atRiskAt: Instant.nullable(),
    metAt: Instant.nullable(),
    state: SlaState,
    paused: z.boolean().describe('the clock is stopped while waiting for the client'),
    excluded: z.boolean().describe('out of scope: excluded from SLA attainment'),
  })
  .meta({ id: 'IncidentTarget' });

export const PausedInterval = z
  .object({ id: Id, from: Instant, to: Instant.nullable().describe('null while still paused'), reason: z.string() })
  .meta({ id: 'PausedInterval' });

export const Incident = z
  .object({
    id: Id,
    number: z.number().int(),
    contractId: Id,
    clientId: Id,
    systemId: Id.nullable(),
    title: z.string(),
    description: z.string(),
    channel: Channel,
    category: Category,
    priority: Priority,
    suggestedPriority: Priority.nullable().describe('what the reporter suggested; the desk decides'),
    status: Status,
    inScope: z.boolean(),
    outOfScopeReason: z.string().nullable(),
    billable: z.boolean(),
    assigneeId: Id.nullable(),
    reporter: z.strictObject({ contactId: Id.nullable(), name: z.string().nullable(), email: z.string().nullable() }),
    notViaDesignatedContact: z.boolean().describe('filed by someone who is not a designated contact of the contract'),
    policy: z.object({ id: Id, version: z.number().int() }).describe('the SLA policy version the incident was opened under'),
    calendarId: Id,
    receivedAt: Instant,
    recognizedAt: Instant.nullable(),
    startedAt: Instant.nullable(),
    proposedAt: Instant.nullable(),
    resolvedAt: Instant.nullable(),
    closedAt: Instant.nullable(),
    resolution: z.object({ cause: z.string(), fix: z.string(), courseOfEvents: z.string() }).nullable(),
    targets: z.array(IncidentTarget),
    pausedIntervals: z.array(PausedInterval),
    createdAt: Instant,
    updatedAt: Instant,
  })
  .meta({ id: 'Incident' });

export const TimelineEntry = z
  .object({
    id: Id,
    at: Instant,
    kind: z.string().describe('message | note | status | priority | scope | assign | sla | escalation | field'),
    visibility: z.enum(['public', 'internal']),
    authorId: z.string(),
    authorKind: z.enum(['staff', 'contact', 'system']).describe('who acted: a staff member, the client (portal or e-mail), or the system (jobs)'),
    authorName: z.string().nullable().describe("the staff member's or contact's display name; null for the system and for e-mail from the client (see the reporter)"),
    body: z.string(),
    data: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'TimelineEntry' });

export const IncidentDetail = Incident.extend({ timeline: z.array(TimelineEntry) }).meta({ id: 'IncidentDetail' });

/** Comma-separated or repeated query values: ?status=new,recognized or ?status=new&status=recognized. */
const multi = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => (typeof v === 'string' ? v.split(',').filter(Boolean) : v), z.array(item)).optional();

export const INCIDENT_SORTS = ['number', 'received', 'due'] as const;
export type IncidentSort = (typeof INCIDENT_SORTS)[number];

/**
 * Where the next page of a queue starts, for one sort: the last row's sort key (null:
 * no running deadline, sorted last under `due`) and its number (the tie-breaker).
 * Opaque to clients: base64url of `<sort>.<key|->.<number>`.
 */
export interface IncidentCursor { sort: IncidentSort; key: number | null; number: number }

export function encodeIncidentCursor(c: IncidentCursor): string {
  return btoa(`${c.sort}.${c.key ?? '-'}.${c.number}`).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function decodeIncidentCursor(s: string): IncidentCursor | null {
  if (!/^[A-Za-z0-9_-]{1,100}$/.test(s)) return null;
  let plain: string;
  try {
    plain = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
  } catch {
    return null;
  }
  const m = /^(number|received|due)\.(-|\d{1,16})\.(\d{1,15})$/.exec(plain);
  if (!m) return null;
  return { sort: m[1] as IncidentSort, key: m[2] === '-' ? null : Number(m[2]), number: Number(m[3]) };
}

export const IncidentQuery = z.object({
  status: multi(Status),
  priority: multi(Priority),
  open: z.enum(['true', 'false']).optional().describe('true = not resolved or closed'),
  contractId: Id.optional(),
  clientId: Id.optional(),
  assigneeId: Id.optional(),
  systemId: Id.optional(),
  channel: multi(Channel),
  category: multi(Category),
  sla: multi(SlaState).describe('the incident\'s SLA state now: the worst of its in-scope targets (out of scope: pending), as the queue shows it'),
  scope: z.enum(['in', 'out']).optional().describe('in = within the contract\'s scope, out = out of scope'),
  q: Text.trim().max(200).optional().describe('search: the number (1234 or #1234), or a substring of title, description, reporter name or e-mail, or a mail subject; case-insensitive. 3+ characters use the trigram index; 1–2 characters scan'),
  sort: z.enum(INCIDENT_SORTS).default('number').describe('number = newest number first; received = latest received first; due = the earliest running SLA deadline first (none: last)'),
  cursor: z.string().max(200).transform((s, ctx) => {
    const c = decodeIncidentCursor(s);
    if (!c) {
      ctx.addIssue({ code: 'custom', message: 'not a cursor of this list', params: rule('cursor') });
      return z.NEVER;
    }
    return c;
  }).optional().describe('the nextCursor of the previous page (for the same sort); omit it for the first page'),
  before: z.coerce.number().int().min(1).optional().describe('sort=number only: incidents numbered below this (older form of cursor)'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  format: z.enum(['json', 'csv']).optional().describe('csv: the same as GET /incidents.csv'),
}).superRefine((v, ctx) => {
  if (v.cursor && v.cursor.sort !== v.sort) ctx.addIssue({ code: 'custom', path: ['cursor'], message: 'a cursor of another sort', params: rule('cursor') });
});

export const IncidentList = z.object({
  items: z.array(Incident),
  nextCursor: z.string().nullable().describe('pass as ?cursor= (with the same filters and sort) for the next page; null on the last page'),
  nextBefore: z.number().int().nullable().describe('sort=number: pass as ?before= for the next page; null at the end (kept for older clients)'),
});

export const CreateIncidentBody = z.strictObject({
  contractId: Id,
  systemId: Id.nullable().optional(),
  title: Text.trim().min(1).max(300),
  description: Text.max(100_000).optional(),
  channel: z.enum(['phone', 'web', 'api']).optional().describe('default: api with a token, web with a session; contacts cannot log phone calls'),
  category: Category.optional(),
  priority: Priority.optional().describe('set by the desk (staff); from a contact it is taken as a suggestion'),
  suggestedPriority: Priority.optional(),
  receivedAt: Instant.optional().describe('when the call came in or the message arrived (default now; staff only, never in the future). Staff filings are recognized when logged; a contact\'s waits in "new" until the desk recognizes it'),
  reporter: z.strictObject({ contactId: Id.nullable().optional(), name: Text.max(200).nullable().optional(), email: Email.nullable().optional() }).optional(),
  assigneeId: Id.nullable().optional(),
  inScope: z.boolean().optional(),
  outOfScopeReason: Text.max(2000).nullable().optional(),
  billable: z.boolean().optional(),
});

export const ReasonBody = z.strictObject({ reason: Text.trim().min(1).max(2000) });
/** The whole body may be left out. */
export const OptionalReasonBody = z.strictObject({ reason: Text.trim().max(2000).optional() }).optional();
export const ProposeBody = z.strictObject({ message: Text.trim().max(100_000).optional().describe('the proposal, shown to the client') }).optional();
export const ResolveBody = z.strictObject({
  cause: Text.trim().min(1).max(100_000),
  fix: Text.trim().min(1).max(100_000),
  courseOfEvents: Text.trim().min(1).max(100_000).describe('解決後経緯の説明, shown to the client'),
});
export const PriorityBody = z.strictObject({ priority: Priority, reason: Text.trim().min(1).max(2000) });
export const ScopeBody = z.strictObject({
  inScope: z.boolean(),
  reason: Text.trim().max(2000).optional().describe('required when out of scope'),
  billable: z.boolean().optional(),
}).superRefine((v, ctx) => {
  if (v.inScope === false && !(typeof v.reason === 'string' && v.reason.trim())) ctx.addIssue({ code: 'custom', path: ['reason'], params: rule('required_out_of_scope') });
}, { when: (p) => typeof p.value === 'object' && p.value !== null });
export const AssignBody = z.strictObject({ assigneeId: Id.nullable() });
export const MessageBody = z.strictObject({
  body: Text.trim().min(1).max(100_000),
  visibility: z.enum(['public', 'internal']).default('public').describe('internal = a note the client never sees (staff only)'),
});

export const UpdateIncidentBody = z.strictObject({
  title: Text.trim().min(1).max(300).optional(),
  description: Text.max(100_000).optional(),
  category: Category.optional(),
  systemId: Id.nullable().optional(),
});

export const TargetParams = z.object({ id: Id, kind: z.enum(TARGET_KINDS) });
export const NumberParams = z.object({ number: z.coerce.number().int().min(1) });

export const DeadlineExplanation = z
  .object({
    dueAt: Instant,
    due: z.string().describe('local time in the calendar zone'),
    timeZone: z.string(),
    totalSeconds: z.number().describe('working time counted towards the target'),
    counted: z.array(z.object({ from: z.string(), to: z.string(), seconds: z.number() })).describe('the calendar intervals counted, local time'),
    paused: z.array(z.object({ from: z.string(), to: z.string() })),
  })
  .meta({ id: 'DeadlineExplanation' });
