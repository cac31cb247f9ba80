/** Received → recognized lag: median, p90, max and the distribution, so a late recognition cannot hide. */
import { barChart, CHART_COLORS } from '../../../render/charts.ts';
import { table } from '../report.format.ts';
import { lagOf } from '../../../core/report/compute.ts';
import { count, mergedLines, type ReportFigure, type ReportSection } from './section.ts';

/** A bucket of the core ('≦5m', '>1d') in the reader's words ('5分以内', '≤ 5 min'); one not in the catalog as it is. */
function bucketLabel(t: (key: string) => string, bucket: string): string {
  const key = `report.lagBucket.${bucket.replace('≦', 'le').replace('>', 'gt')}`;
  const label = t(key);
  return label === key ? bucket : label;
}

export const lagSection: ReportSection = {
  id: 'lag',
  html(ctx) {
    const l = ctx.data.figures.lag;
    const t = table(
      ['count', 'median', 'p90', 'max', 'unrecognized'].map((h) => ctx.t(`report.col.${h}`)),
      [[ctx.n('lag.all', l.count), ctx.dur(l.medianMs), ctx.dur(l.p90Ms), ctx.n('lag.max', ctx.dur(l.maxMs) || '—'), ctx.n('lag.unrecognized', l.unrecognized)]],
      'narrow',
    );
    const chart = barChart({
      title: ctx.t('report.chart.lag'),
      categories: l.distribution.map((d) => bucketLabel(ctx.t, d.bucket)),
      series: [{ name: ctx.t('report.col.count'), data: l.distribution.map((d) => d.count), color: CHART_COLORS.secondary }],
      height: 220,
    });
    return `<section id="s-lag"><h2>${ctx.t('report.sections.lag')}</h2>${t}<div class="chart">${chart}</div></section>`;
  },
  tables(ctx) {
    const f = ctx.data.figures;
    const s = f.settledRows;
    // Nothing here ever needs quotes (numbers and 'YYYY-MM-DD HH:mm').
    const line = (n: number, receivedAt: number, recognizedAt: number | null, lagMs: number | null): string =>
      `${n},${ctx.at(receivedAt)},${ctx.at(recognizedAt)},${lagMs === null ? '' : (lagMs / 60_000).toFixed(1)}\r\n`;
    return [{
      name: 'lag',
      header: ['number', 'received_at', 'recognized_at', 'lag_minutes'].map((h) => ctx.t(`report.csv.${h}`)),
      lines: mergedLines(f.lagRows, (r) => line(r.number, r.receivedAt, r.recognizedAt, r.lagMs), s, (k) => {
        // Settled (figures split for the CSV): the core's rule for a lag row, from the columns.
        const recognized = Number.isNaN(s!.recognizedAt[k]!) ? null : s!.recognizedAt[k]!;
        const lag = lagOf(s!.receivedAt[k]!, recognized, f.asOf);
        return line(s!.number[k]!, s!.receivedAt[k]!, lag === null ? null : recognized, lag);
      }),
    }];
  },
  figures(d, c) {
    const l = d.figures.lag;
    const dur = (label: string, ms: number | null): ReportFigure => ({ value: ms, label: c.t(label), text: c.dur(ms) || '—' });
    return {
      'lag.median': dur('report.figure.lagMedian', l.medianMs), 'lag.p90': dur('report.figure.lagP90', l.p90Ms), 'lag.max': dur('report.figure.lagMax', l.maxMs),
      'lag.unrecognized': count(c.t('report.figure.unrecognized'), l.unrecognized),
    };
  },
};
