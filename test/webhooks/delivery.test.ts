/**
 * Webhooks end to end against a real HTTP receiver on loopback, on each dialect: an
 * incident change made through the API becomes a signed delivery after commit; the
 * Standard Webhooks signature verifies with the independent `standardwebhooks` package;
 * a receiver that fails twice gets three attempts with the same id and one success;
 * 410 disables the endpoint and mails its owner; a redirect is never followed;
 * addresses that are not public are refused unless the admin flag allows them.
 */
import type { FastifyInstance } from 'fastify';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { JobRunner } from '../../src/jobs/runner.ts';
import { createWebhookJobHandlers, DELIVERY_JOB } from '../../src/modules/webhooks/webhook.jobs.ts';
import { notifyDisabled } from '../../src/modules/webhooks/webhook.service.ts';
import { contractZones } from '../../src/modules/webhooks/webhook.repository.ts';
import { createSecretBox, DEVELOPMENT_KEY } from '../../src/modules/webhooks/webhook.crypto.ts';
import { testDialects, useTestDb } from '../helpers/db.ts';
import { startReceiver, type Receiver } from '../helpers/receiver.ts';
import { call, fixedClock, makeApp } from '../http/helpers.ts';
import { buildWorld, type World } from '../http/world.ts';

const MIN = 60_000;

/**
 * Verifies a received request with the standardwebhooks package, as a receiver would at the
 * moment it arrived (the desk's clock is fixed in these tests; the package checks the
 * timestamp against Date.now within 5 minutes).
 */
function verify(secret: string, r: { body: string; headers: Record<string, string | string[] | undefined> }): unknown {
  const headers = { 'webhook-id': String(r.headers['webhook-id']), 'webhook-timestamp': String(r.headers['webhook-timestamp']), 'webhook-signature': String(r.headers['webhook-signature']) };
  const spy = vi.spyOn(Date, 'now').mockReturnValue(Number(headers['webhook-timestamp']) * 1000 + 1000);
  try {
    return new Webhook(secret).verify(r.body, headers);
  } finally {
    spy.mockRestore();
  }
}

for (const dialect of testDialects) {
  describe(`webhooks on ${dialect}`, () => {
    const t = useTestDb(dialect);
    const clock = fixedClock(Date.parse('2026-04-01T01:00:00Z'));
    let app: FastifyInstance;
    let w: World;
    let rx: Receiver;
    let runner: JobRunner;

    beforeAll(async () => {
      w = await buildWorld(t.db, clock);
      app = await makeApp(t.db, clock);
      rx = await startReceiver();
      runner = new JobRunner(t.database, {
        clock,
        handlers: createWebhookJobHandlers({ db: t.db, clock, box: createSecretBox(DEVELOPMENT_KEY), onDisabled: notifyDisabled }).handlers,
      });
    });
    afterAll(async () => {
      await app.close();
      await rx.close();
    });

    const addEndpoint = async (body: Record<string, unknown>) => {
      const r = await call(app, w.admin, { method: 'POST', url: '/api/v1/webhooks', payload: { allowInsecure: true, ...body } });
      expect(r.statusCode, r.body).toBe(201);
      return r.json() as { id: string; secret: string; enabled: boolean };
    };
    const disable = (id: string) => call(app, w.admin, { method: 'PATCH', url: `/api/v1/webhooks/${id}`, payload: { enabled: false } });
    const newIncident = async (title: string, contractId = w.a.contractId) => {
      const r = await call(app, w.agent, { method: 'POST', url: '/api/v1/incidents', payload: { contractId, title, channel: 'phone', priority: 'urgent' } });
      expect(r.statusCode, r.body).toBe(201);
      return r.json() as { id: string; number: number };
    };

    it('signs each delivery (Standard Webhooks), sends it after commit, and numbers a resource\'s events in order', async () => {
      rx.respond = () => ({ status: 204 });
      const ep = await addEndpoint({ url: `${rx.url}/standard`, eventTypes: ['incident.created', 'incident.priority_changed'], filters: { clientIds: [w.a.clientId] } });
      expect(ep.secret).toMatch(/^whsec_/);
      const inc = await newIncident('基幹システム停止');
      await newIncident('他社の障害', w.b.contractId); // filtered out (client B)
      // Nothing leaves before the job runs: the delivery is work of the job table, after commit.
      expect(rx.received.filter((r) => r.path === '/standard')).toHaveLength(0);
      const p = await call(app, w.agent, { method: 'POST', url: `/api/v1/incidents/${inc.id}/priority`, payload: { priority: 'important', reason: '影響範囲が限定的' } });
      expect(p.statusCode, p.body).toBe(200);
      await runner.runDue();

      const got = rx.received.filter((r) => r.path === '/standard');
      expect(got).toHaveLength(2);
      const payloads = got.map((r) => verify(ep.secret, r) as { id: string; type: string; sequence: number; resource: { type: string; id: string }; data: { incident: { number: number; title: string; priority: string }; change?: unknown } });
      payloads.sort((a, b) => a.sequence - b.sequence);
      expect(payloads.map((x) => x.type)).toEqual(['incident.created', 'incident.priority_changed']);
      expect(payloads.map((x) => x.sequence)).toEqual([1, 2]);
      expect(payloads[0]!.resource).toEqual({ type: 'incident', id: inc.id });
      expect(payloads[0]!.data.incident.title).toBe('基幹システム停止');
      expect(payloads[1]!.data.change).toEqual({ from: 'urgent', to: 'important' });
      expect(got[0]!.headers['webhook-id']).toBe(payloads.find((x) => x.id === got[0]!.headers['webhook-id'])!.id);
      // A wrong secret does not verify.
      expect(() => verify('whsec_' + Buffer.alloc(24, 1).toString('base64'), got[0]!)).toThrow(/signature/);

      // The delivery log shows each delivery and its attempt.
      const log = await call(app, w.admin, { method: 'GET', url: `/api/v1/webhooks/${ep.id}/deliveries` });
      const items = (log.json() as { items: Array<{ id: string; status: string; attempts: number; eventType: string }> }).items;
      expect(items.map((d) => [d.eventType, d.status, d.attempts]).sort()).toEqual([['incident.created', 'succeeded', 1], ['incident.priority_changed', 'succeeded', 1]]);
      const detail = await call(app, w.admin, { method: 'GET', url: `/api/v1/webhooks/${ep.id}/deliveries/${items[0]!.id}` });
      expect((detail.json() as { attemptLog: Array<{ statusCode: number }> }).attemptLog.map((a) => a.statusCode)).toEqual([204]);
      // The secret is never answered again.
      const again = await call(app, w.admin, { method: 'GET', url: `/api/v1/webhooks/${ep.id}` });
      expect(again.body).not.toContain(ep.secret);
      expect(again.json()).not.toHaveProperty('secret');
      await disable(ep.id);
    });

    it('a Slack endpoint gets the message in its language, rendered in the zone of the event\'s contract', async () => {
      rx.respond = () => ({ status: 200 });
      const ep = await addEndpoint({ url: `${rx.url}/slack`, format: 'slack', locale: 'ja', eventTypes: ['incident.created'], filters: { clientIds: [w.a.clientId] } });
      await newIncident('受注画面が開かない');
      await runner.runDue();
      const got = rx.received.filter((r) => r.path === '/slack');
      expect(got).toHaveLength(1);
      const body = JSON.parse(got[0]!.body) as { blocks: Array<{ text?: { text: string }; fields?: Array<{ text: string }> }> };
      expect(body.blocks[0]!.text!.text).toMatch(/^新しい障害 #\d+: 受注画面が開かない$/);
      expect(body.blocks.flatMap((b) => b.fields ?? []).map((f) => f.text)).toContain('*優先度*\n緊急');
      // The zone chat messages show instants in: the contract calendar's.
      expect(await contractZones(t.db, [w.a.contractId])).toEqual(new Map([[w.a.contractId, 'Asia/Tokyo']]));
      await disable(ep.id);
    });

    it('a receiver failing twice then accepting gets three attempts with the same id, one success', async () => {
      let calls = 0;
      rx.respond = (r) => (r.path === '/flaky' ? (++calls <= 2 ? { status: 503, body: 'busy' } : { status: 200 }) : { status: 200 });
      const ep = await addEndpoint({ url: `${rx.url}/flaky`, eventTypes: ['incident.created'] });
      await newIncident('再送の確認');
      await runner.runDue();
      expect(calls).toBe(1);
      clock.advance(5_000); // the schedule: 0 s, 5 s, 5 min, …
      await runner.runDue();
      expect(calls).toBe(2);
      clock.advance(4 * MIN);
      await runner.runDue();
      expect(calls).toBe(2); // not before 5 minutes
      clock.advance(1 * MIN);
      await runner.runDue();
      await runner.runDue();
      expect(calls).toBe(3);
      const got = rx.received.filter((r) => r.path === '/flaky');
      expect(new Set(got.map((r) => r.headers['webhook-id'])).size).toBe(1);
      // Signed afresh each time: the timestamps differ, every signature verifies.
      expect(new Set(got.map((r) => r.headers['webhook-timestamp'])).size).toBe(3);
      for (const r of got) verify(ep.secret, r);
      const items = ((await call(app, w.admin, { method: 'GET', url: `/api/v1/webhooks/${ep.id}/deliveries` })).json() as { items: Array<{ id: string; status: string; attempts: number }> }).items;
      expect(items.map((d) => [d.status, d.attempts])).toEqual([['succeeded', 3]]);
      const detail = (await call(app, w.admin, { method: 'GET', url: `/api/v1/webhooks/${ep.id}/deliveries/${items[0]!.id}` })).json() as { attemptLog: Array<{ statusCode: number; responseExcerpt: string | null }> };
      expect(detail.attemptLog.map((a) => a.statusCode)).toEqual([503, 503, 200]);
      expect(detail.attemptLog[0]!.responseExcerpt).toBe('busy');

      // "Send again": the same id once more, signed afresh.
      const re = await call(app, w.admin, { method: 'POST', url: `/api/v1/webhooks/${ep.id}/deliveries/${items[0]!.id}/redeliver` });
      expect(re.statusCode, re.body).toBe(202);
      await runner.runDue();
      const all = rx.received.filter((r) => r.path === '/flaky');
      expect(all).toHaveLength(4);
      expect(all[3]!.headers['webhook-id']).toBe(all[0]!.headers['webhook-id']);
      await disable(ep.id);
    });

    it('deliveries are their own queue: two workers never claim the same one; a dead worker\'s claim is taken over after its lease, sent once', async () => {
      rx.respond = () => ({ status: 200 });
      const ep = await addEndpoint({ url: `${rx.url}/lease`, eventTypes: ['incident.created'] });
      for (let i = 0; i < 3; i++) await newIncident(`リース ${i}`);
      // No job row beside a delivery: the delivery rows are what the lane claims.
      expect(await t.db.selectFrom('jobs').select('id').where('kind', '=', DELIVERY_JOB).execute()).toEqual([]);
      const worker = () => new JobRunner(t.database, { clock, handlers: createWebhookJobHandlers({ db: t.db, clock, box: createSecretBox(DEVELOPMENT_KEY) }).handlers, batchLane: { size: 2 } });
      const a = worker();
      const b = worker();
      const lane = (r: JobRunner) => r.lanes.find((l) => l.name === DELIVERY_JOB)!;
      const [ca, cb] = await Promise.all([a.claim(lane(a)), b.claim(lane(b))]);
      expect(ca.length + cb.length).toBe(3);
      expect(new Set([...ca, ...cb].map((d) => d.id)).size).toBe(3);
      // Both die before sending: nothing goes out while their leases hold…
      await runner.runDue();
      expect(rx.received.filter((r) => r.path === '/lease')).toHaveLength(0);
      // …and after them each delivery is sent once.
      clock.advance(121_000);
      await runner.runDue();
      await runner.runDue();
      const got = rx.received.filter((r) => r.path === '/lease');
      expect(got).toHaveLength(3);
      expect(new Set(got.map((r) => r.headers['webhook-id'])).size).toBe(3);
      const items = ((await call(app, w.admin, { method: 'GET', url: `/api/v1/webhooks/${ep.id}/deliveries` })).json() as { items: Array<{ status: string; attempts: number }> }).items;
      expect(items.map((d) => [d.status, d.attempts])).toEqual([['succeeded', 1], ['succeeded', 1], ['succeeded', 1]]);
      await disable(ep.id);
    });

    it('410 Gone disables the endpoint and tells its owner by e-mail; nothing more is sent to it', async () => {
      rx.respond = (r) => (r.path === '/gone' ? { status: 410 } : { status: 200 });
      const ep = await addEndpoint({ url: `${rx.url}/gone`, eventTypes: ['incident.created'], description: '旧システム' });
      await newIncident('一件目');
      await runner.runDue();
      const after = (await call(app, w.admin, { method: 'GET', url: `/api/v1/webhooks/${ep.id}` })).json() as { enabled: boolean; disabledReason: string | null };
      expect(after).toMatchObject({ enabled: false, disabledReason: 'gone' });
      const mail = await t.db.selectFrom('jobs').select('payload').where('dedupeKey', 'like', `mail:webhook-disabled:${ep.id}:%`).execute();
      expect(mail).toHaveLength(1);
      expect(JSON.parse(mail[0]!.payload).subject).toContain(`${rx.url}/gone`);
      await newIncident('二件目');
      await runner.runDue();
      expect(rx.received.filter((r) => r.path === '/gone')).toHaveLength(1);
      // Audited as the system's change.
      const audit = await t.db.selectFrom('auditLog').select(['action', 'actorId']).where('entity', '=', 'webhook').where('entityId', '=', ep.id).where('action', '=', 'disable').execute();
      expect(audit).toEqual([{ action: 'disable', actorId: 'system' }]);
    });

    it('never follows a redirect (to a private address or anywhere): the attempt fails, no retry', async () => {
      rx.respond = (r) => (r.path === '/moved' ? { status: 302, headers: { location: 'http://10.0.0.1/internal' } } : { status: 200 });
      const ep = await addEndpoint({ url: `${rx.url}/moved`, eventTypes: ['incident.created'] });
      await newIncident('リダイレクト');
      await runner.runDue();
      clock.advance(60 * MIN);
      await runner.runDue();
      expect(rx.received.filter((r) => r.path === '/moved')).toHaveLength(1);
      expect(rx.received.filter((r) => r.path === '/internal')).toHaveLength(0);
      const items = ((await call(app, w.admin, { method: 'GET', url: `/api/v1/webhooks/${ep.id}/deliveries` })).json() as { items: Array<{ status: string; lastStatus: number; lastError: string }> }).items;
      expect(items[0]).toMatchObject({ status: 'failed', lastStatus: 302 });
      expect(items[0]!.lastError).toContain('not followed');
      await disable(ep.id);
    });

    it('refuses http and non-public addresses unless the admin flag allows them (checked again after DNS on every attempt)', async () => {
      for (const url of ['http://example.com/hook', 'https://127.0.0.1/hook', 'https://10.1.2.3/', 'https://[::1]/', 'https://169.254.169.254/latest', 'https://[::ffff:127.0.0.1]/']) {
        const r = await call(app, w.admin, { method: 'POST', url: '/api/v1/webhooks', payload: { url }, headers: { 'accept-language': 'en' } });
        expect(r.statusCode, url).toBe(400);
        expect((r.json() as { code: string }).code).toBe('webhook.url_refused');
      }
      // A name that resolves to loopback passes the form check, and is refused when it is resolved.
      const ep = await addEndpoint({ url: `https://localhost:${rx.port}/dns`, eventTypes: ['incident.created'], allowInsecure: false });
      await newIncident('名前解決');
      await runner.runDue();
      expect(rx.received.filter((r) => r.path === '/dns')).toHaveLength(0);
      const items = ((await call(app, w.admin, { method: 'GET', url: `/api/v1/webhooks/${ep.id}/deliveries` })).json() as { items: Array<{ status: string; lastError: string }> }).items;
      expect(items[0]!.status).toBe('failed');
      expect(items[0]!.lastError).toMatch(/refused address/);
      await disable(ep.id);
    });

    it('rotating the secret signs with both secrets for a while; a test event reaches even a disabled endpoint', async () => {
      rx.respond = () => ({ status: 200 });
      const ep = await addEndpoint({ url: `${rx.url}/rotate`, enabled: false });
      const rot = await call(app, w.admin, { method: 'POST', url: `/api/v1/webhooks/${ep.id}/secret`, payload: { keepOldHours: 24 } });
      expect(rot.statusCode, rot.body).toBe(200);
      const { secret, endpoint } = rot.json() as { secret: string; endpoint: { secrets: Array<{ expiresAt: string | null }> } };
      expect(endpoint.secrets).toHaveLength(2);
      const test = await call(app, w.admin, { method: 'POST', url: `/api/v1/webhooks/${ep.id}/test`, headers: { 'accept-language': 'en' } });
      expect(test.statusCode, test.body).toBe(202);
      await runner.runDue();
      const got = rx.received.filter((r) => r.path === '/rotate');
      expect(got).toHaveLength(1);
      expect(String(got[0]!.headers['webhook-signature']).split(' ')).toHaveLength(2);
      // Receivers on either secret accept it.
      expect((verify(secret, got[0]!) as { type: string }).type).toBe('webhook.test');
      expect((verify(ep.secret, got[0]!) as { data: { message: string } }).data.message).toContain('test event');
      // After the overlap only the new secret signs.
      clock.advance(25 * 3600_000);
      await call(app, w.admin, { method: 'POST', url: `/api/v1/webhooks/${ep.id}/test` });
      await runner.runDue();
      const last = rx.received.filter((r) => r.path === '/rotate').at(-1)!;
      expect(String(last.headers['webhook-signature']).split(' ')).toHaveLength(1);
    });
  });
}
