/**
 * What one monthly report holds: the pure core's figures plus availability, outages and
 * maintenance of the month (from the monitoring and maintenance services) and the data
 * of extension sections. This is what an issued report freezes (as JSON), and what
 * every format (HTML, PDF, CSV) is rendered from.
 */
import type { ReportFigures } from '../../core/report/compute.ts';

export const REPORT_DATA_SCHEMA = 1;

export interface AvailabilityFigure {
  systemId: string | null;
  name: string;
  serviceMs: number;
  plannedMs: number;
  downtimeMs: number;
  overrunMs: number;
  unknownMs: number;
  upMs: number;
  availability: number | null;
  worstCase: number | null;
  coverage: number | null;
}

export interface OutageItem {
  id: string;
  systemId: string;
  systemName: string;
  startedAt: number;
  endedAt: number | null;
  /** Within the month. */
  durationMs: number;
  incidentNumber: number | null;
  endedBy: string | null;
  /** Seen while the system's announced maintenance ran: planned, not downtime (absent in reports issued before it was recorded). */
  muted?: boolean;
}

export interface MaintenanceItem {
  id: string;
  title: string;
  kind: string;
  startsAt: number;
  endsAt: number;
  announcedAt: number | null;
  latestAllowedAt: number | null;
  inTime: boolean | null;
  emergencyReason: string | null;
  actualStart: number | null;
  actualEnd: number | null;
}

export interface ReportData {
  schema: typeof REPORT_DATA_SCHEMA;
  contract: { id: string; name: string; clientId: string; clientName: string; policyName: string; timeZone: string };
  /** 'YYYY-MM' */
  month: string;
  figures: ReportFigures;
  availability: { contract: AvailabilityFigure | null; systems: AvailabilityFigure[] };
  outages: OutageItem[];
  maintenance: MaintenanceItem[];
  /** Data of extension sections by section id (change requests, risks, …); absent = module not available. */
  sections: Record<string, unknown>;
}

/** What an issued report adds to the data when rendered (cover, header). */
export interface IssueInfo {
  number: number;
  revision: number;
  issuedAt: number;
  issuedByName: string;
}
