/**
 * Availability that cannot drift (issue 11 item 7): when monitoring of a system stops —
 * the monitor is disabled or deleted (there is no separate "pause": disabling is it) — its
 * open outage ends at that instant, recorded as "monitoring stopped", and the time after it
 * is unknown, not down; an agent can close an outage by hand with a reason. Each path: the
 * downtime stops growing while the clock runs on, and the status page's system state and
 * outage list agree. Also: the monitoring incident's texts are in the contract's language and
 * zone, and it is not flagged "not via the designated contact" (item 9); the status page lists
 * incidents as the contract's setting says (item 8).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { JobRunner } from '../../src/jobs/runner.ts';
import { performCheck } from '../../src/modules/monitoring/monitoring.checker.ts';
import { createMonitoringJobHandlers } from '../../src/modules/monitoring/monitoring.jobs.ts';
import { createServices } from '../../src/http/services.ts';
import { testDialects, useTestDb } from '../helpers/db.ts';
import { anonymous, call, fixedClock, makeApp } from '../http/helpers.ts';
import { buildWorld, type World } from '../http/world.ts';

const JST = (s: string) => Date.parse(`${s}+09:00`);
const S30 = 30_000;

async function flakyServer() {
  let up = true;
  const server = http.createServer((_req, res) => {
    res.writeHead(up ? 200 : 503);
    res.end(up ? 'OK' : 'down');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    set: (v: boolean) => void (up = v),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

type Figure = { downtimeMs: number; unknownMs: number; upMs: number };
type OutageJson = { id: string; endedAt: string | null; endedBy: string | null; endReason: string | null; incidentId: string | null; startedAt: string };

/** One fresh desk per path, so each path's downtime is its own. */
function scenario(dialect: (typeof testDialects)[number], name: string, body: (h: Harness) => Promise<void>) {
  describe(`monitoring stops (${dialect})`, () => {
    const t = useTestDb(dialect);
    const clock = fixedClock(JST('2026-03-10T10:00:00'));
    let h: Harness;
    let srv: Awaited<ReturnType<typeof flakyServer>>;
    let app: FastifyInstance;
    beforeAll(async () => {
      app = await makeApp(t.db, clock);
      const w = await buildWorld(t.db, clock);
      srv = await flakyServer();
      const handlers = createMonitoringJobHandlers({
        db: t.db, monitoring: createServices({ db: t.db, clock }).monitoring, clock,
        check: async (m) => {
          const out = await performCheck(m);
          await h.duringCheck?.();
          return out;
        },
      });
      const jobs = new JobRunner(t.database, { handlers: handlers.handlers, clock });
      h = new Harness(app, w, t, clock, jobs, srv);
    });
    afterAll(async () => {
      await app?.close();
      await srv?.close();
    });
    it(name, async () => body(h));
  });
}

class Harness {
  monitorId = '';
  token = '';
  /** Runs while a check is in flight (between the batch's read of the monitor and its results). */
  duringCheck: (() => Promise<void>) | null = null;
  constructor(
    readonly app: FastifyInstance,
    readonly w: World,
    readonly t: ReturnType<typeof useTestDb>,
    readonly clock: ReturnType<typeof fixedClock>,
    readonly jobs: JobRunner,
    readonly srv: Awaited<ReturnType<typeof flakyServer>>,
  ) {}

  async tick(n = 1) {
    for (let i = 0; i < n; i++) {
      this.clock.advance(S30);
      await this.jobs.runDue();
      await this.jobs.runDue();
    }
  }

  /** A monitor that is up, then down long enough for a confirmed outage with its incident. */
  async outage(): Promise<OutageJson> {
    const r = await call(this.app, this.w.agent, {
      method: 'POST', url: '/api/v1/monitors',
      payload: { contractId: this.w.a.contractId, systemId: this.w.a.systemId, name: 'Web', kind: 'http', url: this.srv.url, intervalMs: S30, timeoutMs: 2000, confirmAfter: 2, recoverAfter: 2 },
    });
    expect(r.statusCode, r.body).toBe(201);
    this.monitorId = r.json().id;
    const pub = await call(this.app, this.w.agent, { method: 'POST', url: `/api/v1/contracts/${this.w.a.contractId}/publication` });
    this.token = pub.json().token;
    await this.tick(2);
    this.srv.set(false);
    await this.tick(3);
    const [o] = await this.outages();
    expect(o).toMatchObject({ endedAt: null, endedBy: null });
    expect(o!.incidentId).toBeTruthy();
    return o!;
  }

  async outages(): Promise<OutageJson[]> {
    const r = await call(this.app, this.w.agent, { method: 'GET', url: `/api/v1/outages?monitorId=${this.monitorId}` });
    expect(r.statusCode, r.body).toBe(200);
    return (r.json().items as OutageJson[]).reverse();
  }

  async figure(): Promise<Figure> {
    const r = await call(this.app, this.w.contactA, { method: 'GET', url: `/api/v1/contracts/${this.w.a.contractId}/availability/2026-03` });
    expect(r.statusCode, r.body).toBe(200);
    return (r.json().systems as Array<{ systemId: string; figure: Figure }>).find((s) => s.systemId === this.w.a.systemId)!.figure;
  }

  async statusPage(lang: 'ja' | 'en') {
    const r = await call(this.app, anonymous, { method: 'GET', url: `/api/v1/public/${this.token}/status?lang=${lang}` });
    expect(r.statusCode, r.body).toBe(200);
    const state = /<li class="system (\w+)">/.exec(r.body)![1];
    const ongoing = (r.body.match(/class="outage ongoing"/g) ?? []).length;
    return { html: r.body, state, ongoing };
  }

  /** The stop happened at `at`: downtime ends there and stays put while the clock runs on; the page agrees. */
  async expectStopped(o: OutageJson, at: number, endedBy: string, label: { ja: string; en: string }) {
    const [after] = (await this.outages()).filter((x) => x.id === o.id);
    expect(after).toMatchObject({ endedAt: new Date(at).toISOString(), endedBy });
    const f1 = await this.figure();
    expect(f1.downtimeMs).toBe(at - Date.parse(o.startedAt));
    await this.tick(20); // ten minutes on
    const f2 = await this.figure();
    expect(f2.downtimeMs).toBe(f1.downtimeMs);
    expect(f2.upMs).toBe(f1.upMs);
    // What monitoring no longer sees is unknown, not down and not up.
    expect(f2.unknownMs - f1.unknownMs).toBe(20 * S30);
    for (const lang of ['ja', 'en'] as const) {
      const page = await this.statusPage(lang);
      expect(page.ongoing).toBe(0);
      expect(page.state).toBe('unknown');
      expect(page.html).not.toContain(lang === 'ja' ? '>正常<' : '>Operational<');
      expect(page.html).toContain(label[lang]);
    }
    // The incident's timeline says so, in the contract's language and on its clock.
    const inc = (await call(this.app, this.w.agent, { method: 'GET', url: `/api/v1/incidents/${o.incidentId}` })).json() as { timeline: Array<{ body: string }> };
    expect(inc.timeline.map((e) => e.body)).toContainEqual(expect.stringContaining('停止期間を'));
  }
}

for (const dialect of testDialects) {
  scenario(dialect, 'disabling a monitor during an outage', async (h) => {
    const o = await h.outage();
    // While down, the page says so and lists the outage as ongoing.
    const down = await h.statusPage('ja');
    expect(down).toMatchObject({ state: 'down', ongoing: 1 });
    const at = h.clock();
    const r = await call(h.app, h.w.agent, { method: 'PATCH', url: `/api/v1/monitors/${h.monitorId}`, payload: { enabled: false } });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ enabled: false, state: 'unknown', openOutageId: null });
    await h.expectStopped(o, at, 'monitor_disabled', { ja: '監視停止により終了', en: 'monitoring stopped' });
    const audit = await h.t.db.selectFrom('auditLog').select(['action', 'actorId']).where('entity', '=', 'outage').where('entityId', '=', o.id).execute();
    expect(audit).toContainEqual({ action: 'end', actorId: h.w.agent.userId });

    // Enabled again: checks resume and are counted from then on, with no outage carried over.
    h.srv.set(true);
    const back = await call(h.app, h.w.agent, { method: 'PATCH', url: `/api/v1/monitors/${h.monitorId}`, payload: { enabled: true } });
    expect(back.statusCode, back.body).toBe(200);
    const before = await h.figure();
    await h.tick(4);
    const later = await h.figure();
    expect(later.downtimeMs).toBe(before.downtimeMs);
    expect(later.upMs).toBeGreaterThan(before.upMs);
    expect((await h.statusPage('en')).state).toBe('up');
  });

  scenario(dialect, 'deleting a monitor during an outage', async (h) => {
    const o = await h.outage();
    const at = h.clock();
    const r = await call(h.app, h.w.agent, { method: 'DELETE', url: `/api/v1/monitors/${h.monitorId}` });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ enabled: false, deletedAt: new Date(at).toISOString() });
    // Gone from the desk, never checked again ...
    expect((await call(h.app, h.w.agent, { method: 'GET', url: `/api/v1/monitors/${h.monitorId}` })).statusCode).toBe(404);
    expect((await call(h.app, h.w.agent, { method: 'DELETE', url: `/api/v1/monitors/${h.monitorId}` })).statusCode).toBe(404);
    const list = (await call(h.app, h.w.agent, { method: 'GET', url: `/api/v1/monitors?contractId=${h.w.a.contractId}` })).json().items as Array<{ id: string }>;
    expect(list.map((m) => m.id)).not.toContain(h.monitorId);
    const checks = await h.t.db.selectFrom('jobs').select('id').where('dedupeKey', '=', `monitor:${h.monitorId}`).where('status', '=', 'pending').execute();
    expect(checks).toEqual([]);
    // ... but its history still counts: the outage up to the deletion is downtime.
    await h.expectStopped(o, at, 'monitor_deleted', { ja: '監視停止により終了', en: 'monitoring stopped' });
    // A contact may not delete.
    expect((await call(h.app, h.w.contactA, { method: 'DELETE', url: `/api/v1/monitors/${h.monitorId}` })).statusCode).toBe(403);
  });

  scenario(dialect, 'closing an outage by hand', async (h) => {
    const o = await h.outage();
    const at = h.clock();
    const refusedForContact = await call(h.app, h.w.contactA, { method: 'POST', url: `/api/v1/outages/${o.id}/close`, payload: { reason: 'x' } });
    expect(refusedForContact.statusCode).toBe(403);
    expect((await call(h.app, h.w.agent, { method: 'POST', url: `/api/v1/outages/${o.id}/close`, payload: { reason: '  ' } })).statusCode).toBe(400);
    const r = await call(h.app, h.w.agent, { method: 'POST', url: `/api/v1/outages/${o.id}/close`, payload: { reason: '監視先の設定誤り（誤検知）' } });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ endedAt: new Date(at).toISOString(), endedBy: 'manual', endReason: '監視先の設定誤り（誤検知）' });
    const audit = await h.t.db.selectFrom('auditLog').select(['action', 'actorId', 'after']).where('entity', '=', 'outage').where('entityId', '=', o.id).execute();
    expect(audit.find((a) => a.action === 'close')).toMatchObject({ actorId: h.w.agent.userId });
    // Once ended, closing again is refused with a coded, translated error.
    const again = await call(h.app, h.w.agent, { method: 'POST', url: `/api/v1/outages/${o.id}/close`, payload: { reason: 'again' }, headers: { 'accept-language': 'en' } });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'outage.already_ended' });
    // When it ended, written as everywhere else in the reader's language (was raw ISO 8601).
    expect(again.json().message).toMatch(/^This outage has already ended \(\w{3}, \d{2} \w{3} \d{4}, \d{2}:\d{2} GMT\+9\)\.$/);
    const againJa = await call(h.app, h.w.agent, { method: 'POST', url: `/api/v1/outages/${o.id}/close`, payload: { reason: 'again' }, headers: { 'accept-language': 'ja' } });
    expect(againJa.json().message).toMatch(/^この停止期間はすでに終了しています（\d{4}\/\d{2}\/\d{2}\(.\) \d{2}:\d{2} JST）。$/);

    // The system is fixed: no new outage, and the downtime stays what it was at the close.
    h.srv.set(true);
    const f1 = await h.figure();
    expect(f1.downtimeMs).toBe(at - Date.parse(o.startedAt));
    await h.tick(20);
    const f2 = await h.figure();
    expect(f2.downtimeMs).toBe(f1.downtimeMs);
    expect(await h.outages()).toHaveLength(1);
    for (const lang of ['ja', 'en'] as const) {
      const page = await h.statusPage(lang);
      expect(page).toMatchObject({ state: 'up', ongoing: 0 });
      expect(page.html).toContain(lang === 'ja' ? '担当者が終了' : 'closed by the desk');
      // The agent's reason is the desk's note (API), not the public page's.
      expect(page.html).not.toContain('設定誤り');
    }
    const inc = (await call(h.app, h.w.agent, { method: 'GET', url: `/api/v1/incidents/${o.incidentId}` })).json() as { timeline: Array<{ body: string }> };
    expect(inc.timeline.map((e) => e.body)).toContainEqual(expect.stringContaining('理由: 監視先の設定誤り（誤検知）'));
  });

  scenario(dialect, 'failures that go on after a manual close confirm a new outage', async (h) => {
    const o = await h.outage();
    const closedAt = h.clock();
    expect((await call(h.app, h.w.agent, { method: 'POST', url: `/api/v1/outages/${o.id}/close`, payload: { reason: 'restarted by hand' } })).statusCode).toBe(200);
    // Still down: a new streak confirms a new outage dated from its own first failure, after the close.
    await h.tick(3);
    const all = await h.outages();
    expect(all).toHaveLength(2);
    expect(Date.parse(all[1]!.startedAt)).toBeGreaterThan(closedAt);
    expect(all[1]!.endedAt).toBeNull();
    const page = await h.statusPage('ja');
    expect(page).toMatchObject({ state: 'down', ongoing: 1 });
  });

  scenario(dialect, 'monitoring incidents speak the contract\'s language and zone; the page lists incidents as the contract says', async (h) => {
    await h.t.db.insertInto('mailContractSettings').values({ contractId: h.w.a.contractId, acknowledge: 1, locale: 'en', updatedAt: h.clock() }).execute();
    const o = await h.outage();
    const inc = (await call(h.app, h.w.agent, { method: 'GET', url: `/api/v1/incidents/${o.incidentId}` })).json() as { title: string; description: string; notViaDesignatedContact: boolean };
    // A monitor is not a person: there is nobody to confirm as the client's contact.
    expect(inc.notViaDesignatedContact).toBe(false);
    expect(inc.title).toBe('Outage detected: Web');
    // On the contract calendar's clock (UTC+9), to the second, as the console writes instants.
    const firstFail = new Date(Date.parse(o.startedAt) + 9 * 3_600_000).toISOString();
    expect(inc.description).toMatch(new RegExp(`First failure: \\w{3}, ${firstFail.slice(8, 10)} \\w{3} ${firstFail.slice(0, 4)}, ${firstFail.slice(11, 19)} GMT\\+9`));
    expect(inc.description).not.toMatch(/\d{4}-\d\d-\d\dT/);

    // Default: outage incidents only. A phone inquiry is not listed until the contract says "all".
    const q = await call(h.app, h.w.agent, { method: 'POST', url: '/api/v1/incidents', payload: { contractId: h.w.a.contractId, title: '帳票の出力方法について', channel: 'phone', category: 'inquiry', priority: 'minor' } });
    expect(q.statusCode, q.body).toBe(201);
    const settings = `/api/v1/contracts/${h.w.a.contractId}/status-page`;
    expect((await call(h.app, h.w.contactA, { method: 'GET', url: settings })).json()).toMatchObject({ incidents: 'outage', updatedAt: null });
    let page = await h.statusPage('en');
    expect(page.html).toContain('Outage detected: Web — recognized');
    expect(page.html).not.toContain('帳票の出力方法');
    expect((await call(h.app, h.w.contactA, { method: 'PUT', url: settings, payload: { incidents: 'all' } })).statusCode).toBe(403);
    expect((await call(h.app, h.w.agent, { method: 'PUT', url: settings, payload: { incidents: 'all' } })).json()).toMatchObject({ incidents: 'all' });
    page = await h.statusPage('ja');
    expect(page.html).toContain('帳票の出力方法について — 認識済み');
    expect((await call(h.app, h.w.agent, { method: 'PUT', url: settings, payload: { incidents: 'none' } })).statusCode).toBe(200);
    page = await h.statusPage('ja');
    expect(page.html).not.toContain('Outage detected');
    // Whatever incidents are listed, the outage itself is always on the page while it lasts.
    expect(page).toMatchObject({ state: 'down', ongoing: 1 });
  });

  scenario(dialect, 'a check in flight when the monitor is disabled records nothing after the stop', async (h) => {
    const o = await h.outage();
    let at = 0;
    h.duringCheck = async () => {
      h.duringCheck = null;
      at = h.clock();
      const r = await call(h.app, h.w.agent, { method: 'PATCH', url: `/api/v1/monitors/${h.monitorId}`, payload: { enabled: false } });
      expect(r.statusCode, r.body).toBe(200);
    };
    await h.tick();
    expect(at).toBeGreaterThan(0);
    // The failed result read before the stop neither reopened the outage nor re-armed the check.
    const m = (await call(h.app, h.w.agent, { method: 'GET', url: `/api/v1/monitors/${h.monitorId}` })).json();
    expect(m).toMatchObject({ enabled: false, state: 'unknown', openOutageId: null });
    expect(await h.t.db.selectFrom('jobs').select('id').where('dedupeKey', '=', `monitor:${h.monitorId}`).where('status', 'in', ['pending', 'running']).execute()).toEqual([]);
    await h.expectStopped(o, at, 'monitor_disabled', { ja: '監視停止により終了', en: 'monitoring stopped' });
  });
}
