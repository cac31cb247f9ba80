/**
 * Clients, contacts, systems, calendars, SLA policies and the audit log.
 */
import { z } from 'zod';
import { CalendarDocumentError, parseCalendarDocument } from '../core/calendar/index.ts';
import { crossFieldWhen, Cursor, Email, Id, Instant, IsoDate, pageOf, Text, UniqueIds } from './common.ts';
import { slaPolicyDocumentSchema } from './sla-policy-document.ts';
import { rule } from './errors.ts';

// ---- clients ----
export const Client = z
  .object({ id: Id, name: z.string(), nameKana: z.string().nullable(), notes: z.string(), createdAt: Instant, updatedAt: Instant })
  .meta({ id: 'Client' });
export const CreateClientBody = z.strictObject({
  name: Text.trim().min(1).max(200),
  nameKana: Text.trim().max(200).nullable().optional(),
  notes: Text.max(10_000).optional(),
});
export const UpdateClientBody = CreateClientBody.partial();

// ---- contacts ----
export const Contact = z
  .object({
    id: Id, clientId: Id, name: z.string(), email: z.string().nullable(), phone: z.string().nullable(),
    createdAt: Instant, updatedAt: Instant,
  })
  .meta({ id: 'Contact' });
export const CreateContactBody = z.strictObject({
  clientId: Id,
  name: Text.trim().min(1).max(200),
  email: Email.nullable().optional(),
  phone: Text.trim().max(50).nullable().optional(),
});
export const UpdateContactBody = CreateContactBody.omit({ clientId: true }).partial();
export const ClientFilter = z.object({ clientId: Id.optional() });

// ---- systems ----
export const System = z
  .object({ id: Id, clientId: Id, name: z.string(), description: z.string(), createdAt: Instant, updatedAt: Instant })
  .meta({ id: 'System' });
export const CreateSystemBody = z.strictObject({
  clientId: Id,
  name: Text.trim().min(1).max(200),
  description: Text.max(10_000).optional(),
});
export const UpdateSystemBody = CreateSystemBody.omit({ clientId: true }).partial();

// ---- calendars ----
const hoursRange = z.tuple([z.string(), z.string()]);
const weekly = z.partialRecord(z.enum(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat']), z.array(hoursRange));

/**
 * The SLA core's calendar document. The shape below documents it; the core's own
 * parser is the authority and its every issue is reported under this path.
 */
export const CalendarDocument = z
  .looseObject({
    timeZone: z.string().describe('IANA zone, e.g. Asia/Tokyo'),
    weekly: weekly.describe('per weekday, [start, end) "HH:MM" intervals; end may be "24:00"'),
    holidays: z.array(z.string()).optional().describe('"jp" = bundled Japanese public holidays; "YYYY-MM-DD"; "MM-DD" yearly'),
    closures: z.array(z.object({ from: z.string(), to: z.string() })).optional(),
    overrides: z.array(z.union([
      z.object({ date: z.string(), hours: z.array(hoursRange) }),
      z.object({ from: z.string(), to: z.string(), weekly }),
    ])).optional(),
  })
  .meta({ id: 'CalendarDocument' });

/** Accepts anything structurally and lets the core validate, so every issue is listed once. */
export const CalendarDocumentInput = z.unknown().superRefine((value, ctx) => {
  try {
    parseCalendarDocument(value);
  } catch (e) {
    if (!(e instanceof CalendarDocumentError)) throw e;
    // No message: the issue is rendered from the core's code and params, in the reader's language.
    for (const i of e.issues) ctx.addIssue({ code: 'custom', path: i.path, params: { ...i.params, issue: i.code } });
  }
}).describe('a CalendarDocument (see components.schemas.CalendarDocument); validated by the SLA core');

const CalendarVersionSummary = z.object({
  version: z.number().int(),
  effectiveFrom: Instant.describe('applies from this instant (1970-01-01T00:00:00Z for version 1: always)'),
  note: z.string(),
  createdBy: z.string(),
  createdAt: Instant,
});
export const Calendar = z
  .object({
    id: Id,
    name: z.string(),
    version: z.number().int().describe('the newest version'),
    document: CalendarDocument.describe('the newest version\'s document'),
    effectiveFrom: Instant.describe('when the newest version applies from'),
    versions: z.array(CalendarVersionSummary).describe('every version, oldest first; at an instant the newest version effective by then applies'),
    createdAt: Instant,
    updatedAt: Instant,
  })
  .meta({ id: 'Calendar' });
export const CalendarVersion = CalendarVersionSummary.extend({ calendarId: Id, document: CalendarDocument }).meta({ id: 'CalendarVersion' });
export const CalendarVersionParams = z.object({ id: Id, version: z.coerce.number().int().min(1) });
export const CreateCalendarBody = z.strictObject({ name: Text.trim().min(1).max(200), document: CalendarDocumentInput });
export const UpdateCalendarBody = z.strictObject({
  name: Text.trim().min(1).max(200).optional(),
  document: CalendarDocumentInput.optional().describe('a new version of the calendar'),
  effectiveFrom: z.union([IsoDate, Instant]).optional()
    .describe('when the new document applies: a date (local midnight in the document\'s zone) or an instant; default now; never earlier than now'),
  note: Text.max(2000).optional().describe('why the calendar changes (kept with the version)'),
});

// ---- SLA policies ----
export const SlaPolicyDocument = slaPolicyDocumentSchema.meta({ id: 'SlaPolicyDocument' });
export const SlaPolicy = z
  .object({
    id: Id,
    name: z.string(),
    isDefault: z.boolean(),
    establishedOn: IsoDate.describe('制定日'),
    currentVersion: z.number().int().describe('the current version; for a contact, the latest version their contracts follow'),
    document: SlaPolicyDocument.describe('the document of `currentVersion`'),
    versions: z
      .array(z.object({ version: z.number().int(), revisedOn: IsoDate.describe('改訂日'), note: z.string(), createdAt: Instant }))
      .describe('revision history, oldest first; for a contact only the versions their contracts follow'),
    createdAt: Instant,
    updatedAt: Instant,
  })
  .meta({ id: 'SlaPolicy' });
export const SlaPolicyVersion = z
  .object({ policyId: Id, version: z.number().int(), revisedOn: IsoDate, document: SlaPolicyDocument, note: z.string(), createdBy: z.string(), createdAt: Instant })
  .meta({ id: 'SlaPolicyVersion' });
export const CreateSlaPolicyBody = z.strictObject({
  name: Text.trim().min(1).max(200),
  establishedOn: IsoDate,
  document: slaPolicyDocumentSchema,
  isDefault: z.boolean().optional(),
  note: Text.max(2000).optional(),
});
export const ReviseSlaPolicyBody = z.strictObject({
  document: slaPolicyDocumentSchema,
  revisedOn: IsoDate,
  note: Text.max(2000).optional(),
  name: Text.trim().min(1).max(200).optional(),
  applyToContracts: z.boolean().optional().describe('move contracts on the previous version to the new one (default true)'),
});
export const PolicyVersionParams = z.object({ id: Id, version: z.coerce.number().int().min(1) });

// ---- audit ----
export const AuditEntry = z
  .object({
    id: Id, at: Instant, actorId: z.string(), actorRole: z.string(), entity: z.string(), entityId: z.string(), action: z.string(),
    before: z.unknown(), after: z.unknown(),
  })
  .meta({ id: 'AuditEntry' });
export const AuditQuery = z.object({
  entity: Text.max(50).optional(),
  entityId: Text.max(64).optional(),
  actorId: Text.max(64).optional(),
  cursor: Cursor.optional(),
  before: Instant.optional()
    .describe('deprecated: page with `cursor` (entries of one millisecond beyond a page end were skipped). Still honoured: only entries strictly before this instant')
    .meta({ deprecated: true }),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
export const AuditPage = pageOf(AuditEntry);

// ---- contracts ----
const BackupWindow = z.strictObject({ start: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be "HH:MM"'), end: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be "HH:MM"') });
export const Contract = z
  .object({
    id: Id,
    clientId: Id,
    name: z.string(),
    startsOn: IsoDate,
    endsOn: IsoDate.nullable(),
    contractedUsers: z.number().int().nullable().describe('システム利用者 ●名'),
    slaPolicyId: Id,
    slaPolicyVersion: z.number().int().describe('the version new incidents are opened under'),
    calendarId: Id,
    backupWindow: BackupWindow.nullable().describe('local HH:MM in the calendar zone, e.g. 02:00–04:00'),
    contactEmail: z.string().nullable(),
    contactPhone: z.string().nullable(),
    inScopeNotes: z.string(),
    outOfScopeNotes: z.string(),
    notes: z.string(),
    systemIds: z.array(Id),
    primaryContactId: Id.nullable().describe('the one designated contact (窓口)'),
    deputyContactIds: z.array(Id),
    engineerIds: z.array(Id).describe('vendor users in charge'),
    createdAt: Instant,
    updatedAt: Instant,
  })
  .meta({ id: 'Contract' });

const contractFields = {
  name: Text.trim().min(1).max(200),
  startsOn: IsoDate,
  endsOn: IsoDate.nullable().optional(),
  contractedUsers: z.number().int().min(0).nullable().optional(),
  slaPolicyId: Id.optional(),
  slaPolicyVersion: z.number().int().min(1).optional(),
  calendarId: Id.optional(),
  backupWindow: BackupWindow.nullable().optional(),
  contactEmail: Email.nullable().optional(),
  contactPhone: Text.trim().max(50).nullable().optional(),
  inScopeNotes: Text.max(10_000).optional(),
  outOfScopeNotes: Text.max(10_000).optional(),
  notes: Text.max(10_000).optional(),
  systemIds: UniqueIds(200).optional(),
  primaryContactId: Id.nullable().optional(),
  deputyContactIds: UniqueIds(50).optional(),
  engineerIds: UniqueIds(50).optional(),
};
const endsAfterStart = (v: Record<string, unknown>, ctx: z.RefinementCtx) => {
  if (typeof v.startsOn === 'string' && typeof v.endsOn === 'string' && v.endsOn < v.startsOn) {
    ctx.addIssue({ code: 'custom', path: ['endsOn'], params: rule('not_before_start') });
  }
};
export const CreateContractBody = z.strictObject({ clientId: Id, ...contractFields }).superRefine(endsAfterStart, crossFieldWhen);
export const UpdateContractBody = z.strictObject({ ...contractFields, name: contractFields.name.optional(), startsOn: IsoDate.optional() })
  .superRefine(endsAfterStart, crossFieldWhen);
