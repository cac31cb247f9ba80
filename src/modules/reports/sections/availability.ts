/** Availability and downtime per system (planned maintenance excluded, overruns counted, unknown shown apart) and each outage. */
import { barChart, CHART_COLORS } from '../../../render/charts.ts';
import { esc, table } from '../report.format.ts';
import { csvRows, type ReportFigure, type ReportSection } from './section.ts';

export const availabilitySection: ReportSection = {
  id: 'availability',
  html(ctx) {
    const a = ctx.data.availability;
    const all = [...a.systems, ...(a.contract && a.systems.length > 1 ? [{ ...a.contract, name: ctx.t('report.availability.contract') }] : [])];
    if (!all.length) return `<section id="s-availability"><h2>${ctx.t('report.sections.availability')}</h2><p class="muted">${ctx.t('report.availability.none')}</p></section>`;
    const t = table(
      ['system', 'availability', 'worstCase', 'service', 'planned', 'downtime', 'overrun', 'unknown'].map((h) => ctx.t(`report.col.${h}`)),
      all.map((s) => [esc(s.name), ctx.pct(s.availability, 3), ctx.pct(s.worstCase, 3), ctx.dur(s.serviceMs), ctx.dur(s.plannedMs), ctx.dur(s.downtimeMs), ctx.dur(s.overrunMs), ctx.dur(s.unknownMs)]),
    );
    const chart = a.systems.some((s) => s.availability !== null) ? barChart({
      title: ctx.t('report.chart.availability'), horizontal: true, unit: '%',
      categories: a.systems.map((s) => s.name),
      series: [{ name: ctx.t('report.col.availability'), data: a.systems.map((s) => (s.availability === null ? null : Math.round(s.availability * 100_000) / 1000)), color: CHART_COLORS.met }],
      height: 60 + 40 * Math.max(1, a.systems.length),
    }) : '';
    const outages = ctx.data.outages.length
      ? table(
        ['system', 'start', 'end', 'duration', 'incident'].map((h) => ctx.t(`report.col.${h}`)),
        ctx.data.outages.map((o) => [esc(o.systemName), ctx.at(o.startedAt), o.endedAt === null ? ctx.t('report.availability.ongoing') : ctx.at(o.endedAt), ctx.dur(o.durationMs),
          o.incidentNumber !== null ? ctx.inc(o.incidentNumber) : o.muted ? ctx.t('report.availability.duringMaintenance') : '']),
      )
      : `<p class="muted">${ctx.t('report.availability.noOutages')}</p>`;
    return `<section id="s-availability"><h2>${ctx.t('report.sections.availability')}</h2>${t}<p class="muted">${ctx.t('report.availability.note')}</p><div class="chart">${chart}</div><h3>${ctx.t('report.availability.outages')}</h3>${outages}</section>`;
  },
  tables: (ctx) => [
    {
      name: 'availability',
      header: ['system', 'availability', 'worst_case', 'service_minutes', 'planned_minutes', 'downtime_minutes', 'overrun_minutes', 'unknown_minutes'].map((h) => ctx.t(`report.csv.${h}`)),
      rows: [...ctx.data.availability.systems, ...(ctx.data.availability.contract ? [{ ...ctx.data.availability.contract, name: ctx.t('report.availability.contract') }] : [])].map((s) => [
        s.name, s.availability === null ? '' : (s.availability * 100).toFixed(3), s.worstCase === null ? '' : (s.worstCase * 100).toFixed(3),
        Math.round(s.serviceMs / 60_000), Math.round(s.plannedMs / 60_000), Math.round(s.downtimeMs / 60_000), Math.round(s.overrunMs / 60_000), Math.round(s.unknownMs / 60_000),
      ]),
    },
    {
      name: 'outages',
      header: ['system', 'start', 'end', 'duration_minutes', 'number', 'during_maintenance'].map((h) => ctx.t(`report.csv.${h}`)),
      rows: csvRows(ctx.data.outages, (o) => [o.systemName, ctx.at(o.startedAt), ctx.at(o.endedAt), Math.round(o.durationMs / 60_000), o.incidentNumber ?? '', o.muted ? 1 : 0]),
    },
  ],
  figures(d, c) {
    const out: Record<string, ReportFigure> = {};
    for (const s of d.availability.systems) {
      const pct = s.availability === null ? null : Number((s.availability * 100).toFixed(3));
      out[`availability.${s.name}`] = { value: pct, label: c.t('report.figure.availability', { system: s.name }), text: pct === null ? '—' : `${pct.toFixed(3)}%` };
      const min = Math.round(s.downtimeMs / 60_000);
      out[`downtime.${s.name}`] = { value: min, label: c.t('report.figure.downtime', { system: s.name }), text: c.dur(min * 60_000) };
    }
    return out;
  },
};
