/**
 * Commands of the risk register (issue 14): register (also from another module's record, in
 * its unit), correct, rescore, close / reopen, review, messages, links, criteria versions.
 * Every write is one unit of work with its audit entries; review timers are rewritten in the
 * same unit (risk.jobs.ts). Controls, acceptances and the timers' work are in
 * risk.treatment.ts; reads in risk.queries.ts; the decisions in risk.rules.ts.
 *
 * Scoring: a risk is rated on the register's current criteria version and keeps the version it
 * was rated on (`criteria_version`); a new criteria version never rescales it. Rescoring rates
 * both scores again on the then current version, bumps `score_revision` and writes a history row.
 */
import { uuidv7 } from 'uuidv7';
import { criteriaProblems, reviewDueAt, type Rating, type RiskCriteria } from '../../core/risk/scoring.ts';
import { rule } from '../../contract/errors.ts';
import type { ServiceDeps } from '../../db/tx.ts';
import { unitOfWork, type Work } from '../../db/unit-of-work.ts';
import { AppError, notFound, type ErrorIssue } from '../../errors.ts';
import type { Actor } from '../auth/actor.ts';
import { SYSTEM_ACTOR } from '../auth/actor.ts';
import { clientScope } from '../auth/access.ts';
import { authorize } from '../auth/authorize.ts';
import { loadContract } from '../contracts/contract.service.ts';
import { syncReviewTimers } from './risk.jobs.ts';
import {
  currentLevel, invalid, keptResidual, LINKABLE_SOURCES, parseCriteria, ratingIssues, scoreColumns, sourceIssues, systemIssues,
  checkLinkTarget, isLinkKind, type LinkKind, type LinkTargets, type RiskFromSource, type RiskInput, type RiskPatch,
} from './risk.rules.ts';
import * as repo from './risk.repository.ts';

export async function staffIssues(ex: Work['tx'], ids: Array<[string, (string | number)[]]>): Promise<ErrorIssue[]> {
  const found = await repo.people(ex, ids.map(([id]) => id));
  const issues: ErrorIssue[] = [];
  for (const [id, path] of ids) {
    const p = found.find((x) => x.id === id);
    if (!p || p.disabledAt !== null) issues.push({ path, code: 'not_found', message: 'no such user' });
    else if (p.role !== 'admin' && p.role !== 'agent') issues.push({ path, code: 'not_staff', message: 'owner must be staff' });
  }
  return issues;
}

export async function loadRiskForWrite(w: Work, actor: Actor, action: Parameters<typeof authorize>[1], id: string, open = true): Promise<repo.RiskRow> {
  const row = authorize(actor, action, await repo.findRisk(w.tx, id, clientScope(actor)));
  if (open && row.status !== 'open') throw new AppError('risk.closed', 'the risk is closed');
  return row;
}

async function currentCriteria(ex: Work['tx']): Promise<{ version: number; criteria: RiskCriteria }> {
  const row = await repo.currentCriteria(ex);
  if (!row) throw notFound('risk_criteria');
  return { version: row.version, criteria: parseCriteria(row) };
}

async function historyRow(w: Work, risk: repo.RiskRow, reason: string): Promise<void> {
  await repo.insertScoreChange(w.tx, {
    id: uuidv7(), riskId: risk.id, revision: risk.scoreRevision, at: w.now, actorId: w.actor.userId, criteriaVersion: risk.criteriaVersion,
    inherentLikelihood: risk.inherentLikelihood, inherentImpact: risk.inherentImpact, inherentScore: risk.inherentScore, inherentLevel: risk.inherentLevel,
    residualLikelihood: risk.residualLikelihood, residualImpact: risk.residualImpact, residualScore: risk.residualScore, residualLevel: risk.residualLevel,
    reason,
  });
}

export async function loadCriteria(ex: Parameters<typeof repo.findCriteria>[0], version: number): Promise<RiskCriteria> {
  const row = await repo.findCriteria(ex, version);
  if (!row) throw notFound('risk_criteria');
  return parseCriteria(row);
}

/** Applies a change to a risk row and audits it. */
export async function save(w: Work, before: repo.RiskRow, after: repo.RiskRow, action: string): Promise<repo.RiskRow> {
  await repo.updateRisk(w.tx, before.id, after);
  w.audit({ entity: 'risk', entityId: before.id, action, before, after });
  return after;
}

/**
 * A new review instant resets the fired flags and rewrites the timers; the same instant keeps
 * them (a rescore that leaves the level alone must not mail the owner again), unless `reset`
 * (a review was done: whatever fired belonged to the review just recorded).
 */
export async function reschedule(w: Work, row: repo.RiskRow, criteria: RiskCriteria, nextReviewAt: number | null, reset = false): Promise<repo.RiskRow> {
  const moved = reset || nextReviewAt !== row.nextReviewAt;
  const next = moved ? { ...row, nextReviewAt, reviewDueFiredAt: null, reviewOverdueFiredAt: null } : row;
  await syncReviewTimers(w.tx, next, criteria, w.now);
  return next;
}

export async function addMessageIn(w: Work, actor: Actor, risk: repo.RiskRow, body: string, internal: boolean): Promise<repo.MessageRow> {
  const me = (await repo.people(w.tx, [actor.userId]))[0];
  const row: repo.MessageRow = {
    id: uuidv7(), riskId: risk.id, at: w.now, authorId: actor.userId, authorName: me?.name ?? actor.userId, authorRole: actor.role,
    visibility: internal ? 'internal' : 'public', body,
  };
  await repo.insertMessage(w.tx, row);
  w.audit({ entity: 'risk', entityId: risk.id, action: internal ? 'note' : 'comment', after: { id: row.id, visibility: row.visibility } });
  return row;
}

export function createRiskCommands(deps: ServiceDeps, collab: { linkTargets: LinkTargets }) {
  const { db, clock } = deps;
  const uow = deps.uow ?? unitOfWork(db, clock);

  /**
   * `source` is the looked-up record a risk registered over HTTP names (its client, or null when
   * there is none the actor may see); undefined when another module registers the risk from its
   * own record in its unit (that record exists).
   */
  async function createIn(w: Work, actor: Actor, input: RiskInput, source?: { clientId: string } | null): Promise<repo.RiskRow> {
    authorize(actor, 'risk.create');
    const { tx, now } = w;
    const issues: ErrorIssue[] = [];
    let contract: Awaited<ReturnType<typeof loadContract>> | null = null;
    try {
      contract = await loadContract(tx, actor, input.contractId);
    } catch (e) {
      if (!(e instanceof AppError) || e.code !== 'contract.not_found') throw e;
      issues.push({ path: ['body', 'contractId'], code: 'not_found', message: 'no such contract' });
    }
    const systems = [...new Set(input.affectedSystemIds ?? [])];
    if (contract) issues.push(...systemIssues(systems, contract.systemIds));
    issues.push(...(await staffIssues(tx, [[input.ownerId, ['body', 'ownerId']]])));
    issues.push(...sourceIssues(input.source, input.sourceId));
    const { version, criteria } = await currentCriteria(tx);
    issues.push(...ratingIssues(criteria, input.inherent, 'inherent'));
    if (input.residual) issues.push(...ratingIssues(criteria, input.residual, 'residual'));
    if (issues.length || !contract) throw invalid(issues);
    if (source !== undefined && input.sourceId) checkLinkTarget(contract.clientId, input.source, input.sourceId, source, 'sourceId');

    const scores = scoreColumns(criteria, input.inherent, input.residual ?? null);
    const row: repo.RiskRow = {
      id: uuidv7(),
      number: await repo.nextRiskNumber(tx),
      clientId: contract.clientId,
      contractId: contract.id,
      title: input.title.trim(),
      description: input.description ?? '',
      affectedSystemIds: JSON.stringify(systems),
      category: input.category,
      source: input.source,
      sourceKind: LINKABLE_SOURCES.has(input.source) ? input.source : null,
      sourceId: input.sourceId ?? null,
      ownerId: input.ownerId,
      status: 'open',
      treatment: input.treatment ?? 'mitigate',
      criteriaVersion: version,
      scoreRevision: 1,
      ...scores,
      nextReviewAt: reviewDueAt(criteria, currentLevel(scores), now),
      lastReviewedAt: null,
      reviewDueFiredAt: null,
      reviewOverdueFiredAt: null,
      closedAt: null,
      closeReason: null,
      createdBy: actor.userId,
      createdAt: now,
      updatedAt: now,
    };
    await repo.insertRisk(tx, row);
    await historyRow(w, row, 'registered');
    if (row.sourceKind && row.sourceId) {
      await repo.insertLink(tx, { id: uuidv7(), riskId: row.id, kind: row.sourceKind, targetId: row.sourceId, createdBy: actor.userId, createdAt: now });
    }
    await syncReviewTimers(tx, row, criteria, now);
    w.audit({ entity: 'risk', entityId: row.id, action: 'create', after: row });
    return row;
  }

  return {
    createIn,

    async create(actor: Actor, input: RiskInput): Promise<repo.RiskRow> {
      authorize(actor, 'risk.create');
      // A source record is another module's read, looked up before the unit (not part of this write).
      const source = input.sourceId && isLinkKind(input.source) ? await collab.linkTargets[input.source](actor, input.sourceId) : undefined;
      return uow.command(actor, (w) => createIn(w, actor, input, source), { name: 'risk.create' });
    },

    /**
     * For other modules, in their unit: a security incident (or an incident, a change request)
     * opens a risk from its record; the risk names it (`source_kind`, `source_id`) and is linked to it.
     */
    async createFromSourceIn(w: Work, actor: Actor, input: RiskFromSource): Promise<repo.RiskRow> {
      return createIn(w, actor, { ...input, category: input.category ?? (input.source === 'security_incident' ? 'security' : 'operational') });
    },

    async update(actor: Actor, id: string, patch: RiskPatch): Promise<repo.RiskRow> {
      authorize(actor, 'risk.update');
      return uow.command(actor, async (w) => {
        const before = await loadRiskForWrite(w, actor, 'risk.update', id);
        const issues: ErrorIssue[] = [];
        if (patch.ownerId !== undefined) issues.push(...(await staffIssues(w.tx, [[patch.ownerId, ['body', 'ownerId']]])));
        let systems: string[] | undefined;
        if (patch.affectedSystemIds !== undefined) {
          const contract = await loadContract(w.tx, SYSTEM_ACTOR, before.contractId);
          systems = [...new Set(patch.affectedSystemIds)];
          issues.push(...systemIssues(systems, contract.systemIds));
        }
        if (issues.length) throw invalid(issues);
        const after: repo.RiskRow = {
          ...before,
          ...(patch.title !== undefined ? { title: patch.title.trim() } : {}),
          ...(patch.description !== undefined ? { description: patch.description } : {}),
          ...(systems !== undefined ? { affectedSystemIds: JSON.stringify(systems) } : {}),
          ...(patch.category !== undefined ? { category: patch.category } : {}),
          ...(patch.ownerId !== undefined ? { ownerId: patch.ownerId } : {}),
          ...(patch.treatment !== undefined ? { treatment: patch.treatment } : {}),
          updatedAt: w.now,
        };
        return save(w, before, after, 'update');
      }, { name: 'risk.update' });
    },

    /** Rates the risk again on the current criteria (both scores), with a reason; history keeps every revision. */
    async rescore(actor: Actor, id: string, input: { inherent: Rating; residual?: Rating | null | undefined; reason: string }): Promise<repo.RiskRow> {
      authorize(actor, 'risk.rescore');
      return uow.command(actor, async (w) => {
        const before = await loadRiskForWrite(w, actor, 'risk.rescore', id);
        const { version, criteria } = await currentCriteria(w.tx);
        const residualIn = keptResidual(before, input.residual);
        const issues = [...ratingIssues(criteria, input.inherent, 'inherent'), ...(residualIn ? ratingIssues(criteria, residualIn, 'residual') : [])];
        if (issues.length) throw invalid(issues);
        let after: repo.RiskRow = {
          ...before, criteriaVersion: version, scoreRevision: before.scoreRevision + 1, ...scoreColumns(criteria, input.inherent, residualIn), updatedAt: w.now,
        };
        // A new level changes the review period, counted from the last review (or registration).
        after = await reschedule(w, after, criteria, reviewDueAt(criteria, currentLevel(after), before.lastReviewedAt ?? before.createdAt));
        await historyRow(w, after, input.reason);
        return save(w, before, after, 'rescore');
      }, { name: 'risk.rescore' });
    },

    async close(actor: Actor, id: string, reason: string): Promise<repo.RiskRow> {
      authorize(actor, 'risk.close');
      return uow.command(actor, async (w) => {
        const before = await loadRiskForWrite(w, actor, 'risk.close', id);
        const criteria = await loadCriteria(w.tx, before.criteriaVersion);
        const after = await reschedule(w, { ...before, status: 'closed', closedAt: w.now, closeReason: reason, updatedAt: w.now }, criteria, null);
        return save(w, before, after, 'close');
      }, { name: 'risk.close' });
    },

    async reopen(actor: Actor, id: string): Promise<repo.RiskRow> {
      authorize(actor, 'risk.reopen');
      return uow.command(actor, async (w) => {
        const before = await loadRiskForWrite(w, actor, 'risk.reopen', id, false);
        if (before.status === 'open') throw new AppError('risk.not_closed', 'the risk is open');
        const criteria = await loadCriteria(w.tx, before.criteriaVersion);
        const opened: repo.RiskRow = { ...before, status: 'open', closedAt: null, closeReason: null, updatedAt: w.now };
        const after = await reschedule(w, opened, criteria, reviewDueAt(criteria, currentLevel(opened), w.now));
        return save(w, before, after, 'reopen');
      }, { name: 'risk.reopen' });
    },

    /** The owner (or any staff) reviewed the risk: the next review is one period of its level from now. */
    async review(actor: Actor, id: string, note: string | undefined): Promise<repo.RiskRow> {
      authorize(actor, 'risk.review');
      return uow.command(actor, async (w) => {
        const before = await loadRiskForWrite(w, actor, 'risk.review', id);
        const criteria = await loadCriteria(w.tx, before.criteriaVersion);
        const reviewed: repo.RiskRow = { ...before, lastReviewedAt: w.now, updatedAt: w.now };
        const after = await reschedule(w, reviewed, criteria, reviewDueAt(criteria, currentLevel(before), w.now), true);
        if (note?.trim()) await addMessageIn(w, actor, before, note.trim(), true);
        return save(w, before, after, 'review');
      }, { name: 'risk.review' });
    },

    async addMessage(actor: Actor, id: string, body: string, internal: boolean): Promise<repo.MessageRow> {
      authorize(actor, internal ? 'risk.note' : 'risk.comment');
      return uow.command(actor, async (w) => {
        const risk = await loadRiskForWrite(w, actor, 'risk.read', id, false);
        return addMessageIn(w, actor, risk, body, internal);
      }, { name: 'risk.message' });
    },

    async link(actor: Actor, id: string, kind: LinkKind, targetId: string): Promise<repo.LinkRow> {
      authorize(actor, 'risk.link');
      // Looked up before the unit (another module's read, not part of this write); checked against the risk's client.
      const target = await collab.linkTargets[kind](actor, targetId);
      return uow.command(actor, async (w) => {
        const risk = await loadRiskForWrite(w, actor, 'risk.link', id, false);
        checkLinkTarget(risk.clientId, kind, targetId, target);
        if (await repo.findLinkTo(w.tx, id, kind, targetId)) throw new AppError('risk_link.duplicate', 'already linked');
        const row: repo.LinkRow = { id: uuidv7(), riskId: id, kind, targetId, createdBy: actor.userId, createdAt: w.now };
        await repo.insertLink(w.tx, row);
        w.audit({ entity: 'risk', entityId: id, action: 'link', after: row });
        return row;
      }, { name: 'risk.link' });
    },

    async unlink(actor: Actor, id: string, linkId: string): Promise<void> {
      authorize(actor, 'risk.unlink');
      await uow.command(actor, async (w) => {
        await loadRiskForWrite(w, actor, 'risk.unlink', id, false);
        const link = await repo.findLink(w.tx, id, linkId);
        if (!link) throw notFound('risk_link');
        await repo.deleteLink(w.tx, linkId);
        w.audit({ entity: 'risk', entityId: id, action: 'unlink', before: link });
      }, { name: 'risk.unlink' });
    },

    /** A new criteria version (admin): new scores use it; every risk keeps the version it was rated on. */
    async createCriteria(actor: Actor, document: RiskCriteria, note: string | undefined): Promise<repo.CriteriaRow> {
      authorize(actor, 'risk_criteria.create');
      const problems = criteriaProblems(document);
      if (problems.length) {
        throw new AppError('risk_criteria.invalid', 'criteria', problems.map((p) => ({ path: ['body', 'document', ...p.path], code: 'invalid', message: p.rule, params: rule(p.rule) })));
      }
      return uow.command(actor, async (w) => {
        const current = await repo.currentCriteria(w.tx);
        const row: repo.CriteriaRow = { version: (current?.version ?? 0) + 1, document: JSON.stringify(document), note: note ?? '', createdBy: actor.userId, createdAt: w.now };
        await repo.insertCriteria(w.tx, row);
        w.audit({ entity: 'risk_criteria', entityId: String(row.version), action: 'create', after: row });
        return row;
      }, { name: 'risk_criteria.create' });
    },
  };
}
