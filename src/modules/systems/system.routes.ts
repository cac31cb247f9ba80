/** /systems — admins manage systems; contacts see their own client's. */
import { IdParams, listOf } from '../../contract/common.ts';
import { ClientFilter, CreateSystemBody, System, UpdateSystemBody } from '../../contract/desk.ts';
import { actorOf } from '../../http/actor.ts';
import type { Api } from '../../http/types.ts';
import type { SystemService } from './system.service.ts';
import { presentSystem } from './system.presenter.ts';

export function registerSystemRoutes(app: Api, systems: SystemService): void {
  app.get('/systems', {
    schema: { tags: ['systems'], summary: 'List systems', querystring: ClientFilter, response: { 200: listOf(System) } },
  }, async (req) => ({
    items: (await systems.list(actorOf(req), req.query.clientId ? { clientId: req.query.clientId } : {})).map(presentSystem),
  }));

  app.post('/systems', {
    schema: { tags: ['systems'], summary: 'Create a system (admin)', body: CreateSystemBody, response: { 201: System } },
  }, async (req, reply) => reply.status(201).send(presentSystem(await systems.create(actorOf(req), req.body))));

  app.get('/systems/:id', {
    schema: { tags: ['systems'], summary: 'One system', params: IdParams, response: { 200: System } },
  }, async (req) => presentSystem(await systems.get(actorOf(req), req.params.id)));

  app.patch('/systems/:id', {
    schema: { tags: ['systems'], summary: 'Change a system (admin)', params: IdParams, body: UpdateSystemBody, response: { 200: System } },
  }, async (req) => presentSystem(await systems.update(actorOf(req), req.params.id, req.body)));
}
