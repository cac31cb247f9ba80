/**
 * "Notified" means what the SMTP server said (issue 11, item 6), over HTTP on each
 * dialect: a maintenance notice per recipient is queued when announced, then sent with
 * the server's reply or failed with its refusal — recorded by the outbound job from its
 * own result, against a real SMTP listener on loopback that accepts one address and
 * refuses another. Without SMTP every notice and reply fails at once with "not sent:
 * mail not configured" (the job fails, it does not finish as done) and GET /desk says so.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import net from 'node:net';
import { MAIL_NOT_CONFIGURED } from '../../src/contract/mail.ts';
import { unitOfWork } from '../../src/db/unit-of-work.ts';
import { JobRunner } from '../../src/jobs/runner.ts';
import { createMailTransport, createOutboundMailHandlers, deliveriesOf, enqueueMail, type MailTransport } from '../../src/modules/mail/mail.outbound.ts';
import { testDialects, useTestDb } from '../helpers/db.ts';
import { startSmtp } from '../helpers/smtp.ts';
import { call, fixedClock, makeApp } from '../http/helpers.ts';
import { buildWorld, type World } from '../http/world.ts';

const JST = (s: string) => Date.parse(`${s}+09:00`);
const GONE = 'gone@clienta.example';
const REFUSAL = '550 5.1.1 <gone@clienta.example>: Recipient address rejected: User unknown in virtual mailbox table';

interface Delivery { recipient: string; status: string; detail: string | null; attempts: number }
interface Notice { email: string; kind: string; delivery: Delivery | null }

for (const dialect of testDialects) {
  describe(`mail deliveries (${dialect})`, () => {
    const t = useTestDb(dialect);
    // Monday 2026-03-09 10:00 in Tokyo.
    const clock = fixedClock(JST('2026-03-09T10:00:00'));
    let w: World;
    let smtp: Awaited<ReturnType<typeof startSmtp>>;
    const closers: Array<() => unknown> = [];

    const runnerWith = (transport: MailTransport | null) => new JobRunner(t.database, {
      handlers: createOutboundMailHandlers({ transport, uow: unitOfWork(t.db, clock), from: 'Hoshu <hoshu@vendor.test>', charset: 'utf-8' }),
      clock,
    });
    const announced = async (app: FastifyInstance, title: string) => {
      const d = await call(app, w.agent, {
        method: 'POST', url: '/api/v1/maintenance',
        payload: { contractId: w.a.contractId, title, startsAt: '2026-03-16T02:00:00+09:00', endsAt: '2026-03-16T04:00:00+09:00', announce: true },
      });
      expect(d.statusCode, d.body).toBe(201);
      return d.json() as { id: string; notices: Notice[] };
    };
    const notices = async (app: FastifyInstance, id: string, who = w.agent) => {
      const r = await call(app, who, { method: 'GET', url: `/api/v1/maintenance/${id}` });
      expect(r.statusCode, r.body).toBe(200);
      return (r.json() as { notices: Notice[] }).notices;
    };

    beforeAll(async () => {
      w = await buildWorld(t.db, clock);
      smtp = await startSmtp({ refuse: { [GONE]: REFUSAL } });
      closers.push(() => smtp.close());
      // A second designated contact of client A, whose mailbox no longer exists.
      const app = await makeApp(t.db, clock);
      const c = await call(app, w.admin, { method: 'POST', url: '/api/v1/contacts', payload: { clientId: w.a.clientId, name: '鈴木 (退職)', email: GONE } });
      expect(c.statusCode, c.body).toBe(201);
      const p = await call(app, w.admin, { method: 'PATCH', url: `/api/v1/contracts/${w.a.contractId}`, payload: { deputyContactIds: [(c.json() as { id: string }).id] } });
      expect(p.statusCode, p.body).toBe(200);
      await app.close();
    });
    afterAll(async () => {
      for (const c of closers.reverse()) await c();
    });

    it('records per recipient what the SMTP server said: sent with its reply, refused with its refusal', async () => {
      const app = await makeApp(t.db, clock, { mail: { outboundConfigured: true } });
      closers.push(() => app.close());
      const transport = createMailTransport({ transport: smtp.url })!;
      closers.push(() => transport.close());
      expect((await call(app, w.agent, { method: 'GET', url: '/api/v1/desk' })).json()).toEqual({ outboundMail: { configured: true } });

      const d = await announced(app, 'DB サーバ再起動');
      // Announced: both designated contacts are queued, nothing claims "sent" yet.
      expect(d.notices.map((n) => [n.email, n.delivery?.status])).toEqual([['desk@clienta.example', 'queued'], [GONE, 'queued']]);

      await runnerWith(transport).runDue();
      const after = await notices(app, d.id);
      const byEmail = new Map(after.map((n) => [n.email, n.delivery!]));
      expect(byEmail.get('desk@clienta.example')).toMatchObject({ status: 'sent', detail: '250 2.0.0 Ok: queued as TEST1', attempts: 1 });
      expect(byEmail.get(GONE)).toMatchObject({ status: 'failed', attempts: 1 });
      expect(byEmail.get(GONE)!.detail).toContain(REFUSAL);
      expect(smtp.mails.filter((m) => m.subject.includes('DB サーバ再起動')).map((m) => m.to)).toEqual([['desk@clienta.example']]);
      // A refusal from 500 on is final: that job failed at once, not retried for an hour.
      const jobs = await t.db.selectFrom('jobs').select(['dedupeKey', 'status', 'attempts']).where('kind', '=', 'mail.outbound').where('status', '!=', 'done').execute();
      expect(jobs).toEqual([expect.objectContaining({ status: 'failed', attempts: 1 })]);

      // The client's contact sees each status, not the relay's wording.
      const seen = await notices(app, d.id, w.contactA);
      expect(seen.map((n) => [n.email, n.delivery?.status, n.delivery?.detail])).toEqual([['desk@clienta.example', 'sent', null], [GONE, 'failed', null]]);

      // One message to several addresses: the accepted one is sent, the refused one failed, the job is done.
      await enqueueMail(t.db, { to: ['desk@vendor.test', GONE], subject: 'SLA warning', text: '…' }, { runAt: clock(), dedupeKey: 'test:two', now: clock() });
      await runnerWith(transport).runDue();
      const two = (await deliveriesOf(t.db, ['test:two'])).get('test:two')!;
      expect(two.map((x) => [x.recipient, x.status, x.detail])).toEqual([
        ['desk@vendor.test', 'sent', '250 2.0.0 Ok: queued as TEST1'],
        [GONE, 'failed', REFUSAL],
      ]);
      expect((await t.db.selectFrom('jobs').select('status').where('dedupeKey', '=', 'test:two').executeTakeFirstOrThrow()).status).toBe('done');
    });

    it('an unreachable relay keeps the recipient queued with the error while the job retries', async () => {
      const closed = await new Promise<number>((resolve) => {
        const s = net.createServer();
        s.listen(0, '127.0.0.1', () => {
          const port = (s.address() as net.AddressInfo).port;
          s.close(() => resolve(port));
        });
      });
      const transport = createMailTransport({ transport: `smtp://127.0.0.1:${closed}` })!;
      closers.push(() => transport.close());
      await enqueueMail(t.db, { to: 'desk@clienta.example', subject: 'retry', text: '…' }, { runAt: clock(), dedupeKey: 'test:retry', now: clock() });
      await runnerWith(transport).runDue();
      const [d] = (await deliveriesOf(t.db, ['test:retry'])).get('test:retry')!;
      expect(d).toMatchObject({ status: 'queued', attempts: 1 });
      expect(d!.detail).toMatch(/attempt 1 of 5 failed, will retry: .*ECONNREFUSED/);
      expect((await t.db.selectFrom('jobs').select('status').where('dedupeKey', '=', 'test:retry').executeTakeFirstOrThrow()).status).toBe('pending');
    });

    it('without SMTP: GET /desk says so, and every notice and reply fails at once with "not sent: mail not configured"', async () => {
      const app = await makeApp(t.db, clock);
      closers.push(() => app.close());
      expect((await call(app, w.agent, { method: 'GET', url: '/api/v1/desk' })).json()).toEqual({ outboundMail: { configured: false } });

      const d = await announced(app, 'ネットワーク機器交換');
      const inc = await call(app, w.agent, { method: 'POST', url: '/api/v1/incidents', payload: { contractId: w.a.contractId, title: '帳票が出ない', reporter: { email: 'desk@clienta.example' } } });
      expect(inc.statusCode, inc.body).toBe(201);
      const incidentId = (inc.json() as { id: string }).id;
      const reply = await call(app, w.agent, { method: 'POST', url: `/api/v1/mail/incidents/${incidentId}/reply`, payload: { body: '確認しております。' } });
      expect(reply.statusCode, reply.body).toBe(201);
      expect(reply.json()).toMatchObject({ to: 'desk@clienta.example', delivery: { recipient: 'desk@clienta.example', status: 'queued' } });

      await runnerWith(null).runDue();
      const after = await notices(app, d.id);
      expect(after.map((n) => [n.email, n.delivery?.status, n.delivery?.detail])).toEqual([
        ['desk@clienta.example', 'failed', MAIL_NOT_CONFIGURED],
        [GONE, 'failed', MAIL_NOT_CONFIGURED],
      ]);
      const out = await call(app, w.agent, { method: 'GET', url: `/api/v1/mail/incidents/${incidentId}/outbound` });
      expect(out.statusCode, out.body).toBe(200);
      expect(out.json().items).toEqual([expect.objectContaining({ kind: 'reply', to: 'desk@clienta.example', delivery: expect.objectContaining({ status: 'failed', detail: MAIL_NOT_CONFIGURED }) })]);
      // The jobs failed (not "done"), once, with the reason: nothing pretends the mail went out.
      const keys = [...after.map((n) => `mail:maintenance:${(n as unknown as { id: string }).id}`), `mail:out:${(reply.json() as { messageId: string }).messageId}`];
      const jobs = await t.db.selectFrom('jobs').select(['status', 'attempts', 'lastError']).where('dedupeKey', 'in', keys).execute();
      expect(jobs).toHaveLength(3);
      for (const j of jobs) expect(j).toEqual({ status: 'failed', attempts: 1, lastError: MAIL_NOT_CONFIGURED });
      const status = await call(app, w.agent, { method: 'GET', url: '/api/v1/mail/status' });
      expect(status.json()).toMatchObject({ alert: true });
    });
  });
}
