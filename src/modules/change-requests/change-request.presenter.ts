/** Change request rows → API shapes: instants as ISO strings, efforts in their unit, money with tax and total. */
import type { z } from 'zod';
import { toIso, toIsoOrNull } from '../../contract/common.ts';
import type {
  ChangeApproval, ChangeConflict, ChangeEvent, ChangeProposal, ChangeRequest, ChangeRequestDetail, ChangeSettings,
} from '../../contract/change-requests.ts';
import { fromFlag } from '../../db/tx.ts';
import type { ChangeDetail, ChangeSummary, Conflict } from './change-request.queries.ts';
import type { ApprovalRow, EventRow, ProposalRow } from './change-request.repository.ts';

type Out<T extends z.ZodType> = z.infer<T>;

export function presentProposal(p: ProposalRow): Out<typeof ChangeProposal> {
  return {
    id: p.id, version: p.version, status: p.status as Out<typeof ChangeProposal>['status'],
    effortAmount: p.effortCenti / 100, effortUnit: p.effortUnit as Out<typeof ChangeProposal>['effortUnit'],
    amountJpy: p.amountJpy, taxRatePercent: p.taxRatePercent, taxJpy: p.taxJpy, totalJpy: p.amountJpy + p.taxJpy,
    plan: p.plan, impact: p.impact, backout: p.backout,
    windowStartsAt: toIsoOrNull(p.windowStartsAt), windowEndsAt: toIsoOrNull(p.windowEndsAt), affectsService: fromFlag(p.affectsService),
    validUntil: p.validUntil, contentHash: p.contentHash, sentAt: toIsoOrNull(p.sentAt), createdAt: toIso(p.createdAt),
  };
}

export function presentApproval(a: ApprovalRow): Out<typeof ChangeApproval> {
  return {
    id: a.id, proposalId: a.proposalId, version: a.version, decision: a.decision as Out<typeof ChangeApproval>['decision'], comment: a.comment,
    decidedBy: { userId: a.userId, contactId: a.contactId, name: a.name }, decidedAt: toIso(a.decidedAt), contentHash: a.contentHash,
    voidedAt: toIsoOrNull(a.voidedAt), voidReason: a.voidReason,
    voidedByVersion: a.voidReason ? Number(/version (\d+)/.exec(a.voidReason)?.[1] ?? NaN) || null : null,
  };
}

export function presentEvent(e: EventRow): Out<typeof ChangeEvent> {
  return {
    id: e.id, at: toIso(e.at), kind: e.kind, actorId: e.actorId, actorName: e.actorName, body: e.body,
    data: JSON.parse(e.data) as Record<string, unknown>,
  };
}

export const presentConflict = (c: Conflict): Out<typeof ChangeConflict> => ({ ...c, startsAt: toIso(c.startsAt), endsAt: toIso(c.endsAt) });

export function presentChange(c: ChangeSummary): Out<typeof ChangeRequest> {
  const f = c.feasibilityView;
  return {
    id: c.id, number: c.number, contractId: c.contractId, clientId: c.clientId, systemIds: c.systemIds, title: c.title,
    description: c.description, reason: c.reason, desiredDate: c.desiredDate, channel: c.channel as Out<typeof ChangeRequest>['channel'],
    requestedBy: { userId: c.requestedByUserId, contactId: c.requestedByContactId, name: c.requesterName, staff: fromFlag(c.requestedByStaff) },
    sourceIncidentId: c.sourceIncidentId, status: c.status as Out<typeof ChangeRequest>['status'], receivedAt: toIso(c.receivedAt),
    feasibility: c.feasibility as Out<typeof ChangeRequest>['feasibility'], feasibilityReason: c.feasibilityReason, feasibilityAt: toIsoOrNull(c.feasibilityAt),
    feasibilityTarget: f ? { target: f.target, dueAt: toIsoOrNull(f.dueAt), atRiskAt: toIsoOrNull(f.atRiskAt), metAt: toIsoOrNull(f.metAt), state: f.state } : null,
    currentProposal: c.current ? { version: c.current.version, amountJpy: c.current.amountJpy, totalJpy: c.current.amountJpy + c.current.taxJpy } : null,
    windowStartsAt: toIsoOrNull(c.windowStartsAt), windowEndsAt: toIsoOrNull(c.windowEndsAt), maintenanceWindowId: c.maintenanceWindowId,
    scheduledAt: toIsoOrNull(c.scheduledAt), startedAt: toIsoOrNull(c.startedAt), finishedAt: toIsoOrNull(c.finishedAt),
    outcome: c.outcome as Out<typeof ChangeRequest>['outcome'], actualEffortAmount: c.actualEffortCenti === null ? null : c.actualEffortCenti / 100,
    resultNotes: c.resultNotes, confirmationDueAt: toIsoOrNull(c.confirmationDueAt), confirmedAt: toIsoOrNull(c.confirmedAt),
    autoClosed: fromFlag(c.autoClosed), closedAt: toIsoOrNull(c.closedAt), createdAt: toIso(c.createdAt), updatedAt: toIso(c.updatedAt),
  };
}

export function presentChangeDetail(d: ChangeDetail): Out<typeof ChangeRequestDetail> {
  return {
    ...presentChange(d),
    proposals: d.proposals.map(presentProposal),
    approvals: d.approvals.map(presentApproval),
    timeline: d.events.map(presentEvent),
    conflicts: d.conflicts.map(presentConflict),
    mayApprove: d.mayApprove,
    commands: d.commands,
  };
}

export const presentSettings = (s: { contractId: string; deputiesMayApprove: boolean; confirmationBusinessDays: number }): Out<typeof ChangeSettings> => s;
