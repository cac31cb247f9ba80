/**
 * Change requests of the month (created in it): each with its state, the feasibility answer
 * against its target, the approved proposal version, cost (JPY, tax apart) and window; totals.
 * Read through the change-request module's reader (`sources.changeRequests`).
 */
import { esc, table } from '../report.format.ts';
import type { ChangeRequestsReportData } from '../report.sources.ts';
import { count, csvRows, recordLink, type ReportFigure, type ReportSection, sectionFrame, yen } from './section.ts';

const ID = 'changeRequests';
const dataOf = (sections: Record<string, unknown>) => sections[ID] as ChangeRequestsReportData | undefined;
const ref = (n: number) => `CR-${n}`;

export const changeRequestsSection: ReportSection = {
  id: ID,
  collect: (q) => q.sources.changeRequests?.(q.contractId, q.from, q.to, q.asOf) ?? Promise.resolve(undefined),
  html(ctx) {
    const d = dataOf(ctx.data.sections);
    if (!d?.items.length) return sectionFrame(ctx, ID, null);
    const k = (key: string) => ctx.t(`report.changeRequests.col.${key}`);
    const rows = table(
      ['number', 'title', 'status', 'received', 'feasibility', 'approvedVersion', 'amount', 'tax', 'window'].map(k),
      d.items.map((i) => [
        recordLink(`/changes/${i.id}`, ref(i.number)), esc(i.title), ctx.t(`changeStatus.${i.status}`), ctx.at(i.receivedAt),
        `${ctx.t(`report.changeRequests.feasibility.${i.feasibility}`)}${i.feasibilityDueAt !== null ? `<br><span class="muted">${ctx.t('report.changeRequests.due', { at: ctx.at(i.feasibilityDueAt) })}</span>` : ''}`,
        i.approvedVersion === null ? '—' : `v${i.approvedVersion}`,
        i.costVersion === null ? '' : `${yen(i.amountJpy)}${i.approvedVersion === null ? ` <span class="muted">(v${i.costVersion} ${ctx.t('report.changeRequests.notApproved')})</span>` : ''}`,
        yen(i.taxJpy),
        i.windowStartsAt === null ? '' : `${ctx.at(i.windowStartsAt)} – ${ctx.at(i.windowEndsAt)}`,
      ]),
    );
    const s = d.totals;
    const totals = `<p>${ctx.t('report.changeRequests.totals', {
      count: s.count, approved: s.approved, met: s.feasibilityMet, breached: s.feasibilityBreached, amount: yen(s.approvedAmountJpy), tax: yen(s.approvedTaxJpy),
    })}</p>`;
    return sectionFrame(ctx, ID, `${totals}${rows}<p class="muted">${ctx.t('report.changeRequests.note')}</p>`);
  },
  tables(ctx) {
    const d = dataOf(ctx.data.sections);
    return [{
      name: 'change_requests',
      header: ['number', 'title', 'status', 'received_at', 'feasibility', 'feasibility_due', 'feasibility_at', 'approved_version', 'approved_at', 'proposal_version', 'amount_jpy', 'tax_jpy', 'window_start', 'window_end']
        .map((h) => ctx.t(`report.csv.${h}`)),
      rows: csvRows(d?.items ?? [], (i) => [
        ref(i.number), i.title, ctx.t(`changeStatus.${i.status}`), ctx.at(i.receivedAt), ctx.t(`report.changeRequests.feasibility.${i.feasibility}`),
        ctx.at(i.feasibilityDueAt), ctx.at(i.feasibilityAt), i.approvedVersion ?? '', ctx.at(i.approvedAt), i.costVersion ?? '', i.amountJpy ?? '', i.taxJpy ?? '',
        ctx.at(i.windowStartsAt), ctx.at(i.windowEndsAt),
      ]),
    }];
  },
  figures(data, c): Record<string, ReportFigure> {
    const d = dataOf(data.sections);
    if (!d) return {};
    return {
      'changeRequests.count': count(c.t('report.figure.crCount'), d.totals.count), 'changeRequests.approved': count(c.t('report.figure.crApproved'), d.totals.approved),
      'changeRequests.feasibilityBreached': count(c.t('report.figure.crFeasibilityBreached'), d.totals.feasibilityBreached),
      'changeRequests.approvedAmountJpy': { value: d.totals.approvedAmountJpy, label: c.t('report.figure.crAmount'), text: yen(d.totals.approvedAmountJpy) },
    };
  },
};
