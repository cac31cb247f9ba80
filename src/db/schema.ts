/**
 * The database as TypeScript sees it (camelCase through Kysely's CamelCasePlugin;
 * snake_case in SQL). Conventions: ids are UUIDv7 text; instants are epoch
 * milliseconds (int8 in PostgreSQL, parsed to number); calendar dates are
 * 'YYYY-MM-DD' text; booleans are integer 0/1 in both dialects (better-sqlite3
 * cannot bind JS booleans, and one representation keeps repositories portable);
 * JSON documents are text, parsed and validated by the owning module.
 *
 * `tableColumns` repeats the column names at run time so the migration test can
 * compare a freshly migrated database of each dialect with this file; the type
 * assertions below make the compiler reject a list that drifts from the interface.
 */
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import { mailTableColumns, type MailDB } from './schema-mail.ts';
import { maintenanceTableColumns, type MaintenanceDB } from './schema-maintenance.ts';
import { changeTableColumns, type ChangeDB } from './schema-change.ts';
import { risksTableColumns, type RisksDB } from './schema-risks.ts';
import { securityTableColumns, type SecurityDB } from './schema-security.ts';
import { reportsTableColumns, type ReportsDB } from './schema-reports.ts';
import { webhooksTableColumns, type WebhooksDB } from './schema-webhooks.ts';
import { attachmentsTableColumns, type AttachmentsDB } from './schema-attachments.ts';

/** 0 | 1 flag. */
export type Flag = number;

export interface ClientsTable {
  id: string;
  name: string;
  nameKana: string | null;
  notes: string;
  createdAt: number;
  updatedAt: number;
}

export interface ContactsTable {
  id: string;
  clientId: string;
  name: string;
  email: string | null;
  phone: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface SystemsTable {
  id: string;
  clientId: string;
  name: string;
  description: string;
  createdAt: number;
  updatedAt: number;
}

export interface CalendarsTable {
  id: string;
  name: string;
  /** The newest version's number (calendar_versions); compiled calendars are cached by id + version. */
  version: number;
  /** The newest version's CalendarDocument as JSON. */
  document: string;
  createdAt: number;
  updatedAt: number;
}

/** Every version of a calendar; the one in force at t is the newest with effectiveFrom <= t. */
export interface CalendarVersionsTable {
  calendarId: string;
  version: number;
  /** Epoch ms from which this version applies (0 for version 1); never earlier than its creation. */
  effectiveFrom: number;
  /** The SLA core's CalendarDocument as JSON. */
  document: string;
  note: string;
  createdBy: string;
  createdAt: number;
}

export interface SlaPoliciesTable {
  id: string;
  name: string;
  isDefault: Flag;
  /** 制定日 */
  establishedOn: string;
  currentVersion: number;
  createdAt: number;
  updatedAt: number;
}

export interface SlaPolicyVersionsTable {
  id: string;
  policyId: string;
  version: number;
  /** 改訂日 (the establishment date for version 1). */
  revisedOn: string;
  /** The policy document (targets per priority, options) as JSON. */
  document: string;
  note: string;
  createdBy: string;
  createdAt: number;
}

/** The SLA document's template of one language as written for a policy version (202612050910). */
export interface SlaPolicyTemplatesTable {
  policyId: string;
  version: number;
  /** 'ja' | 'en' */
  lang: string;
  /** A Mustache template of the document's body (HTML). */
  body: string;
  createdBy: string;
  createdAt: number;
}

export interface ContractsTable {
  id: string;
  clientId: string;
  name: string;
  startsOn: string;
  endsOn: string | null;
  contractedUsers: number | null;
  slaPolicyId: string;
  /** Version new incidents of this contract are opened under. */
  slaPolicyVersion: number;
  calendarId: string;
  /** 'HH:MM' local to the calendar's zone, e.g. 02:00–04:00. */
  backupWindowStart: string | null;
  backupWindowEnd: string | null;
  contactEmail: string | null;
  contactPhone: string | null;
  inScopeNotes: string;
  outOfScopeNotes: string;
  notes: string;
  createdAt: number;
  updatedAt: number;
}

export interface ContractSystemsTable {
  contractId: string;
  systemId: string;
}

export interface ContractContactsTable {
  contractId: string;
  contactId: string;
  /** Exactly one primary designated contact (窓口) per contract; others are deputies. */
  isPrimary: Flag;
}

export interface ContractEngineersTable {
  contractId: string;
  /** A vendor user (users.id); no foreign key so domain and auth migrations stay independent. */
  userId: string;
}

export interface IncidentsTable {
  id: string;
  /** Human-friendly sequential number per desk. */
  number: number;
  contractId: string;
  /** Denormalised from the contract so every contact-scoped query is one indexed predicate. */
  clientId: string;
  systemId: string | null;
  title: string;
  description: string;
  channel: string;
  category: string;
  priority: string;
  suggestedPriority: string | null;
  status: string;
  inScope: Flag;
  outOfScopeReason: string | null;
  billable: Flag;
  assigneeId: string | null;
  reporterContactId: string | null;
  reporterName: string | null;
  reporterEmail: string | null;
  notViaDesignatedContact: Flag;
  slaPolicyId: string;
  slaPolicyVersion: number;
  calendarId: string;
  receivedAt: number;
  recognizedAt: number | null;
  startedAt: number | null;
  proposedAt: number | null;
  resolvedAt: number | null;
  closedAt: number | null;
  resolutionCause: string | null;
  resolutionFix: string | null;
  resolutionCourse: string | null;
  /** Earliest pending at-risk/breach instant over the targets; indexed for dashboards and sweeps. */
  nextTimerAt: number | null;
  createdBy: string;
  createdAt: number;
  updatedAt: number;
}

/** An incident's list item stored ready to send (incident.list-items.ts; migration 202612060930). */
export interface IncidentListItemsTable {
  incidentId: string;
  /** The item's JSON as the list sends it, U+0001 where an SLA state changes with "now". */
  body: string;
  /** "atRiskAt,dueAt" per cut-out state, ";"-separated (empty = null); null when nothing changes with "now". */
  clocks: string | null;
  /** 1: a deadline moves with "now" (a stopped clock): presented at read time. */
  live: Flag;
  format: number;
}

export interface IncidentTargetsTable {
  id: string;
  incidentId: string;
  /** 'start' | 'resolve' | 'propose' */
  kind: string;
  /** 'recognized' | 'started': the instant the clock counts from. */
  anchor: string;
  /** The core's SlaTarget as JSON. */
  target: string;
  /** Calendar-clock targets ignore business hours; kept for notification gating. */
  businessHours: Flag;
  pausable: Flag;
  clockStart: number | null;
  dueAt: number | null;
  atRiskAt: number | null;
  metAt: number | null;
  /** ok | atRisk | breached | met | metLate — as of the last recorded event. */
  state: string;
  atRiskFiredAt: number | null;
  breachedFiredAt: number | null;
  updatedAt: number;
  // The incident's facts that place the target in a contract's month, copied by triggers
  // (migration 202612070900_incident_target_copies) for the monthly report's read; the desk
  // never writes them (null only before a trigger has run).
  incidentContractId: TriggerCopy<string | null>;
  incidentNumber: TriggerCopy<number | null>;
  incidentPriority: TriggerCopy<string | null>;
  incidentInScope: TriggerCopy<Flag | null>;
  incidentPolicyVersion: TriggerCopy<number | null>;
  incidentReceivedAt: TriggerCopy<number | null>;
  incidentResolvedAt: TriggerCopy<number | null>;
}

/** A column kept by a trigger: read, never inserted or updated by the desk. */
type TriggerCopy<T> = ColumnType<T, never, never>;
/** incident_targets' trigger-kept copies (above), left out of the rows the incidents module builds. */
export type IncidentTargetCopy = 'incidentContractId' | 'incidentNumber' | 'incidentPriority' | 'incidentInScope' | 'incidentPolicyVersion' | 'incidentReceivedAt' | 'incidentResolvedAt';

export interface IncidentPausesTable {
  id: string;
  incidentId: string;
  startedAt: number;
  endedAt: number | null;
  startedBy: string;
  endedBy: string | null;
  reason: string;
}

/**
 * The queue's search text per incident, written only by the triggers of migration
 * 202612060900_incident_search.ts (SQLite: an FTS5 trigram table whose rowid is the
 * incident number; PostgreSQL: a table with a pg_trgm GIN index). Read it, never write it.
 */
export interface IncidentSearchTable {
  incidentId: string;
  doc: string;
}

export interface IncidentEventsTable {
  id: string;
  incidentId: string;
  at: number;
  /** message | note | status | priority | scope | assign | sla | escalation | field */
  kind: string;
  /** public (client sees it) | internal */
  visibility: string;
  authorId: string;
  authorName: string | null;
  body: string;
  /** Structured details (from/to, target, …) as JSON. */
  data: string;
}

export interface AuditLogTable {
  id: string;
  at: number;
  actorId: string;
  actorRole: string;
  entity: string;
  entityId: string;
  action: string;
  before: string | null;
  after: string | null;
}

export interface JobsTable {
  id: string;
  kind: string;
  payload: string;
  runAt: number;
  /** pending | done | failed */
  status: string;
  attempts: number;
  maxAttempts: number;
  lockedUntil: number | null;
  /** Random token of the claim; completion only counts if the token still matches. */
  lockToken: string | null;
  dedupeKey: string | null;
  lastError: string | null;
  createdAt: number;
  updatedAt: number;
}

/** A failed (or in-flight) sign-in attempt of an account or address key (login-throttle.ts). */
export interface LoginFailuresTable {
  id: string;
  key: string;
  at: number;
}

export interface CountersTable {
  name: string;
  value: number;
}

// Tables of the auth module (migration *_auth.ts, owned by the HTTP/auth side).
export interface UsersTable {
  id: string;
  email: string;
  name: string;
  role: string;
  clientId: string | null;
  passwordHash: string | null;
  locale: ColumnType<string, string | undefined, string>;
  disabledAt: number | null;
  /** 1: signed in with a one-time password an admin issued; must choose their own before anything else. */
  mustChangePassword: ColumnType<number, number | undefined, number>;
  createdAt: number;
  updatedAt: number;
}

/** An e-mailed password reset link: its token's SHA-256, single use, short-lived. */
export interface PasswordResetsTable {
  tokenHash: string;
  userId: string;
  createdBy: string;
  createdAt: number;
  expiresAt: number;
  usedAt: number | null;
}

export interface SessionsTable {
  idHash: string;
  userId: string;
  csrfToken: string;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
  userAgent: string | null;
}

export interface ApiTokensTable {
  id: string;
  userId: string;
  name: string;
  tokenHash: string;
  prefix: string;
  createdAt: number;
  lastUsedAt: number | null;
  expiresAt: number | null;
  revokedAt: number | null;
}

export interface DB extends
  MailDB,
  MaintenanceDB,
  ChangeDB,
  RisksDB,
  SecurityDB,
  ReportsDB,
  WebhooksDB,
  AttachmentsDB {
  clients: ClientsTable;
  contacts: ContactsTable;
  systems: SystemsTable;
  calendars: CalendarsTable;
  calendarVersions: CalendarVersionsTable;
  slaPolicies: SlaPoliciesTable;
  slaPolicyVersions: SlaPolicyVersionsTable;
  slaPolicyTemplates: SlaPolicyTemplatesTable;
  contracts: ContractsTable;
  contractSystems: ContractSystemsTable;
  contractContacts: ContractContactsTable;
  contractEngineers: ContractEngineersTable;
  incidents: IncidentsTable;
  incidentTargets: IncidentTargetsTable;
  incidentPauses: IncidentPausesTable;
  incidentEvents: IncidentEventsTable;
  incidentListItems: IncidentListItemsTable;
  incidentSearch: IncidentSearchTable;
  auditLog: AuditLogTable;
  jobs: JobsTable;
  counters: CountersTable;
  loginFailures: LoginFailuresTable;
  users: UsersTable;
  passwordResets: PasswordResetsTable;
  sessions: SessionsTable;
  apiTokens: ApiTokensTable;
}

export type Row<T extends keyof DB> = Selectable<DB[T]>;
export type NewRow<T extends keyof DB> = Insertable<DB[T]>;
export type RowUpdate<T extends keyof DB> = Updateable<DB[T]>;
// Keep Generated importable for future tables with database-generated columns.
export type { Generated };

type Columns<T> = readonly (keyof T & string)[];

export const tableColumns = {
  clients: ['id', 'name', 'nameKana', 'notes', 'createdAt', 'updatedAt'],
  contacts: ['id', 'clientId', 'name', 'email', 'phone', 'createdAt', 'updatedAt'],
  systems: ['id', 'clientId', 'name', 'description', 'createdAt', 'updatedAt'],
  calendars: ['id', 'name', 'version', 'document', 'createdAt', 'updatedAt'],
  calendarVersions: ['calendarId', 'version', 'effectiveFrom', 'document', 'note', 'createdBy', 'createdAt'],
  slaPolicies: ['id', 'name', 'isDefault', 'establishedOn', 'currentVersion', 'createdAt', 'updatedAt'],
  slaPolicyVersions: ['id', 'policyId', 'version', 'revisedOn', 'document', 'note', 'createdBy', 'createdAt'],
  slaPolicyTemplates: ['policyId', 'version', 'lang', 'body', 'createdBy', 'createdAt'],
  contracts: [
    'id', 'clientId', 'name', 'startsOn', 'endsOn', 'contractedUsers', 'slaPolicyId', 'slaPolicyVersion',
    'calendarId', 'backupWindowStart', 'backupWindowEnd', 'contactEmail', 'contactPhone', 'inScopeNotes',
    'outOfScopeNotes', 'notes', 'createdAt', 'updatedAt',
  ],
  contractSystems: ['contractId', 'systemId'],
  contractContacts: ['contractId', 'contactId', 'isPrimary'],
  contractEngineers: ['contractId', 'userId'],
  incidents: [
    'id', 'number', 'contractId', 'clientId', 'systemId', 'title', 'description', 'channel', 'category',
    'priority', 'suggestedPriority', 'status', 'inScope', 'outOfScopeReason', 'billable', 'assigneeId',
    'reporterContactId', 'reporterName', 'reporterEmail', 'notViaDesignatedContact', 'slaPolicyId',
    'slaPolicyVersion', 'calendarId', 'receivedAt', 'recognizedAt', 'startedAt', 'proposedAt', 'resolvedAt',
    'closedAt', 'resolutionCause', 'resolutionFix', 'resolutionCourse', 'nextTimerAt', 'createdBy',
    'createdAt', 'updatedAt',
  ],
  incidentTargets: [
    'id', 'incidentId', 'kind', 'anchor', 'target', 'businessHours', 'pausable', 'clockStart', 'dueAt',
    'atRiskAt', 'metAt', 'state', 'atRiskFiredAt', 'breachedFiredAt', 'updatedAt',
    'incidentContractId', 'incidentNumber', 'incidentPriority', 'incidentInScope', 'incidentPolicyVersion', 'incidentReceivedAt', 'incidentResolvedAt',
  ],
  incidentPauses: ['id', 'incidentId', 'startedAt', 'endedAt', 'startedBy', 'endedBy', 'reason'],
  incidentEvents: ['id', 'incidentId', 'at', 'kind', 'visibility', 'authorId', 'authorName', 'body', 'data'],
  incidentListItems: ['incidentId', 'body', 'clocks', 'live', 'format'],
  incidentSearch: ['incidentId', 'doc'],
  auditLog: ['id', 'at', 'actorId', 'actorRole', 'entity', 'entityId', 'action', 'before', 'after'],
  jobs: [
    'id', 'kind', 'payload', 'runAt', 'status', 'attempts', 'maxAttempts', 'lockedUntil', 'lockToken',
    'dedupeKey', 'lastError', 'createdAt', 'updatedAt',
  ],
  counters: ['name', 'value'],
  loginFailures: ['id', 'key', 'at'],
  users: ['id', 'email', 'name', 'role', 'clientId', 'passwordHash', 'locale', 'disabledAt', 'mustChangePassword', 'createdAt', 'updatedAt'],
  passwordResets: ['tokenHash', 'userId', 'createdBy', 'createdAt', 'expiresAt', 'usedAt'],
  sessions: ['idHash', 'userId', 'csrfToken', 'createdAt', 'lastSeenAt', 'expiresAt', 'userAgent'],
  apiTokens: ['id', 'userId', 'name', 'tokenHash', 'prefix', 'createdAt', 'lastUsedAt', 'expiresAt', 'revokedAt'],
  ...maintenanceTableColumns,
  ...mailTableColumns,
  ...changeTableColumns,
  ...risksTableColumns,
  ...securityTableColumns,
  ...reportsTableColumns,
  ...webhooksTableColumns,
  ...attachmentsTableColumns,
} as const satisfies { [K in keyof DB]: Columns<DB[K]> };

// Compile-time completeness: every interface column must be listed (the `satisfies`
// above already rejects names that are not in the interface).
type Missing = { [K in keyof DB]: Exclude<keyof DB[K], (typeof tableColumns)[K][number]> }[keyof DB];
const _complete: [Missing] extends [never] ? true : Missing = true;
void _complete;
