/**
 * Tables of the change-request module (migration 202612050920_change_requests.ts),
 * composed into `DB` and `tableColumns` by schema.ts. Same conventions: epoch ms
 * instants, 0/1 flags, JSON documents as text; efforts in hundredths (1.5 → 150).
 */
type Flag = number;

export interface ChangeRequestsTable {
  id: string;
  number: number;
  contractId: string;
  clientId: string;
  title: string;
  description: string;
  reason: string;
  desiredDate: string | null;
  /** portal | phone | api | incident */
  channel: string;
  requestedByUserId: string | null;
  requestedByContactId: string | null;
  requesterName: string | null;
  requestedByStaff: Flag;
  sourceIncidentId: string | null;
  status: string;
  slaPolicyId: string;
  slaPolicyVersion: number;
  calendarId: string;
  receivedAt: number;
  /** feasible | not_feasible */
  feasibility: string | null;
  feasibilityReason: string | null;
  feasibilityAt: number | null;
  feasibilityBy: string | null;
  /** The core's SlaTarget as JSON (from the policy version), or null: the policy sets none. */
  feasibilityTarget: string | null;
  feasibilityDueAt: number | null;
  feasibilityAtRiskAt: number | null;
  feasibilityAtRiskFiredAt: number | null;
  feasibilityBreachedFiredAt: number | null;
  windowStartsAt: number | null;
  windowEndsAt: number | null;
  maintenanceWindowId: string | null;
  scheduledAt: number | null;
  startedAt: number | null;
  finishedAt: number | null;
  outcome: string | null;
  actualEffortCenti: number | null;
  resultNotes: string | null;
  confirmationDueAt: number | null;
  confirmedAt: number | null;
  confirmedBy: string | null;
  confirmationComment: string | null;
  autoClosed: Flag;
  closedAt: number | null;
  createdBy: string;
  createdAt: number;
  updatedAt: number;
}

export interface ChangeRequestSystemsTable {
  changeRequestId: string;
  systemId: string;
}

export interface ChangeProposalsTable {
  id: string;
  changeRequestId: string;
  version: number;
  /** draft | sent | superseded */
  status: string;
  effortCenti: number;
  effortUnit: string;
  amountJpy: number;
  taxRatePercent: number;
  taxJpy: number;
  plan: string;
  impact: string;
  backout: string;
  windowStartsAt: number | null;
  windowEndsAt: number | null;
  affectsService: Flag;
  validUntil: string;
  contentHash: string | null;
  sentAt: number | null;
  sentBy: string | null;
  createdBy: string;
  createdAt: number;
  updatedAt: number;
}

export interface ChangeApprovalsTable {
  id: string;
  changeRequestId: string;
  proposalId: string;
  version: number;
  /** approved | rejected */
  decision: string;
  comment: string;
  userId: string;
  contactId: string | null;
  name: string;
  decidedAt: number;
  contentHash: string;
  voidedAt: number | null;
  voidReason: string | null;
}

export interface ChangeRequestPausesTable {
  id: string;
  changeRequestId: string;
  startedAt: number;
  endedAt: number | null;
  reason: string;
}

export interface ChangeRequestEventsTable {
  id: string;
  changeRequestId: string;
  at: number;
  kind: string;
  /** public | internal */
  visibility: string;
  actorId: string;
  actorName: string | null;
  body: string;
  data: string;
}

export interface ChangeRequestSettingsTable {
  contractId: string;
  deputiesMayApprove: Flag;
  confirmationBusinessDays: number;
  updatedAt: number;
}

export interface ChangeDB {
  changeRequests: ChangeRequestsTable;
  changeRequestSystems: ChangeRequestSystemsTable;
  changeProposals: ChangeProposalsTable;
  changeApprovals: ChangeApprovalsTable;
  changeRequestPauses: ChangeRequestPausesTable;
  changeRequestEvents: ChangeRequestEventsTable;
  changeRequestSettings: ChangeRequestSettingsTable;
}

export const changeTableColumns = {
  changeRequests: [
    'id', 'number', 'contractId', 'clientId', 'title', 'description', 'reason', 'desiredDate', 'channel', 'requestedByUserId',
    'requestedByContactId', 'requesterName', 'requestedByStaff', 'sourceIncidentId', 'status', 'slaPolicyId', 'slaPolicyVersion',
    'calendarId', 'receivedAt', 'feasibility', 'feasibilityReason', 'feasibilityAt', 'feasibilityBy', 'feasibilityTarget',
    'feasibilityDueAt', 'feasibilityAtRiskAt', 'feasibilityAtRiskFiredAt', 'feasibilityBreachedFiredAt', 'windowStartsAt',
    'windowEndsAt', 'maintenanceWindowId', 'scheduledAt', 'startedAt', 'finishedAt', 'outcome', 'actualEffortCenti', 'resultNotes',
    'confirmationDueAt', 'confirmedAt', 'confirmedBy', 'confirmationComment', 'autoClosed', 'closedAt', 'createdBy', 'createdAt', 'updatedAt',
  ],
  changeRequestSystems: ['changeRequestId', 'systemId'],
  changeProposals: [
    'id', 'changeRequestId', 'version', 'status', 'effortCenti', 'effortUnit', 'amountJpy', 'taxRatePercent', 'taxJpy', 'plan', 'impact',
    'backout', 'windowStartsAt', 'windowEndsAt', 'affectsService', 'validUntil', 'contentHash', 'sentAt', 'sentBy', 'createdBy',
    'createdAt', 'updatedAt',
  ],
  changeApprovals: [
    'id', 'changeRequestId', 'proposalId', 'version', 'decision', 'comment', 'userId', 'contactId', 'name', 'decidedAt', 'contentHash',
    'voidedAt', 'voidReason',
  ],
  changeRequestPauses: ['id', 'changeRequestId', 'startedAt', 'endedAt', 'reason'],
  changeRequestEvents: ['id', 'changeRequestId', 'at', 'kind', 'visibility', 'actorId', 'actorName', 'body', 'data'],
  changeRequestSettings: ['contractId', 'deputiesMayApprove', 'confirmationBusinessDays', 'updatedAt'],
} as const;
