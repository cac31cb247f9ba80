/**
 * Test data through the real services (so every factory row is valid and
 * audited like production data), plus a controllable clock.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../src/db/schema.ts';
import { seedBaseData } from '../../src/seed/base.ts';
import { SYSTEM_ACTOR, type Actor } from '../../src/modules/auth/actor.ts';
import { createUser } from '../../src/modules/auth/auth.service.ts';
import { createServices } from '../../src/http/services.ts';

/** A clock tests move by hand; nothing reads the real time. */
export class TestClock {
  constructor(public now: number) {}
  readonly fn = (): number => this.now;
  set(iso: string): void {
    this.now = Date.parse(iso);
  }
  advance(ms: number): void {
    this.now += ms;
  }
}

export const MIN = 60_000;
export const HOUR = 60 * MIN;

/** The services as the composition root builds them (src/http/services.ts), with `policies` as the tests call the SLA policies. */
export function makeServices(db: Kysely<DB>, clock: () => number) {
  const s = createServices({ db, clock });
  return { ...s, policies: s.slaPolicies };
}
export type TestServices = ReturnType<typeof makeServices>;

let seq = 0;
const uniq = () => `${Date.now().toString(36)}${(seq++).toString(36)}`;

export async function makeUser(db: Kysely<DB>, role: 'admin' | 'agent' | 'contact', clientId: string | null = null, email?: string): Promise<Actor> {
  const u = await createUser(db, { email: email ?? `${role}-${uniq()}@example.test`, name: `${role} ${uniq()}`, role, clientId, password: null });
  return { userId: u.id, role, clientId: role === 'contact' ? clientId : null };
}

/** A client with a primary and a deputy contact, one system and a contract on the standard SLA. */
export async function makeWorld(db: Kysely<DB>, clock: TestClock, name = 'Client') {
  await seedBaseData(db, clock.now);
  const s = makeServices(db, clock.fn);
  const admin = SYSTEM_ACTOR;
  const client = await s.clients.create(admin, { name: `${name} ${uniq()}` });
  const primary = await s.contacts.create(admin, { clientId: client.id, name: '山田 太郎', email: `primary-${uniq()}@client.test` });
  const deputy = await s.contacts.create(admin, { clientId: client.id, name: '佐藤 花子', email: `deputy-${uniq()}@client.test` });
  const system = await s.systems.create(admin, { clientId: client.id, name: '販売管理システム' });
  const contract = await s.contracts.create(admin, {
    clientId: client.id,
    name: `${name} 保守契約`,
    startsOn: '2026-01-01',
    endsOn: '2026-12-31',
    contractedUsers: 50,
    backupWindow: { start: '02:00', end: '04:00' },
    contactEmail: 'support@vendor.test',
    contactPhone: '03-0000-0000',
    systemIds: [system.id],
    primaryContactId: primary.id,
    deputyContactIds: [deputy.id],
  });
  const agent = await makeUser(db, 'agent');
  const contactUser = await makeUser(db, 'contact', client.id, primary.email!);
  return { s, client, primary, deputy, system, contract, agent, contactUser };
}
