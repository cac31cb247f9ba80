/**
 * Risks of the month: risks registered, level changes (from the score history), reviews done
 * and reviews overdue at month end, residual risks accepted — each with its criteria version.
 * Read through the risk module's reader (`sources.risks`).
 */
import { esc, table, type RenderContext } from '../report.format.ts';
import type { RisksReportData } from '../report.sources.ts';
import { count, recordLink, sectionFrame, type ReportFigure, type ReportSection } from './section.ts';

const ID = 'risks';
const dataOf = (sections: Record<string, unknown>) => sections[ID] as RisksReportData | undefined;
const ref = (n: number) => `R-${n}`;
const link = (r: { id: string; number: number }) => recordLink(`/risks/${r.id}`, ref(r.number));
const level = (ctx: RenderContext, l: string | null) => (l === null ? '—' : ctx.t(`risk.level.${l}`));
const change = (ctx: RenderContext, a: string | null, b: string | null) => (a === b ? level(ctx, b) : `${level(ctx, a)} → ${level(ctx, b)}`);

function empty(d: RisksReportData): boolean {
  return !d.newRisks.length && !d.levelChanges.length && !d.reviewsDone.length && !d.reviewsOverdue.length && !d.acceptances.length;
}

export const risksSection: ReportSection = {
  id: ID,
  collect: (q) => q.sources.risks?.(q.contractId, q.from, q.to, q.asOf) ?? Promise.resolve(undefined),
  html(ctx) {
    const d = dataOf(ctx.data.sections);
    if (!d || empty(d)) return sectionFrame(ctx, ID, null);
    const k = (key: string) => ctx.t(`report.risks.col.${key}`);
    const part = (title: string, body: string) => `<h3>${ctx.t(`report.risks.${title}`)}</h3>${body || `<p class="muted">${ctx.t('report.section.none')}</p>`}`;
    const counts = `<p>${ctx.t('report.risks.counts', {
      created: d.newRisks.length, changed: d.levelChanges.length, reviewed: d.reviewsDone.length, overdue: d.reviewsOverdue.length, accepted: d.acceptances.length,
    })}</p>`;
    const body = [
      counts,
      part('new', table(['risk', 'title', 'registered', 'inherent', 'residual', 'criteria'].map(k),
        d.newRisks.map((r) => [link(r), esc(r.title), ctx.at(r.createdAt), level(ctx, r.inherentLevel), level(ctx, r.residualLevel), `v${r.criteriaVersion}`]))),
      part('levelChanges', table(['risk', 'title', 'at', 'inherent', 'residual', 'criteria', 'reason'].map(k),
        d.levelChanges.map((c) => [link(c), esc(c.title), ctx.at(c.at), change(ctx, c.inherentFrom, c.inherentTo), change(ctx, c.residualFrom, c.residualTo), `v${c.criteriaVersion}`, esc(c.reason)]))),
      part('reviewsDone', table(['risk', 'title', 'reviewedAt'].map(k), d.reviewsDone.map((v) => [link(v), esc(v.title), ctx.at(v.at)]))),
      part('reviewsOverdue', table(['risk', 'title', 'reviewDue', 'overdueSince', 'criteria'].map(k),
        d.reviewsOverdue.map((v) => [link(v), esc(v.title), ctx.at(v.nextReviewAt), ctx.at(v.overdueAt), `v${v.criteriaVersion}`]))),
      part('acceptances', table(['risk', 'title', 'acceptedAt', 'acceptedBy', 'residual', 'expires', 'criteria'].map(k),
        d.acceptances.map((a) => [link(a), esc(a.title), ctx.at(a.acceptedAt), esc(a.acceptedName), `${level(ctx, a.residualLevel)} (${a.residualScore})`, esc(a.expiresOn), `v${a.criteriaVersion}`]))),
      d.criteriaVersion === null ? '' : `<p class="muted">${ctx.t('report.risks.note', { version: d.criteriaVersion })}</p>`,
    ].join('');
    return sectionFrame(ctx, ID, body);
  },
  tables(ctx) {
    const d = dataOf(ctx.data.sections);
    const ev = (e: string) => ctx.t(`report.risks.event.${e}`);
    const rows: Array<Array<string | number | null>> = [];
    if (d) {
      for (const r of d.newRisks) rows.push([ev('new'), ref(r.number), r.title, ctx.at(r.createdAt), '', level(ctx, r.inherentLevel), '', level(ctx, r.residualLevel), r.criteriaVersion, '']);
      for (const c of d.levelChanges) rows.push([ev('levelChange'), ref(c.number), c.title, ctx.at(c.at), level(ctx, c.inherentFrom), level(ctx, c.inherentTo), level(ctx, c.residualFrom), level(ctx, c.residualTo), c.criteriaVersion, c.reason]);
      for (const v of d.reviewsDone) rows.push([ev('review'), ref(v.number), v.title, ctx.at(v.at), '', '', '', '', '', '']);
      for (const v of d.reviewsOverdue) rows.push([ev('overdue'), ref(v.number), v.title, ctx.at(v.overdueAt), '', '', '', '', v.criteriaVersion, '']);
      for (const a of d.acceptances) rows.push([ev('acceptance'), ref(a.number), a.title, ctx.at(a.acceptedAt), '', '', '', level(ctx, a.residualLevel), a.criteriaVersion, `${a.acceptedName} / ${a.expiresOn}`]);
    }
    return [{
      name: 'risks',
      header: ['event', 'number', 'title', 'at', 'inherent_from', 'inherent_to', 'residual_from', 'residual_to', 'criteria_version', 'detail'].map((h) => ctx.t(`report.csv.${h}`)),
      rows,
    }];
  },
  figures(data, c): Record<string, ReportFigure> {
    const d = dataOf(data.sections);
    if (!d) return {};
    return {
      'risks.new': count(c.t('report.figure.riskNew'), d.newRisks.length), 'risks.levelChanges': count(c.t('report.figure.riskLevelChanges'), d.levelChanges.length),
      'risks.reviewsDone': count(c.t('report.figure.riskReviewsDone'), d.reviewsDone.length),
      'risks.reviewsOverdue': count(c.t('report.figure.riskReviewsOverdue'), d.reviewsOverdue.length),
      'risks.acceptances': count(c.t('report.figure.riskAcceptances'), d.acceptances.length),
    };
  },
};
