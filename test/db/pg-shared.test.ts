/**
 * What several app processes on one PostgreSQL database share, shown with two
 * independent database handles (each with its own pool and listening connection, as two
 * processes have):
 * - a unit whose deferred insert fails (pg-driver.ts) writes nothing and fails with the
 *   database's own error;
 * - a list cached by one process is never served after another process's write, also
 *   when the listening connection was cut and the write happened while nobody listened;
 * - failed sign-ins count across processes; a token revoked through one process is
 *   refused by the other.
 */
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { insertRows } from '../../src/db/insert-rows.ts';
import { createServices, type Services } from '../../src/http/services.ts';
import { SYSTEM_ACTOR } from '../../src/modules/auth/actor.ts';
import { testDialects, useTestDb } from '../helpers/db.ts';
import { makeApp, makeUser, tokenCaller } from '../http/helpers.ts';
import { buildWorld, type World } from '../http/world.ts';

const pgHere = testDialects.includes('postgres');

describe.skipIf(!pgHere)('several processes on one PostgreSQL database (two handles)', () => {
  const t = useTestDb('postgres');
  let w: World;
  let other: Database;
  let one: Services;
  let two: Services;

  beforeAll(async () => {
    w = await buildWorld(t.db, Date.now);
    other = t.openAnother();
    one = createServices({ db: t.db, clock: Date.now });
    two = createServices({ db: other.db, clock: Date.now });
  });

  it('a unit whose queued insert fails writes nothing of it and fails with the database error', async () => {
    const before = await t.db.selectFrom('auditLog').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const id = '01900000-0000-7000-8000-000000000001';
    await insertRows(t.db, 'counters', [{ name: 'dup-test', value: 1 }]);
    const failed = t.db.transaction().execute(async (tx) => {
      await insertRows(tx, 'auditLog', [{ id, at: 1, actorId: 'x', actorRole: 'system', entity: 'test', entityId: 'x', action: 'x', before: null, after: null }], undefined, { deferrable: true });
      // The same key again, also queued: the statement that carries both fails at commit.
      await insertRows(tx, 'counters', [{ name: 'dup-test', value: 2 }], undefined, { deferrable: true });
    });
    await expect(failed).rejects.toMatchObject({ code: '23505' });
    const after = await t.db.selectFrom('auditLog').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
    expect(await t.db.selectFrom('auditLog').select('id').where('id', '=', id).executeTakeFirst()).toBeUndefined();
  });

  it('a list cached by one process is never served after the other\'s write, even across a cut listening connection', async () => {
    const incident = await one.incidents.create(SYSTEM_ACTOR, { contractId: w.a.contractId, title: 'first', channel: 'phone', priority: 'important' });
    const render = (items: { id: string; title: string }[]) => items.find((i) => i.id === incident.id)?.title;
    const read = () => two.incidents.listRendered(SYSTEM_ACTOR, { limit: 5 }, 'test', render);
    expect(await read()).toBe('first');
    // Served from the cache now (the same answer, no change in between).
    expect(await read()).toBe('first');
    await one.incidents.update(SYSTEM_ACTOR, incident.id, { title: 'second' });
    expect(await read()).toBe('second');

    // Cut the second handle's listening connection; write while it is down.
    const admin = new pg.Client({ connectionString: t.url });
    await admin.connect();
    try {
      const r = await admin.query<{ n: number }>(
        `select count(pg_terminate_backend(pid))::int as n from pg_stat_activity
          where datname = current_database() and application_name = 'hoshu-listener'`,
      );
      expect(r.rows[0]!.n).toBeGreaterThanOrEqual(1);
    } finally {
      await admin.end();
    }
    await one.incidents.update(SYSTEM_ACTOR, incident.id, { title: 'third' });
    expect(await read()).toBe('third');
    await one.incidents.update(SYSTEM_ACTOR, incident.id, { title: 'fourth' });
    expect(await read()).toBe('fourth');
    // Listening again after a while: still exact.
    await new Promise((r) => setTimeout(r, 1500));
    expect(await read()).toBe('fourth');
    await one.incidents.update(SYSTEM_ACTOR, incident.id, { title: 'fifth' });
    expect(await read()).toBe('fifth');
  });

  describe('sign-in limits and tokens', () => {
    let appOne: FastifyInstance;
    let appTwo: FastifyInstance;
    beforeAll(async () => {
      appOne = await makeApp(t.db, Date.now);
      appTwo = await makeApp(other.db, Date.now);
    });
    afterAll(async () => {
      await appOne?.close();
      await appTwo?.close();
    });

    it('ten failures of an account spread over two processes lock it in both', async () => {
      const victim = await makeUser(t.db, 'agent');
      for (let i = 1; i <= 10; i++) {
        const app = i % 2 ? appOne : appTwo;
        const r = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: victim.email, password: 'wrong password!' }, remoteAddress: `198.51.100.${i}` });
        expect(r.statusCode, `failure ${i}`).toBe(401);
      }
      for (const app of [appOne, appTwo]) {
        const r = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: victim.email, password: 'wrong password!' }, remoteAddress: '203.0.113.9' });
        expect(r.statusCode).toBe(429);
        expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
      }
    });

    it('a token revoked through one process is refused by the other at once', async () => {
      const caller = await tokenCaller(t.db, 'agent');
      // Known (and cached) by the second process.
      expect((await appTwo.inject({ method: 'GET', url: '/api/v1/auth/session', headers: caller.headers })).statusCode).toBe(200);
      const tokens = await appOne.inject({ method: 'GET', url: '/api/v1/tokens', headers: caller.headers });
      const id = (tokens.json() as { id: string }[] | { items: { id: string }[] });
      const list = Array.isArray(id) ? id : id.items;
      expect((await appOne.inject({ method: 'DELETE', url: `/api/v1/tokens/${list[0]!.id}`, headers: caller.headers })).statusCode).toBeLessThan(300);
      // The revocation reaches the other process by notification within milliseconds (its cache would hold 1 s).
      let status = 0;
      for (let i = 0; i < 50; i++) {
        status = (await appTwo.inject({ method: 'GET', url: '/api/v1/auth/session', headers: caller.headers })).statusCode;
        if (status === 401) break;
        await new Promise((r) => setTimeout(r, 10));
      }
      expect(status).toBe(401);
    });
  });
});
