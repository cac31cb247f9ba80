/** Incidents received in the month, by priority and category, in and out of scope; weekly chart. */
import { REPORT_CATEGORIES, REPORT_PRIORITIES } from '../../../core/report/compute.ts';
import { barChart, CHART_COLORS } from '../../../render/charts.ts';
import { esc, table } from '../report.format.ts';
import { count, csvField, csvRows, mergedLines, type ReportFigure, type ReportSection } from './section.ts';

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
    const s = f.settledRows;
    // Instants ('YYYY-MM-DD HH:mm') and numbers never need quotes.
    const line = (n: number, title: string, priority: string, category: string, status: string, inScope: boolean, billable: boolean, receivedAt: number, recognizedAt: number | null,
      policyVersion: number, receivedInMonth: boolean): string =>
      `${n},${csvField(title)},${csvField(ctx.label('report.priority', priority))},${csvField(ctx.label('report.category', category))},${csvField(ctx.label('status', status))},`
      + `${inScope ? 1 : 0},${billable ? 1 : 0},${ctx.at(receivedAt)},${ctx.at(recognizedAt)},${policyVersion},${receivedInMonth ? 1 : 0}\r\n`;
    return [
      {
        name: 'incidents',
        header: ['number', 'title', 'priority', 'category', 'status', 'in_scope', 'billable', 'received_at', 'recognized_at', 'policy_version', 'received_in_month']
          .map((h) => ctx.t(`report.csv.${h}`)),
        lines: mergedLines(
          f.incidentRows,
          (r) => line(r.number, r.title, r.priority, r.category, r.status, r.inScope, r.billable, r.receivedAt, r.recognizedAt, r.policyVersion, r.receivedInMonth),
          s,
          // Settled (figures split for the CSV): in scope and received in the month by definition.
          (k) => line(s!.number[k]!, s!.title[k]!, REPORT_PRIORITIES[s!.priority[k]!]!, REPORT_CATEGORIES[s!.category[k]!]!, s!.status[k]!, true, s!.billable[k]!,
            s!.receivedAt[k]!, Number.isNaN(s!.recognizedAt[k]!) ? null : s!.recognizedAt[k]!, s!.policyVersion[k]!, true),
        ),
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
