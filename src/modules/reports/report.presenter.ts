/** Reports as the API shows them: instants as ISO strings, the data as a summary (the details are in the HTML/CSV). */
import { toIso, toIsoOrNull } from '../../contract/common.ts';
import type { IssuedReportBody, ReportMetaBody, ReportPreviewBody } from '../../contract/reports.ts';
import type { ReportData } from './report.data.ts';
import type { IssuedReport, ReportMeta } from './report.service.ts';

export const presentReportMeta = (r: ReportMeta): ReportMetaBody => ({
  id: r.id, number: r.number, contractId: r.contractId, clientId: r.clientId, month: r.month, revision: r.revision, issuedAt: toIso(r.issuedAt),
  issuedByName: r.issuedByName, note: r.note, acknowledgedAt: toIsoOrNull(r.acknowledgedAt), acknowledgedByName: r.acknowledgedByName,
});

export function presentSummary(d: ReportData): ReportPreviewBody['summary'] {
  const f = d.figures;
  const resolve = f.attainment.filter((a) => a.kind === 'resolve');
  const ended = resolve.reduce((s, a) => s + a.met + a.metLate + a.breached, 0);
  return {
    incidents: f.incidents.total, inScope: f.incidents.inScope, outOfScope: f.incidents.outOfScope, breaches: f.breaches.length,
    openAtMonthEnd: f.openAtMonthEnd.length, resolveRate: ended ? resolve.reduce((s, a) => s + a.met, 0) / ended : null,
    availability: d.availability.contract?.availability ?? null, lagMedianMs: f.lag.medianMs, policyVersions: f.policyVersions,
    breachList: f.breaches.map((b) => ({ number: b.number, title: b.title, kind: b.kind, dueAt: toIso(b.dueAt), metAt: toIsoOrNull(b.metAt), lateMs: b.lateMs, businessTime: b.businessTime })),
  };
}

export const presentPreview = (p: { data: ReportData; issued: ReportMeta[] }, pdfAvailable: boolean): ReportPreviewBody => ({
  contractId: p.data.contract.id, contractName: p.data.contract.name, clientName: p.data.contract.clientName, month: p.data.month,
  timeZone: p.data.contract.timeZone, asOf: toIso(p.data.figures.asOf), summary: presentSummary(p.data), issued: p.issued.map(presentReportMeta), pdfAvailable,
});

export const presentIssued = (r: IssuedReport, pdfAvailable: boolean): IssuedReportBody => ({
  report: presentReportMeta(r.report), contractName: r.data.contract.name, clientName: r.data.contract.clientName, summary: presentSummary(r.data),
  files: r.files, sends: r.sends.map((s) => ({ ...s, sentAt: toIso(s.sentAt) })), changes: r.changes, pdfAvailable,
});
