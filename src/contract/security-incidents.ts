/**
 * Security incidents (セキュリティインシデント, SPEC §6, issue 14): the API's vocabulary
 * and shapes. Instants are kept apart, each with who recorded it; the report to the
 * client (発覚後報告) is a clock on the SLA core counted from discovery; reports
 * (第一報・続報・最終報告) are dated documents that never change; evidence files carry
 * their SHA-256 and a chain of custody.
 */
import { z } from 'zod';
import { slaTargetSchema } from '../core/sla/target.ts';
import { Id, Instant, IsoDate, Text } from './common.ts';
import { MailDelivery } from './delivery.ts';
import { rule } from './errors.ts';

export const SECURITY_KINDS = ['tampering', 'malware', 'unauthorized_access', 'data_leak', 'vulnerability', 'other'] as const;
export type SecurityKind = (typeof SECURITY_KINDS)[number];
export const SECURITY_STATUSES = ['open', 'contained', 'threat_removed', 'closed'] as const;
export type SecurityStatus = (typeof SECURITY_STATUSES)[number];
/** The instants of the record, in the order they usually happen. */
export const SECURITY_INSTANTS = ['occurred', 'discovered', 'recognized', 'reported', 'contained', 'threatRemoved', 'closed'] as const;
export type SecurityInstant = (typeof SECURITY_INSTANTS)[number];
export const SECURITY_COMMANDS = ['recognize', 'contain', 'remove-threat', 'close'] as const;
export type SecurityCommand = (typeof SECURITY_COMMANDS)[number];
export const REPORT_KINDS = ['first', 'follow_up', 'final'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];
/** The seed's out-of-scope conditions: a language/runtime version upgrade; no virus check (e.g. work on a local PC). */
export const OUT_OF_SCOPE_CONDITIONS = ['version_upgrade', 'no_virus_check', 'other'] as const;
export const LINK_KINDS = ['risk', 'change_request', 'incident'] as const;
/** Custody entries a person records by hand; `collected`, `shared`, `unshared`, `verified`, `verify_failed` are written by the desk. */
export const MANUAL_CUSTODY_ACTIONS = ['transferred', 'examined', 'copied', 'returned'] as const;
export const CUSTODY_ACTIONS = ['collected', 'shared', 'unshared', 'verified', 'verify_failed', ...MANUAL_CUSTODY_ACTIONS] as const;

/** Which statuses each command leaves from (the service refuses the rest with security_incident.invalid_transition). */
export const SECURITY_TRANSITIONS: Record<Exclude<SecurityCommand, 'recognize'>, { from: readonly SecurityStatus[]; to: SecurityStatus }> = {
  contain: { from: ['open'], to: 'contained' },
  'remove-threat': { from: ['open', 'contained'], to: 'threat_removed' },
  close: { from: ['open', 'contained', 'threat_removed'], to: 'closed' },
};

export const SecurityKindSchema = z.enum(SECURITY_KINDS)
  .describe('tampering 情報改ざん / malware ウィルス検知 / unauthorized_access 不正アクセス / data_leak 情報漏えい / vulnerability 脆弱性 / other');

const Who = z.object({ id: Id, name: z.string().nullable() }).meta({ id: 'SecurityWho' });
export const RecordedInstant = z.object({ at: Instant, by: Who }).nullable().meta({ id: 'SecurityRecordedInstant' });

export const ReportClockSchema = z.object({
  target: slaTargetSchema,
  clock: z.enum(['calendar', 'business']),
  startsAt: Instant.nullable().describe('discovery'),
  dueAt: Instant.nullable(),
  atRiskAt: Instant.nullable(),
  metAt: Instant.nullable().describe('the first report'),
  state: z.enum(['pending', 'ok', 'atRisk', 'breached', 'met', 'metLate']),
  excluded: z.boolean().describe('out of scope: the clock does not run'),
}).meta({ id: 'SecurityReportClock' });

export const SecurityIncident = z.object({
  id: Id,
  number: z.number().int(),
  contractId: Id,
  clientId: Id,
  systemId: Id.nullable(),
  kind: SecurityKindSchema,
  title: z.string(),
  status: z.enum(SECURITY_STATUSES),
  personalData: z.boolean(),
  inScope: z.boolean(),
  discoveredAt: Instant.nullable(),
  reportedAt: Instant.nullable(),
  reportClock: ReportClockSchema,
  timeZone: z.string().describe('the contract calendar\'s zone: the times and the reminder dates read in it'),
  createdAt: Instant,
  updatedAt: Instant,
}).meta({ id: 'SecurityIncident' });

export const SecurityTimelineEntry = z.object({
  id: Id,
  at: Instant,
  recordedAt: Instant,
  kind: z.enum(['action', 'transition', 'report', 'evidence', 'scope', 'sla', 'link', 'change']),
  visibility: z.enum(['public', 'internal']),
  author: Who.nullable(),
  event: z.string().nullable().describe('what the desk recorded (created, contain, report.first, scope.out, sla.breached, …); null for a free action'),
  params: z.record(z.string(), z.string()).describe('details of the event (a scope condition, a report number, a link target)'),
  body: z.string().describe('the note or action text'),
}).meta({ id: 'SecurityTimelineEntry' });

export const SecurityReport = z.object({
  id: Id,
  kind: z.enum(REPORT_KINDS).describe('first 第一報 / follow_up 続報 / final 最終報告'),
  seq: z.number().int(),
  title: z.string(),
  body: z.string(),
  issuedAt: Instant,
  issuedBy: Who,
  /** The record as it stood when the report was issued. */
  snapshot: z.object({
    status: z.enum(SECURITY_STATUSES),
    instants: z.record(z.string(), Instant.nullable()),
    inScope: z.boolean(),
  }),
  reads: z.array(z.object({ by: Who, at: Instant })).describe('who of the client read it in the portal (a contact sees only their own read)'),
  deliveries: z.array(MailDelivery).describe('the e-mail of the report per recipient, as the SMTP server answered (staff only; empty for contacts)'),
}).meta({ id: 'SecurityReport' });

export const SecurityCustodyEntry = z.object({
  id: Id, at: Instant, by: Who, action: z.enum(CUSTODY_ACTIONS), note: z.string(),
}).meta({ id: 'SecurityCustodyEntry' });

export const SecurityEvidence = z.object({
  id: Id,
  fileName: z.string(),
  mediaType: z.string(),
  sizeBytes: z.number().int(),
  sha256: z.string().describe('hex SHA-256 of the bytes as collected; checked again on every download'),
  description: z.string(),
  shared: z.boolean().describe('the client\'s contacts may see and download it'),
  uploadedAt: Instant,
  uploadedBy: Who,
  custody: z.array(SecurityCustodyEntry).describe('chain of custody (empty for contacts)'),
}).meta({ id: 'SecurityEvidence' });

export const SecurityLink = z.object({
  id: Id, kind: z.enum(LINK_KINDS), targetId: z.string(), note: z.string(), createdAt: Instant, createdBy: Who,
}).meta({ id: 'SecurityLink' });

export const RegulatoryRemindersSchema = z.object({
  obligation: z.literal('client').describe('the client (委託元) files with the regulator, not the vendor'),
  countedFrom: IsoDate,
  preliminaryFrom: IsoDate,
  preliminaryBy: IsoDate,
  finalBy: IsoDate,
  finalDays: z.union([z.literal(30), z.literal(60)]),
}).meta({ id: 'SecurityRegulatoryReminders' });

export const SecurityIncidentDetail = SecurityIncident.extend({
  description: z.string(),
  instants: z.object(Object.fromEntries(SECURITY_INSTANTS.map((k) => [k, RecordedInstant])) as Record<SecurityInstant, typeof RecordedInstant>),
  scope: z.object({
    inScope: z.boolean(),
    condition: z.enum(OUT_OF_SCOPE_CONDITIONS).nullable(),
    reason: z.string().nullable(),
    decidedAt: Instant.nullable(),
    decidedBy: Who.nullable(),
  }),
  regulatory: RegulatoryRemindersSchema.nullable().describe('only when personal data is involved'),
  timeline: z.array(SecurityTimelineEntry),
  reports: z.array(SecurityReport),
  evidence: z.array(SecurityEvidence).describe('a contact sees only evidence shared with them'),
  links: z.array(SecurityLink),
  commands: z.array(z.enum(SECURITY_COMMANDS)).describe('the commands the current status allows (empty for contacts)'),
}).meta({ id: 'SecurityIncidentDetail' });

export const SecurityIncidentList = z.object({ items: z.array(SecurityIncident) });

export const SecurityIncidentQuery = z.object({
  status: z.enum(SECURITY_STATUSES).optional(),
  open: z.enum(['true', 'false']).optional().describe('true: not closed'),
  contractId: Id.optional(),
  clientId: Id.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});

const longText = Text.trim().max(100_000);

export const CreateSecurityIncidentBody = z.strictObject({
  contractId: Id,
  kind: SecurityKindSchema,
  title: Text.trim().min(1).max(200),
  description: longText.optional(),
  systemId: Id.optional(),
  personalData: z.boolean().optional(),
  occurredAt: Instant.optional().describe('when it happened, if known'),
  discoveredAt: Instant.optional().describe('when it was found (default: now); the report clock counts from it'),
});

export const UpdateSecurityIncidentBody = z.strictObject({
  kind: SecurityKindSchema.optional(),
  title: Text.trim().min(1).max(200).optional(),
  description: longText.optional(),
  systemId: Id.nullable().optional(),
  personalData: z.boolean().optional(),
  occurredAt: Instant.nullable().optional(),
  discoveredAt: Instant.optional(),
});

export const SecurityCommandBody = z.strictObject({
  note: Text.trim().max(10_000).optional().describe('what was done (a public timeline entry)'),
  at: Instant.optional().describe('when it happened, if earlier than now'),
});

export const SecurityScopeBody = z.strictObject({
  inScope: z.boolean(),
  condition: z.enum(OUT_OF_SCOPE_CONDITIONS).optional().describe('required when out of scope'),
  reason: Text.trim().max(2000).optional().describe('required when out of scope'),
}).superRefine((v, ctx) => {
  if (v.inScope !== false) return;
  if (!v.condition) ctx.addIssue({ code: 'custom', path: ['condition'], params: rule('required_out_of_scope') });
  if (!(typeof v.reason === 'string' && v.reason.trim())) ctx.addIssue({ code: 'custom', path: ['reason'], params: rule('required_out_of_scope') });
}, { when: (p) => typeof p.value === 'object' && p.value !== null });

export const SecurityActionBody = z.strictObject({
  body: Text.trim().min(1).max(100_000),
  visibility: z.enum(['public', 'internal']).default('internal').describe('public: the client sees it'),
  at: Instant.optional().describe('when it was done, if earlier than now'),
});

export const IssueReportBody = z.strictObject({
  kind: z.enum(REPORT_KINDS),
  title: Text.trim().min(1).max(200),
  body: Text.trim().min(1).max(100_000),
});

/** Up to 10 MB of evidence, base64 in JSON (the route's body limit allows for the encoding). */
export const EVIDENCE_MAX_BYTES = 10 * 1024 * 1024;
export const UploadEvidenceBody = z.strictObject({
  fileName: Text.trim().min(1).max(255).refine((s) => !/[/\\]/.test(s), { params: rule('text') }),
  mediaType: z.string().regex(/^[\w.+-]+\/[\w.+-]+$/).max(127).default('application/octet-stream'),
  contentBase64: z.base64().min(1).max(Math.ceil(EVIDENCE_MAX_BYTES / 3) * 4),
  description: Text.trim().max(2000).optional(),
  shared: z.boolean().optional(),
});
export const ShareEvidenceBody = z.strictObject({ shared: z.boolean() });
export const CustodyBody = z.strictObject({ action: z.enum(MANUAL_CUSTODY_ACTIONS), note: Text.trim().min(1).max(2000) });
export const LinkBody = z.strictObject({
  kind: z.enum(LINK_KINDS).describe('what the security incident led to or came from (a risk, a change request, an incident)'),
  targetId: Id,
  note: Text.trim().max(2000).optional(),
});

export const EvidenceParams = z.object({ id: Id, evidenceId: Id });
export const ReportParams = z.object({ id: Id, reportId: Id });
