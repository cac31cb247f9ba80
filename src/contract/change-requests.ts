/**
 * Change requests (変更要求, SPEC §6): the vocabulary, the API's shapes and the two
 * pure rules server and web share — the tax of a proposal and the canonical text of a
 * proposal version whose SHA-256 an approval records.
 */
import { z } from 'zod';
import { slaTargetSchema } from '../core/sla/target.ts';
import { crossFieldWhen, Id, Instant, IsoDate, Text } from './common.ts';
import { rule } from './errors.ts';

export const CHANGE_STATUSES = [
  'requested', 'needs_clarification', 'feasible', 'not_feasible', 'proposal_sent', 'approved', 'rejected',
  'scheduled', 'in_progress', 'awaiting_confirmation', 'failed', 'backed_out', 'closed', 'withdrawn',
] as const;
export type ChangeStatus = (typeof CHANGE_STATUSES)[number];
/** The statuses where nothing more happens. */
export const FINAL_CHANGE_STATUSES: readonly ChangeStatus[] = ['not_feasible', 'closed', 'withdrawn'];
export const OPEN_CHANGE_STATUSES: readonly ChangeStatus[] = CHANGE_STATUSES.filter((s) => !FINAL_CHANGE_STATUSES.includes(s));

/** How the request reached the desk: the portal, a call logged by an agent, the API, or an incident converted. */
export const CHANGE_CHANNELS = ['portal', 'phone', 'api', 'incident'] as const;
export const EFFORT_UNITS = ['hours', 'person_days'] as const;
export const PROPOSAL_STATUSES = ['draft', 'sent', 'superseded'] as const;
export const APPROVAL_DECISIONS = ['approved', 'rejected'] as const;
export const FINISH_OUTCOMES = ['done', 'failed', 'backed_out'] as const;
export const FEASIBILITY_STATES = ['pending', 'ok', 'atRisk', 'breached', 'met', 'metLate', 'paused'] as const;

export const ChangeStatusSchema = z.enum(CHANGE_STATUSES);
export const DEFAULT_TAX_RATE_PERCENT = 10;

/** Japanese consumption tax on an amount, rounded down to the yen (端数切り捨て). */
export const taxOf = (amountJpy: number, ratePercent: number): number => Math.floor((amountJpy * ratePercent) / 100);

/** What an approval is given on: every field the client sees of one version, in a fixed order. */
export interface ProposalContent {
  changeRequestId: string;
  version: number;
  effortAmount: number;
  effortUnit: string;
  amountJpy: number;
  taxRatePercent: number;
  taxJpy: number;
  plan: string;
  impact: string;
  backout: string;
  windowStartsAt: string | null;
  windowEndsAt: string | null;
  affectsService: boolean;
  validUntil: string;
}

/** The exact text whose SHA-256 is the version's contentHash (keys in this order, JSON). */
export function proposalCanonical(p: ProposalContent): string {
  return JSON.stringify([
    'hoshu.change-proposal.v1', p.changeRequestId, p.version, p.effortAmount, p.effortUnit, p.amountJpy, p.taxRatePercent,
    p.taxJpy, p.plan, p.impact, p.backout, p.windowStartsAt, p.windowEndsAt, p.affectsService, p.validUntil,
  ]);
}

// ---- responses ----

export const ChangeProposal = z
  .object({
    id: Id,
    version: z.number().int(),
    status: z.enum(PROPOSAL_STATUSES).describe('draft = the desk is writing it; sent = the client may decide on it; superseded = a newer version was sent'),
    effortAmount: z.number(),
    effortUnit: z.enum(EFFORT_UNITS),
    amountJpy: z.number().int().describe('cost without tax (税抜), yen'),
    taxRatePercent: z.number().int(),
    taxJpy: z.number().int().describe('consumption tax, yen'),
    totalJpy: z.number().int().describe('amount + tax'),
    plan: z.string(),
    impact: z.string().describe('impact on the system and its users'),
    backout: z.string().describe('backout plan'),
    windowStartsAt: Instant.nullable(),
    windowEndsAt: Instant.nullable(),
    affectsService: z.boolean().describe('the work stops or affects the service: scheduling creates a planned maintenance window'),
    validUntil: IsoDate,
    contentHash: z.string().nullable().describe('SHA-256 (hex) of the version as the client sees it; set when sent'),
    sentAt: Instant.nullable(),
    createdAt: Instant,
  })
  .meta({ id: 'ChangeProposal' });

export const ChangeApproval = z
  .object({
    id: Id,
    proposalId: Id,
    version: z.number().int(),
    decision: z.enum(APPROVAL_DECISIONS),
    comment: z.string(),
    decidedBy: z.object({ userId: Id, contactId: Id.nullable(), name: z.string() }),
    decidedAt: Instant,
    contentHash: z.string().describe('SHA-256 of the exact version shown to the approver'),
    voidedAt: Instant.nullable().describe('a later version voided this approval'),
    voidReason: z.string().nullable(),
    voidedByVersion: z.number().int().nullable().describe('the version whose proposal voided this approval'),
  })
  .meta({ id: 'ChangeApproval' });

export const ChangeEvent = z
  .object({
    id: Id,
    at: Instant,
    kind: z.string().describe('created, a lifecycle command, comment, feasibility.atRisk / feasibility.breached'),
    actorId: z.string(),
    actorName: z.string().nullable(),
    body: z.string(),
    data: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'ChangeEvent' });

export const FeasibilityTarget = z
  .object({
    target: slaTargetSchema,
    dueAt: Instant.nullable(),
    atRiskAt: Instant.nullable(),
    metAt: Instant.nullable(),
    state: z.enum(FEASIBILITY_STATES),
  })
  .meta({ id: 'FeasibilityTarget' });

export const ChangeConflict = z
  .object({
    kind: z.enum(['maintenance', 'change_request']),
    id: Id,
    title: z.string(),
    number: z.number().int().nullable(),
    startsAt: Instant,
    endsAt: Instant,
  })
  .meta({ id: 'ChangeConflict' });

export const ChangeRequest = z
  .object({
    id: Id,
    number: z.number().int(),
    contractId: Id,
    clientId: Id,
    systemIds: z.array(Id),
    title: z.string(),
    description: z.string(),
    reason: z.string().describe('the business need'),
    desiredDate: IsoDate.nullable(),
    channel: z.enum(CHANGE_CHANNELS),
    requestedBy: z.object({ userId: Id.nullable(), contactId: Id.nullable(), name: z.string().nullable(), staff: z.boolean() }),
    sourceIncidentId: Id.nullable(),
    status: ChangeStatusSchema,
    receivedAt: Instant,
    feasibility: z.enum(['feasible', 'not_feasible']).nullable(),
    feasibilityReason: z.string().nullable(),
    feasibilityAt: Instant.nullable(),
    feasibilityTarget: FeasibilityTarget.nullable().describe('the SLA policy\'s target for the feasibility answer, on the contract\'s calendar'),
    currentProposal: z.object({ version: z.number().int(), totalJpy: z.number().int(), amountJpy: z.number().int() }).nullable(),
    windowStartsAt: Instant.nullable(),
    windowEndsAt: Instant.nullable(),
    maintenanceWindowId: Id.nullable(),
    scheduledAt: Instant.nullable(),
    startedAt: Instant.nullable(),
    finishedAt: Instant.nullable(),
    outcome: z.enum(FINISH_OUTCOMES).nullable(),
    actualEffortAmount: z.number().nullable(),
    resultNotes: z.string().nullable(),
    confirmationDueAt: Instant.nullable().describe('closes itself at this instant unless the client confirms (検収) first'),
    confirmedAt: Instant.nullable(),
    autoClosed: z.boolean(),
    closedAt: Instant.nullable(),
    createdAt: Instant,
    updatedAt: Instant,
  })
  .meta({ id: 'ChangeRequest' });

export const ChangeRequestDetail = ChangeRequest.extend({
  proposals: z.array(ChangeProposal).describe('newest first; a contact sees only sent versions'),
  approvals: z.array(ChangeApproval).describe('the approval trail, oldest first'),
  timeline: z.array(ChangeEvent),
  conflicts: z.array(ChangeConflict).describe('maintenance and other changes of the contract in the same window'),
  mayApprove: z.boolean().describe('the caller is the designated contact (or an allowed deputy) and may decide now'),
  commands: z.array(z.string()).describe('the lifecycle commands the caller may give now'),
}).meta({ id: 'ChangeRequestDetail' });

export const ChangeRequestList = z.object({ items: z.array(ChangeRequest), total: z.number().int() });

export const ChangeSettings = z
  .object({
    contractId: Id,
    deputiesMayApprove: z.boolean(),
    confirmationBusinessDays: z.number().int().describe('the change closes itself at the end of this business day after "done" unless the client confirms'),
  })
  .meta({ id: 'ChangeSettings' });

// ---- requests ----

export const ChangeRequestQuery = z.object({
  status: z.union([ChangeStatusSchema, z.array(ChangeStatusSchema)]).optional(),
  open: z.enum(['true', 'false']).optional(),
  contractId: Id.optional(),
  clientId: Id.optional(),
  q: Text.max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

export const CreateChangeRequestBody = z.strictObject({
  contractId: Id,
  systemIds: z.array(Id).max(50).default([]),
  title: Text.trim().min(1).max(200),
  description: Text.max(20_000).default(''),
  reason: Text.max(10_000).default('').describe('reason / business need'),
  desiredDate: IsoDate.nullable().optional(),
  channel: z.enum(['portal', 'phone', 'api']).optional().describe('staff: phone (a call) or api; a contact files through the portal'),
  requesterContactId: Id.nullable().optional().describe('staff: the contact who asked (e.g. on the phone)'),
  receivedAt: Instant.optional().describe('staff: when the call came in (default now)'),
});

export const FromIncidentBody = z.strictObject({
  incidentId: Id,
  reason: Text.max(10_000).optional(),
  desiredDate: IsoDate.nullable().optional(),
});

export const TextBody = z.strictObject({ text: Text.trim().min(1).max(10_000) });
export const OptionalTextBody = z.strictObject({ text: Text.trim().max(10_000).optional() });

const proposalFields = {
  effortAmount: z.number().positive().max(100_000).multipleOf(0.01),
  effortUnit: z.enum(EFFORT_UNITS),
  amountJpy: z.number().int().min(0).max(100_000_000_000).describe('cost without tax, yen'),
  taxRatePercent: z.number().int().min(0).max(100).default(DEFAULT_TAX_RATE_PERCENT),
  plan: Text.trim().min(1).max(20_000),
  impact: Text.trim().min(1).max(20_000),
  backout: Text.trim().min(1).max(20_000),
  windowStartsAt: Instant.nullable().optional(),
  windowEndsAt: Instant.nullable().optional(),
  affectsService: z.boolean().default(true),
  validUntil: IsoDate,
};
const windowOrder = (v: Record<string, unknown>, ctx: z.RefinementCtx) => {
  const s = v.windowStartsAt;
  const e = v.windowEndsAt;
  if ((typeof s === 'string') !== (typeof e === 'string')) {
    ctx.addIssue({ code: 'custom', path: [typeof s === 'string' ? 'windowEndsAt' : 'windowStartsAt'], params: rule('required') });
  } else if (typeof s === 'string' && typeof e === 'string' && !(Date.parse(e) > Date.parse(s))) {
    ctx.addIssue({ code: 'custom', path: ['windowEndsAt'], params: rule('after_start') });
  }
};
export const ProposalBody = z
  .strictObject({ ...proposalFields, send: z.boolean().default(false).describe('send at once (the version becomes immutable)') })
  .superRefine(windowOrder, crossFieldWhen);
export const UpdateProposalBody = z
  .strictObject({
    effortAmount: proposalFields.effortAmount.optional(),
    effortUnit: proposalFields.effortUnit.optional(),
    amountJpy: proposalFields.amountJpy.optional(),
    taxRatePercent: z.number().int().min(0).max(100).optional(),
    plan: proposalFields.plan.optional(),
    impact: proposalFields.impact.optional(),
    backout: proposalFields.backout.optional(),
    windowStartsAt: Instant.nullable().optional(),
    windowEndsAt: Instant.nullable().optional(),
    affectsService: z.boolean().optional(),
    validUntil: IsoDate.optional(),
  })
  .superRefine(windowOrder, crossFieldWhen);
export const VersionParams = z.object({ id: Id, version: z.coerce.number().int().min(1).max(10_000) });

export const DecisionBody = z.strictObject({
  version: z.number().int().min(1).describe('the version shown to the client'),
  contentHash: z.string().regex(/^[0-9a-f]{64}$/).describe('the contentHash of the version shown'),
  comment: Text.trim().max(10_000).default(''),
});

export const ScheduleBody = z
  .strictObject({
    startsAt: Instant,
    endsAt: Instant,
    affectsService: z.boolean().optional().describe('default: what the approved proposal says'),
    systemId: Id.nullable().optional().describe('the maintenance window\'s system (null = every system of the contract)'),
    emergencyReason: Text.trim().max(2000).nullable().optional().describe('an urgent fix announced inside the notice period'),
  })
  .superRefine((v, ctx) => {
    if (typeof v.startsAt === 'string' && typeof v.endsAt === 'string' && !(Date.parse(v.endsAt) > Date.parse(v.startsAt))) {
      ctx.addIssue({ code: 'custom', path: ['endsAt'], params: rule('after_start') });
    }
  }, crossFieldWhen);

export const FinishBody = z.strictObject({
  outcome: z.enum(FINISH_OUTCOMES),
  actualEffortAmount: z.number().min(0).max(100_000).multipleOf(0.01).describe('in the unit of the approved proposal\'s estimate'),
  resultNotes: Text.trim().min(1).max(20_000).describe('what was done, as the client reads it'),
});

export const CommentBody = z.strictObject({ body: Text.trim().min(1).max(20_000) });

export const ConflictQuery = z.object({ startsAt: Instant, endsAt: Instant });

export const UpdateChangeSettingsBody = z.strictObject({
  deputiesMayApprove: z.boolean().optional(),
  confirmationBusinessDays: z.number().int().min(1).max(60).optional(),
});
