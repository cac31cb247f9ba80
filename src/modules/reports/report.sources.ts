/**
 * What the report's extension sections read from other modules, as plain data. The
 * composition root (src/http/services.ts) passes each module's read function; the report
 * never imports those modules. A source left out renders "none (module not yet available)".
 * Everything here is frozen with the report's figures, so shapes only grow.
 */

/** A change request received in the month. Amounts in JPY (integers), tax apart. */
export interface ChangeRequestReportItem {
  id: string;
  number: number;
  title: string;
  status: string;
  receivedAt: number;
  /** The feasibility answer against its target as of the report: met, breached (late or overdue), open (still running), none (no target). */
  feasibility: 'met' | 'breached' | 'open' | 'none';
  feasibilityDueAt: number | null;
  feasibilityAt: number | null;
  /** The approved proposal version (null: none approved, or the approval was voided). */
  approvedVersion: number | null;
  approvedAt: number | null;
  /** The proposal whose cost is shown: the approved one, else the newest sent one. */
  costVersion: number | null;
  amountJpy: number | null;
  taxJpy: number | null;
  windowStartsAt: number | null;
  windowEndsAt: number | null;
}

export interface ChangeRequestsReportData {
  items: ChangeRequestReportItem[];
  totals: {
    count: number;
    approved: number;
    feasibilityMet: number;
    feasibilityBreached: number;
    /** Sums over approved proposals only (what the client agreed to pay). */
    approvedAmountJpy: number;
    approvedTaxJpy: number;
  };
}

export interface RiskRef {
  id: string;
  number: number;
  title: string;
}

export interface RisksReportData {
  /** The criteria version in force at the report (each row also names its own). */
  criteriaVersion: number | null;
  newRisks: Array<RiskRef & { createdAt: number; inherentLevel: string; residualLevel: string | null; criteriaVersion: number }>;
  levelChanges: Array<RiskRef & {
    at: number; revision: number; criteriaVersion: number; reason: string;
    inherentFrom: string; inherentTo: string; residualFrom: string | null; residualTo: string | null;
  }>;
  reviewsDone: Array<RiskRef & { at: number }>;
  /** Open risks whose review was overdue at month end (or now, for the running month). */
  reviewsOverdue: Array<RiskRef & { nextReviewAt: number; overdueAt: number; criteriaVersion: number }>;
  acceptances: Array<RiskRef & {
    acceptedAt: number; acceptedName: string; residualLevel: string; residualScore: number; expiresOn: string; criteriaVersion: number;
  }>;
}

export interface SecurityIncidentReportItem {
  id: string;
  number: number;
  title: string;
  kind: string;
  inScope: boolean;
  discoveredAt: number | null;
  reportedAt: number | null;
  reportDueAt: number | null;
  /** Reporting to the client against its target: met, breached (late, or overdue now), open (due not passed), none (no due instant). */
  outcome: 'met' | 'breached' | 'open' | 'none';
  /** How late the first report was (or is, while overdue), wall time; null when not late. */
  lateMs: number | null;
}

export interface SecurityIncidentsReportData {
  /** Incidents discovered in the month. */
  items: SecurityIncidentReportItem[];
  /** Reports issued to the client in the month (of any incident of the contract). */
  reports: Array<{ incidentId: string; incidentNumber: number; kind: string; seq: number; title: string; issuedAt: number }>;
  /** Out-of-scope decisions taken in the month. */
  outOfScope: Array<{ incidentId: string; incidentNumber: number; title: string; condition: string | null; reason: string | null; decidedAt: number }>;
}

export type ReportSourceFn<T> = (contractId: string, from: number, to: number, asOf: number) => Promise<T>;

export interface ReportSources {
  changeRequests?: ReportSourceFn<ChangeRequestsReportData>;
  risks?: ReportSourceFn<RisksReportData>;
  securityIncidents?: ReportSourceFn<SecurityIncidentsReportData>;
}
