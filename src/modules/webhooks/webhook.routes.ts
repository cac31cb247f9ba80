/** /webhooks — outbound webhook endpoints, their delivery log and replay (admins); /contracts/{id}/escalation — escalation rules. */
import { z } from 'zod';
import { IdParams, listOf, Ok } from '../../contract/common.ts';
import {
  ContractEscalation, CreateWebhookBody, DeliveryListQuery, DeliveryParams, EscalationRules, RotatedSecret, RotateSecretBody,
  UpdateWebhookBody, WebhookDelivery, WebhookDeliveryDetail, WebhookEndpoint, WebhookEndpointCreated,
} from '../../contract/webhooks.ts';
import { actorOf } from '../../http/actor.ts';
import { requestLocale } from '../../http/locale.ts';
import type { Api } from '../../http/types.ts';
import { presentAttempt, presentDelivery, presentEndpoint } from './webhook.presenter.ts';
import type { WebhookService } from './webhook.service.ts';

const tags = ['webhooks'];

export function registerWebhookRoutes(app: Api, webhooks: WebhookService): void {
  app.get('/webhooks', {
    schema: { tags, summary: 'Webhook endpoints (admin)', response: { 200: listOf(WebhookEndpoint) } },
  }, async (req) => ({ items: (await webhooks.list(actorOf(req))).map(presentEndpoint) }));

  app.post('/webhooks', {
    schema: {
      tags, summary: 'Add a webhook endpoint (admin); the answer carries its secret (whsec_…) — the only time it is shown',
      body: CreateWebhookBody, response: { 201: WebhookEndpointCreated },
    },
  }, async (req, reply) => {
    const r = await webhooks.create(actorOf(req), req.body);
    return reply.status(201).send({ ...presentEndpoint(r), secret: r.secret });
  });

  app.get('/webhooks/:id', {
    schema: { tags, summary: 'One webhook endpoint (admin)', params: IdParams, response: { 200: WebhookEndpoint } },
  }, async (req) => presentEndpoint(await webhooks.get(actorOf(req), req.params.id)));

  app.patch('/webhooks/:id', {
    schema: {
      tags, summary: 'Change a webhook endpoint (admin); enabling it again clears its failure state',
      params: IdParams, body: UpdateWebhookBody, response: { 200: WebhookEndpoint },
    },
  }, async (req) => presentEndpoint(await webhooks.update(actorOf(req), req.params.id, req.body)));

  app.delete('/webhooks/:id', {
    schema: { tags, summary: 'Delete a webhook endpoint with its delivery log (admin)', params: IdParams, response: { 200: Ok } },
  }, async (req) => {
    await webhooks.remove(actorOf(req), req.params.id);
    return { ok: true as const };
  });

  app.post('/webhooks/:id/secret', {
    schema: {
      tags, summary: 'Rotate the signing secret (admin): the new one is answered once; the old one keeps signing (a second signature) for keepOldHours',
      params: IdParams, body: RotateSecretBody, response: { 200: RotatedSecret },
    },
  }, async (req) => {
    const r = await webhooks.rotateSecret(actorOf(req), req.params.id, req.body.keepOldHours);
    return { secret: r.secret, endpoint: presentEndpoint(r) };
  });

  app.post('/webhooks/:id/test', {
    schema: { tags, summary: 'Send a test event to this endpoint (admin), even while it is disabled', params: IdParams, response: { 202: WebhookDelivery } },
  }, async (req, reply) => {
    const d = await webhooks.sendTest(actorOf(req), req.params.id, requestLocale(req));
    return reply.status(202).send(presentDelivery(d, { type: 'webhook.test', resourceType: 'webhook_endpoint', resourceId: req.params.id }));
  });

  app.get('/webhooks/:id/deliveries', {
    schema: { tags, summary: 'The delivery log of an endpoint, newest first (admin)', params: IdParams, querystring: DeliveryListQuery, response: { 200: listOf(WebhookDelivery) } },
  }, async (req) => ({
    items: (await webhooks.deliveries(actorOf(req), req.params.id, { limit: req.query.limit, ...(req.query.status ? { status: req.query.status } : {}) })).map((d) => presentDelivery(d)),
  }));

  app.get('/webhooks/:id/deliveries/:deliveryId', {
    schema: { tags, summary: 'One delivery with its attempts and payload (admin)', params: DeliveryParams, response: { 200: WebhookDeliveryDetail } },
  }, async (req) => {
    const r = await webhooks.delivery(actorOf(req), req.params.id, req.params.deliveryId);
    return { ...presentDelivery(r.delivery, r.event), attemptLog: r.attempts.map(presentAttempt), payload: r.payload };
  });

  app.post('/webhooks/:id/deliveries/:deliveryId/redeliver', {
    schema: { tags, summary: 'Send one delivery again now: same webhook-id, signed afresh (admin)', params: DeliveryParams, response: { 202: WebhookDelivery } },
  }, async (req, reply) => {
    const d = await webhooks.redeliver(actorOf(req), req.params.id, req.params.deliveryId);
    const r = await webhooks.delivery(actorOf(req), req.params.id, d.id);
    return reply.status(202).send(presentDelivery(r.delivery, r.event));
  });

  app.get('/contracts/:id/escalation', {
    schema: { tags, summary: 'The escalation rules of a contract (its own or the default) (staff)', params: IdParams, response: { 200: ContractEscalation } },
  }, async (req) => ({ contractId: req.params.id, ...(await webhooks.escalation(actorOf(req), req.params.id)) }));

  app.put('/contracts/:id/escalation', {
    schema: {
      tags, summary: 'Set the escalation rules of a contract, or { rules: null } to follow the default (admin)',
      params: IdParams, body: z.strictObject({ rules: EscalationRules.nullable() }), response: { 200: ContractEscalation },
    },
  }, async (req) => ({ contractId: req.params.id, ...(await webhooks.setEscalation(actorOf(req), req.params.id, req.body.rules)) }));
}
