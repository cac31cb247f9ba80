/** Cover facts and the month's key figures at a glance. */
import { count, type ReportSection } from './section.ts';

export const summarySection: ReportSection = {
  id: 'summary',
  html(ctx) {
    const f = ctx.data.figures;
    const breaches = f.breaches.length;
    const resolve = f.attainment.filter((a) => a.kind === 'resolve');
    const met = resolve.reduce((s, a) => s + a.met, 0);
    const ended = resolve.reduce((s, a) => s + a.met + a.metLate + a.breached, 0);
    const av = ctx.data.availability.contract?.availability ?? null;
    const card = (label: string, value: string) => `<div class="card"><div class="label">${label}</div><div class="value">${value}</div></div>`;
    return `<section id="s-summary"><h2>${ctx.t('report.sections.summary')}</h2><div class="cards">${[
      card(ctx.t('report.summary.incidents'), ctx.n('incidents.total', f.incidents.total)),
      card(ctx.t('report.summary.breaches'), ctx.n('breaches', breaches)),
      card(ctx.t('report.summary.resolveRate'), ended ? ctx.pct(met / ended) : '—'),
      card(ctx.t('report.summary.open'), ctx.n('open', f.openAtMonthEnd.length)),
      card(ctx.t('report.summary.availability'), ctx.pct(av, 2)),
    ].join('')}</div></section>`;
  },
  figures: (d, c) => ({
    'incidents.total': count(c.t('report.figure.incidentsTotal'), d.figures.incidents.total),
    breaches: count(c.t('report.figure.breaches'), d.figures.breaches.length),
    open: count(c.t('report.figure.open'), d.figures.openAtMonthEnd.length),
  }),
};
