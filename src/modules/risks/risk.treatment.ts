/**
 * Treating a risk (issue 14): controls (提示 to the client, who acknowledges the revision
 * they saw), the client's formal acceptance of the residual risk until a date, and the work
 * of the review and acceptance-expiry timers. One unit of work each, audited.
 */
import { uuidv7 } from 'uuidv7';
import { reviewOverdueAt } from '../../core/risk/scoring.ts';
import type { ServiceDeps } from '../../db/tx.ts';
import { enqueue } from '../../jobs/queue.ts';
import { unitOfWork } from '../../db/unit-of-work.ts';
import { AppError, notFound } from '../../errors.ts';
import type { Actor } from '../auth/actor.ts';
import { SYSTEM_ACTOR } from '../auth/actor.ts';
import { authorize } from '../auth/authorize.ts';
import { loadCriteria, loadRiskForWrite, staffIssues } from './risk.commands.ts';
import { acceptanceExpiryKey, rearm, RISK_ACCEPTANCE_EXPIRY_JOB, type RiskReviewPayload } from './risk.jobs.ts';
import { mailAcceptanceExpired, mailReview } from './risk.notify.ts';
import { acceptanceExpiry, controlChanged, invalid, type ControlInput, type ControlPatch } from './risk.rules.ts';
import * as repo from './risk.repository.ts';

export function createRiskTreatment(deps: ServiceDeps) {
  const { db, clock } = deps;
  const uow = deps.uow ?? unitOfWork(db, clock);

  return {
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
        const changed = controlChanged(before, patch);
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
        const expiresAt = acceptanceExpiry(input.expiresOn, w.now);
        if (risk.residualScore === null || risk.residualLevel === null || risk.residualLikelihood === null || risk.residualImpact === null) {
          throw new AppError('risk.no_residual', 'the risk has no residual rating to accept');
        }
        const me = (await repo.people(w.tx, [actor.userId]))[0];
        const row: repo.AcceptanceRow = {
          id: uuidv7(), riskId: id, acceptedBy: actor.userId, acceptedName: me?.name ?? actor.userId, acceptedAt: w.now,
          expiresOn: input.expiresOn, expiresAt,
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
}
