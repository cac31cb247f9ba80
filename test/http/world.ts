/**
 * A small desk for HTTP tests: a calendar, the standard SLA policy, two clients
 * (A and B) each with a contact person, a system and a contract, and callers of
 * every role — admin, agent, a contact user of A and one of B — plus no credentials.
 * Built through the services (as the CLI would), never by writing rows directly.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../src/db/schema.ts';
import { createServices } from '../../src/http/services.ts';
import { SYSTEM_ACTOR } from '../../src/modules/auth/actor.ts';
import { STANDARD_POLICY } from '../../src/contract/sla-policy-document.ts';
import { anonymous, tokenCaller, type Caller } from './helpers.ts';

export const TOKYO_CALENDAR = {
  timeZone: 'Asia/Tokyo',
  weekly: { mon: [['09:00', '18:00']], tue: [['09:00', '18:00']], wed: [['09:00', '18:00']], thu: [['09:00', '18:00']], fri: [['09:00', '18:00']] },
  holidays: ['jp'],
  closures: [{ from: '12-29', to: '01-03' }],
};

export interface ClientWorld {
  clientId: string;
  contactId: string;
  systemId: string;
  contractId: string;
}

export interface World {
  calendarId: string;
  policyId: string;
  a: ClientWorld;
  b: ClientWorld;
  admin: Caller;
  agent: Caller;
  contactA: Caller;
  contactB: Caller;
  anonymous: Caller;
}

export async function buildWorld(db: Kysely<DB>, clock: () => number): Promise<World> {
  const s = createServices({ db, clock });
  const actor = SYSTEM_ACTOR;
  const calendar = await s.calendars.create(actor, { name: 'Tokyo business hours', document: TOKYO_CALENDAR });
  const policy = await s.slaPolicies.create(actor, { name: 'Standard', establishedOn: '2026-01-01', document: STANDARD_POLICY, isDefault: true });
  const client = async (name: string): Promise<ClientWorld> => {
    const c = await s.clients.create(actor, { name });
    const contact = await s.contacts.create(actor, { clientId: c.id, name: `${name} 窓口`, email: `desk@${name.toLowerCase().replace(/\W/g, '')}.example` });
    const system = await s.systems.create(actor, { clientId: c.id, name: `${name} 販売管理` });
    const contract = await s.contracts.create(actor, {
      clientId: c.id, name: `${name} 保守契約`, startsOn: '2026-01-01', calendarId: calendar.id, slaPolicyId: policy.id,
      systemIds: [system.id], primaryContactId: contact.id,
    });
    return { clientId: c.id, contactId: contact.id, systemId: system.id, contractId: contract.id };
  };
  const a = await client('Client A');
  const b = await client('Client B');
  return {
    calendarId: calendar.id,
    policyId: policy.id,
    a,
    b,
    admin: await tokenCaller(db, 'admin'),
    agent: await tokenCaller(db, 'agent'),
    contactA: await tokenCaller(db, 'contact', a.clientId),
    contactB: await tokenCaller(db, 'contact', b.clientId),
    anonymous,
  };
}
