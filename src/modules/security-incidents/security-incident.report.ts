/**
 * The security incidents of a contract month for the monthly SLA report: incidents
 * discovered in the month with their report-to-client instant against its target, the
 * reports issued in the month (first, follow-up, final) and the out-of-scope decisions of
 * the month. Passed to the report by the composition root; the report never reads our tables.
 */
import type { Executor } from '../../db/database.ts';
import { fromFlag } from '../../db/tx.ts';
import type { SecurityIncidentsReportData } from '../reports/report.sources.ts';
import { clockState } from './security-incident.clock.ts';
import * as repo from './security-incident.repository.ts';

export function securityIncidentReportReader(db: Executor) {
  return async (contractId: string, from: number, to: number, asOf: number): Promise<SecurityIncidentsReportData> => {
    const inMonth = (at: number | null): at is number => at !== null && at >= from && at < to;
    const rows = (await repo.listIncidents(db, { scope: null, contractId, limit: 100_000 }))
      .filter((r) => r.createdAt < to).sort((a, b) => a.number - b.number);
    const out: SecurityIncidentsReportData = { items: [], reports: [], outOfScope: [] };
    for (const r of rows) {
      if (inMonth(r.discoveredAt ?? r.createdAt)) {
        const state = clockState(r, asOf);
        const late = r.reportDueAt === null ? null : (r.reportedAt ?? asOf) - r.reportDueAt;
        out.items.push({
          id: r.id, number: r.number, title: r.title, kind: r.kind, inScope: fromFlag(r.inScope),
          discoveredAt: r.discoveredAt, reportedAt: r.reportedAt, reportDueAt: r.reportDueAt,
          outcome: state === 'met' ? 'met' : state === 'metLate' || state === 'breached' ? 'breached' : state === 'pending' ? 'none' : 'open',
          lateMs: late !== null && late > 0 && (state === 'metLate' || state === 'breached') ? late : null,
        });
      }
      for (const rep of await repo.reportsOf(db, r.id)) {
        if (inMonth(rep.issuedAt)) out.reports.push({ incidentId: r.id, incidentNumber: r.number, kind: rep.kind, seq: rep.seq, title: rep.title, issuedAt: rep.issuedAt });
      }
      if (!fromFlag(r.inScope) && inMonth(r.scopeDecidedAt)) {
        out.outOfScope.push({ incidentId: r.id, incidentNumber: r.number, title: r.title, condition: r.outOfScopeCondition, reason: r.scopeReason, decidedAt: r.scopeDecidedAt });
      }
    }
    out.reports.sort((a, b) => a.issuedAt - b.issuedAt);
    return out;
  };
}
