/**
 * Commands of the risk register (issue 14). Every write is one unit of work with its audit
 * entries; review timers are rewritten in the same unit (risk.jobs.ts). Reads live in
 * risk.queries.ts.
 *
 * Scoring: a risk is rated on the register's current criteria version and keeps the version it
 * was rated on (`criteria_version`); a new criteria version never rescales it. Rescoring rates
 * both scores again on the then current version, bumps `score_revision` and writes a history row.
 */
import { uuidv7 } from 'uuidv7';
import { criteriaProblems, rate, ratingProblems, reviewDueAt, reviewOverdueAt, type Rated, type Rating, type RiskCriteria } from '../../core/risk/scoring.ts';
import { instantOfLocal, localDayNumberOf } from '../../core/time/zone.ts';
import { parseIsoDate } from '../../core/time/civil.ts';
import { rule } from '../../contract/errors.ts';
import type { RISK_LINK_KINDS, RISK_SOURCES } from '../../contract/risks.ts';
import type { ServiceDeps } from '../../db/tx.ts';
import { enqueue } from '../../jobs/queue.ts';
import { unitOfWork, type Work } from '../../db/unit-of-work.ts';
import { AppError, notFound, type ErrorIssue } from '../../errors.ts';
import type { Actor } from '../auth/actor.ts';
import { SYSTEM_ACTOR } from '../auth/actor.ts';
import { clientScope } from '../auth/access.ts';
import { authorize } from '../auth/authorize.ts';
import { loadContract } from '../contracts/contract.service.ts';
import { acceptanceExpiryKey, rearm, RISK_ACCEPTANCE_EXPIRY_JOB, syncReviewTimers, type RiskReviewPayload } from './risk.jobs.ts';
import { mailAcceptanceExpired, mailReview, RISK_TIME_ZONE } from './risk.notify.ts';
import { createRiskQueries } from './risk.queries.ts';
import * as repo from './risk.repository.ts';

type Source = (typeof RISK_SOURCES)[number];
type LinkKind = (typeof RISK_LINK_KINDS)[number];

export interface RiskInput {
  contractId: string;
  title: string;
  description?: string | undefined;
  affectedSystemIds?: string[] | undefined;
  category: string;
  source: Source;
  sourceId?: string | undefined;
  ownerId: string;
  treatment?: string | undefined;
  inherent: Rating;
  residual?: Rating | undefined;
}

/** What another module (security incidents, incidents, change requests) gives to open a risk from its record. */
export interface RiskFromSource extends Omit<RiskInput, 'source' | 'sourceId' | 'category'> {
  source: 'security_incident' | 'incident' | 'change_request';
  sourceId: string;
  category?: string;
}

export interface RiskPatch {
  title?: string | undefined;
  description?: string | undefined;
  affectedSystemIds?: string[] | undefined;
  category?: string | undefined;
  ownerId?: string | undefined;
  treatment?: string | undefined;
}

export interface ControlInput {
  title: string;
  description?: string | undefined;
  ownerId: string;
  dueOn?: string | undefined;
  present?: boolean | undefined;
}

export interface ControlPatch {
  title?: string | undefined;
  description?: string | undefined;
  ownerId?: string | undefined;
  dueOn?: string | null | undefined;
  status?: string | undefined;
}

/** Link kinds that are also sources: a risk opened from such a record is linked to it. */
const LINKABLE_SOURCES: ReadonlySet<string> = new Set(['incident', 'change_request', 'security_incident']);

const invalid = (issues: ErrorIssue[]) => new AppError('risk.invalid', issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '), issues);

export function parseCriteria(row: repo.CriteriaRow): RiskCriteria {
  return JSON.parse(row.document) as RiskCriteria;
}

export async function loadCriteria(ex: Parameters<typeof repo.findCriteria>[0], version: number): Promise<RiskCriteria> {
  const row = await repo.findCriteria(ex, version);
  if (!row) throw notFound('risk_criteria');
  return parseCriteria(row);
}

/** The level reviews follow: the residual one once there is a residual rating (what remains), else the inherent one. */
export const currentLevel = (r: Pick<repo.RiskRow, 'inherentLevel' | 'residualLevel'>) => (r.residualLevel ?? r.inherentLevel) as Rated['level'];

export interface IncidentLookup {
  /** The incident if the actor may see it (throws incident.not_found otherwise). */
  get(actor: Actor, id: string): Promise<{ id: string; clientId: string }>;
}

export function createRiskService(deps: ServiceDeps, collab: { incidents?: IncidentLookup } = {}) {
  const { db, clock } = deps;
  const uow = deps.uow ?? unitOfWork(db, clock);

  async function staffIssues(ex: Work['tx'], ids: Array<[string, (string | number)[]]>): Promise<ErrorIssue[]> {
    const found = await repo.people(ex, ids.map(([id]) => id));
    const issues: ErrorIssue[] = [];
    for (const [id, path] of ids) {
      const p = found.find((x) => x.id === id);
      if (!p || p.disabledAt !== null) issues.push({ path, code: 'not_found', message: 'no such user' });
      else if (p.role !== 'admin' && p.role !== 'agent') issues.push({ path, code: 'not_staff', message: 'owner must be staff' });
    }
    return issues;
  }

  function ratingIssues(c: RiskCriteria, r: Rating, at: string): ErrorIssue[] {
    return ratingProblems(c, r).map((p) => ({
      path: ['body', at, p.field], code: 'too_big' as const, message: `${p.field} must be 1…${p.max}`, params: { origin: 'number', maximum: p.max },
    }));
  }

  async function loadRiskForWrite(w: Work, actor: Actor, action: Parameters<typeof authorize>[1], id: string, open = true): Promise<repo.RiskRow> {
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

  async function createIn(w: Work, actor: Actor, input: RiskInput): Promise<repo.RiskRow> {
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
    if (contract) {
      systems.forEach((s, i) => {
        if (!contract.systemIds.includes(s)) issues.push({ path: ['body', 'affectedSystemIds', i], code: 'not_found', message: 'not a system of the contract' });
      });
    }
    issues.push(...(await staffIssues(tx, [[input.ownerId, ['body', 'ownerId']]])));
    if (LINKABLE_SOURCES.has(input.source) !== Boolean(input.sourceId)) {
      issues.push({ path: ['body', 'sourceId'], code: input.sourceId ? 'not_allowed' : 'required', message: 'sourceId goes with an incident / change / security incident source' });
    }
    const { version, criteria } = await currentCriteria(tx);
    issues.push(...ratingIssues(criteria, input.inherent, 'inherent'));
    if (input.residual) issues.push(...ratingIssues(criteria, input.residual, 'residual'));
    if (issues.length || !contract) throw invalid(issues);

    const inherent = rate(criteria, input.inherent);
    const residual = input.residual ? rate(criteria, input.residual) : null;
    const level = residual?.level ?? inherent.level;
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
      inherentLikelihood: inherent.likelihood, inherentImpact: inherent.impact, inherentScore: inherent.score, inherentLevel: inherent.level,
      residualLikelihood: residual?.likelihood ?? null, residualImpact: residual?.impact ?? null,
      residualScore: residual?.score ?? null, residualLevel: residual?.level ?? null,
      nextReviewAt: reviewDueAt(criteria, level, now),
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

  /** Applies a change to a risk row and audits it. */
  async function save(w: Work, before: repo.RiskRow, after: repo.RiskRow, action: string): Promise<repo.RiskRow> {
    await repo.updateRisk(w.tx, before.id, after);
    w.audit({ entity: 'risk', entityId: before.id, action, before, after });
    return after;
  }

  /**
   * A new review instant resets the fired flags and rewrites the timers; the same instant keeps
   * them (a rescore that leaves the level alone must not mail the owner again), unless `reset`
   * (a review was done: whatever fired belonged to the review just recorded).
   */
  async function reschedule(w: Work, row: repo.RiskRow, criteria: RiskCriteria, nextReviewAt: number | null, reset = false): Promise<repo.RiskRow> {
    const moved = reset || nextReviewAt !== row.nextReviewAt;
    const next = moved ? { ...row, nextReviewAt, reviewDueFiredAt: null, reviewOverdueFiredAt: null } : row;
    await syncReviewTimers(w.tx, next, criteria, w.now);
    return next;
  }

  return {
    ...createRiskQueries(deps),
    createIn,

    async create(actor: Actor, input: RiskInput): Promise<repo.RiskRow> {
      authorize(actor, 'risk.create');
      return uow.command(actor, (w) => createIn(w, actor, input), { name: 'risk.create' });
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
          systems.forEach((s, i) => {
            if (!contract.systemIds.includes(s)) issues.push({ path: ['body', 'affectedSystemIds', i], code: 'not_found', message: 'not a system of the contract' });
          });
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
        const residualIn: Rating | null = input.residual === undefined
          ? (before.residualLikelihood !== null && before.residualImpact !== null ? { likelihood: before.residualLikelihood, impact: before.residualImpact } : null)
          : input.residual;
        const issues = [...ratingIssues(criteria, input.inherent, 'inherent'), ...(residualIn ? ratingIssues(criteria, residualIn, 'residual') : [])];
        if (issues.length) throw invalid(issues);
        const inherent = rate(criteria, input.inherent);
        const residual = residualIn ? rate(criteria, residualIn) : null;
        let after: repo.RiskRow = {
          ...before,
          criteriaVersion: version,
          scoreRevision: before.scoreRevision + 1,
          inherentLikelihood: inherent.likelihood, inherentImpact: inherent.impact, inherentScore: inherent.score, inherentLevel: inherent.level,
          residualLikelihood: residual?.likelihood ?? null, residualImpact: residual?.impact ?? null,
          residualScore: residual?.score ?? null, residualLevel: residual?.level ?? null,
          updatedAt: w.now,
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
      // Incidents are checked to exist and to be of the risk's client; change requests and security
      // incidents are other modules' ids (generic link) until those modules offer a lookup.
      const incident = kind === 'incident' && collab.incidents
        ? await collab.incidents.get(actor, targetId).catch((e: unknown) => {
          if (e instanceof AppError && e.code === 'incident.not_found') return null;
          throw e;
        })
        : undefined;
      return uow.command(actor, async (w) => {
        const risk = await loadRiskForWrite(w, actor, 'risk.link', id, false);
        if (incident === null || (incident && incident.clientId !== risk.clientId)) {
          throw invalid([{ path: ['body', 'targetId'], code: 'not_found', message: 'no such incident of this client' }]);
        }
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

    async createControl(actor: Actor, id: string, input: ControlInput): Promise<repo.ControlRow> {
      authorize(actor, 'risk.control_create');
      return uow.command(actor, async (w) => {
        await loadRiskForWrite(w, actor, 'risk.control_create', id);
        const issues = [...(await staffIssues(w.tx, [[input.ownerId, ['body', 'ownerId']]]))];
        if (issues.length) throw invalid(issues);
        const row: repo.ControlRow = {
          id: uuidv7(), riskId: id, title: input.title.trim(), description: input.description ?? '', ownerId: input.ownerId,
          dueOn: input.dueOn ?? null, status: 'planned', revision: 1,
          presentedAt: input.present ? w.now : null, presentedBy: input.present ? actor.userId : null,
          acknowledgedAt: null, acknowledgedBy: null, acknowledgedName: null, acknowledgedRevision: null,
          createdBy: actor.userId, createdAt: w.now, updatedAt: w.now,
        };
        await repo.insertControl(w.tx, row);
        w.audit({ entity: 'risk', entityId: id, action: 'control.create', after: row });
        return row;
      }, { name: 'risk.control_create' });
    },

    /** Title, description, owner or due date make a new revision (the client's acknowledgement was of the old one); status does not. */
    async updateControl(actor: Actor, id: string, controlId: string, patch: ControlPatch): Promise<repo.ControlRow> {
      authorize(actor, 'risk.control_update');
      return uow.command(actor, async (w) => {
        await loadRiskForWrite(w, actor, 'risk.control_update', id);
        const before = await repo.findControl(w.tx, id, controlId);
        if (!before) throw notFound('risk_control');
        if (patch.ownerId !== undefined) {
          const issues = await staffIssues(w.tx, [[patch.ownerId, ['body', 'ownerId']]]);
          if (issues.length) throw invalid(issues);
        }
        const changed = (['title', 'description', 'ownerId', 'dueOn'] as const).some((k) => patch[k] !== undefined && patch[k] !== before[k]);
        const after: repo.ControlRow = {
          ...before,
          ...(patch.title !== undefined ? { title: patch.title.trim() } : {}),
          ...(patch.description !== undefined ? { description: patch.description } : {}),
          ...(patch.ownerId !== undefined ? { ownerId: patch.ownerId } : {}),
          ...(patch.dueOn !== undefined ? { dueOn: patch.dueOn } : {}),
          ...(patch.status !== undefined ? { status: patch.status } : {}),
          revision: before.revision + (changed ? 1 : 0),
          updatedAt: w.now,
        };
        await repo.updateControl(w.tx, controlId, after);
        w.audit({ entity: 'risk', entityId: id, action: 'control.update', before, after });
        return after;
      }, { name: 'risk.control_update' });
    },

    /** 提示: the control becomes visible to the client, who may acknowledge it. */
    async presentControl(actor: Actor, id: string, controlId: string): Promise<repo.ControlRow> {
      authorize(actor, 'risk.control_present');
      return uow.command(actor, async (w) => {
        await loadRiskForWrite(w, actor, 'risk.control_present', id);
        const before = await repo.findControl(w.tx, id, controlId);
        if (!before) throw notFound('risk_control');
        if (before.presentedAt !== null) throw new AppError('risk_control.already_presented', 'already presented');
        const after = { ...before, presentedAt: w.now, presentedBy: actor.userId, updatedAt: w.now };
        if (!(await repo.updateControlIf(w.tx, controlId, 'unpresented', after))) throw new AppError('risk_control.already_presented', 'already presented');
        w.audit({ entity: 'risk', entityId: id, action: 'control.present', before, after });
        return after;
      }, { name: 'risk.control_present' });
    },

    /** The client's contact acknowledges a presented control (the revision they saw is recorded). */
    async acknowledge(actor: Actor, id: string, controlId: string): Promise<repo.ControlRow> {
      authorize(actor, 'risk.acknowledge');
      return uow.command(actor, async (w) => {
        await loadRiskForWrite(w, actor, 'risk.acknowledge', id);
        const before = await repo.findControl(w.tx, id, controlId);
        // A control not yet presented is not the client's to see: the same answer as a missing one.
        if (!before || before.presentedAt === null) throw notFound('risk_control');
        if (before.acknowledgedRevision === before.revision) throw new AppError('risk_control.already_acknowledged', 'already acknowledged');
        const me = (await repo.people(w.tx, [actor.userId]))[0];
        const after = {
          ...before, acknowledgedAt: w.now, acknowledgedBy: actor.userId, acknowledgedName: me?.name ?? actor.userId,
          acknowledgedRevision: before.revision, updatedAt: w.now,
        };
        if (!(await repo.updateControlIf(w.tx, controlId, 'unacknowledged', after))) throw new AppError('risk_control.already_acknowledged', 'already acknowledged');
        w.audit({ entity: 'risk', entityId: id, action: 'control.acknowledge', before, after });
        return after;
      }, { name: 'risk.acknowledge' });
    },

    /** The client formally accepts the residual risk as it is rated now, until the end of `expiresOn` (Asia/Tokyo). */
    async accept(actor: Actor, id: string, input: { expiresOn: string; note?: string | undefined }): Promise<repo.AcceptanceRow> {
      authorize(actor, 'risk.accept');
      return uow.command(actor, async (w) => {
        const risk = await loadRiskForWrite(w, actor, 'risk.accept', id);
        const day = parseIsoDate(input.expiresOn);
        if (day === null || day <= localDayNumberOf(RISK_TIME_ZONE, w.now)) {
          throw invalid([{ path: ['body', 'expiresOn'], code: 'invalid', message: 'expiry must be after today', params: rule('after_today') }]);
        }
        if (risk.residualScore === null || risk.residualLevel === null || risk.residualLikelihood === null || risk.residualImpact === null) {
          throw new AppError('risk.no_residual', 'the risk has no residual rating to accept');
        }
        const me = (await repo.people(w.tx, [actor.userId]))[0];
        const row: repo.AcceptanceRow = {
          id: uuidv7(), riskId: id, acceptedBy: actor.userId, acceptedName: me?.name ?? actor.userId, acceptedAt: w.now,
          expiresOn: input.expiresOn, expiresAt: instantOfLocal(RISK_TIME_ZONE, day + 1, 0),
          criteriaVersion: risk.criteriaVersion, scoreRevision: risk.scoreRevision,
          residualLikelihood: risk.residualLikelihood, residualImpact: risk.residualImpact, residualScore: risk.residualScore, residualLevel: risk.residualLevel,
          note: input.note ?? '',
          expiryNotifiedAt: null,
        };
        await repo.insertAcceptance(w.tx, row);
        await enqueue(w.tx, { kind: RISK_ACCEPTANCE_EXPIRY_JOB, payload: { acceptanceId: row.id }, runAt: row.expiresAt, dedupeKey: acceptanceExpiryKey(row.id), now: w.now });
        w.audit({ entity: 'risk', entityId: id, action: 'accept', after: row });
        return row;
      }, { name: 'risk.accept' });
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

    /**
     * The acceptance's expiry timer: once, at the end of its last day, the owner is asked to review the
     * risk and the contact who accepted it is told it lapsed. A closed risk needs neither.
     */
    async fireAcceptanceExpiry(p: { acceptanceId: string }, baseUrl = ''): Promise<boolean> {
      return uow.command(SYSTEM_ACTOR, async (w) => {
        const a = await repo.findAcceptance(w.tx, p.acceptanceId);
        const risk = a ? await repo.findRisk(w.tx, a.riskId, null) : undefined;
        if (!a || !risk || risk.status !== 'open' || a.expiresAt > w.now || !(await repo.markAcceptanceExpired(w.tx, a.id, w.now))) {
          w.unchanged();
          return false;
        }
        const to = await mailAcceptanceExpired(w.tx, risk, a, w.now, baseUrl);
        w.audit({ entity: 'risk', entityId: risk.id, action: 'acceptance.expired', after: { acceptanceId: a.id, expiresOn: a.expiresOn, notified: to } });
        return true;
      }, { name: 'risk.acceptance_expiry' });
    },

    /** The review timer's work (risk.jobs.ts): once per review instant, told by the conditional update. */
    async fireReview(p: RiskReviewPayload, baseUrl = ''): Promise<boolean> {
      return uow.command(SYSTEM_ACTOR, async (w) => {
        const risk = await repo.findRisk(w.tx, p.riskId, null);
        if (!risk || risk.status !== 'open' || risk.nextReviewAt !== p.dueAt) {
          w.unchanged(); // closed, reviewed or rescheduled since: the new instant has its own jobs
          return false;
        }
        const criteria = await loadCriteria(w.tx, risk.criteriaVersion);
        const at = p.event === 'due' ? p.dueAt : reviewOverdueAt(criteria, p.dueAt);
        if (at > w.now) {
          await rearm(w.tx, p, at, w.now);
          w.unchanged();
          return false;
        }
        if (!(await repo.markReviewFired(w.tx, risk.id, p.event, p.dueAt, w.now))) {
          w.unchanged();
          return false;
        }
        const to = await mailReview(w.tx, risk, p.event, p.dueAt, w.now, baseUrl);
        w.audit({ entity: 'risk', entityId: risk.id, action: `review.${p.event}`, after: { dueAt: p.dueAt, notified: to } });
        return true;
      }, { name: `risk.review.${p.event}` });
    },
  };

  async function addMessageIn(w: Work, actor: Actor, risk: repo.RiskRow, body: string, internal: boolean): Promise<repo.MessageRow> {
    const me = (await repo.people(w.tx, [actor.userId]))[0];
    const row: repo.MessageRow = {
      id: uuidv7(), riskId: risk.id, at: w.now, authorId: actor.userId, authorName: me?.name ?? actor.userId, authorRole: actor.role,
      visibility: internal ? 'internal' : 'public', body,
    };
    await repo.insertMessage(w.tx, row);
    w.audit({ entity: 'risk', entityId: risk.id, action: internal ? 'note' : 'comment', after: { id: row.id, visibility: row.visibility } });
    return row;
  }
}
export type RiskService = ReturnType<typeof createRiskService>;
