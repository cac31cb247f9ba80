/**
 * Tables of the risk register (migration 202612050930_risk_register.ts), composed into
 * `DB` and `tableColumns` by schema.ts. Same conventions: epoch ms instants, JSON as text.
 */

export interface RiskCriteriaTable {
  version: number;
  /** The RiskCriteria document as JSON; never changed once written. */
  document: string;
  note: string;
  createdBy: string;
  createdAt: number;
}

export interface RisksTable {
  id: string;
  number: number;
  clientId: string;
  contractId: string;
  title: string;
  description: string;
  /** JSON array of system ids of the contract. */
  affectedSystemIds: string;
  category: string;
  source: string;
  sourceKind: string | null;
  sourceId: string | null;
  ownerId: string;
  /** open | closed */
  status: string;
  treatment: string;
  criteriaVersion: number;
  scoreRevision: number;
  inherentLikelihood: number;
  inherentImpact: number;
  inherentScore: number;
  inherentLevel: string;
  residualLikelihood: number | null;
  residualImpact: number | null;
  residualScore: number | null;
  residualLevel: string | null;
  nextReviewAt: number | null;
  lastReviewedAt: number | null;
  /** When the "review due" timer fired for the current nextReviewAt (cleared by a review). */
  reviewDueFiredAt: number | null;
  /** When the "review overdue" escalation fired for the current nextReviewAt. */
  reviewOverdueFiredAt: number | null;
  closedAt: number | null;
  closeReason: string | null;
  createdBy: string;
  createdAt: number;
  updatedAt: number;
}

export interface RiskScoreChangesTable {
  id: string;
  riskId: string;
  revision: number;
  at: number;
  actorId: string;
  criteriaVersion: number;
  inherentLikelihood: number;
  inherentImpact: number;
  inherentScore: number;
  inherentLevel: string;
  residualLikelihood: number | null;
  residualImpact: number | null;
  residualScore: number | null;
  residualLevel: string | null;
  reason: string;
}

export interface RiskControlsTable {
  id: string;
  riskId: string;
  title: string;
  description: string;
  ownerId: string;
  dueOn: string | null;
  status: string;
  revision: number;
  presentedAt: number | null;
  presentedBy: string | null;
  acknowledgedAt: number | null;
  acknowledgedBy: string | null;
  acknowledgedName: string | null;
  acknowledgedRevision: number | null;
  createdBy: string;
  createdAt: number;
  updatedAt: number;
}

export interface RiskAcceptancesTable {
  id: string;
  riskId: string;
  acceptedBy: string;
  acceptedName: string;
  acceptedAt: number;
  expiresOn: string;
  expiresAt: number;
  criteriaVersion: number;
  scoreRevision: number;
  residualLikelihood: number;
  residualImpact: number;
  residualScore: number;
  residualLevel: string;
  note: string;
  /** When the owner and the client were told it expired (the expiry timer fires once). */
  expiryNotifiedAt: number | null;
}

export interface RiskMessagesTable {
  id: string;
  riskId: string;
  at: number;
  authorId: string;
  authorName: string;
  authorRole: string;
  /** public | internal */
  visibility: string;
  body: string;
}

export interface RiskLinksTable {
  id: string;
  riskId: string;
  kind: string;
  targetId: string;
  createdBy: string;
  createdAt: number;
}

export interface RisksDB {
  riskCriteria: RiskCriteriaTable;
  risks: RisksTable;
  riskScoreChanges: RiskScoreChangesTable;
  riskControls: RiskControlsTable;
  riskAcceptances: RiskAcceptancesTable;
  riskMessages: RiskMessagesTable;
  riskLinks: RiskLinksTable;
}

export const risksTableColumns = {
  riskCriteria: ['version', 'document', 'note', 'createdBy', 'createdAt'],
  risks: [
    'id', 'number', 'clientId', 'contractId', 'title', 'description', 'affectedSystemIds', 'category', 'source', 'sourceKind', 'sourceId',
    'ownerId', 'status', 'treatment', 'criteriaVersion', 'scoreRevision', 'inherentLikelihood', 'inherentImpact', 'inherentScore',
    'inherentLevel', 'residualLikelihood', 'residualImpact', 'residualScore', 'residualLevel', 'nextReviewAt', 'lastReviewedAt',
    'reviewDueFiredAt', 'reviewOverdueFiredAt', 'closedAt', 'closeReason', 'createdBy', 'createdAt', 'updatedAt',
  ],
  riskScoreChanges: [
    'id', 'riskId', 'revision', 'at', 'actorId', 'criteriaVersion', 'inherentLikelihood', 'inherentImpact', 'inherentScore', 'inherentLevel',
    'residualLikelihood', 'residualImpact', 'residualScore', 'residualLevel', 'reason',
  ],
  riskControls: [
    'id', 'riskId', 'title', 'description', 'ownerId', 'dueOn', 'status', 'revision', 'presentedAt', 'presentedBy', 'acknowledgedAt',
    'acknowledgedBy', 'acknowledgedName', 'acknowledgedRevision', 'createdBy', 'createdAt', 'updatedAt',
  ],
  riskAcceptances: [
    'id', 'riskId', 'acceptedBy', 'acceptedName', 'acceptedAt', 'expiresOn', 'expiresAt', 'criteriaVersion', 'scoreRevision',
    'residualLikelihood', 'residualImpact', 'residualScore', 'residualLevel', 'note', 'expiryNotifiedAt',
  ],
  riskMessages: ['id', 'riskId', 'at', 'authorId', 'authorName', 'authorRole', 'visibility', 'body'],
  riskLinks: ['id', 'riskId', 'kind', 'targetId', 'createdBy', 'createdAt'],
} as const;
