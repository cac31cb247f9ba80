/** Over HTTP: an agent opening a new e-mail incident starts its SLA clock (recognized_at); a contact opening it does not. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createServices } from '../../src/http/services.ts';
import { testDialects, useTestDb } from '../helpers/db.ts';
import { call, fixedClock, makeApp, tokenCaller } from '../http/helpers.ts';
import { makeWorld, TestClock } from '../helpers/factories.ts';

for (const dialect of testDialects) {
  describe(`opening an e-mail incident over HTTP (${dialect})`, () => {
    const t = useTestDb(dialect);
    const clock = fixedClock(Date.parse('2026-04-01T10:00:00+09:00'));
    let app: FastifyInstance;
    beforeAll(async () => { app = await makeApp(t.db, clock, { mail: { from: 'Support <support@vendor.example>' } }); });
    afterAll(async () => app?.close());

    it('sets recognized_at on the first GET by an agent and keeps received_at', async () => {
      const w = await makeWorld(t.db, new TestClock(clock()));
      const mail = createServices({ db: t.db, clock }).mail;
      const raw = Buffer.from(`From: ${w.primary.email}\r\nTo: support@vendor.example\r\nSubject: =?UTF-8?B?${Buffer.from('ログインできない').toString('base64')}?=\r\nMessage-ID: <http-1@client.test>\r\n\r\nhelp\r\n`);
      const [id] = await mail.store([{ source: 'smtp', mailbox: 'smtp', raw, receivedAt: clock() - 60_000, contractId: w.contract.id }]);
      expect(await mail.process(id!)).toBe('incident');
      const row = await t.db.selectFrom('mailMessages').select('incidentId').where('id', '=', id!).executeTakeFirstOrThrow();
      const contact = await tokenCaller(t.db, 'contact', w.client.id);
      const agent = await tokenCaller(t.db, 'agent');

      clock.advance(5 * 60_000);
      const seenByContact = (await call(app, contact, { method: 'GET', url: `/api/v1/incidents/${row.incidentId}` })).json() as { status: string; recognizedAt: string | null };
      expect(seenByContact).toMatchObject({ status: 'new', recognizedAt: null });
      const opened = (await call(app, agent, { method: 'GET', url: `/api/v1/incidents/${row.incidentId}` })).json() as { status: string; recognizedAt: string; receivedAt: string; title: string };
      expect(opened).toMatchObject({ status: 'recognized', title: 'ログインできない', recognizedAt: new Date(clock()).toISOString(), receivedAt: new Date(clock() - 6 * 60_000).toISOString() });

      // The agent's reply goes out under the desk's own domain, threaded under the client's mail.
      const replied = await call(app, agent, { method: 'POST', url: `/api/v1/mail/incidents/${row.incidentId}/reply`, payload: { body: 'ログを拝見します。' } });
      expect(replied.statusCode).toBe(201);
      const out = await t.db.selectFrom('mailOutbound').select(['messageId', 'toAddress']).where('incidentId', '=', row.incidentId!).where('kind', '=', 'reply').executeTakeFirstOrThrow();
      expect(out.toAddress).toBe(w.primary.email);
      expect(out.messageId).toMatch(/^<?hoshu\.[^@]+@vendor\.example>?$/);
    });
  });
}
