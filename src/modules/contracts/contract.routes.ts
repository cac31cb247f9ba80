/** /contracts — admins manage; agents read all; a contact reads only their own client's (service-enforced). */
import { IdParams, listOf } from '../../contract/common.ts';
import { ClientFilter, Contract, CreateContractBody, UpdateContractBody } from '../../contract/desk.ts';
import { actorOf } from '../../http/actor.ts';
import type { Api } from '../../http/types.ts';
import type { ContractInput, ContractService } from './contract.service.ts';
import { presentContract } from './contract.presenter.ts';

/** zod gives `x?: T | undefined`; the service wants absent keys absent. */
function defined<T extends object>(o: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as { [K in keyof T]: Exclude<T[K], undefined> };
}

export function registerContractRoutes(app: Api, contracts: ContractService): void {
  app.get('/contracts', {
    schema: { tags: ['contracts'], summary: 'List contracts', querystring: ClientFilter, response: { 200: listOf(Contract) } },
  }, async (req) => ({
    items: (await contracts.list(actorOf(req), req.query.clientId ? { clientId: req.query.clientId } : {})).map(presentContract),
  }));

  app.post('/contracts', {
    schema: { tags: ['contracts'], summary: 'Create a contract (admin)', body: CreateContractBody, response: { 201: Contract } },
  }, async (req, reply) => reply.status(201).send(presentContract(await contracts.create(actorOf(req), defined(req.body) as ContractInput))));

  app.get('/contracts/:id', {
    schema: { tags: ['contracts'], summary: 'One contract', params: IdParams, response: { 200: Contract } },
  }, async (req) => presentContract(await contracts.get(actorOf(req), req.params.id)));

  app.patch('/contracts/:id', {
    schema: { tags: ['contracts'], summary: 'Change a contract (admin)', params: IdParams, body: UpdateContractBody, response: { 200: Contract } },
  }, async (req) => presentContract(await contracts.update(actorOf(req), req.params.id, defined(req.body))));
}
