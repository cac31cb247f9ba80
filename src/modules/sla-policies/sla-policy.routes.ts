/** /sla-policies — staff read all, a contact the policies and versions their contracts follow; admins create and revise. */
import { IdParams, listOf } from '../../contract/common.ts';
import { CreateSlaPolicyBody, PolicyVersionParams, ReviseSlaPolicyBody, SlaPolicy, SlaPolicyVersion } from '../../contract/desk.ts';
import { actorOf } from '../../http/actor.ts';
import type { Api } from '../../http/types.ts';
import type { SlaPolicyService } from './sla-policy.service.ts';
import { presentSlaPolicy, presentSlaPolicyVersion } from './sla-policy.presenter.ts';

export function registerSlaPolicyRoutes(app: Api, policies: SlaPolicyService): void {
  app.get('/sla-policies', {
    schema: { tags: ['sla-policies'], summary: 'List SLA policies with their current version and revision history (a contact: only those, and the versions, their contracts follow)', response: { 200: listOf(SlaPolicy) } },
  }, async (req) => ({ items: (await policies.list(actorOf(req))).map(presentSlaPolicy) }));

  app.post('/sla-policies', {
    schema: { tags: ['sla-policies'], summary: 'Create an SLA policy (admin); writes version 1', body: CreateSlaPolicyBody, response: { 201: SlaPolicy } },
  }, async (req, reply) => reply.status(201).send(presentSlaPolicy(await policies.create(actorOf(req), req.body))));

  app.get('/sla-policies/:id', {
    schema: { tags: ['sla-policies'], summary: 'One SLA policy (a contact: only one their contracts follow, else sla_policy.not_found)', params: IdParams, response: { 200: SlaPolicy } },
  }, async (req) => presentSlaPolicy(await policies.get(actorOf(req), req.params.id)));

  app.post('/sla-policies/:id/versions', {
    schema: {
      tags: ['sla-policies'], summary: 'Revise an SLA policy (admin): a new version; open incidents keep theirs',
      params: IdParams, body: ReviseSlaPolicyBody, response: { 201: SlaPolicy },
    },
  }, async (req, reply) => reply.status(201).send(presentSlaPolicy(await policies.revise(actorOf(req), req.params.id, req.body))));

  app.get('/sla-policies/:id/versions/:version', {
    schema: { tags: ['sla-policies'], summary: 'One version of an SLA policy (a contact: only a version their contracts follow, else sla_policy.not_found)', params: PolicyVersionParams, response: { 200: SlaPolicyVersion } },
  }, async (req) => presentSlaPolicyVersion(await policies.getVersion(actorOf(req), req.params.id, req.params.version)));

  app.post('/sla-policies/:id/default', {
    schema: { tags: ['sla-policies'], summary: 'Make this the default policy for new contracts (admin)', params: IdParams, response: { 200: SlaPolicy } },
  }, async (req) => presentSlaPolicy(await policies.setDefault(actorOf(req), req.params.id)));
}
