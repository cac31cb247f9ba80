/** API shapes of the monthly SLA report (/api/v1/reports…). */
import { z } from 'zod';
import { Id, Instant, Locale, Text } from './common.ts';

export const MonthKey = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/).describe('month "YYYY-MM" in the contract\'s time zone');
/** A month key as people write it: "2026年11月", "November 2026" — the report's cover, its mail and the web's report pages. */
export function monthLabel(month: string, lang: 'ja' | 'en'): string {
  return monthWords(month, lang, 'long', true);
}

function monthWords(month: string, lang: 'ja' | 'en', width: 'long' | 'short', withYear: boolean): string {
  const [y, m] = month.split('-');
  if (lang === 'ja') return withYear ? `${y}年${Number(m)}月` : `${Number(m)}月`;
  return new Date(Date.UTC(Number(y), Number(m) - 1, 1)).toLocaleString('en-GB', { month: width, ...(withYear ? { year: 'numeric' } : {}), timeZone: 'UTC' });
}

/**
 * Months along a chart's axis: the year only where it starts or changes (2026年7月, 8月, … 2027年1月 /
 * Jul 2026, Aug, … Jan 2027) — six full labels do not fit side by side, and 2026-07 is not a reader's word.
 */
export function monthTicks(months: readonly string[], lang: 'ja' | 'en'): string[] {
  return months.map((month, i) => monthWords(month, lang, 'short', i === 0 || month.endsWith('-01')));
}

export const REPORT_CSV_TABLES = ['incidents', 'out_of_scope', 'attainment', 'breaches', 'open_at_month_end', 'lag', 'availability', 'outages', 'maintenance',
  'change_requests', 'risks', 'security_incidents', 'security_reports'] as const;
export const ReportCsvTable = z.enum(REPORT_CSV_TABLES);

export const ReportMonthParams = z.object({ contractId: Id, month: MonthKey });
export const ReportMonthTableParams = ReportMonthParams.extend({ table: ReportCsvTable });
export const ReportTableParams = z.object({ id: Id, table: ReportCsvTable });
export const LangQuery = z.object({ lang: Locale.default('ja') });
export const OptionalLangQuery = z.object({ lang: Locale.optional() });
export const ReportListQuery = z.object({
  contractId: Id.optional(),
  month: MonthKey.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

export const IssueReportBody = z.strictObject({
  contractId: Id,
  month: MonthKey,
  note: Text.max(2000).optional().describe('why this revision (版数) was issued'),
});

export const ReportMeta = z.object({
  id: Id,
  number: z.number().int().describe('report number (sequential per desk)'),
  contractId: Id,
  clientId: Id,
  month: MonthKey,
  revision: z.number().int().describe('版数: 1, then 2, 3… for revisions; earlier revisions are kept'),
  issuedAt: Instant,
  issuedByName: z.string(),
  note: z.string(),
  acknowledgedAt: Instant.nullable(),
  acknowledgedByName: z.string().nullable(),
}).meta({ id: 'ReportMeta' });
export type ReportMetaBody = z.infer<typeof ReportMeta>;

export const ReportSummary = z.object({
  incidents: z.number().int(),
  inScope: z.number().int(),
  outOfScope: z.number().int(),
  breaches: z.number().int(),
  openAtMonthEnd: z.number().int(),
  /** Resolution targets met ÷ ended; null when none ended. */
  resolveRate: z.number().nullable(),
  availability: z.number().nullable(),
  lagMedianMs: z.number().nullable(),
  policyVersions: z.array(z.number().int()),
  breachList: z.array(z.object({ number: z.number().int(), title: z.string(), kind: z.string(), dueAt: Instant, metAt: Instant.nullable(), lateMs: z.number(),
    businessTime: z.boolean().describe('lateMs is working time on the contract calendar (a business-hours target), not wall time') })),
});

export const ReportPreview = z.object({
  contractId: Id,
  contractName: z.string(),
  clientName: z.string(),
  month: MonthKey,
  timeZone: z.string(),
  asOf: Instant,
  summary: ReportSummary,
  issued: z.array(ReportMeta),
  pdfAvailable: z.boolean().describe('false where the desk has no Chromium: PDF answers render.pdf_unavailable'),
}).meta({ id: 'ReportPreview' });
export type ReportPreviewBody = z.infer<typeof ReportPreview>;

export const FigureChange = z.object({
  key: z.string().describe('the figure\'s stable key, e.g. attainment.resolve.urgent.breached'),
  label: z.string().describe('the figure\'s name for the reader, e.g. "SLA達成状況: 解決・緊急・違反"'),
  issued: z.union([z.number(), z.string()]).nullable().describe('the value compared (count, minutes, percent or a short state); null where the figure did not exist'),
  now: z.union([z.number(), z.string()]).nullable(),
  issuedText: z.string().describe('the issued value as the report shows it, e.g. "1:30" or "99.950%"'),
  nowText: z.string(),
});

export const IssuedReport = z.object({
  report: ReportMeta,
  contractName: z.string(),
  clientName: z.string(),
  summary: ReportSummary,
  files: z.array(z.object({ name: z.string(), contentType: z.string(), size: z.number().int() })),
  sends: z.array(z.object({ id: Id, sentAt: Instant, recipients: z.array(z.string()) })),
  changes: z.array(FigureChange).nullable().describe('staff only: figures that differ from today\'s data ("changed since issue"); null for contacts'),
  pdfAvailable: z.boolean(),
}).meta({ id: 'IssuedReport' });
export type IssuedReportBody = z.infer<typeof IssuedReport>;

export const ReportSend = z.object({ id: Id, sentAt: Instant, recipients: z.array(z.string()) });
