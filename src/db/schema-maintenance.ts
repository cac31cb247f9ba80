/**
 * Tables of the maintenance and monitoring modules (migrations *_maintenance.ts
 * and *_monitoring.ts), composed into `DB` and `tableColumns` by schema.ts. Same
 * conventions: epoch ms instants, 0/1 flags, JSON documents as text.
 */
type Flag = number;

export interface MaintenanceSettingsTable {
  contractId: string;
  /** The notice rule's N (business days on the contract's calendar); default 2. */
  noticeBusinessDays: number;
  /** SHA-256 of the public token of the ICS feed and status page; null = not published. */
  publicTokenHash: string | null;
  publicTokenPrefix: string | null;
  publishedAt: number | null;
  updatedAt: number;
}

export interface MaintenanceSeriesTable {
  id: string;
  contractId: string;
  clientId: string;
  systemId: string | null;
  title: string;
  description: string;
  timeZone: string;
  startTime: string;
  endTime: string;
  /** The core's Repeat as JSON. */
  repeat: string;
  firstDate: string;
  until: string | null;
  count: number | null;
  /** active | cancelled */
  status: string;
  announcedAt: number;
  /** Occurrences are stored as windows up to this instant. */
  materializedUntil: number;
  createdBy: string;
  createdAt: number;
  updatedAt: number;
}

export interface MaintenanceWindowsTable {
  id: string;
  contractId: string;
  clientId: string;
  systemId: string | null;
  seriesId: string | null;
  occurrenceIndex: number | null;
  /** planned | emergency | recurring */
  kind: string;
  title: string;
  description: string;
  startsAt: number;
  endsAt: number;
  /** draft | announced | cancelled */
  status: string;
  announcedAt: number | null;
  noticeDeadlineAt: number | null;
  noticeInTime: Flag | null;
  emergencyReason: string | null;
  cancelReason: string | null;
  actualStart: number | null;
  actualEnd: number | null;
  sequence: number;
  createdBy: string;
  createdAt: number;
  updatedAt: number;
}

export interface MaintenanceNoticesTable {
  id: string;
  contractId: string;
  windowId: string | null;
  seriesId: string | null;
  /** announce | reschedule | cancel | reminder */
  kind: string;
  contactId: string | null;
  email: string;
  notifiedAt: number;
  actorId: string;
}

// Tables of the monitoring module (migration *_monitoring.ts).
export interface MonitorsTable {
  id: string;
  contractId: string;
  clientId: string;
  systemId: string;
  name: string;
  /** http | tcp */
  kind: string;
  url: string | null;
  host: string | null;
  port: number | null;
  expectedStatus: number | null;
  keyword: string | null;
  /** present | absent */
  keywordMode: string | null;
  intervalMs: number;
  timeoutMs: number;
  retries: number;
  confirmAfter: number;
  recoverAfter: number;
  enabled: Flag;
  /** up | down | unknown */
  state: string;
  failStreak: number;
  okStreak: number;
  /** First failure of the current failure streak. */
  firstFailAt: number | null;
  /** Inside an outage: first success of the current success streak (the outage ends there after M). */
  recoveringSince: number | null;
  lastCheckAt: number | null;
  lastResult: number | null;
  lastLatencyMs: number | null;
  lastError: string | null;
  currentRunId: string | null;
  openOutageId: string | null;
  createdBy: string;
  createdAt: number;
  updatedAt: number;
  /** Soft delete: gone from the desk, its runs and outages still count in availability. */
  deletedAt: number | null;
}

export interface MonitorRunsTable {
  id: string;
  monitorId: string;
  /** 0 up, 1 down, 2 unknown */
  status: number;
  startedAt: number;
  lastAt: number;
  checks: number;
  intervalMs: number;
  latencySumMs: number;
  latencyMaxMs: number;
}

/** Rolled-up runs past the retention window: one row per stretch of one state (a transition adds a row). */
export interface MonitorIntervalsTable {
  monitorId: string;
  startedAt: number;
  endedAt: number;
  /** 0 up, 1 down, 2 unknown */
  status: number;
}

/** Rolled-up runs past the retention window: per monitor and UTC day (days since 1970-01-01). */
export interface MonitorDailyTable {
  monitorId: string;
  day: number;
  checks: number;
  failures: number;
  unknowns: number;
  latencySumMs: number;
  latencyMaxMs: number;
}

export interface OutagesTable {
  id: string;
  monitorId: string;
  contractId: string;
  clientId: string;
  systemId: string;
  startedAt: number;
  confirmedAt: number;
  endedAt: number | null;
  muted: Flag;
  incidentId: string | null;
  createdAt: number;
  updatedAt: number;
  /** recovered | monitor_disabled | monitor_deleted | manual; null while open. */
  endedBy: string | null;
  /** The agent's reason for a manual close. */
  endReason: string | null;
}

/** What a contract's public status page lists besides systems and outages. */
export interface StatusPageSettingsTable {
  contractId: string;
  /** none | outage | all: incidents of the last 30 days listed by title and state. */
  incidents: string;
  updatedAt: number;
}

export interface MaintenanceDB {
  maintenanceSettings: MaintenanceSettingsTable;
  maintenanceSeries: MaintenanceSeriesTable;
  maintenanceWindows: MaintenanceWindowsTable;
  maintenanceNotices: MaintenanceNoticesTable;
  monitors: MonitorsTable;
  monitorRuns: MonitorRunsTable;
  monitorIntervals: MonitorIntervalsTable;
  monitorDaily: MonitorDailyTable;
  outages: OutagesTable;
  statusPageSettings: StatusPageSettingsTable;
}

export const maintenanceTableColumns = {
  maintenanceSettings: ['contractId', 'noticeBusinessDays', 'publicTokenHash', 'publicTokenPrefix', 'publishedAt', 'updatedAt'],
  maintenanceSeries: [
    'id', 'contractId', 'clientId', 'systemId', 'title', 'description', 'timeZone', 'startTime', 'endTime', 'repeat',
    'firstDate', 'until', 'count', 'status', 'announcedAt', 'materializedUntil', 'createdBy', 'createdAt', 'updatedAt',
  ],
  maintenanceWindows: [
    'id', 'contractId', 'clientId', 'systemId', 'seriesId', 'occurrenceIndex', 'kind', 'title', 'description', 'startsAt',
    'endsAt', 'status', 'announcedAt', 'noticeDeadlineAt', 'noticeInTime', 'emergencyReason', 'cancelReason', 'actualStart',
    'actualEnd', 'sequence', 'createdBy', 'createdAt', 'updatedAt',
  ],
  maintenanceNotices: ['id', 'contractId', 'windowId', 'seriesId', 'kind', 'contactId', 'email', 'notifiedAt', 'actorId'],
  monitors: [
    'id', 'contractId', 'clientId', 'systemId', 'name', 'kind', 'url', 'host', 'port', 'expectedStatus', 'keyword',
    'keywordMode', 'intervalMs', 'timeoutMs', 'retries', 'confirmAfter', 'recoverAfter', 'enabled', 'state', 'failStreak',
    'okStreak', 'firstFailAt', 'recoveringSince', 'lastCheckAt', 'lastResult', 'lastLatencyMs', 'lastError', 'currentRunId', 'openOutageId',
    'createdBy', 'createdAt', 'updatedAt', 'deletedAt',
  ],
  monitorRuns: ['id', 'monitorId', 'status', 'startedAt', 'lastAt', 'checks', 'intervalMs', 'latencySumMs', 'latencyMaxMs'],
  monitorIntervals: ['monitorId', 'startedAt', 'endedAt', 'status'],
  monitorDaily: ['monitorId', 'day', 'checks', 'failures', 'unknowns', 'latencySumMs', 'latencyMaxMs'],
  outages: [
    'id', 'monitorId', 'contractId', 'clientId', 'systemId', 'startedAt', 'confirmedAt', 'endedAt', 'muted', 'incidentId',
    'createdAt', 'updatedAt', 'endedBy', 'endReason',
  ],
  statusPageSettings: ['contractId', 'incidents', 'updatedAt'],
} as const;
