/** Tables of the reports module (migration 202612050900_reports.ts), composed into `DB` by schema.ts. */
export interface ReportsTable {
  id: string;
  /** Sequential per desk; shown as the report number. */
  number: number;
  contractId: string;
  clientId: string;
  /** 'YYYY-MM' in the contract's zone. */
  month: string;
  /** 版数: 1 for the first issue of a month, +1 for each revision. */
  revision: number;
  issuedAt: number;
  issuedBy: string;
  issuedByName: string;
  note: string;
  /** The frozen ReportData as JSON. */
  figures: string;
  acknowledgedAt: number | null;
  acknowledgedBy: string | null;
  acknowledgedByName: string | null;
}

export interface ReportFilesTable {
  reportId: string;
  /** e.g. report.ja.html, report.en.pdf, ja/breaches.csv */
  name: string;
  contentType: string;
  /** utf8 | base64 */
  encoding: string;
  body: string;
  size: number;
}

export interface ReportSendsTable {
  id: string;
  reportId: string;
  sentAt: number;
  sentBy: string;
  /** JSON array of e-mail addresses. */
  recipients: string;
}

export interface ReportsDB {
  reports: ReportsTable;
  reportFiles: ReportFilesTable;
  reportSends: ReportSendsTable;
}

export const reportsTableColumns = {
  reports: [
    'id', 'number', 'contractId', 'clientId', 'month', 'revision', 'issuedAt', 'issuedBy', 'issuedByName', 'note', 'figures',
    'acknowledgedAt', 'acknowledgedBy', 'acknowledgedByName',
  ],
  reportFiles: ['reportId', 'name', 'contentType', 'encoding', 'body', 'size'],
  reportSends: ['id', 'reportId', 'sentAt', 'sentBy', 'recipients'],
} as const;
