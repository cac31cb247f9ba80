/**
 * /change-requests — list with filters, detail (proposal versions, approval trail,
 * timeline, conflicts in the window), create (portal / phone / API) and convert an
 * incident, the lifecycle commands (one route per text command of the table in
 * src/contract/change-request-lifecycle.ts), proposals (create, edit a draft, send),
 * the client's decision, scheduling, finishing, comments; per-contract settings.
 */
import { z } from 'zod';
import { fromIso, IdParams } from '../../contract/common.ts';
import { CHANGE_COMMANDS, CHANGE_LIFECYCLE, type ChangeCommand } from '../../contract/change-request-lifecycle.ts';
import {
  ChangeConflict, ChangeRequestDetail, ChangeRequestList, ChangeRequestQuery, ChangeSettings, CommentBody, ConflictQuery,
  CreateChangeRequestBody, DecisionBody, FinishBody, FromIncidentBody, OptionalTextBody, ProposalBody, ScheduleBody, TextBody,
  UpdateChangeSettingsBody, UpdateProposalBody, VersionParams,
} from '../../contract/change-requests.ts';
import { actorOf } from '../../http/actor.ts';
import type { Api } from '../../http/types.ts';
import type { ChangeRequestService, TextCommand } from './change-request.service.ts';
import { presentChange, presentChangeDetail, presentConflict, presentSettings } from './change-request.presenter.ts';

const tags = ['change-requests'];

/** The OpenAPI summary of each text command's route (a command without one does not compile). */
const SUMMARIES: Record<TextCommand, string> = {
  judge_feasible: 'Judge the request feasible (可否判断); a proposal follows (staff)',
  judge_not_feasible: 'Judge the request not feasible, with the reason (staff)',
  ask_clarification: 'Ask the client a question: the feasibility clock pauses until they answer (staff)',
  clarify: 'Answer the desk\'s question: the feasibility clock runs again',
  start: 'Work on the change started (staff)',
  confirm: 'The client confirms the finished work (検収) (designated client contacts)',
  close: 'Close a failed, backed-out or rejected change (staff)',
  withdraw: 'Withdraw the request before work is scheduled, with the reason',
};
const TEXT_COMMANDS = CHANGE_COMMANDS.filter((c): c is TextCommand & ChangeCommand => c in SUMMARIES);

const optionalMs = (s: string | null | undefined) => (s === undefined ? undefined : s === null ? null : fromIso(s));

export function registerChangeRequestRoutes(app: Api, changes: ChangeRequestService): void {
  app.get('/change-requests', {
    schema: { tags, summary: 'List change requests, newest first (a contact sees only their client\'s)', querystring: ChangeRequestQuery, response: { 200: ChangeRequestList } },
  }, async (req) => {
    const q = req.query;
    const r = await changes.list(actorOf(req), {
      ...(q.status ? { status: [q.status].flat() } : {}),
      ...(q.open ? { open: q.open === 'true' } : {}),
      ...(q.contractId ? { contractId: q.contractId } : {}),
      ...(q.clientId ? { clientId: q.clientId } : {}),
      ...(q.q ? { q: q.q } : {}),
      limit: q.limit, offset: q.offset,
    });
    return { items: r.items.map(presentChange), total: r.total };
  });

  app.post('/change-requests', {
    schema: { tags, summary: 'File a change request (contacts: their own contracts, through the portal or API; staff: a call, for a contact)', body: CreateChangeRequestBody, response: { 201: ChangeRequestDetail } },
  }, async (req, reply) => {
    const b = req.body;
    const auth = req.auth!;
    const created = await changes.create(actorOf(req), {
      contractId: b.contractId, systemIds: b.systemIds, title: b.title, description: b.description, reason: b.reason,
      ...(b.desiredDate !== undefined ? { desiredDate: b.desiredDate } : {}),
      channel: b.channel ?? (auth.kind === 'token' ? 'api' : auth.actor.role === 'contact' ? 'portal' : 'phone'),
      ...(b.requesterContactId !== undefined ? { requesterContactId: b.requesterContactId } : {}),
      ...(b.receivedAt !== undefined ? { receivedAt: fromIso(b.receivedAt) } : {}),
    });
    return reply.status(201).send(presentChangeDetail(created));
  });

  app.post('/change-requests/from-incident', {
    schema: {
      tags, summary: 'Move an incident of category "change request" to a change request: the incident links to it and is closed (staff)',
      body: FromIncidentBody, response: { 201: ChangeRequestDetail },
    },
  }, async (req, reply) => reply.status(201).send(presentChangeDetail(await changes.convertIncident(actorOf(req), {
    incidentId: req.body.incidentId,
    ...(req.body.reason !== undefined ? { reason: req.body.reason } : {}),
    ...(req.body.desiredDate !== undefined ? { desiredDate: req.body.desiredDate } : {}),
  }))));

  app.get('/change-requests/:id', {
    schema: { tags, summary: 'One change request: proposal versions (a contact sees sent ones), approval trail, timeline, conflicts', params: IdParams, response: { 200: ChangeRequestDetail } },
  }, async (req) => presentChangeDetail(await changes.get(actorOf(req), req.params.id)));

  app.get('/change-requests/:id/conflicts', {
    schema: { tags, summary: 'Maintenance and other changes of the contract in a window', params: IdParams, querystring: ConflictQuery, response: { 200: z.object({ items: z.array(ChangeConflict) }) } },
  }, async (req) => ({ items: (await changes.conflicts(actorOf(req), req.params.id, fromIso(req.query.startsAt), fromIso(req.query.endsAt))).map(presentConflict) }));

  // One route per text command of the lifecycle table.
  for (const command of TEXT_COMMANDS) {
    const rule = CHANGE_LIFECYCLE[command];
    const body = rule.body === 'required_text' ? TextBody : OptionalTextBody;
    app.post(`/change-requests/:id/${rule.path!}`, {
      schema: { tags, summary: SUMMARIES[command], params: IdParams, body, response: { 200: ChangeRequestDetail } },
    }, async (req) => presentChangeDetail(await changes.command(actorOf(req), req.params.id, command, { text: (req.body as { text?: string }).text })));
  }

  app.post('/change-requests/:id/comments', {
    schema: { tags, summary: 'A comment on the timeline (both sides see it; an approval by e-mail is recorded here, not as an approval)', params: IdParams, body: CommentBody, response: { 201: ChangeRequestDetail } },
  }, async (req, reply) => reply.status(201).send(presentChangeDetail(await changes.comment(actorOf(req), req.params.id, req.body))));

  app.post('/change-requests/:id/proposals', {
    schema: { tags, summary: 'A new proposal version (draft, or sent at once); after an approval it voids the approval (staff)', params: IdParams, body: ProposalBody, response: { 201: ChangeRequestDetail } },
  }, async (req, reply) => {
    const b = req.body;
    return reply.status(201).send(presentChangeDetail(await changes.createProposal(actorOf(req), req.params.id, {
      effortAmount: b.effortAmount, effortUnit: b.effortUnit, amountJpy: b.amountJpy, taxRatePercent: b.taxRatePercent,
      plan: b.plan, impact: b.impact, backout: b.backout, windowStartsAt: optionalMs(b.windowStartsAt) ?? null,
      windowEndsAt: optionalMs(b.windowEndsAt) ?? null, affectsService: b.affectsService, validUntil: b.validUntil, send: b.send,
    })));
  });

  app.patch('/change-requests/:id/proposals/:version', {
    schema: { tags, summary: 'Edit a draft version (a sent version never changes) (staff)', params: VersionParams, body: UpdateProposalBody, response: { 200: ChangeRequestDetail } },
  }, async (req) => {
    const { windowStartsAt, windowEndsAt, ...rest } = req.body;
    const patch = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
    return presentChangeDetail(await changes.updateProposal(actorOf(req), req.params.id, req.params.version, {
      ...patch,
      ...(windowStartsAt !== undefined ? { windowStartsAt: optionalMs(windowStartsAt) ?? null } : {}),
      ...(windowEndsAt !== undefined ? { windowEndsAt: optionalMs(windowEndsAt) ?? null } : {}),
    }));
  });

  app.post('/change-requests/:id/proposals/:version/send', {
    schema: { tags, summary: 'Send a draft version to the client: it becomes immutable, earlier versions and approvals are superseded (staff)', params: VersionParams, response: { 200: ChangeRequestDetail } },
  }, async (req) => presentChangeDetail(await changes.sendProposal(actorOf(req), req.params.id, req.params.version)));

  for (const decision of ['approve', 'reject'] as const) {
    app.post(`/change-requests/:id/${decision}`, {
      schema: {
        tags, summary: `${decision === 'approve' ? 'Approve' : 'Reject'} the version on offer, as shown (its version and contentHash), with a comment (the contract's designated contact)`,
        params: IdParams, body: DecisionBody, response: { 200: ChangeRequestDetail },
      },
    }, async (req) => presentChangeDetail(await changes.decide(actorOf(req), req.params.id, decision, req.body)));
  }

  app.post('/change-requests/:id/schedule', {
    schema: { tags, summary: 'Schedule an approved change; when it affects the service an announced planned maintenance window is created (notice rule applies) (staff)', params: IdParams, body: ScheduleBody, response: { 200: ChangeRequestDetail } },
  }, async (req) => {
    const b = req.body;
    return presentChangeDetail(await changes.schedule(actorOf(req), req.params.id, {
      startsAt: fromIso(b.startsAt), endsAt: fromIso(b.endsAt),
      ...(b.affectsService !== undefined ? { affectsService: b.affectsService } : {}),
      ...(b.systemId !== undefined ? { systemId: b.systemId } : {}),
      ...(b.emergencyReason !== undefined ? { emergencyReason: b.emergencyReason } : {}),
    }));
  });

  app.post('/change-requests/:id/finish', {
    schema: { tags, summary: 'The work ended: done (the client confirms, or it closes itself after the timeout), failed or backed out (staff)', params: IdParams, body: FinishBody, response: { 200: ChangeRequestDetail } },
  }, async (req) => presentChangeDetail(await changes.finish(actorOf(req), req.params.id, req.body)));

  app.get('/contracts/:id/change-settings', {
    schema: { tags, summary: 'Change-request settings of a contract (deputies may approve; the confirmation timeout)', params: IdParams, response: { 200: ChangeSettings } },
  }, async (req) => presentSettings(await changes.getSettings(actorOf(req), req.params.id)));

  app.put('/contracts/:id/change-settings', {
    schema: { tags, summary: 'Change the change-request settings of a contract (admin)', params: IdParams, body: UpdateChangeSettingsBody, response: { 200: ChangeSettings } },
  }, async (req) => presentSettings(await changes.updateSettings(actorOf(req), req.params.id, {
    ...(req.body.deputiesMayApprove !== undefined ? { deputiesMayApprove: req.body.deputiesMayApprove } : {}),
    ...(req.body.confirmationBusinessDays !== undefined ? { confirmationBusinessDays: req.body.confirmationBusinessDays } : {}),
  })));
}
