/** Incidents received in the month, by priority and category, in and out of scope; weekly chart. */
import { REPORT_CATEGORIES, REPORT_PRIORITIES } from '../../../core/report/compute.ts';
import { barChart, CHART_COLORS } from '../../../render/charts.ts';
import { esc, table } from '../report.format.ts';
import { count, csvRows, type ReportFigure, type ReportSection } from './section.ts';

export const incidentsSection: ReportSection = {
  id: 'incidents',
  html(ctx) {
    const f = ctx.data.figures;
    const prio = table(
      [ctx.t('report.col.priority'), ctx.t('report.col.count')],
      REPORT_PRIORITIES.map((p) => [ctx.t(`report.priority.${p}`), ctx.n(`incidents.priority.${p}`, f.incidents.byPriority[p] ?? 0)]),
      'narrow',
    );
    const cat = table(
      [ctx.t('report.col.category'), ctx.t('report.col.count')],
      REPORT_CATEGORIES.map((c) => [ctx.t(`report.category.${c}`), ctx.n(`incidents.category.${c}`, f.incidents.byCategory[c] ?? 0)]),
      'narrow',
    );
    const scope = `<p>${ctx.t('report.incidents.scope', { inScope: ctx.n('incidents.inScope', f.incidents.inScope), outOfScope: ctx.n('incidents.outOfScope', f.incidents.outOfScope) })}</p>`;
    const chart = barChart({
      title: ctx.t('report.chart.weekly'),
      categories: f.weekly.map((w) => ctx.t('report.chart.weekOf', { date: w.week.slice(5).replace('-', '/') })),
      series: [
        { name: ctx.t('report.chart.received'), data: f.weekly.map((w) => w.received), color: CHART_COLORS.primary },
        { name: ctx.t('report.chart.breached'), data: f.weekly.map((w) => w.breached), color: CHART_COLORS.breached },
      ],
      height: 240,
    });
    const oos = f.outOfScope.length
      ? `<h3>${ctx.t('report.incidents.outOfScopeList')}</h3>${table(
        [ctx.t('report.col.incident'), ctx.t('report.col.title'), ctx.t('report.col.category'), ctx.t('report.col.reason'), ctx.t('report.col.billable')],
        f.outOfScope.map((o) => [ctx.inc(o.number), esc(o.title), ctx.label('report.category', o.category), esc(o.reason ?? ''), o.billable ? ctx.t('report.billable') : '']),
      )}<p class="muted">${ctx.t('report.incidents.outOfScopeNote')}</p>`
      : '';
    return `<section id="s-incidents"><h2>${ctx.t('report.sections.incidents')}</h2>${scope}<div class="row">${prio}${cat}</div><div class="chart">${chart}</div>${oos}</section>`;
  },
  tables(ctx) {
    const f = ctx.data.figures;
    return [
      {
        name: 'incidents',
        header: ['number', 'title', 'priority', 'category', 'status', 'in_scope', 'billable', 'received_at', 'recognized_at', 'policy_version', 'received_in_month']
          .map((h) => ctx.t(`report.csv.${h}`)),
        rows: csvRows(f.incidentRows, (r) => [
          r.number, r.title, ctx.label('report.priority', r.priority), ctx.label('report.category', r.category), ctx.label('status', r.status), r.inScope ? 1 : 0, r.billable ? 1 : 0,
          ctx.at(r.receivedAt), ctx.at(r.recognizedAt), r.policyVersion, r.receivedInMonth ? 1 : 0,
        ]),
      },
      {
        name: 'out_of_scope',
        header: ['number', 'title', 'category', 'reason', 'billable'].map((h) => ctx.t(`report.csv.${h}`)),
        rows: csvRows(f.outOfScope, (o) => [o.number, o.title, ctx.label('report.category', o.category), o.reason ?? '', o.billable ? 1 : 0]),
      },
    ];
  },
  figures(d, c) {
    const out: Record<string, ReportFigure> = {
      'incidents.inScope': count(c.t('report.figure.inScope'), d.figures.incidents.inScope),
      'incidents.outOfScope': count(c.t('report.figure.outOfScope'), d.figures.incidents.outOfScope),
    };
    for (const [p, n] of Object.entries(d.figures.incidents.byPriority)) out[`incidents.priority.${p}`] = count(c.t('report.figure.byPriority', { priority: c.t(`report.priority.${p}`) }), n);
    for (const [k, n] of Object.entries(d.figures.incidents.byCategory)) out[`incidents.category.${k}`] = count(c.t('report.figure.byCategory', { category: c.t(`report.category.${k}`) }), n);
    return out;
  },
};
