/** Every breach (not met by its due instant) with how late in business time and the recorded cause; targets open at month end. */
import { esc, rowsHtml, tableOf } from '../report.format.ts';
import { csvField, csvLines, csvRows, type ReportFigure, type ReportSection } from './section.ts';

export const breachesSection: ReportSection = {
  id: 'breaches',
  html(ctx) {
    const f = ctx.data.figures;
    // Every breach is listed (20,714 in the bench's 100,000-incident month): each row is one
    // template, with no cell array or per-cell key string in between.
    const notYet = ctx.t('report.breaches.notYet');
    const noCause = ctx.t('report.breaches.noCause');
    const breachRows = rowsHtml(f.breaches, (b) =>
      `<tr><td>${ctx.inc(b.number)}</td><td>${esc(b.title)}</td><td>${ctx.label('report.priority', b.priority)}</td><td>${ctx.label('report.kind', b.kind)}</td>`
      + `<td>${ctx.at(b.dueAt)}</td><td>${b.metAt === null ? notYet : ctx.at(b.metAt)}</td><td>${ctx.late(b.lateMs, b.businessTime)}</td><td>${esc(b.cause ?? noCause)}</td></tr>`);
    const breaches = breachRows
      ? tableOf(['incident', 'title', 'priority', 'target', 'due', 'actual', 'lateBy', 'cause'].map((h) => ctx.t(`report.col.${h}`)), breachRows)
      : `<p class="muted">${ctx.t('report.breaches.none')}</p>`;
    const openRows = rowsHtml(f.openAtMonthEnd, (o) =>
      `<tr><td>${ctx.inc(o.number)}</td><td>${esc(o.title)}</td><td>${ctx.label('report.priority', o.priority)}</td><td>${ctx.label('report.kind', o.kind)}</td>`
      + `<td>${ctx.at(o.dueAt)}</td><td>${ctx.pct(o.share, 0)}</td></tr>`);
    const open = openRows
      ? tableOf(['incident', 'title', 'priority', 'target', 'due', 'share'].map((h) => ctx.t(`report.col.${h}`)), openRows)
      : `<p class="muted">${ctx.t('report.breaches.noneOpen')}</p>`;
    return `<section id="s-breaches"><h2>${ctx.t('report.sections.breaches')}</h2>${breaches}<p class="muted">${ctx.t('report.breaches.note')}</p>`
      + `<h3 id="s-open">${ctx.t('report.sections.open')}</h3>${open}</section>`;
  },
  tables: (ctx) => [
    {
      name: 'breaches',
      header: ['number', 'title', 'priority', 'target', 'policy_version', 'due_at', 'met_at', 'late_minutes', 'late_clock', 'cause'].map((h) => ctx.t(`report.csv.${h}`)),
      // A line per breach (20,714 in the bench's month), like the incident table's; instants and numbers never need quotes.
      lines: csvLines(ctx.data.figures.breaches, (b) =>
        `${b.number},${csvField(b.title)},${csvField(ctx.label('report.priority', b.priority))},${csvField(ctx.label('report.kind', b.kind))},${b.policyVersion},${ctx.at(b.dueAt)},${ctx.at(b.metAt)},`
        + `${Math.round(b.lateMs / 60_000)},${csvField(ctx.t(b.businessTime === true ? 'report.unit.clockBusiness' : 'report.unit.clockCalendar'))},${csvField(b.cause ?? '')}\r\n`),
    },
    {
      name: 'open_at_month_end',
      header: ['number', 'title', 'priority', 'target', 'due_at', 'share_used'].map((h) => ctx.t(`report.csv.${h}`)),
      rows: csvRows(ctx.data.figures.openAtMonthEnd, (o) => [o.number, o.title, ctx.label('report.priority', o.priority), ctx.label('report.kind', o.kind), ctx.at(o.dueAt), (o.share * 100).toFixed(0)]),
    },
  ],
  figures(d, c) {
    const out: Record<string, ReportFigure> = {};
    for (const b of d.figures.breaches) {
      const late = Math.round(b.lateMs / 60_000);
      out[`breach.#${b.number}.${b.kind}`] = {
        value: `${b.metAt === null ? 'open' : 'met'} ${late}m`,
        label: c.t('report.figure.breach', { number: b.number, kind: c.t(`report.kind.${b.kind}`) }),
        text: c.t(b.metAt === null ? 'report.figure.breachOpen' : 'report.figure.breachMet', { late: c.late(late * 60_000, b.businessTime) }),
      };
    }
    return out;
  },
};
