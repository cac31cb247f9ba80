/**
 * Reads of the risk register: list, detail, heat map, CSV export and the criteria versions.
 * A contact sees their own client's risks only, presented controls only, and never internal notes.
 */
import { stringify } from 'csv-stringify/sync';
import { CSV_OPTIONS } from '../../render/csv-options.ts';
import { heatMap, reviewOverdueAt, type RiskCriteria } from '../../core/risk/scoring.ts';
import { formatInstant } from '../../core/time/zone.ts';
import type { ServiceDeps } from '../../db/tx.ts';
import type { Executor } from '../../db/database.ts';
import { notFound } from '../../errors.ts';
import { t, type Locale } from '../../i18n/index.ts';
import type { Actor } from '../auth/actor.ts';
import { clientScope } from '../auth/access.ts';
import { authorize, may } from '../auth/authorize.ts';
import {
  presentAcceptance, presentControl, presentCriteria, presentLink, presentMessage, presentRisk, presentScoreChange,
} from './risk.presenter.ts';
import { RISK_TIME_ZONE } from './risk.notify.ts';
import * as repo from './risk.repository.ts';

export interface RiskListQuery {
  clientId?: string | undefined;
  contractId?: string | undefined;
  status?: 'open' | 'closed' | undefined;
  level?: string | undefined;
  review?: 'due' | 'overdue' | undefined;
}

/** Every criteria version by number (a handful of rows; read per request, never cached across units). */
async function criteriaMap(ex: Executor): Promise<{ byVersion: Map<number, RiskCriteria>; rows: repo.CriteriaRow[] }> {
  const rows = await repo.listCriteria(ex);
  return { byVersion: new Map(rows.map((r) => [r.version, JSON.parse(r.document) as RiskCriteria])), rows };
}

async function nameMap(ex: Executor, ids: string[]): Promise<Map<string, string>> {
  return new Map((await repo.people(ex, ids)).map((p) => [p.id, p.name]));
}

export function createRiskQueries(deps: ServiceDeps) {
  const { db, clock } = deps;

  async function listRows(actor: Actor, q: RiskListQuery, now: number) {
    const { byVersion } = await criteriaMap(db);
    // "due" includes overdue ones; "overdue" is narrowed after, by each risk's own grace.
    const rows = await repo.listRisks(db, {
      ...(q.clientId ? { clientId: q.clientId } : {}),
      ...(q.contractId ? { contractId: q.contractId } : {}),
      ...(q.status ? { status: q.status } : {}),
      ...(q.level ? { level: q.level } : {}),
      ...(q.review ? { reviewDueBy: now } : {}),
    }, clientScope(actor));
    const kept = q.review === 'overdue'
      ? rows.filter((r) => r.nextReviewAt !== null && now >= reviewOverdueAt(byVersion.get(r.criteriaVersion)!, r.nextReviewAt))
      : rows;
    return { rows: kept, byVersion };
  }

  return {
    async list(actor: Actor, q: RiskListQuery) {
      authorize(actor, 'risk.list');
      const now = clock();
      const { rows, byVersion } = await listRows(actor, q, now);
      const names = await nameMap(db, rows.map((r) => r.ownerId));
      return rows.map((r) => presentRisk(r, byVersion.get(r.criteriaVersion)!, names, now));
    },

    async get(actor: Actor, id: string) {
      authorize(actor, 'risk.read');
      const now = clock();
      const risk = authorize(actor, 'risk.read', await repo.findRisk(db, id, clientScope(actor)));
      const staff = may(actor, 'risk.read_internal');
      const criteriaRow = await repo.findCriteria(db, risk.criteriaVersion);
      if (!criteriaRow) throw notFound('risk_criteria');
      const criteria = JSON.parse(criteriaRow.document) as RiskCriteria;
      const [controls, acceptances, history, messages, links] = await Promise.all([
        repo.controlsOf(db, id, !staff),
        repo.acceptancesOf(db, id),
        repo.scoreChangesOf(db, id),
        repo.messagesOf(db, id, staff),
        repo.linksOf(db, id),
      ]);
      const names = await nameMap(db, [risk.ownerId, ...controls.map((c) => c.ownerId)]);
      return {
        ...presentRisk(risk, criteria, names, now),
        criteria,
        controls: controls.map((c) => presentControl(c, names)),
        acceptances: acceptances.map((a) => presentAcceptance(a, risk, now)),
        history: history.map(presentScoreChange),
        messages: messages.map(presentMessage),
        links: links.map(presentLink),
      };
    },

    /** Open risks per likelihood × impact cell of one criteria version (residual rating, else inherent). */
    async heatMap(actor: Actor, q: { clientId?: string | undefined; contractId?: string | undefined; version?: number | undefined; of: 'inherent' | 'residual' }) {
      authorize(actor, 'risk.list');
      const { byVersion, rows: versions } = await criteriaMap(db);
      const version = q.version ?? versions[0]?.version;
      const criteria = version === undefined ? undefined : byVersion.get(version);
      if (version === undefined || !criteria) throw notFound('risk_criteria');
      const rows = await repo.listRisks(db, {
        ...(q.clientId ? { clientId: q.clientId } : {}), ...(q.contractId ? { contractId: q.contractId } : {}), status: 'open',
      }, clientScope(actor));
      const mine = rows.filter((r) => r.criteriaVersion === version);
      const others = new Map<number, number>();
      for (const r of rows) if (r.criteriaVersion !== version) others.set(r.criteriaVersion, (others.get(r.criteriaVersion) ?? 0) + 1);
      const ratings = mine.map((r) => (q.of === 'residual' && r.residualLikelihood !== null && r.residualImpact !== null
        ? { likelihood: r.residualLikelihood, impact: r.residualImpact }
        : { likelihood: r.inherentLikelihood, impact: r.inherentImpact }));
      return {
        criteriaVersion: version,
        criteria,
        cells: heatMap(criteria, ratings),
        otherVersions: [...others].sort((a, b) => a[0] - b[0]).map(([v, count]) => ({ version: v, count })),
      };
    },

    /** The list as CSV for Excel: UTF-8 with a byte-order mark, headers and values in the reader's language. */
    async exportCsv(actor: Actor, q: RiskListQuery, locale: Locale): Promise<string> {
      authorize(actor, 'risk.export');
      const now = clock();
      const { rows, byVersion } = await listRows(actor, q, now);
      const names = await nameMap(db, rows.map((r) => r.ownerId));
      const clients = new Map((await db.selectFrom('clients').select(['id', 'name']).execute()).map((c) => [c.id, c.name]));
      const date = (ms: number | null) => (ms === null ? '' : formatInstant(RISK_TIME_ZONE, ms).slice(0, 10));
      const columns = [
        'number', 'client', 'title', 'category', 'source', 'owner', 'status', 'treatment', 'criteriaVersion',
        'inherentLikelihood', 'inherentImpact', 'inherentScore', 'inherentLevel',
        'residualLikelihood', 'residualImpact', 'residualScore', 'residualLevel', 'nextReviewOn', 'review', 'createdOn',
      ] as const;
      const records = rows.map((r) => {
        const p = presentRisk(r, byVersion.get(r.criteriaVersion)!, names, now);
        return [
          `R-${r.number}`, clients.get(r.clientId) ?? '', r.title, t(locale, `risk.category.${r.category}`), t(locale, `risk.source.${r.source}`),
          p.ownerName, t(locale, `risk.status.${r.status}`), t(locale, `risk.treatment.${r.treatment}`), r.criteriaVersion,
          r.inherentLikelihood, r.inherentImpact, r.inherentScore, t(locale, `risk.level.${r.inherentLevel}`),
          r.residualLikelihood ?? '', r.residualImpact ?? '', r.residualScore ?? '', r.residualLevel ? t(locale, `risk.level.${r.residualLevel}`) : '',
          date(r.status === 'open' ? r.nextReviewAt : null), t(locale, `risk.review.${p.review.state}`), date(r.createdAt),
        ];
      });
      return stringify(records, { bom: true, header: true, columns: columns.map((c) => t(locale, `risk.csv.${c}`)), ...CSV_OPTIONS });
    },

    async listCriteria(actor: Actor) {
      authorize(actor, 'risk_criteria.read');
      const rows = await repo.listCriteria(db);
      return rows.map((r) => presentCriteria(r, rows[0]!.version));
    },

    async getCriteria(actor: Actor, version: number | 'current') {
      authorize(actor, 'risk_criteria.read');
      const current = await repo.currentCriteria(db);
      const row = version === 'current' ? current : await repo.findCriteria(db, version);
      if (!row || !current) throw notFound('risk_criteria');
      return presentCriteria(row, current.version);
    },
  };
}
export type RiskQueries = ReturnType<typeof createRiskQueries>;
