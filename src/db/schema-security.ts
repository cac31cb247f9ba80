/**
 * Tables of the security-incident module (migration 202612050940_security_incidents.ts),
 * composed into `DB` and `tableColumns` by schema.ts. Same conventions: epoch ms
 * instants, 0/1 flags, JSON documents as text.
 */
type Flag = number;

export interface SecurityIncidentsTable {
  id: string;
  number: number;
  contractId: string;
  clientId: string;
  systemId: string | null;
  /** tampering | malware | unauthorized_access | data_leak | vulnerability | other */
  kind: string;
  title: string;
  description: string;
  personalData: Flag;
  /** open | contained | threat_removed | closed */
  status: string;
  occurredAt: number | null;
  occurredBy: string | null;
  discoveredAt: number | null;
  discoveredBy: string | null;
  recognizedAt: number | null;
  recognizedBy: string | null;
  /** The first report to the client (発覚後報告): the report clock is met then. */
  reportedAt: number | null;
  reportedBy: string | null;
  containedAt: number | null;
  containedBy: string | null;
  threatRemovedAt: number | null;
  threatRemovedBy: string | null;
  closedAt: number | null;
  closedBy: string | null;
  inScope: Flag;
  /** version_upgrade | no_virus_check | other; null while in scope. */
  outOfScopeCondition: string | null;
  scopeReason: string | null;
  scopeDecidedAt: number | null;
  scopeDecidedBy: string | null;
  /** The SLA core's target (JSON) for "report to the client", from the contract's policy version. */
  reportTarget: string;
  /** The contract's calendar when the target counts business time; null on the 24/7 clock. */
  reportCalendarId: string | null;
  reportDueAt: number | null;
  reportAtRiskAt: number | null;
  reportAtRiskFiredAt: number | null;
  reportBreachedFiredAt: number | null;
  /** The contract calendar's zone: local dates (regulatory reminders) are counted in it. */
  timeZone: string;
  createdBy: string;
  createdAt: number;
  updatedAt: number;
}

export interface SecurityIncidentEventsTable {
  id: string;
  securityIncidentId: string;
  /** When it happened (an action may be logged after the fact). */
  at: number;
  /** action | transition | report | evidence | scope | sla | link | change */
  kind: string;
  /** public (the client sees it) | internal */
  visibility: string;
  authorId: string | null;
  body: string;
  data: string | null;
  /** When it was written down. */
  recordedAt: number;
}

export interface SecurityIncidentReportsTable {
  id: string;
  securityIncidentId: string;
  /** first | follow_up | final */
  kind: string;
  seq: number;
  title: string;
  body: string;
  /** The record's instants and scope at issue time (JSON): the document never changes afterwards. */
  snapshot: string;
  issuedAt: number;
  issuedBy: string;
}

export interface SecurityReportReadsTable {
  reportId: string;
  userId: string;
  readAt: number;
}

export interface SecurityEvidenceTable {
  id: string;
  securityIncidentId: string;
  clientId: string;
  fileName: string;
  mediaType: string;
  sizeBytes: number;
  /** Lower-case hex SHA-256 of the bytes as uploaded. */
  sha256: string;
  /** Where the bytes are, relative to the evidence directory. */
  storageKey: string;
  description: string;
  shared: Flag;
  uploadedAt: number;
  uploadedBy: string;
}

export interface SecurityEvidenceCustodyTable {
  id: string;
  evidenceId: string;
  at: number;
  actorId: string;
  /** collected | shared | unshared | transferred | examined | copied | returned | verified | verify_failed */
  action: string;
  note: string;
}

export interface SecurityIncidentLinksTable {
  id: string;
  securityIncidentId: string;
  /** risk | change_request | incident */
  kind: string;
  targetId: string;
  note: string;
  createdAt: number;
  createdBy: string;
}

export interface SecurityDB {
  securityIncidents: SecurityIncidentsTable;
  securityIncidentEvents: SecurityIncidentEventsTable;
  securityIncidentReports: SecurityIncidentReportsTable;
  securityReportReads: SecurityReportReadsTable;
  securityEvidence: SecurityEvidenceTable;
  securityEvidenceCustody: SecurityEvidenceCustodyTable;
  securityIncidentLinks: SecurityIncidentLinksTable;
}

const WHO = ['occurred', 'discovered', 'recognized', 'reported', 'contained', 'threatRemoved', 'closed'] as const;
type WhoColumns = `${(typeof WHO)[number]}${'At' | 'By'}`;
const who = WHO.flatMap((w) => [`${w}At`, `${w}By`] as const) as readonly WhoColumns[];

export const securityTableColumns = {
  securityIncidents: [
    'id', 'number', 'contractId', 'clientId', 'systemId', 'kind', 'title', 'description', 'personalData', 'status',
    ...who,
    'inScope', 'outOfScopeCondition', 'scopeReason', 'scopeDecidedAt', 'scopeDecidedBy', 'reportTarget',
    'reportCalendarId', 'reportDueAt', 'reportAtRiskAt', 'reportAtRiskFiredAt', 'reportBreachedFiredAt', 'timeZone',
    'createdBy', 'createdAt', 'updatedAt',
  ],
  securityIncidentEvents: ['id', 'securityIncidentId', 'at', 'kind', 'visibility', 'authorId', 'body', 'data', 'recordedAt'],
  securityIncidentReports: ['id', 'securityIncidentId', 'kind', 'seq', 'title', 'body', 'snapshot', 'issuedAt', 'issuedBy'],
  securityReportReads: ['reportId', 'userId', 'readAt'],
  securityEvidence: [
    'id', 'securityIncidentId', 'clientId', 'fileName', 'mediaType', 'sizeBytes', 'sha256', 'storageKey', 'description',
    'shared', 'uploadedAt', 'uploadedBy',
  ],
  securityEvidenceCustody: ['id', 'evidenceId', 'at', 'actorId', 'action', 'note'],
  securityIncidentLinks: ['id', 'securityIncidentId', 'kind', 'targetId', 'note', 'createdAt', 'createdBy'],
} as const;
