/**
 * /risks and /risk-criteria: the register, its heat map and CSV export, scoring, review,
 * controls presented to the client (acknowledged by the client's contact), formal acceptance
 * of a residual risk, the discussion thread and links. Who may is decided in the service.
 */
import { z } from 'zod';
import { IdParams, listOf, Ok } from '../../contract/common.ts';
import {
  AcceptBody, CloseRiskBody, ControlParams, CreateControlBody, CreateRiskBody, CreateRiskCriteriaBody, HeatMap, HeatMapQuery, LinkBody,
  LinkParams, RescoreBody, ReviewBody, RiskAcceptance, RiskControl, RiskCriteriaVersion, RiskDetail, RiskLink, RiskList,
  RiskMessage, RiskMessageBody, RiskQuery, UpdateControlBody, UpdateRiskBody, VersionParams,
} from '../../contract/risks.ts';
import { actorOf } from '../../http/actor.ts';
import { requestLocale } from '../../http/locale.ts';
import type { Api } from '../../http/types.ts';
import { presentLink, presentMessage } from './risk.presenter.ts';
import type { RiskService } from './risk.service.ts';

const tags = ['risks'];

export function registerRiskRoutes(app: Api, risks: RiskService): void {
  /** Every write answers with the risk as the caller now sees it. */
  const detail = (req: { params: { id: string } } & Parameters<typeof actorOf>[0]) => risks.get(actorOf(req), req.params.id);

  app.get('/risk-criteria', {
    schema: { tags, summary: 'Every version of the scoring criteria, newest first', response: { 200: listOf(RiskCriteriaVersion) } },
  }, async (req) => ({ items: await risks.listCriteria(actorOf(req)) }));

  app.get('/risk-criteria/current', {
    schema: { tags, summary: 'The criteria version new scores are taken on', response: { 200: RiskCriteriaVersion } },
  }, async (req) => risks.getCriteria(actorOf(req), 'current'));

  app.get('/risk-criteria/:version', {
    schema: { tags, summary: 'One criteria version', params: VersionParams, response: { 200: RiskCriteriaVersion } },
  }, async (req) => risks.getCriteria(actorOf(req), req.params.version));

  app.post('/risk-criteria', {
    schema: {
      tags, summary: 'A new criteria version (admin): new scores use it, existing risks keep the version they were rated on',
      body: CreateRiskCriteriaBody, response: { 201: RiskCriteriaVersion },
    },
  }, async (req, reply) => {
    const row = await risks.createCriteria(actorOf(req), req.body.document, req.body.note);
    return reply.status(201).send(await risks.getCriteria(actorOf(req), row.version));
  });

  app.get('/risks', {
    schema: { tags, summary: 'The register, newest first (a contact sees their own client\'s)', querystring: RiskQuery, response: { 200: RiskList } },
  }, async (req) => ({ items: await risks.list(actorOf(req), req.query) }));

  app.get('/risks/heatmap', {
    schema: { tags, summary: 'Open risks per likelihood × impact cell of one criteria version', querystring: HeatMapQuery, response: { 200: HeatMap } },
  }, async (req) => risks.heatMap(actorOf(req), req.query));

  app.get('/risks/export.csv', {
    schema: { tags, summary: 'The register as CSV (UTF-8 with BOM, for Excel), headers in the request\'s language', querystring: RiskQuery, response: { 200: z.string().describe('text/csv') } },
  }, async (req, reply) => {
    const csv = await risks.exportCsv(actorOf(req), req.query, requestLocale(req));
    return reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="risks.csv"').send(csv);
  });

  app.post('/risks', {
    schema: { tags, summary: 'Register a risk (staff), rated on the current criteria', body: CreateRiskBody, response: { 201: RiskDetail } },
  }, async (req, reply) => {
    const row = await risks.create(actorOf(req), req.body);
    return reply.status(201).send(await risks.get(actorOf(req), row.id));
  });

  app.get('/risks/:id', {
    schema: { tags, summary: 'One risk with its controls, acceptances, score history, thread and links', params: IdParams, response: { 200: RiskDetail } },
  }, async (req) => detail(req));

  app.patch('/risks/:id', {
    schema: { tags, summary: 'Change a risk\'s description, systems, category, owner or treatment (staff)', params: IdParams, body: UpdateRiskBody, response: { 200: RiskDetail } },
  }, async (req) => {
    await risks.update(actorOf(req), req.params.id, req.body);
    return detail(req);
  });

  app.post('/risks/:id/score', {
    schema: { tags, summary: 'Rate the risk again on the current criteria, with a reason (staff); history keeps every revision', params: IdParams, body: RescoreBody, response: { 200: RiskDetail } },
  }, async (req) => {
    await risks.rescore(actorOf(req), req.params.id, req.body);
    return detail(req);
  });

  app.post('/risks/:id/close', {
    schema: { tags, summary: 'Close a risk with a reason (staff); its review timers stop', params: IdParams, body: CloseRiskBody, response: { 200: RiskDetail } },
  }, async (req) => {
    await risks.close(actorOf(req), req.params.id, req.body.reason);
    return detail(req);
  });

  app.post('/risks/:id/reopen', {
    schema: { tags, summary: 'Reopen a closed risk (staff)', params: IdParams, response: { 200: RiskDetail } },
  }, async (req) => {
    await risks.reopen(actorOf(req), req.params.id);
    return detail(req);
  });

  app.post('/risks/:id/review', {
    schema: { tags, summary: 'Record a review (staff): the next one is due one period of the level from now', params: IdParams, body: ReviewBody, response: { 200: RiskDetail } },
  }, async (req) => {
    await risks.review(actorOf(req), req.params.id, req.body.note);
    return detail(req);
  });

  app.post('/risks/:id/messages', {
    schema: { tags, summary: 'Write in the risk\'s discussion (協議); internal notes are staff only', params: IdParams, body: RiskMessageBody, response: { 201: RiskMessage } },
  }, async (req, reply) => {
    return reply.status(201).send(presentMessage(await risks.addMessage(actorOf(req), req.params.id, req.body.body, req.body.internal ?? false)));
  });

  app.post('/risks/:id/links', {
    schema: { tags, summary: 'Link an incident, change request or security incident (staff)', params: IdParams, body: LinkBody, response: { 201: RiskLink } },
  }, async (req, reply) => {
    return reply.status(201).send(presentLink(await risks.link(actorOf(req), req.params.id, req.body.kind, req.body.targetId)));
  });

  app.delete('/risks/:id/links/:linkId', {
    schema: { tags, summary: 'Remove a link (staff)', params: LinkParams, response: { 200: Ok } },
  }, async (req) => {
    await risks.unlink(actorOf(req), req.params.id, req.params.linkId);
    return { ok: true as const };
  });

  app.post('/risks/:id/controls', {
    schema: { tags, summary: 'Add a control / mitigation (staff), presented to the client at once when asked', params: IdParams, body: CreateControlBody, response: { 201: RiskControl } },
  }, async (req, reply) => {
    const row = await risks.createControl(actorOf(req), req.params.id, req.body);
    return reply.status(201).send(controlOf(await detail(req), row.id));
  });

  app.patch('/risks/:id/controls/:controlId', {
    schema: { tags, summary: 'Change a control (staff); a change of its content makes a new revision for the client to acknowledge', params: ControlParams, body: UpdateControlBody, response: { 200: RiskControl } },
  }, async (req) => {
    await risks.updateControl(actorOf(req), req.params.id, req.params.controlId, req.body);
    return controlOf(await detail(req), req.params.controlId);
  });

  app.post('/risks/:id/controls/:controlId/present', {
    schema: { tags, summary: 'Present a control to the client (提示) (staff)', params: ControlParams, response: { 200: RiskControl } },
  }, async (req) => {
    await risks.presentControl(actorOf(req), req.params.id, req.params.controlId);
    return controlOf(await detail(req), req.params.controlId);
  });

  app.post('/risks/:id/controls/:controlId/acknowledge', {
    schema: { tags, summary: 'The client acknowledges a presented control (contact); who, when and which revision are recorded', params: ControlParams, response: { 200: RiskControl } },
  }, async (req) => {
    await risks.acknowledge(actorOf(req), req.params.id, req.params.controlId);
    return controlOf(await detail(req), req.params.controlId);
  });

  app.post('/risks/:id/acceptances', {
    schema: { tags, summary: 'The client formally accepts the residual risk until an expiry date (contact); the rating and criteria version are recorded', params: IdParams, body: AcceptBody, response: { 201: RiskAcceptance } },
  }, async (req, reply) => {
    const row = await risks.accept(actorOf(req), req.params.id, req.body);
    const d = await detail(req);
    return reply.status(201).send(d.acceptances.find((a) => a.id === row.id)!);
  });
}

function controlOf(d: { controls: z.infer<typeof RiskControl>[] }, id: string): z.infer<typeof RiskControl> {
  return d.controls.find((c) => c.id === id)!;
}
