/**
 * Change-request proposals and the client's decision: versioned proposals (immutable once
 * sent; a later version supersedes earlier ones and voids a standing approval), and the
 * designated contact's approval or rejection of one version in the portal (the SHA-256 of
 * the version shown is recorded). One unit of work each.
 */
import { uuidv7 } from 'uuidv7';
import { toFlag, type ServiceDeps } from '../../db/tx.ts';
import type { Work } from '../../db/unit-of-work.ts';
import { AppError, notFound } from '../../errors.ts';
import type { Actor } from '../auth/actor.ts';
import { authorize } from '../auth/authorize.ts';
import { taxOf, DEFAULT_TAX_RATE_PERCENT } from '../../contract/change-requests.ts';
import { approverContact, currentSent, type ChangeDetail } from './change-request.queries.ts';
import { centi, checkProposal, expired, invalid, issue, proposalHash, step, voidReason, type ProposalInput } from './change-request.rules.ts';
import { actorName, changeUnit, contractInfo, event, mail, save } from './change-request.unit.ts';
import * as repo from './change-request.repository.ts';

/** Sends a draft version: immutable from now on, earlier versions superseded, a standing approval voided. */
export async function sendIn(w: Work<Actor>, row: repo.ChangeRow, p: repo.ProposalRow): Promise<repo.ProposalRow> {
  const { tx, now, actor } = w;
  authorize(actor, 'change_proposal.send');
  const to = step(row.status, 'send_proposal', actor);
  const { calendar } = await contractInfo(tx, row);
  if (expired(p.validUntil, calendar.timeZone, now)) throw invalid([issue(['validUntil'], 'in_past', 'the proposal would be expired already')]);
  const sent: repo.ProposalRow = { ...p, status: 'sent', sentAt: now, sentBy: actor.userId, updatedAt: now };
  sent.contentHash = proposalHash(sent);
  await repo.updateProposal(tx, p.id, { status: 'sent', sentAt: now, sentBy: actor.userId, contentHash: sent.contentHash, updatedAt: now });
  await repo.supersedeSent(tx, row.id, p.id, now);
  const voided = await repo.voidApprovals(tx, row.id, now, voidReason(p.version));
  w.audit({ entity: 'change_proposal', entityId: p.id, action: 'send', before: { status: p.status }, after: { status: 'sent', version: p.version, contentHash: sent.contentHash, voidedApprovals: voided } });
  const after = { ...row, status: to };
  await save(w, row, after, 'send_proposal');
  const eventId = await event(w, after, 'send_proposal', '', { version: p.version, contentHash: sent.contentHash, totalJpy: p.amountJpy + p.taxJpy, voidedApprovals: voided });
  await mail(w, after, 'proposal_sent', eventId, {
    version: p.version, amountJpy: p.amountJpy, taxJpy: p.taxJpy, totalJpy: p.amountJpy + p.taxJpy, validUntil: p.validUntil,
    startsAt: p.windowStartsAt, endsAt: p.windowEndsAt,
  });
  return sent;
}

export function createProposalCommands(deps: ServiceDeps) {
  const { fresh, mutate } = changeUnit(deps);

  return {
    /**
     * A new proposal version (a draft, or sent at once with `send`). After an approval the
     * new version voids it at once: the change cannot be scheduled until the client
     * approves again.
     */
    async createProposal(actor: Actor, id: string, input: ProposalInput & { send?: boolean }): Promise<ChangeDetail> {
      authorize(actor, 'change_proposal.create');
      const issues = checkProposal(input);
      if (issues.length) throw invalid(issues);
      return mutate(actor, id, 'proposal', async (w, row) => {
        const { tx, now } = w;
        const sendable: readonly string[] = ['feasible', 'proposal_sent', 'approved', 'rejected'];
        if (!sendable.includes(row.status)) step(row.status, 'send_proposal', actor);
        const versions = await repo.proposalsOf(tx, [row.id]);
        const rate = input.taxRatePercent ?? DEFAULT_TAX_RATE_PERCENT;
        const p: repo.ProposalRow = {
          id: uuidv7(), changeRequestId: row.id, version: (versions[0]?.version ?? 0) + 1, status: 'draft',
          effortCenti: centi(input.effortAmount), effortUnit: input.effortUnit, amountJpy: input.amountJpy, taxRatePercent: rate,
          taxJpy: taxOf(input.amountJpy, rate), plan: input.plan.trim(), impact: input.impact.trim(), backout: input.backout.trim(),
          windowStartsAt: input.windowStartsAt ?? null, windowEndsAt: input.windowEndsAt ?? null, affectsService: toFlag(input.affectsService ?? true),
          validUntil: input.validUntil, contentHash: null, sentAt: null, sentBy: null, createdBy: actor.userId, createdAt: now, updatedAt: now,
        };
        await repo.insertProposal(tx, p);
        w.audit({ entity: 'change_proposal', entityId: p.id, action: 'create', after: { ...p, changeRequestNumber: row.number } });
        let current = row;
        if (row.status === 'approved' && !input.send) {
          // revise_proposal: editing after approval voids the approval.
          const to = step(row.status, 'revise_proposal', actor);
          const voided = await repo.voidApprovals(tx, row.id, now, voidReason(p.version));
          current = { ...row, status: to };
          await save(w, row, current, 'revise_proposal');
          await event(w, current, 'revise_proposal', '', { version: p.version, voidedApprovals: voided });
        } else if (!input.send) {
          await event(w, row, 'proposal_draft', '', { version: p.version }, 'internal');
          w.audit({ entity: 'change_request', entityId: row.id, action: 'proposal_draft', after: { version: p.version } });
        }
        if (input.send) await sendIn(w, current, p);
        return fresh(w, id);
      });
    },

    /** Edits a draft version; a sent version is immutable (change_proposal.immutable). */
    async updateProposal(actor: Actor, id: string, version: number, patch: Partial<ProposalInput>): Promise<ChangeDetail> {
      authorize(actor, 'change_proposal.update');
      return mutate(actor, id, 'proposal.update', async (w, row) => {
        const p = await repo.findProposal(w.tx, row.id, version);
        if (!p) throw notFound('change_proposal');
        if (p.status !== 'draft') throw new AppError('change_proposal.immutable', 'sent versions never change', [], { version });
        const rate = patch.taxRatePercent ?? p.taxRatePercent;
        const amount = patch.amountJpy ?? p.amountJpy;
        const next: repo.ProposalRow = {
          ...p,
          ...(patch.effortAmount !== undefined ? { effortCenti: centi(patch.effortAmount) } : {}),
          ...(patch.effortUnit !== undefined ? { effortUnit: patch.effortUnit } : {}),
          amountJpy: amount, taxRatePercent: rate, taxJpy: taxOf(amount, rate),
          ...(patch.plan !== undefined ? { plan: patch.plan.trim() } : {}),
          ...(patch.impact !== undefined ? { impact: patch.impact.trim() } : {}),
          ...(patch.backout !== undefined ? { backout: patch.backout.trim() } : {}),
          ...(patch.windowStartsAt !== undefined ? { windowStartsAt: patch.windowStartsAt } : {}),
          ...(patch.windowEndsAt !== undefined ? { windowEndsAt: patch.windowEndsAt } : {}),
          ...(patch.affectsService !== undefined ? { affectsService: toFlag(patch.affectsService) } : {}),
          ...(patch.validUntil !== undefined ? { validUntil: patch.validUntil } : {}),
          updatedAt: w.now,
        };
        const issues = checkProposal({ ...patch, windowStartsAt: next.windowStartsAt, windowEndsAt: next.windowEndsAt });
        if (issues.length) throw invalid(issues);
        await repo.updateProposal(w.tx, p.id, next);
        w.audit({ entity: 'change_proposal', entityId: p.id, action: 'update', before: p, after: next });
        w.audit({ entity: 'change_request', entityId: row.id, action: 'proposal_update', after: { version } });
        await event(w, row, 'proposal_update', '', { version }, 'internal');
        return fresh(w, id);
      });
    },

    async sendProposal(actor: Actor, id: string, version: number): Promise<ChangeDetail> {
      authorize(actor, 'change_proposal.send');
      return mutate(actor, id, 'proposal.send', async (w, row) => {
        const p = await repo.findProposal(w.tx, row.id, version);
        if (!p) throw notFound('change_proposal');
        if (p.status !== 'draft') throw new AppError('change_proposal.immutable', 'already sent', [], { version });
        await sendIn(w, row, p);
        return fresh(w, id);
      });
    },

    /**
     * The client's decision on one version, in the portal, by the designated contact (or an
     * allowed deputy). The version and the hash of what the portal showed must be the
     * version now offered: a voided or superseded version cannot be approved.
     */
    async decide(actor: Actor, id: string, decision: 'approve' | 'reject', input: { version: number; contentHash: string; comment?: string }): Promise<ChangeDetail> {
      authorize(actor, 'change_request.decide');
      return mutate(actor, id, decision, async (w, row) => {
        const { tx, now } = w;
        const approver = await approverContact(tx, actor, row.contractId, row.clientId);
        if (!approver) throw new AppError('change_request.not_designated', 'not the designated contact');
        const to = step(row.status, decision, actor);
        const current = currentSent(await repo.proposalsOf(tx, [row.id]));
        if (!current || current.version !== input.version || current.contentHash !== input.contentHash) {
          throw new AppError('change_request.version_mismatch', 'not the version offered now', [], { version: input.version, current: current?.version ?? '-' });
        }
        const { calendar } = await contractInfo(tx, row);
        if (decision === 'approve' && expired(current.validUntil, calendar.timeZone, now)) {
          throw new AppError('change_request.proposal_expired', 'the proposal expired', [], { version: current.version, validUntil: current.validUntil });
        }
        const name = (await actorName(tx, actor)) ?? approver.name;
        const approval: repo.ApprovalRow = {
          id: uuidv7(), changeRequestId: row.id, proposalId: current.id, version: current.version,
          decision: decision === 'approve' ? 'approved' : 'rejected', comment: input.comment?.trim() ?? '', userId: actor.userId,
          contactId: approver.id, name, decidedAt: now, contentHash: current.contentHash!, voidedAt: null, voidReason: null,
        };
        await repo.insertApproval(tx, approval);
        w.audit({ entity: 'change_approval', entityId: approval.id, action: approval.decision, after: approval });
        const after = { ...row, status: to };
        await save(w, row, after, decision);
        const eventId = await event(w, after, decision, approval.comment, { version: current.version, contentHash: approval.contentHash });
        await mail(w, after, decision === 'approve' ? 'approved' : 'rejected', eventId, {
          version: current.version, totalJpy: current.amountJpy + current.taxJpy, comment: approval.comment,
        });
        return fresh(w, id);
      });
    },

  };
}
