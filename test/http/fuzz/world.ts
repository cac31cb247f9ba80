/** The fuzzer's starting desk: the HTTP test world plus a few records of every kind, and the id pools naming them. */
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { DB } from '../../../src/db/schema.ts';
import { call, makeUser, type Caller } from '../helpers.ts';
import { buildWorld } from '../world.ts';

export async function fuzzWorld(app: FastifyInstance, db: Kysely<DB>, clock: () => number): Promise<{ callers: [Caller, Caller, Caller]; pools: Map<string, string[]> }> {
  const w = await buildWorld(db, clock);
  const pools = new Map<string, string[]>([
    ['clients', [w.a.clientId, w.b.clientId]],
    ['contacts', [w.a.contactId, w.b.contactId]],
    ['systems', [w.a.systemId, w.b.systemId]],
    ['contracts', [w.a.contractId, w.b.contractId]],
    ['calendars', [w.calendarId]],
    ['sla-policies', [w.policyId]],
    ['incidents', []],
    ['maintenance', []],
    ['maintenance-series', []],
    ['monitors', []],
    ['mail-messages', []],
    // Never the callers' own users or tokens: a fuzzed password change would sign the fuzzer out.
    ['users', [(await makeUser(db, 'agent')).id]],
    ['tokens', []],
  ]);
  const post = async (pool: string, url: string, payload: object) => {
    const r = await call(app, w.admin, { method: 'POST', url, payload });
    if (r.statusCode !== 201 && r.statusCode !== 200) throw new Error(`fuzz world ${url}: ${r.statusCode} ${r.body}`);
    pools.get(pool)!.push((r.json() as { id: string }).id);
  };
  for (const priority of ['urgent', 'important', 'minor']) {
    await post('incidents', '/api/v1/incidents', { contractId: w.a.contractId, title: `fuzz ${priority}`, priority });
  }
  await post('maintenance', '/api/v1/maintenance', { contractId: w.a.contractId, title: 'fuzz window', startsAt: '2026-04-20T02:00:00+09:00', endsAt: '2026-04-20T04:00:00+09:00' });
  await post('monitors', '/api/v1/monitors', { contractId: w.a.contractId, systemId: w.a.systemId, name: 'fuzz', kind: 'http', url: 'http://127.0.0.1:9/' });
  const token = await call(app, w.admin, { method: 'POST', url: '/api/v1/tokens', payload: { name: 'fuzz' } });
  pools.get('tokens')!.push((token.json() as { id: string }).id);
  return { callers: [w.admin, w.agent, w.contactA], pools };
}
