/**
 * Over HTTP: reading a new e-mail incident changes nothing, whoever reads it and from
 * wherever (a cross-site navigation carries the cookie alone); the agent's explicit
 * "open" (POST /incidents/{id}/open, CSRF-checked like every write) recognizes it once:
 * recognized_at = now, received_at kept, one timeline entry and one audit row.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createServices } from '../../src/http/services.ts';
import { testDialects, useTestDb } from '../helpers/db.ts';
import { call, fixedClock, makeApp, sessionCaller, tokenCaller } from '../http/helpers.ts';
import { makeWorld, TestClock } from '../helpers/factories.ts';

for (const dialect of testDialects) {
  describe(`opening an e-mail incident over HTTP (${dialect})`, () => {
    const t = useTestDb(dialect);
    const clock = fixedClock(Date.parse('2026-04-01T10:00:00+09:00'));
    let app: FastifyInstance;
    beforeAll(async () => { app = await makeApp(t.db, clock, { mail: { from: 'Support <support@vendor.example>' } }); });
    afterAll(async () => app?.close());

    /** What a read must leave alone: the row, the timeline, the audit log, the timer jobs. */
    async function stateOf(incidentId: string) {
      const [incident, events, audit, jobs] = await Promise.all([
        t.db.selectFrom('incidents').selectAll().where('id', '=', incidentId).executeTakeFirstOrThrow(),
        t.db.selectFrom('incidentEvents').select(['kind', 'data']).where('incidentId', '=', incidentId).orderBy('at').orderBy('id').execute(),
        t.db.selectFrom('auditLog').select(['action', 'actorId']).where('entityId', '=', incidentId).orderBy('at').orderBy('id').execute(),
        t.db.selectFrom('jobs').select(['kind', 'runAt', 'status']).orderBy('id').execute(),
      ]);
      return { incident, events, audit, jobs };
    }

    it('a GET by an agent (cookie session), by number, or by a cross-site navigation leaves a new incident new; open recognizes it once', async () => {
      const w = await makeWorld(t.db, new TestClock(clock()));
      const mail = createServices({ db: t.db, clock }).mail;
      const raw = Buffer.from(`From: ${w.primary.email}\r\nTo: support@vendor.example\r\nSubject: =?UTF-8?B?${Buffer.from('ログインできない').toString('base64')}?=\r\nMessage-ID: <http-1@client.test>\r\n\r\nhelp\r\n`);
      const [id] = await mail.store([{ source: 'smtp', mailbox: 'smtp', raw, receivedAt: clock() - 60_000, contractId: w.contract.id }]);
      expect(await mail.process(id!)).toBe('incident');
      const incidentId = (await t.db.selectFrom('mailMessages').select('incidentId').where('id', '=', id!).executeTakeFirstOrThrow()).incidentId!;
      const contact = await tokenCaller(t.db, 'contact', w.client.id);
      const agent = await sessionCaller(app, t.db, 'agent');
      const cookieOnly = { cookie: agent.headers.cookie! };

      clock.advance(5 * 60_000);
      const before = await stateOf(incidentId);
      expect(before.incident).toMatchObject({ status: 'new', recognizedAt: null });

      const seenByContact = await call(app, contact, { method: 'GET', url: `/api/v1/incidents/${incidentId}` });
      expect(seenByContact.json()).toMatchObject({ status: 'new', recognizedAt: null });
      const read = await call(app, agent, { method: 'GET', url: `/api/v1/incidents/${incidentId}` });
      expect(read.statusCode).toBe(200);
      expect(read.json()).toMatchObject({ status: 'new', recognizedAt: null, title: 'ログインできない' });
      const number = (read.json() as { number: number }).number;
      expect((await call(app, agent, { method: 'GET', url: `/api/v1/incidents/by-number/${number}` })).json()).toMatchObject({ status: 'new' });
      // A link on another site: the browser sends the cookie, never the CSRF header.
      const crossSite = await app.inject({
        method: 'GET', url: `/api/v1/incidents/${incidentId}`,
        headers: { ...cookieOnly, 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document' },
      });
      expect(crossSite.statusCode).toBe(200);
      expect(crossSite.json()).toMatchObject({ status: 'new', recognizedAt: null });
      // A forged cross-site POST of the command itself: refused, nothing written.
      const forged = await app.inject({ method: 'POST', url: `/api/v1/incidents/${incidentId}/open`, headers: { ...cookieOnly, 'sec-fetch-site': 'cross-site' } });
      expect(forged.statusCode).toBe(403);
      expect(forged.json().code).toBe('auth.csrf_failed');
      expect(await stateOf(incidentId)).toEqual(before);

      // The agent's UI opens it: recognized now, the lag since arrival kept.
      const opened = await call(app, agent, { method: 'POST', url: `/api/v1/incidents/${incidentId}/open` });
      expect(opened.statusCode).toBe(200);
      expect(opened.json()).toMatchObject({
        status: 'recognized', title: 'ログインできない', recognizedAt: new Date(clock()).toISOString(), receivedAt: new Date(clock() - 6 * 60_000).toISOString(),
      });
      clock.advance(60_000);
      const again = await call(app, agent, { method: 'POST', url: `/api/v1/incidents/${incidentId}/open` });
      expect(again.json()).toMatchObject({ status: 'recognized', recognizedAt: new Date(clock() - 60_000).toISOString() });
      const after = await stateOf(incidentId);
      expect(after.events.filter((e) => e.kind === 'status').map((e) => JSON.parse(e.data) as unknown)).toEqual([{ from: 'new', to: 'recognized' }]);
      expect(after.audit.map((a) => a.action)).toEqual([...before.audit.map((a) => a.action), 'status']);
      expect(after.audit.at(-1)!.actorId).toBe(agent.userId);

      // The agent's reply goes out under the desk's own domain, threaded under the client's mail.
      const replied = await call(app, agent, { method: 'POST', url: `/api/v1/mail/incidents/${incidentId}/reply`, payload: { body: 'ログを拝見します。' } });
      expect(replied.statusCode).toBe(201);
      const out = await t.db.selectFrom('mailOutbound').select(['messageId', 'toAddress']).where('incidentId', '=', incidentId).where('kind', '=', 'reply').executeTakeFirstOrThrow();
      expect(out.toAddress).toBe(w.primary.email);
      expect(out.messageId).toMatch(/^<?hoshu\.[^@]+@vendor\.example>?$/);
    });
  });
}
