/** Risk rows → API shapes (src/contract/risks.ts). */
import type { z } from 'zod';
import { reviewOverdueAt, reviewState, type RiskCriteria, type RiskLevel } from '../../core/risk/scoring.ts';
import { toIso, toIsoOrNull } from '../../contract/common.ts';
import type {
  Risk, RiskAcceptance, RiskControl, RiskCriteriaVersion, RiskLink, RiskMessage, RiskScoreChange,
} from '../../contract/risks.ts';
import type * as repo from './risk.repository.ts';

type Names = ReadonlyMap<string, string>;
type Out<T extends z.ZodType> = z.infer<T>;

const rating = (l: number, i: number, score: number, level: string) => ({ likelihood: l, impact: i, score, level: level as RiskLevel });
const residualOf = (r: { residualLikelihood: number | null; residualImpact: number | null; residualScore: number | null; residualLevel: string | null }) =>
  r.residualLikelihood !== null && r.residualImpact !== null && r.residualScore !== null && r.residualLevel !== null
    ? rating(r.residualLikelihood, r.residualImpact, r.residualScore, r.residualLevel)
    : null;

export function presentRisk(r: repo.RiskRow, criteria: RiskCriteria, names: Names, now: number): Out<typeof Risk> {
  const state = r.status === 'open' ? reviewState(criteria, r.nextReviewAt, now) : 'none';
  return {
    id: r.id,
    number: r.number,
    clientId: r.clientId,
    contractId: r.contractId,
    title: r.title,
    description: r.description,
    affectedSystemIds: JSON.parse(r.affectedSystemIds) as string[],
    category: r.category as Out<typeof Risk>['category'],
    source: r.source as Out<typeof Risk>['source'],
    sourceKind: r.sourceKind,
    sourceId: r.sourceId,
    ownerId: r.ownerId,
    ownerName: names.get(r.ownerId) ?? '',
    status: r.status as Out<typeof Risk>['status'],
    treatment: r.treatment as Out<typeof Risk>['treatment'],
    criteriaVersion: r.criteriaVersion,
    scoreRevision: r.scoreRevision,
    inherent: rating(r.inherentLikelihood, r.inherentImpact, r.inherentScore, r.inherentLevel),
    residual: residualOf(r),
    review: {
      nextReviewAt: r.status === 'open' ? toIsoOrNull(r.nextReviewAt) : null,
      overdueAt: r.status === 'open' && r.nextReviewAt !== null ? toIso(reviewOverdueAt(criteria, r.nextReviewAt)) : null,
      lastReviewedAt: toIsoOrNull(r.lastReviewedAt),
      state,
      escalatedAt: r.status === 'open' ? toIsoOrNull(r.reviewOverdueFiredAt) : null,
    },
    closedAt: toIsoOrNull(r.closedAt),
    closeReason: r.closeReason,
    createdAt: toIso(r.createdAt),
    updatedAt: toIso(r.updatedAt),
  };
}

export const presentControl = (c: repo.ControlRow, names: Names): Out<typeof RiskControl> => ({
  id: c.id,
  riskId: c.riskId,
  title: c.title,
  description: c.description,
  ownerId: c.ownerId,
  ownerName: names.get(c.ownerId) ?? '',
  dueOn: c.dueOn,
  status: c.status as Out<typeof RiskControl>['status'],
  revision: c.revision,
  presentedAt: toIsoOrNull(c.presentedAt),
  acknowledgedAt: toIsoOrNull(c.acknowledgedAt),
  acknowledgedBy: c.acknowledgedBy,
  acknowledgedName: c.acknowledgedName,
  acknowledgedRevision: c.acknowledgedRevision,
  createdAt: toIso(c.createdAt),
  updatedAt: toIso(c.updatedAt),
});

export const presentAcceptance = (a: repo.AcceptanceRow, risk: Pick<repo.RiskRow, 'scoreRevision'>, now: number): Out<typeof RiskAcceptance> => ({
  id: a.id,
  acceptedBy: a.acceptedBy,
  acceptedName: a.acceptedName,
  acceptedAt: toIso(a.acceptedAt),
  expiresOn: a.expiresOn,
  expiresAt: toIso(a.expiresAt),
  criteriaVersion: a.criteriaVersion,
  scoreRevision: a.scoreRevision,
  residual: rating(a.residualLikelihood, a.residualImpact, a.residualScore, a.residualLevel),
  note: a.note,
  state: now >= a.expiresAt ? 'expired' : a.scoreRevision !== risk.scoreRevision ? 'superseded' : 'active',
});

export const presentScoreChange = (h: repo.ScoreChangeRow): Out<typeof RiskScoreChange> => ({
  revision: h.revision,
  at: toIso(h.at),
  actorId: h.actorId,
  criteriaVersion: h.criteriaVersion,
  inherent: rating(h.inherentLikelihood, h.inherentImpact, h.inherentScore, h.inherentLevel),
  residual: residualOf(h),
  reason: h.reason,
});

export const presentMessage = (m: repo.MessageRow): Out<typeof RiskMessage> => ({
  id: m.id, at: toIso(m.at), authorId: m.authorId, authorName: m.authorName, authorRole: m.authorRole, internal: m.visibility === 'internal', body: m.body,
});

export const presentLink = (l: repo.LinkRow): Out<typeof RiskLink> => ({
  id: l.id, kind: l.kind as Out<typeof RiskLink>['kind'], targetId: l.targetId, createdAt: toIso(l.createdAt),
});

export const presentCriteria = (c: repo.CriteriaRow, currentVersion: number): Out<typeof RiskCriteriaVersion> => ({
  version: c.version,
  current: c.version === currentVersion,
  document: JSON.parse(c.document) as Out<typeof RiskCriteriaVersion>['document'],
  note: c.note,
  createdBy: c.createdBy,
  createdAt: toIso(c.createdAt),
});
