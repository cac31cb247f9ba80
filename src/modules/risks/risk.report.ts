/**
 * The risks of a contract month for the monthly SLA report: risks registered in the month,
 * level changes (from the score history), reviews done in the month and reviews overdue at
 * month end, residual risks accepted in the month — each with its criteria version.
 * Passed to the report by the composition root; the report never reads our tables.
 */
import { reviewOverdueAt, type RiskCriteria } from '../../core/risk/scoring.ts';
import type { Executor } from '../../db/database.ts';
import type { RisksReportData } from '../reports/report.sources.ts';
import * as repo from './risk.repository.ts';

export function riskReportReader(db: Executor) {
  return async (contractId: string, from: number, to: number, asOf: number): Promise<RisksReportData> => {
    const inMonth = (at: number | null): at is number => at !== null && at >= from && at < to;
    const criteriaRows = await repo.listCriteria(db);
    const criteria = new Map(criteriaRows.map((r) => [r.version, JSON.parse(r.document) as RiskCriteria]));
    const current = await repo.currentCriteria(db);
    // Risks registered after the month cannot appear in it (listRisks gives newest first; the register is small per contract).
    const risks = (await repo.listRisks(db, { contractId }, null)).filter((r) => r.createdAt < to).sort((a, b) => a.number - b.number);
    const ref = (r: repo.RiskRow) => ({ id: r.id, number: r.number, title: r.title });
    const out: RisksReportData = { criteriaVersion: current?.version ?? null, newRisks: [], levelChanges: [], reviewsDone: [], reviewsOverdue: [], acceptances: [] };
    for (const r of risks) {
      const history = await repo.scoreChangesOf(db, r.id);
      if (inMonth(r.createdAt)) {
        // The levels as registered (revision 1), not as they are today.
        const first = history[0];
        out.newRisks.push({
          ...ref(r), createdAt: r.createdAt, inherentLevel: first?.inherentLevel ?? r.inherentLevel,
          residualLevel: first ? first.residualLevel : r.residualLevel, criteriaVersion: first?.criteriaVersion ?? r.criteriaVersion,
        });
      }
      for (let i = 1; i < history.length; i++) {
        const [a, b] = [history[i - 1]!, history[i]!];
        if (!inMonth(b.at) || (a.inherentLevel === b.inherentLevel && a.residualLevel === b.residualLevel)) continue;
        out.levelChanges.push({
          ...ref(r), at: b.at, revision: b.revision, criteriaVersion: b.criteriaVersion, reason: b.reason,
          inherentFrom: a.inherentLevel, inherentTo: b.inherentLevel, residualFrom: a.residualLevel, residualTo: b.residualLevel,
        });
      }
      const c = criteria.get(r.criteriaVersion);
      const end = Math.min(to, asOf);
      if (r.status === 'open' && r.nextReviewAt !== null && c && reviewOverdueAt(c, r.nextReviewAt) <= end) {
        out.reviewsOverdue.push({ ...ref(r), nextReviewAt: r.nextReviewAt, overdueAt: reviewOverdueAt(c, r.nextReviewAt), criteriaVersion: r.criteriaVersion });
      }
      for (const a of await repo.acceptancesOf(db, r.id)) {
        if (!inMonth(a.acceptedAt)) continue;
        out.acceptances.push({
          ...ref(r), acceptedAt: a.acceptedAt, acceptedName: a.acceptedName, residualLevel: a.residualLevel, residualScore: a.residualScore,
          expiresOn: a.expiresOn, criteriaVersion: a.criteriaVersion,
        });
      }
    }
    // A review leaves no row of its own but its audit entry (the risk keeps only the last one): every review of the month.
    const byId = new Map(risks.map((r) => [r.id, r]));
    if (byId.size) {
      const reviews = await db.selectFrom('auditLog').select(['entityId', 'at'])
        .where('entity', '=', 'risk').where('action', '=', 'review').where('entityId', 'in', [...byId.keys()])
        .where('at', '>=', from).where('at', '<', to).orderBy('at').orderBy('id').execute();
      for (const v of reviews) out.reviewsDone.push({ ...ref(byId.get(v.entityId)!), at: Number(v.at) });
    }
    out.levelChanges.sort((a, b) => a.at - b.at);
    out.acceptances.sort((a, b) => a.acceptedAt - b.acceptedAt);
    return out;
  };
}
