/**
 * The change requests of a contract month for the monthly SLA report (its "change
 * requests" section): each request received, answered, decided, finished or closed in the
 * month, with its state, its feasibility answer against the
 * target, the approved proposal version, its cost and window, and the month's totals.
 * Passed to the report by the composition root; the report never reads our tables.
 */
import type { Executor } from '../../db/database.ts';
import type { ChangeRequestReportItem, ChangeRequestsReportData } from '../reports/report.sources.ts';
import { feasibilityState } from './change-request.clock.ts';
import type { ChangeSummary } from './change-request.queries.ts';
import * as repo from './change-request.repository.ts';

export function changeRequestReportReader(
  db: Executor,
  forReport: (contractId: string, from: number, to: number) => Promise<ChangeSummary[]>,
) {
  return async (contractId: string, from: number, to: number, asOf: number): Promise<ChangeRequestsReportData> => {
    const rows = (await forReport(contractId, from, to)).sort((a, b) => a.number - b.number);
    const proposals = await repo.proposalsOf(db, rows.map((r) => r.id));
    const items: ChangeRequestReportItem[] = [];
    for (const r of rows) {
      // The approval in force: the newest approved decision not voided since (a revised proposal voids it).
      const approval = (await repo.approvalsOf(db, r.id)).filter((a) => a.decision === 'approved' && a.voidedAt === null).at(-1) ?? null;
      const approved = approval ? proposals.find((p) => p.id === approval.proposalId) ?? null : null;
      const shown = approved ?? r.current;
      const state = feasibilityState(r, r.status === 'needs_clarification', asOf);
      items.push({
        id: r.id, number: r.number, title: r.title, status: r.status, receivedAt: r.receivedAt,
        feasibility: state === 'met' ? 'met' : state === 'metLate' || state === 'breached' ? 'breached' : state === 'pending' ? 'none' : 'open',
        feasibilityDueAt: r.feasibilityDueAt, feasibilityAt: r.feasibilityAt,
        approvedVersion: approval?.version ?? null, approvedAt: approval?.decidedAt ?? null,
        costVersion: shown?.version ?? null, amountJpy: shown?.amountJpy ?? null, taxJpy: shown?.taxJpy ?? null,
        windowStartsAt: r.windowStartsAt ?? shown?.windowStartsAt ?? null, windowEndsAt: r.windowEndsAt ?? shown?.windowEndsAt ?? null,
      });
    }
    // A change is listed every month it moves, but each total counts in one month only (as the
    // report's targets do): an approval in the month it was given, a feasibility answer in the
    // month it came on time, or in the month of its deadline when it came late or not at all.
    const inMonth = (at: number | null) => at !== null && at >= from && at < to;
    const approvedItems = items.filter((i) => i.approvedVersion !== null && inMonth(i.approvedAt));
    return {
      items,
      totals: {
        count: items.length,
        approved: approvedItems.length,
        feasibilityMet: items.filter((i) => i.feasibility === 'met' && inMonth(i.feasibilityAt)).length,
        feasibilityBreached: items.filter((i) => i.feasibility === 'breached' && inMonth(i.feasibilityDueAt)).length,
        approvedAmountJpy: approvedItems.reduce((s, i) => s + (i.amountJpy ?? 0), 0),
        approvedTaxJpy: approvedItems.reduce((s, i) => s + (i.taxJpy ?? 0), 0),
      },
    };
  };
}
