/**
 * Security incidents of the month (discovered in it): kind, discovered, reported to the
 * client against its target (met / breached, how late); reports issued in the month (first,
 * follow-up, final); out-of-scope decisions of the month.
 * Read through the security-incident module's reader (`sources.securityIncidents`).
 */
import { esc, table } from '../report.format.ts';
import type { SecurityIncidentsReportData } from '../report.sources.ts';
import { count, csvRows, recordLink, type ReportFigure, type ReportSection, sectionFrame } from './section.ts';

const ID = 'securityIncidents';
const dataOf = (sections: Record<string, unknown>) => sections[ID] as SecurityIncidentsReportData | undefined;
const ref = (n: number) => `S-${n}`;
const link = (id: string, number: number) => recordLink(`/security/${id}`, ref(number));

export const securityIncidentsSection: ReportSection = {
  id: ID,
  collect: (q) => q.sources.securityIncidents?.(q.contractId, q.from, q.to, q.asOf) ?? Promise.resolve(undefined),
  html(ctx) {
    const d = dataOf(ctx.data.sections);
    if (!d || (!d.items.length && !d.reports.length && !d.outOfScope.length)) return sectionFrame(ctx, ID, null);
    const k = (key: string) => ctx.t(`report.securityIncidents.col.${key}`);
    const none = `<p class="muted">${ctx.t('report.section.none')}</p>`;
    const counts = `<p>${ctx.t('report.securityIncidents.counts', {
      count: d.items.length, met: d.items.filter((i) => i.outcome === 'met').length, breached: d.items.filter((i) => i.outcome === 'breached').length,
      reports: d.reports.length, outOfScope: d.outOfScope.length,
    })}</p>`;
    const items = table(['incident', 'title', 'kind', 'discovered', 'due', 'reported', 'outcome', 'lateBy'].map(k), d.items.map((i) => [
      link(i.id, i.number), `${esc(i.title)}${i.inScope ? '' : ` <span class="muted">(${ctx.t('report.outOfScope')})</span>`}`, ctx.t(`report.securityKind.${i.kind}`),
      ctx.at(i.discoveredAt), ctx.at(i.reportDueAt), i.reportedAt === null ? ctx.t('report.securityIncidents.notReported') : ctx.at(i.reportedAt),
      ctx.t(`report.securityIncidents.outcome.${i.outcome}`), ctx.dur(i.lateMs),
    ]));
    const reports = table(['incident', 'report', 'title', 'issuedAt'].map(k), d.reports.map((r) => [
      link(r.incidentId, r.incidentNumber), `${ctx.t(`report.securityReportKind.${r.kind}`)} (#${r.seq})`, esc(r.title), ctx.at(r.issuedAt),
    ]));
    const oos = table(['incident', 'title', 'condition', 'reason', 'decidedAt'].map(k), d.outOfScope.map((o) => [
      link(o.incidentId, o.incidentNumber), esc(o.title), o.condition === null ? '' : ctx.t(`report.securityCondition.${o.condition}`), esc(o.reason ?? ''), ctx.at(o.decidedAt),
    ]));
    const body = `${counts}${items || none}<h3>${ctx.t('report.securityIncidents.reports')}</h3>${reports || none}`
      + `<h3>${ctx.t('report.securityIncidents.outOfScope')}</h3>${oos || none}<p class="muted">${ctx.t('report.securityIncidents.note')}</p>`;
    return sectionFrame(ctx, ID, body);
  },
  tables(ctx) {
    const d = dataOf(ctx.data.sections);
    return [
      {
        name: 'security_incidents',
        header: ['number', 'title', 'kind', 'in_scope', 'discovered_at', 'report_due', 'reported_at', 'outcome', 'late_minutes'].map((h) => ctx.t(`report.csv.${h}`)),
        rows: csvRows(d?.items ?? [], (i) => [
          ref(i.number), i.title, ctx.t(`report.securityKind.${i.kind}`), i.inScope ? 1 : 0, ctx.at(i.discoveredAt), ctx.at(i.reportDueAt), ctx.at(i.reportedAt),
          ctx.t(`report.securityIncidents.outcome.${i.outcome}`), i.lateMs === null ? '' : Math.round(i.lateMs / 60_000),
        ]),
      },
      {
        name: 'security_reports',
        header: ['number', 'report_kind', 'seq', 'title', 'issued_at'].map((h) => ctx.t(`report.csv.${h}`)),
        rows: csvRows(d?.reports ?? [], (r) => [ref(r.incidentNumber), ctx.t(`report.securityReportKind.${r.kind}`), r.seq, r.title, ctx.at(r.issuedAt)]),
      },
    ];
  },
  figures(data, c): Record<string, ReportFigure> {
    const d = dataOf(data.sections);
    if (!d) return {};
    return {
      'securityIncidents.count': count(c.t('report.figure.secCount'), d.items.length),
      'securityIncidents.breached': count(c.t('report.figure.secBreached'), d.items.filter((i) => i.outcome === 'breached').length),
      'securityIncidents.reports': count(c.t('report.figure.secReports'), d.reports.length),
      'securityIncidents.outOfScope': count(c.t('report.figure.secOutOfScope'), d.outOfScope.length),
    };
  },
};
