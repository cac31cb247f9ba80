/**
 * The risk register (リスク管理, issue 14): the vocabulary, the scoring criteria document and
 * every request and response shape of /risks and /risk-criteria. Scoring itself is pure and
 * lives in src/core/risk/scoring.ts; the web and the server use both.
 */
import { z } from 'zod';
import { criteriaProblems, RISK_LEVELS, type RiskCriteria } from '../core/risk/scoring.ts';
import { Id, Instant, IsoDate, Text } from './common.ts';
import { rule } from './errors.ts';

export { DEFAULT_RISK_CRITERIA, RISK_LEVELS, heatMap, levelOf, rate, reviewState } from '../core/risk/scoring.ts';
export type { RiskCriteria, RiskLevel as RiskLevelName, ReviewState } from '../core/risk/scoring.ts';

export const RiskLevel = z.enum(RISK_LEVELS);
export const RISK_CATEGORIES = ['availability', 'security', 'performance', 'data', 'compliance', 'capacity', 'vendor', 'operational', 'other'] as const;
export const RiskCategory = z.enum(RISK_CATEGORIES);
/** Where a risk came from: identified by the vendor, raised by the client, or out of an incident, a change or a security incident. */
export const RISK_SOURCES = ['vendor', 'client', 'incident', 'change_request', 'security_incident'] as const;
export const RiskSource = z.enum(RISK_SOURCES);
export const RISK_TREATMENTS = ['mitigate', 'accept', 'transfer', 'avoid'] as const;
export const RiskTreatment = z.enum(RISK_TREATMENTS);
export const RiskStatus = z.enum(['open', 'closed']);
export const CONTROL_STATUSES = ['planned', 'in_progress', 'done', 'cancelled'] as const;
export const ControlStatus = z.enum(CONTROL_STATUSES);
/** What a risk may be linked to: a record of the target module, of the risk's client, the caller may see. */
export const RISK_LINK_KINDS = ['incident', 'change_request', 'security_incident'] as const;
export const RiskLinkKind = z.enum(RISK_LINK_KINDS);
export const ReviewStateEnum = z.enum(['none', 'ok', 'due', 'overdue']);

// ---- criteria ----

const ScaleStep = z.strictObject({
  value: z.number().int().min(1).max(10),
  ja: Text.trim().min(1).max(40),
  en: Text.trim().min(1).max(40),
});

export const RiskCriteriaDocument = z
  .strictObject({
    likelihood: z.array(ScaleStep).min(2).max(10),
    impact: z.array(ScaleStep).min(2).max(10),
    levels: z.array(z.strictObject({
      level: RiskLevel,
      minScore: z.number().int().min(1).max(100),
      reviewDays: z.number().int().min(1).max(730),
    })).min(1).max(4),
    overdueAfterDays: z.number().int().min(1).max(365),
  })
  .superRefine((doc, ctx) => {
    for (const p of criteriaProblems(doc as RiskCriteria)) ctx.addIssue({ code: 'custom', path: p.path, params: rule(p.rule) });
  })
  .meta({ id: 'RiskCriteriaDocument' });

export const RiskCriteriaVersion = z
  .object({
    version: z.number().int(),
    current: z.boolean().describe('the version new scores are taken on'),
    document: RiskCriteriaDocument,
    note: z.string(),
    createdBy: z.string(),
    createdAt: Instant,
  })
  .meta({ id: 'RiskCriteriaVersion' });

export const CreateRiskCriteriaBody = z.strictObject({
  document: RiskCriteriaDocument,
  note: Text.max(2000).optional(),
});

export const VersionParams = z.object({ version: z.coerce.number().int().min(1) });

// ---- risks ----

export const RatingBody = z.strictObject({
  likelihood: z.number().int().min(1).max(10),
  impact: z.number().int().min(1).max(10),
});

export const Rating = z.object({
  likelihood: z.number().int(),
  impact: z.number().int(),
  score: z.number().int(),
  level: RiskLevel,
}).meta({ id: 'RiskRating' });

export const RiskReview = z.object({
  nextReviewAt: Instant.nullable(),
  overdueAt: Instant.nullable(),
  lastReviewedAt: Instant.nullable(),
  state: ReviewStateEnum.describe('due from nextReviewAt; overdue (escalated to admins) from overdueAt'),
  escalatedAt: Instant.nullable(),
}).meta({ id: 'RiskReview' });

export const Risk = z
  .object({
    id: Id,
    number: z.number().int(),
    clientId: Id,
    contractId: Id,
    title: z.string(),
    description: z.string(),
    affectedSystemIds: z.array(Id),
    category: RiskCategory,
    source: RiskSource,
    sourceKind: z.string().nullable().describe('for a risk opened from another record: its kind (incident, change_request, security_incident)'),
    sourceId: z.string().nullable(),
    ownerId: Id,
    ownerName: z.string(),
    status: RiskStatus,
    treatment: RiskTreatment,
    criteriaVersion: z.number().int().describe('the criteria version both scores were taken on; a later version never rescales them'),
    scoreRevision: z.number().int().describe('bumped by every score change; an acceptance names the revision it accepted'),
    inherent: Rating,
    residual: Rating.nullable(),
    review: RiskReview,
    closedAt: Instant.nullable(),
    closeReason: z.string().nullable(),
    createdAt: Instant,
    updatedAt: Instant,
  })
  .meta({ id: 'Risk' });

export const RiskControl = z
  .object({
    id: Id,
    riskId: Id,
    title: z.string(),
    description: z.string(),
    ownerId: Id,
    ownerName: z.string(),
    dueOn: IsoDate.nullable(),
    status: ControlStatus,
    revision: z.number().int(),
    presentedAt: Instant.nullable().describe('when it was presented to the client (提示); a contact sees only presented controls'),
    acknowledgedAt: Instant.nullable(),
    acknowledgedBy: z.string().nullable(),
    acknowledgedName: z.string().nullable(),
    acknowledgedRevision: z.number().int().nullable().describe('the revision the contact acknowledged; older than `revision` = changed since'),
    createdAt: Instant,
    updatedAt: Instant,
  })
  .meta({ id: 'RiskControl' });

export const RiskAcceptance = z
  .object({
    id: Id,
    acceptedBy: z.string(),
    acceptedName: z.string(),
    acceptedAt: Instant,
    expiresOn: IsoDate,
    expiresAt: Instant,
    criteriaVersion: z.number().int(),
    scoreRevision: z.number().int(),
    residual: Rating,
    note: z.string(),
    state: z.enum(['active', 'expired', 'superseded']).describe('superseded = the residual score changed since it was accepted'),
  })
  .meta({ id: 'RiskAcceptance' });

export const RiskScoreChange = z
  .object({
    revision: z.number().int(),
    at: Instant,
    actorId: z.string(),
    criteriaVersion: z.number().int(),
    inherent: Rating,
    residual: Rating.nullable(),
    reason: z.string(),
  })
  .meta({ id: 'RiskScoreChange' });

export const RiskMessage = z
  .object({
    id: Id,
    at: Instant,
    authorId: z.string(),
    authorName: z.string(),
    authorRole: z.string(),
    internal: z.boolean().describe('an internal note (staff only; never shown to a contact)'),
    body: z.string(),
  })
  .meta({ id: 'RiskMessage' });

export const RiskLink = z
  .object({ id: Id, kind: RiskLinkKind, targetId: z.string(), createdAt: Instant })
  .meta({ id: 'RiskLink' });

export const RiskDetail = Risk.extend({
  criteria: RiskCriteriaDocument.describe('the criteria version the risk was scored on (its scale and level names)'),
  controls: z.array(RiskControl),
  acceptances: z.array(RiskAcceptance),
  history: z.array(RiskScoreChange),
  messages: z.array(RiskMessage),
  links: z.array(RiskLink),
}).meta({ id: 'RiskDetail' });

export const RiskList = z.object({ items: z.array(Risk) });

export const RiskQuery = z.object({
  clientId: Id.optional(),
  contractId: Id.optional(),
  status: RiskStatus.optional(),
  level: RiskLevel.optional(),
  review: z.enum(['due', 'overdue']).optional().describe('only risks whose review is due (or overdue) / only overdue ones'),
});

export const HeatMapQuery = RiskQuery.pick({ clientId: true, contractId: true }).extend({
  version: z.coerce.number().int().min(1).optional().describe('criteria version (default: the current one); risks of other versions are counted under theirs'),
  of: z.enum(['inherent', 'residual']).default('residual').describe('residual falls back to inherent for a risk without a residual score'),
});

export const HeatMap = z.object({
  criteriaVersion: z.number().int(),
  criteria: RiskCriteriaDocument,
  cells: z.array(z.object({ likelihood: z.number().int(), impact: z.number().int(), score: z.number().int(), level: RiskLevel, count: z.number().int() })),
  otherVersions: z.array(z.object({ version: z.number().int(), count: z.number().int() })).describe('open risks scored on other versions (not in these cells)'),
}).meta({ id: 'RiskHeatMap' });

export const CreateRiskBody = z.strictObject({
  contractId: Id,
  title: Text.trim().min(1).max(200),
  description: Text.max(10_000).optional(),
  affectedSystemIds: z.array(Id).max(50).optional(),
  category: RiskCategory,
  source: RiskSource,
  sourceId: Text.max(64).optional().describe('the incident / change request / security incident it came from'),
  ownerId: Id.describe('a staff user (admin or agent)'),
  treatment: RiskTreatment.optional(),
  inherent: RatingBody,
  residual: RatingBody.optional(),
});

export const UpdateRiskBody = z.strictObject({
  title: Text.trim().min(1).max(200).optional(),
  description: Text.max(10_000).optional(),
  affectedSystemIds: z.array(Id).max(50).optional(),
  category: RiskCategory.optional(),
  ownerId: Id.optional(),
  treatment: RiskTreatment.optional(),
});

export const RescoreBody = z.strictObject({
  inherent: RatingBody,
  residual: RatingBody.nullable().optional().describe('null removes the residual rating; omitted keeps it (rated again on the current criteria)'),
  reason: Text.trim().min(1).max(2000),
});

export const CloseRiskBody = z.strictObject({ reason: Text.trim().min(1).max(2000) });
export const ReviewBody = z.strictObject({ note: Text.max(2000).optional() });

export const CreateControlBody = z.strictObject({
  title: Text.trim().min(1).max(200),
  description: Text.max(10_000).optional(),
  ownerId: Id,
  dueOn: IsoDate.optional(),
  present: z.boolean().optional().describe('present it to the client at once'),
});

export const UpdateControlBody = z.strictObject({
  title: Text.trim().min(1).max(200).optional(),
  description: Text.max(10_000).optional(),
  ownerId: Id.optional(),
  dueOn: IsoDate.nullable().optional(),
  status: ControlStatus.optional(),
});

export const ControlParams = z.object({ id: Id, controlId: Id });
export const LinkParams = z.object({ id: Id, linkId: Id });

export const AcceptBody = z.strictObject({
  expiresOn: IsoDate.describe('the last day the acceptance holds (Asia/Tokyo); must be after today'),
  note: Text.max(2000).optional(),
});

export const RiskMessageBody = z.strictObject({
  body: Text.trim().min(1).max(10_000),
  internal: z.boolean().optional().describe('an internal note (staff only)'),
});

export const LinkBody = z.strictObject({ kind: RiskLinkKind, targetId: Id });
