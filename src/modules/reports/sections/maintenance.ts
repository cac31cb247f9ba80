/** Planned maintenance of the month with notice compliance (announced when, latest allowed, in time or emergency with reason). */
import { esc, sameDayShort, table } from '../report.format.ts';
import type { MaintenanceItem } from '../report.data.ts';
import { count, csvRows, type ReportSection } from './section.ts';

type Ctx = Parameters<ReportSection['html']>[0];

/**
 * From–to as one cell: "2026-11-09 02:00–04:00", the date written once when both ends fall on
 * it (and left out when it is `sameDayAs`'s date), so the table keeps room for its other columns.
 */
function span(ctx: Ctx, from: number, to: number | null, sameDayAs?: number): string {
  const a = ctx.at(from);
  const start = sameDayAs === undefined ? a : sameDayShort(ctx.at(sameDayAs), a);
  return `${start}–${to === null ? ctx.t('report.availability.ongoing') : sameDayShort(a, ctx.at(to))}`;
}

/** When the work really ran, as recorded by the desk; beyond the window it counted as downtime. */
function actual(ctx: Ctx, w: MaintenanceItem): string {
  if (w.actualStart === null) return ctx.t('report.maintenance.notRecorded');
  const over = (w.actualStart < w.startsAt ? w.startsAt - w.actualStart : 0) + (w.actualEnd !== null && w.actualEnd > w.endsAt ? w.actualEnd - w.endsAt : 0);
  const ran = span(ctx, w.actualStart, w.actualEnd, w.startsAt);
  return over > 0 ? `${ran}<br>${ctx.t('report.maintenance.overrun', { duration: ctx.dur(over) })}` : ran;
}

export const maintenanceSection: ReportSection = {
  id: 'maintenance',
  html(ctx) {
    const m = ctx.data.maintenance;
    const body = m.length
      ? table(
        ['title', 'maintenanceKind', 'window', 'actual', 'announced', 'latestAllowed', 'notice'].map((h) => ctx.t(`report.col.${h}`)),
        m.map((w) => [
          esc(w.title), ctx.t(`report.maintenanceKind.${w.kind}`), span(ctx, w.startsAt, w.endsAt), actual(ctx, w), ctx.at(w.announcedAt), ctx.at(w.latestAllowedAt),
          w.kind === 'emergency' ? `${ctx.t('report.notice.emergency')}: ${esc(w.emergencyReason ?? '')}` : w.inTime === null ? '' : ctx.t(w.inTime ? 'report.notice.inTime' : 'report.notice.late'),
        ]),
      )
      : `<p class="muted">${ctx.t('report.maintenance.none')}</p>`;
    return `<section id="s-maintenance"><h2>${ctx.t('report.sections.maintenance')}</h2>${body}</section>`;
  },
  tables: (ctx) => [{
    name: 'maintenance',
    header: ['title', 'maintenance_kind', 'start', 'end', 'actual_start', 'actual_end', 'announced_at', 'latest_allowed', 'in_time', 'emergency_reason'].map((h) => ctx.t(`report.csv.${h}`)),
    rows: csvRows(ctx.data.maintenance, (w) => [w.title, ctx.t(`report.maintenanceKind.${w.kind}`), ctx.at(w.startsAt), ctx.at(w.endsAt), ctx.at(w.actualStart), ctx.at(w.actualEnd), ctx.at(w.announcedAt), ctx.at(w.latestAllowedAt), w.inTime === null ? '' : w.inTime ? 1 : 0, w.emergencyReason ?? '']),
  }],
  figures: (d, c) => ({
    'maintenance.count': count(c.t('report.figure.maintenanceCount'), d.maintenance.length),
    'maintenance.late': count(c.t('report.figure.maintenanceLate'), d.maintenance.filter((w) => w.inTime === false).length),
  }),
};
