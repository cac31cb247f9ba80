/** /clients — who may is decided in the client service (admins write; contacts see only their own client). */
import { IdParams, listOf } from '../../contract/common.ts';
import { Client, CreateClientBody, UpdateClientBody } from '../../contract/desk.ts';
import { actorOf } from '../../http/actor.ts';
import type { Api } from '../../http/types.ts';
import type { ClientService } from './client.service.ts';
import { presentClient } from './client.presenter.ts';

export function registerClientRoutes(app: Api, clients: ClientService): void {
  app.get('/clients', {
    schema: { tags: ['clients'], summary: 'List clients (a contact sees only their own)', response: { 200: listOf(Client) } },
  }, async (req) => ({ items: (await clients.list(actorOf(req))).map(presentClient) }));

  app.post('/clients', {
    schema: { tags: ['clients'], summary: 'Create a client (admin)', body: CreateClientBody, response: { 201: Client } },
  }, async (req, reply) => reply.status(201).send(presentClient(await clients.create(actorOf(req), req.body))));

  app.get('/clients/:id', {
    schema: { tags: ['clients'], summary: 'One client', params: IdParams, response: { 200: Client } },
  }, async (req) => presentClient(await clients.get(actorOf(req), req.params.id)));

  app.patch('/clients/:id', {
    schema: { tags: ['clients'], summary: 'Change a client (admin)', params: IdParams, body: UpdateClientBody, response: { 200: Client } },
  }, async (req) => presentClient(await clients.update(actorOf(req), req.params.id, req.body)));
}
