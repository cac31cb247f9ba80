/** Start-of-work, resolution and solution-proposed attainment per priority: met, met late, breached, open at month end. */
import { REPORT_TARGET_KINDS } from '../../../core/report/compute.ts';
import { stackedBarChart, CHART_COLORS } from '../../../render/charts.ts';
import { table } from '../report.format.ts';
import { count, csvRows, type ReportFigure, type ReportSection } from './section.ts';

export const attainmentSection: ReportSection = {
  id: 'attainment',
  html(ctx) {
    const rows = ctx.data.figures.attainment;
    const body = rows.map((a) => {
      const k = `attainment.${a.kind}.${a.priority}`;
      return [
        ctx.t(`report.kind.${a.kind}`), ctx.t(`report.priority.${a.priority}`), ctx.n(`${k}.met`, a.met), ctx.n(`${k}.metLate`, a.metLate),
        ctx.n(`${k}.breached`, a.breached), ctx.n(`${k}.open`, a.open), ctx.pct(a.rate), a.policyVersions.map((v) => `v${v}`).join(', '),
      ];
    });
    const charts = REPORT_TARGET_KINDS.map((kind) => {
      const rs = rows.filter((r) => r.kind === kind);
      return stackedBarChart({
        title: ctx.t(`report.kind.${kind}`),
        categories: rs.map((r) => ctx.t(`report.priority.${r.priority}`)),
        series: [
          { name: ctx.t('report.outcome.met'), data: rs.map((r) => r.met), color: CHART_COLORS.met },
          { name: ctx.t('report.outcome.metLate'), data: rs.map((r) => r.metLate), color: CHART_COLORS.late },
          { name: ctx.t('report.outcome.breached'), data: rs.map((r) => r.breached), color: CHART_COLORS.breached },
          { name: ctx.t('report.outcome.open'), data: rs.map((r) => r.open), color: CHART_COLORS.open },
        ],
        width: 320, height: 220,
      });
    });
    const versions = ctx.data.figures.policyVersions.map((v) => `v${v}`).join(', ');
    return `<section id="s-attainment"><h2>${ctx.t('report.sections.attainment')}</h2>${table(
      ['kind', 'priority', 'met', 'metLate', 'breached', 'open', 'rate', 'policyVersion'].map((h) => ctx.t(`report.col.${h}`)), body,
    )}<p class="muted">${ctx.t('report.attainment.note', { versions: versions || '—' })}</p><div class="charts">${charts.map((c) => `<div class="chart">${c}</div>`).join('')}</div></section>`;
  },
  tables: (ctx) => [{
    name: 'attainment',
    header: ['kind', 'priority', 'met', 'met_late', 'breached', 'open', 'rate', 'policy_versions'].map((h) => ctx.t(`report.csv.${h}`)),
    rows: csvRows(ctx.data.figures.attainment, (a) => [
      ctx.t(`report.kind.${a.kind}`), ctx.t(`report.priority.${a.priority}`), a.met, a.metLate, a.breached, a.open,
      a.rate === null ? '' : (a.rate * 100).toFixed(1), a.policyVersions.join(' '),
    ]),
  }],
  figures(d, c) {
    const out: Record<string, ReportFigure> = {};
    for (const a of d.figures.attainment) {
      for (const o of ['met', 'metLate', 'breached', 'open'] as const) {
        const label = c.t('report.figure.attainment', { kind: c.t(`report.kind.${a.kind}`), priority: c.t(`report.priority.${a.priority}`), outcome: c.t(`report.outcome.${o}`) });
        out[`attainment.${a.kind}.${a.priority}.${o}`] = count(label, a[o]);
      }
    }
    return out;
  },
};
