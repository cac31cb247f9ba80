/** /contacts — staff manage contacts; a contact sees their own client's. */
import { IdParams, listOf } from '../../contract/common.ts';
import { ClientFilter, Contact, CreateContactBody, UpdateContactBody } from '../../contract/desk.ts';
import { actorOf } from '../../http/actor.ts';
import type { Api } from '../../http/types.ts';
import type { ContactService } from './contact.service.ts';
import { presentContact } from './contact.presenter.ts';

export function registerContactRoutes(app: Api, contacts: ContactService): void {
  app.get('/contacts', {
    schema: { tags: ['contacts'], summary: 'List contacts', querystring: ClientFilter, response: { 200: listOf(Contact) } },
  }, async (req) => ({
    items: (await contacts.list(actorOf(req), req.query.clientId ? { clientId: req.query.clientId } : {})).map(presentContact),
  }));

  app.post('/contacts', {
    schema: { tags: ['contacts'], summary: 'Create a contact (staff)', body: CreateContactBody, response: { 201: Contact } },
  }, async (req, reply) => reply.status(201).send(presentContact(await contacts.create(actorOf(req), req.body))));

  app.get('/contacts/:id', {
    schema: { tags: ['contacts'], summary: 'One contact', params: IdParams, response: { 200: Contact } },
  }, async (req) => presentContact(await contacts.get(actorOf(req), req.params.id)));

  app.patch('/contacts/:id', {
    schema: { tags: ['contacts'], summary: 'Change a contact (staff)', params: IdParams, body: UpdateContactBody, response: { 200: Contact } },
  }, async (req) => presentContact(await contacts.update(actorOf(req), req.params.id, req.body)));
}
