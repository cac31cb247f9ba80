/**
 * Security incidents over HTTP on both dialects: every transition and every refusal,
 * what a contact sees (own client only, public entries, shared evidence), the report
 * clock's timers firing once through the job table, the reports mailed to the contract's
 * contacts, evidence checksums verified on download (a tampered stored file is refused),
 * the client's regulatory reminders, and the out-of-scope decision.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/http/app.ts';
import { createServices, type Services } from '../../src/http/services.ts';
import { JobRunner } from '../../src/jobs/runner.ts';
import { unitOfWork } from '../../src/db/unit-of-work.ts';
import { createSecurityIncidentJobHandlers } from '../../src/modules/security-incidents/security-incident.jobs.ts';
import { SYSTEM_ACTOR } from '../../src/modules/auth/actor.ts';
import { STANDARD_POLICY } from '../../src/contract/sla-policy-document.ts';
import { testDialects, useTestDb } from '../helpers/db.ts';
import { call, fixedClock, type Caller } from './helpers.ts';
import { riskBody } from './risk-fixtures.ts';
import { buildWorld, type World } from './world.ts';

// Wednesday 2026-04-01 10:00 in Tokyo.
const T0 = Date.parse('2026-04-01T10:00:00+09:00');
const MIN = 60_000;
const HOUR = 60 * MIN;
const iso = (ms: number) => new Date(ms).toISOString();
const DESK = 'desk@vendor.test';

interface Detail {
  id: string; number: number; status: string; inScope: boolean; commands: string[];
  reportClock: { dueAt: string | null; atRiskAt: string | null; metAt: string | null; state: string; excluded: boolean };
  instants: Record<string, { at: string; by: { id: string; name: string | null } } | null>;
  timeline: Array<{ kind: string; visibility: string; event: string | null; body: string; params: Record<string, string> }>;
  reports: Array<{ id: string; kind: string; seq: number; title: string; issuedAt: string; reads: Array<{ by: { id: string }; at: string }>; snapshot: { status: string }; deliveries: Array<{ recipient: string; status: string }> }>;
  evidence: Array<{ id: string; fileName: string; sha256: string; shared: boolean; custody: Array<{ action: string; note: string }> }>;
  links: Array<{ kind: string; targetId: string }>;
  scope: { inScope: boolean; condition: string | null; reason: string | null };
  regulatory: null | { obligation: string; countedFrom: string; preliminaryFrom: string; preliminaryBy: string; finalBy: string; finalDays: number };
}

for (const dialect of testDialects) {
  describe(`security incidents over HTTP (${dialect})`, () => {
    const t = useTestDb(dialect);
    const clock = fixedClock(T0);
    const evidenceDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hoshu-evidence-test-'));
    let app: FastifyInstance;
    let services: Services;
    let w: World;
    beforeAll(async () => {
      services = createServices({ db: t.db, clock }, { evidenceDir });
      app = await buildApp({ db: t.db, clock, services, config: { checkResponses: true } });
      w = await buildWorld(t.db, clock);
    });
    afterAll(async () => {
      await app?.close();
      fs.rmSync(evidenceDir, { recursive: true, force: true });
    });

    const post = (who: Caller, url: string, payload: object = {}) => call(app, who, { method: 'POST', url, payload });
    const get = (who: Caller, url: string) => call(app, who, { method: 'GET', url });
    const base = '/api/v1/security-incidents';
    const record = async (extra: object = {}, who: Caller = w.agent): Promise<Detail> => {
      const r = await post(who, base, { contractId: w.a.contractId, kind: 'malware', title: 'ウィルス検知: 業務端末', ...extra });
      expect(r.statusCode, r.body).toBe(201);
      return r.json();
    };
    const cmd = async (id: string, command: string, body: object = {}, who: Caller = w.agent) => post(who, `${base}/${id}/${command}`, body);
    const report = (id: string, kind: string, who: Caller = w.agent) => post(who, `${base}/${id}/reports`, { kind, title: `${kind} 報告`, body: `${kind} の内容` });

    it('an agent records a malware detection: recognized at once, the report clock runs 24 h on the 24/7 clock from discovery', async () => {
      clock.set(T0);
      const d = await record({ discoveredAt: iso(T0 - 30 * MIN), occurredAt: iso(T0 - 2 * HOUR), description: 'EDR が検知' });
      expect(d.status).toBe('open');
      expect(d.instants.discovered).toMatchObject({ at: iso(T0 - 30 * MIN), by: { id: w.agent.userId } });
      expect(d.instants.occurred).toMatchObject({ at: iso(T0 - 2 * HOUR) });
      expect(d.instants.recognized).toMatchObject({ at: iso(T0), by: { id: w.agent.userId } });
      expect(d.instants.reported).toBeNull();
      // 24 hours from discovery, whatever the business calendar says; at risk at 75 %.
      expect(d.reportClock).toMatchObject({ dueAt: iso(T0 - 30 * MIN + 24 * HOUR), atRiskAt: iso(T0 - 30 * MIN + 18 * HOUR), state: 'ok', metAt: null, excluded: false });
      expect(d.commands).toEqual(['contain', 'remove-threat', 'close']);
      const jobs = await t.db.selectFrom('jobs').select(['dedupeKey', 'runAt']).where('dedupeKey', 'like', `secreport:${d.id}:%`).orderBy('runAt').execute();
      expect(jobs.map((j) => [j.dedupeKey, Number(j.runAt)])).toEqual([
        [`secreport:${d.id}:atRisk`, T0 - 30 * MIN + 18 * HOUR],
        [`secreport:${d.id}:breached`, T0 - 30 * MIN + 24 * HOUR + 1],
      ]);
    });

    it('follows the contract policy\'s report target: one business day on the support calendar', async () => {
      clock.set(T0);
      const policy = await services.slaPolicies.create(SYSTEM_ACTOR, {
        name: 'Business-day security reports', establishedOn: '2026-01-01', document: { ...STANDARD_POLICY, securityReport: { kind: 'business', minutes: 540 } },
      });
      const contract = await services.contracts.create(SYSTEM_ACTOR, {
        clientId: w.a.clientId, name: 'A 業務日報告契約', startsOn: '2026-01-01', calendarId: w.calendarId, slaPolicyId: policy.id, systemIds: [], primaryContactId: w.a.contactId,
      });
      // Wednesday 10:00 in Tokyo + 9 working hours (09:00–18:00) = Thursday 10:00.
      const d = await record({ contractId: contract.id });
      expect(d.reportClock).toMatchObject({ clock: 'business', target: { kind: 'business', minutes: 540 }, dueAt: iso(Date.parse('2026-04-02T10:00:00+09:00')) });
      // The standard policy (no securityReport) keeps the 24-hour default.
      expect((await record()).reportClock).toMatchObject({ clock: 'calendar', target: { kind: 'calendar', minutes: 1440 } });
    });

    it('refuses bad records: discovery in the future, discovery before occurrence, another client\'s contract, unknown kind', async () => {
      clock.set(T0);
      const future = await post(w.agent, base, { contractId: w.a.contractId, kind: 'malware', title: 'x', discoveredAt: iso(T0 + HOUR) });
      expect(future.statusCode).toBe(400);
      expect(future.json()).toMatchObject({ code: 'security_incident.invalid', issues: [expect.objectContaining({ path: ['body', 'discoveredAt'] })] });
      const order = await post(w.agent, base, { contractId: w.a.contractId, kind: 'malware', title: 'x', occurredAt: iso(T0 - HOUR), discoveredAt: iso(T0 - 2 * HOUR) });
      expect(order.statusCode).toBe(400);
      const other = await post(w.contactB, base, { contractId: w.a.contractId, kind: 'malware', title: 'x' });
      expect(other.statusCode).toBe(404);
      expect(other.json().code).toBe('contract.not_found');
      const kind = await post(w.agent, base, { contractId: w.a.contractId, kind: 'virus', title: 'x' });
      expect(kind.statusCode).toBe(400);
      // Japanese by default, English on request: coded, translated errors.
      expect(future.json().message).toMatch(/セキュリティインシデント/);
      const en = await call(app, w.agent, { method: 'POST', url: base, payload: { contractId: w.a.contractId, kind: 'malware', title: 'x', discoveredAt: iso(T0 + HOUR) }, headers: { 'accept-language': 'en' } });
      expect(en.json().message).toMatch(/security incident/i);
      expect(await t.db.selectFrom('securityIncidents').select('id').where('title', '=', 'x').execute()).toHaveLength(0);
    });

    it('walks every transition and refuses each out-of-order move; reports are mailed and read in the portal', async () => {
      clock.set(T0);
      // A contact files a suspicion: the desk has not recognized it yet, and nothing can be reported before it does.
      const filed = await record({ kind: 'tampering', title: 'トップページが改ざんされている' }, w.contactA);
      expect(filed.instants.recognized).toBeNull();
      expect(filed.commands).toEqual([]);
      const id = filed.id;
      expect((await report(id, 'first')).json().code).toBe('security_report.not_recognized');
      expect((await cmd(id, 'recognize', {}, w.contactA)).statusCode).toBe(403);
      clock.set(T0 + 10 * MIN);
      const recognized = await cmd(id, 'recognize');
      expect(recognized.statusCode).toBe(200);
      expect(recognized.json().instants.recognized).toMatchObject({ at: iso(T0 + 10 * MIN), by: { id: w.agent.userId } });
      expect((await cmd(id, 'recognize')).json().code).toBe('security_incident.already_recognized');

      // Follow-up and final need a first report.
      expect((await report(id, 'follow_up')).json()).toMatchObject({ code: 'security_report.first_required' });
      expect((await report(id, 'final')).statusCode).toBe(409);

      clock.set(T0 + 3 * HOUR);
      const first = await report(id, 'first');
      expect(first.statusCode).toBe(201);
      const afterFirst: Detail = first.json();
      expect(afterFirst.instants.reported).toMatchObject({ at: iso(T0 + 3 * HOUR), by: { id: w.agent.userId } });
      expect(afterFirst.reportClock).toMatchObject({ state: 'met', metAt: iso(T0 + 3 * HOUR) });
      expect(afterFirst.reports).toEqual([expect.objectContaining({ kind: 'first', seq: 1, issuedAt: iso(T0 + 3 * HOUR), reads: [] })]);
      // The clock is met: its timers are gone.
      expect(await t.db.selectFrom('jobs').select('id').where('dedupeKey', 'like', `secreport:${id}:%`).where('status', '=', 'pending').execute()).toHaveLength(0);
      // Mailed to the contract's designated contact, both languages.
      const mail = await t.db.selectFrom('jobs').select(['payload']).where('dedupeKey', '=', `mail:security-report:${afterFirst.reports[0]!.id}`).executeTakeFirstOrThrow();
      const payload = JSON.parse(mail.payload) as { to: string[]; subject: string; text: string };
      expect(payload.to).toEqual(['desk@clienta.example']);
      expect(payload.subject).toContain('第一報');
      expect(payload.subject).toContain('First report');
      expect(payload.text).toContain('first の内容');
      expect((await report(id, 'first')).json().code).toBe('security_report.first_exists');
      // Staff see each recipient's delivery (queued until the mail job runs); a contact does not.
      expect(afterFirst.reports[0]!.deliveries).toEqual([expect.objectContaining({ recipient: 'desk@clienta.example', status: 'queued' })]);
      expect((await get(w.contactA, `${base}/${id}`)).json().reports[0].deliveries).toEqual([]);

      // The contact reads it in the portal; the first read is recorded, a second changes nothing.
      const reportId = afterFirst.reports[0]!.id;
      expect((await post(w.agent, `${base}/${id}/reports/${reportId}/read`)).statusCode).toBe(403);
      expect((await post(w.contactB, `${base}/${id}/reports/${reportId}/read`)).statusCode).toBe(404);
      expect((await post(w.contactA, `${base}/${id}/reports/00000000-0000-7000-8000-000000000000/read`)).json().code).toBe('security_report.not_found');
      clock.set(T0 + 4 * HOUR);
      const read = await post(w.contactA, `${base}/${id}/reports/${reportId}/read`);
      expect(read.statusCode).toBe(200);
      expect(read.json().reports[0].reads).toEqual([{ by: expect.objectContaining({ id: w.contactA.userId }), at: iso(T0 + 4 * HOUR) }]);
      clock.set(T0 + 5 * HOUR);
      expect((await post(w.contactA, `${base}/${id}/reports/${reportId}/read`)).json().reports[0].reads[0].at).toBe(iso(T0 + 4 * HOUR));
      // Staff see who read it.
      expect((await get(w.agent, `${base}/${id}`)).json().reports[0].reads).toHaveLength(1);

      expect((await report(id, 'follow_up')).statusCode).toBe(201);
      // The final report needs the threat removed; closing needs the final report.
      expect((await report(id, 'final')).json().code).toBe('security_report.threat_not_removed');

      const contained = await cmd(id, 'contain', { note: 'サーバをネットワークから切り離しました', at: iso(T0 + 4 * HOUR) });
      expect(contained.statusCode).toBe(200);
      expect(contained.json()).toMatchObject({ status: 'contained', instants: { contained: { at: iso(T0 + 4 * HOUR) } } });
      expect((await cmd(id, 'contain')).json()).toMatchObject({ code: 'security_incident.invalid_transition' });
      // An instant in the future, or before discovery, is refused.
      expect((await cmd(id, 'remove-threat', { at: iso(T0 + 9 * HOUR) })).json().code).toBe('security_incident.invalid');
      expect((await cmd(id, 'remove-threat', { at: iso(T0 - 9 * HOUR) })).json().code).toBe('security_incident.invalid');
      clock.set(T0 + 6 * HOUR);
      const removed = await cmd(id, 'remove-threat', { note: '改ざんファイルを除去し、改ざん前の状態に復元しました' });
      expect(removed.json()).toMatchObject({ status: 'threat_removed', instants: { threatRemoved: { at: iso(T0 + 6 * HOUR) } }, commands: ['close'] });
      expect((await cmd(id, 'close')).json().code).toBe('security_incident.final_report_required');

      const final = await report(id, 'final');
      expect(final.statusCode).toBe(201);
      expect(final.json().reports.map((r: { kind: string; seq: number }) => [r.kind, r.seq])).toEqual([['first', 1], ['follow_up', 2], ['final', 3]]);
      expect(final.json().reports[2].snapshot.status).toBe('threat_removed');
      expect((await report(id, 'follow_up')).json().code).toBe('security_report.after_final');

      const closed = await cmd(id, 'close');
      expect(closed.json()).toMatchObject({ status: 'closed', commands: [] });
      expect((await cmd(id, 'remove-threat')).json().code).toBe('security_incident.invalid_transition');
      // A contact sees the whole public story in the order things happened (containment was logged after the fact).
      const seen: Detail = (await get(w.contactA, `${base}/${id}`)).json();
      expect(seen.timeline.map((e) => e.event)).toEqual(['created', 'recognize', 'report.first', 'contain', 'report.follow_up', 'remove-threat', 'report.final', 'close']);
      expect(seen.reports).toHaveLength(3);
    });

    it('a contact sees only their own client\'s, without internal entries, unshared evidence or links; no writes but filing and reading', async () => {
      clock.set(T0);
      const d = await record();
      expect((await get(w.contactB, `${base}/${d.id}`)).statusCode).toBe(404);
      expect((await get(w.contactB, `${base}/${d.id}`)).json().code).toBe('security_incident.not_found');
      expect((await get(w.contactA, `${base}/${d.id}`)).statusCode).toBe(200);
      const listB = (await get(w.contactB, base)).json().items as Array<{ id: string }>;
      expect(listB.some((x) => x.id === d.id)).toBe(false);
      expect(((await get(w.contactA, base)).json().items as Array<{ id: string }>).some((x) => x.id === d.id)).toBe(true);

      expect((await post(w.agent, `${base}/${d.id}/actions`, { body: '社内メモ: ログ保全済み', visibility: 'internal' })).statusCode).toBe(201);
      expect((await post(w.agent, `${base}/${d.id}/actions`, { body: '全端末のフルスキャンを実施中です', visibility: 'public' })).statusCode).toBe(201);
      // A link names a risk / change request / incident of the same client that exists.
      const riskA = (await post(w.agent, '/api/v1/risks', riskBody(w))).json() as { id: string };
      const crA = (await post(w.agent, '/api/v1/change-requests', { contractId: w.a.contractId, title: 'EDR 設定変更' })).json() as { id: string };
      const incA = (await post(w.agent, '/api/v1/incidents', { contractId: w.a.contractId, title: '端末の動作が遅い', channel: 'phone' })).json() as { id: string };
      expect((await post(w.agent, `${base}/${d.id}/links`, { kind: 'risk', targetId: riskA.id, note: '残存リスク' })).statusCode).toBe(201);
      expect((await post(w.agent, `${base}/${d.id}/links`, { kind: 'risk', targetId: riskA.id })).json().code).toBe('security_incident.link_exists');
      expect((await post(w.agent, `${base}/${d.id}/links`, { kind: 'change_request', targetId: crA.id })).statusCode).toBe(201);
      expect((await post(w.agent, `${base}/${d.id}/links`, { kind: 'incident', targetId: incA.id })).statusCode).toBe(201);

      const staff: Detail = (await get(w.agent, `${base}/${d.id}`)).json();
      expect(staff.timeline.filter((e) => e.kind === 'action').map((e) => e.body)).toEqual(['社内メモ: ログ保全済み', '全端末のフルスキャンを実施中です']);
      expect(staff.links.map((l) => [l.kind, l.targetId])).toEqual([['risk', riskA.id], ['change_request', crA.id], ['incident', incA.id]]);
      const contact: Detail = (await get(w.contactA, `${base}/${d.id}`)).json();
      expect(contact.timeline.filter((e) => e.kind === 'action').map((e) => e.body)).toEqual(['全端末のフルスキャンを実施中です']);
      expect(contact.timeline.some((e) => e.visibility === 'internal')).toBe(false);
      expect(contact.links).toEqual([]);

      for (const [url, body] of [
        [`${base}/${d.id}/contain`, {}], [`${base}/${d.id}/scope`, { inScope: true }], [`${base}/${d.id}/actions`, { body: 'x' }],
        [`${base}/${d.id}/reports`, { kind: 'first', title: 'x', body: 'x' }], [`${base}/${d.id}/links`, { kind: 'risk', targetId: riskA.id }],
      ] as const) {
        expect((await post(w.contactA, url, body)).statusCode, url).toBe(403);
      }
      expect((await call(app, w.contactA, { method: 'PATCH', url: `${base}/${d.id}`, payload: { title: 'x' } })).statusCode).toBe(403);
    });

    it('refuses a link to a risk, change request or incident that does not exist or is another client\'s (422, coded, translated, nothing stored)', async () => {
      clock.set(T0);
      const d = await record();
      const riskB = (await post(w.agent, '/api/v1/risks', riskBody(w, { contractId: w.b.contractId, affectedSystemIds: [w.b.systemId] }))).json() as { id: string };
      const crB = (await post(w.agent, '/api/v1/change-requests', { contractId: w.b.contractId, title: 'B の変更' })).json() as { id: string };
      const incB = (await post(w.agent, '/api/v1/incidents', { contractId: w.b.contractId, title: 'B の障害', channel: 'phone' })).json() as { id: string };
      const missing = '00000000-0000-7000-8000-000000000000';
      for (const [kind, targetId] of [
        ['risk', riskB.id], ['risk', missing], ['risk', 'risk-123'], ['change_request', crB.id], ['change_request', missing], ['change_request', 'cr-9'],
        ['incident', incB.id], ['incident', missing],
      ] as const) {
        const bad = await post(w.agent, `${base}/${d.id}/links`, { kind, targetId });
        expect(bad.statusCode, `${kind} ${targetId}`).toBe(422);
        expect(bad.json()).toMatchObject({ code: 'security_incident.link_not_found', issues: [expect.objectContaining({ path: ['body', 'targetId'], code: 'not_found' })] });
      }
      const en = await call(app, w.agent, { method: 'POST', url: `${base}/${d.id}/links`, payload: { kind: 'risk', targetId: missing }, headers: { 'accept-language': 'en' } });
      expect(en.json().message).toBe(`The link target ${missing} does not exist or belongs to another client.`);
      const ja = await call(app, w.agent, { method: 'POST', url: `${base}/${d.id}/links`, payload: { kind: 'risk', targetId: missing }, headers: { 'accept-language': 'ja' } });
      expect(ja.json().message).toBe(`関連付け先（${missing}）が存在しないか、この顧客のものではありません。`);
      expect(((await get(w.agent, `${base}/${d.id}`)).json() as Detail).links).toEqual([]);
    });

    it('corrects discovery: the clock and its timers move, and who corrected it is recorded', async () => {
      clock.set(T0);
      const d = await record();
      const r = await call(app, w.admin, { method: 'PATCH', url: `${base}/${d.id}`, payload: { discoveredAt: iso(T0 - 4 * HOUR), personalData: true } });
      expect(r.statusCode).toBe(200);
      const after: Detail = r.json();
      expect(after.instants.discovered).toMatchObject({ at: iso(T0 - 4 * HOUR), by: { id: w.admin.userId } });
      expect(after.reportClock.dueAt).toBe(iso(T0 + 20 * HOUR));
      const breach = await t.db.selectFrom('jobs').select('runAt').where('dedupeKey', '=', `secreport:${d.id}:breached`).executeTakeFirstOrThrow();
      expect(Number(breach.runAt)).toBe(T0 + 20 * HOUR + 1);
      const bad = await call(app, w.agent, { method: 'PATCH', url: `${base}/${d.id}`, payload: { occurredAt: iso(T0 - 2 * HOUR) } });
      expect(bad.json()).toMatchObject({ code: 'security_incident.invalid', issues: [expect.objectContaining({ path: ['body', 'discoveredAt'] })] });
    });

    it('out of scope (no virus check on a local PC): a recorded decision with a reason, the clock stops, the record stays and closes without a final report', async () => {
      clock.set(T0);
      const d = await record({ title: 'ローカルPCでのウィルス検知' });
      const missing = await post(w.agent, `${base}/${d.id}/scope`, { inScope: false });
      expect(missing.statusCode).toBe(400);
      expect(missing.json().issues.map((i: { path: string[] }) => i.path.join('.')).sort()).toEqual(['body.condition', 'body.reason']);
      const out = await post(w.agent, `${base}/${d.id}/scope`, { inScope: false, condition: 'no_virus_check', reason: 'ウィルスチェックの無いローカルPCでの運用のため保守範囲外' });
      expect(out.statusCode).toBe(200);
      expect(out.json()).toMatchObject({
        inScope: false, status: 'open',
        scope: { inScope: false, condition: 'no_virus_check', reason: 'ウィルスチェックの無いローカルPCでの運用のため保守範囲外' },
        reportClock: { excluded: true },
      });
      expect(await t.db.selectFrom('jobs').select('id').where('dedupeKey', 'like', `secreport:${d.id}:%`).where('status', '=', 'pending').execute()).toHaveLength(0);
      const seen: Detail = (await get(w.contactA, `${base}/${d.id}`)).json();
      expect(seen.scope.condition).toBe('no_virus_check');
      expect(seen.timeline.find((e) => e.event === 'scope.out')).toMatchObject({ params: { condition: 'no_virus_check' } });
      expect((await cmd(d.id, 'close')).json().status).toBe('closed');
      expect((await get(w.agent, `${base}?status=closed`)).json().items.some((x: { id: string }) => x.id === d.id)).toBe(true);

      // Back in scope re-arms the clock.
      const d2 = await record({ kind: 'vulnerability', title: '言語バージョンアップが必要な脆弱性' });
      await post(w.agent, `${base}/${d2.id}/scope`, { inScope: false, condition: 'version_upgrade', reason: '開発言語のバージョンアップは保守範囲外' });
      const back = await post(w.agent, `${base}/${d2.id}/scope`, { inScope: true });
      expect(back.json()).toMatchObject({ inScope: true, scope: { condition: null }, reportClock: { excluded: false } });
      expect(await t.db.selectFrom('jobs').select('id').where('dedupeKey', 'like', `secreport:${d2.id}:%`).where('status', '=', 'pending').execute()).toHaveLength(2);
    });

    it('personal data: the client\'s regulatory reminders, labelled as the client\'s obligation (60 days for unauthorized access)', async () => {
      clock.set(T0);
      const leak = await record({ kind: 'data_leak', title: '顧客名簿の漏えい', personalData: true, discoveredAt: iso(T0 - HOUR) });
      expect(leak.regulatory).toEqual({ obligation: 'client', countedFrom: '2026-04-01', preliminaryFrom: '2026-04-04', preliminaryBy: '2026-04-06', finalBy: '2026-05-01', finalDays: 30 });
      const access = await record({ kind: 'unauthorized_access', title: '不正ログイン', personalData: true });
      expect(access.regulatory).toMatchObject({ finalBy: '2026-05-31', finalDays: 60 });
      const none = await record();
      expect(none.regulatory).toBeNull();
      // The contact sees the same reminders.
      expect((await get(w.contactA, `${base}/${leak.id}`)).json().regulatory.obligation).toBe('client');
    });

    it('evidence: stored outside the rows with its SHA-256, chain of custody, staff-only until shared, verified on every download', async () => {
      clock.set(T0);
      const d = await record();
      const bytes = Buffer.from('2026-04-01 09:31:02 EDR: Trojan.Generic quarantined C:\\Users\\x\\invoice.exe\n');
      const sha = createHash('sha256').update(bytes).digest('hex');
      const up = await post(w.agent, `${base}/${d.id}/evidence`, { fileName: 'edr.log', mediaType: 'text/plain', contentBase64: bytes.toString('base64'), description: 'EDR のログ' });
      expect(up.statusCode).toBe(201);
      const ev = (up.json() as Detail).evidence[0]!;
      expect(ev).toMatchObject({ fileName: 'edr.log', sha256: sha, shared: false, custody: [{ action: 'collected', note: `sha256 ${sha}` }] });
      const row = await t.db.selectFrom('securityEvidence').select(['storageKey']).where('id', '=', ev.id).executeTakeFirstOrThrow();
      // The bytes are a file, not a column.
      const file = services.securityIncidents.evidenceStore.pathOf(row.storageKey);
      expect(fs.readFileSync(file)).toEqual(bytes);

      const url = `${base}/${d.id}/evidence/${ev.id}/content`;
      const staffGet = await get(w.agent, url);
      expect(staffGet.statusCode).toBe(200);
      expect(staffGet.rawPayload).toEqual(bytes);
      expect(staffGet.headers['content-disposition']).toContain('attachment');
      expect(staffGet.headers['repr-digest']).toBe(`sha-256=:${Buffer.from(sha, 'hex').toString('base64')}:`);
      // Not shared: a contact neither sees it nor gets it.
      expect((await get(w.contactA, `${base}/${d.id}`)).json().evidence).toEqual([]);
      expect((await get(w.contactA, url)).json().code).toBe('security_evidence.not_found');
      expect((await get(w.contactB, url)).json().code).toBe('security_incident.not_found');

      const shared = await post(w.agent, `${base}/${d.id}/evidence/${ev.id}/share`, { shared: true });
      expect(shared.json().evidence[0].custody.map((c: { action: string }) => c.action)).toEqual(['collected', 'shared']);
      const contactView: Detail = (await get(w.contactA, `${base}/${d.id}`)).json();
      expect(contactView.evidence.map((e) => [e.fileName, e.sha256])).toEqual([['edr.log', sha]]);
      expect(contactView.evidence[0]!.custody).toEqual([]);
      expect((await get(w.contactA, url)).rawPayload).toEqual(bytes);
      // Sharing again changes nothing.
      expect((await post(w.agent, `${base}/${d.id}/evidence/${ev.id}/share`, { shared: true })).json().evidence[0].custody).toHaveLength(2);

      const custody = await post(w.agent, `${base}/${d.id}/evidence/${ev.id}/custody`, { action: 'transferred', note: 'フォレンジック業者へ受け渡し' });
      expect(custody.statusCode).toBe(201);
      expect(custody.json().evidence[0].custody.at(-1)).toMatchObject({ action: 'transferred', note: 'フォレンジック業者へ受け渡し', by: { id: w.agent.userId } });
      expect((await post(w.agent, `${base}/${d.id}/evidence/${ev.id}/custody`, { action: 'collected', note: 'x' })).statusCode).toBe(400);
      expect((await post(w.agent, `${base}/${d.id}/evidence/00000000-0000-7000-8000-000000000000/share`, { shared: true })).json().code).toBe('security_evidence.not_found');
      expect((await post(w.agent, `${base}/${d.id}/evidence`, { fileName: 'empty.txt', contentBase64: '' })).statusCode).toBe(400);
      expect((await post(w.agent, `${base}/${d.id}/evidence`, { fileName: 'x', contentBase64: 'not base64!' })).statusCode).toBe(400);

      const verified = await post(w.agent, `${base}/${d.id}/evidence/${ev.id}/verify`);
      expect(verified.json().evidence[0].custody.at(-1)).toMatchObject({ action: 'verified', note: `sha256 ${sha}` });

      // Someone changes the stored file: the download is refused, for staff and contact alike.
      fs.writeFileSync(file, Buffer.from('2026-04-01 09:31:02 EDR: nothing found\n'));
      // A check records the failure in the chain of custody.
      const failed = await post(w.agent, `${base}/${d.id}/evidence/${ev.id}/verify`);
      expect(failed.statusCode).toBe(200);
      expect(failed.json().evidence[0].custody.at(-1)).toMatchObject({ action: 'verify_failed', note: expect.stringContaining(`≠ ${sha}`) });
      expect((await post(w.contactA, `${base}/${d.id}/evidence/${ev.id}/verify`)).statusCode).toBe(403);
      const tampered = await get(w.agent, url);
      expect(tampered.statusCode).toBe(409);
      expect(tampered.json()).toMatchObject({ code: 'security_evidence.checksum_mismatch' });
      expect(tampered.json().message).toContain('edr.log');
      expect((await get(w.contactA, url)).statusCode).toBe(409);
      fs.rmSync(file);
      expect((await get(w.agent, url)).json().code).toBe('security_evidence.checksum_mismatch');
    });

    it('the report clock\'s timers fire once each through the job table, and not once the first report is out', async () => {
      clock.set(T0);
      const runner = new JobRunner(t.database, { clock, handlers: createSecurityIncidentJobHandlers({ uow: unitOfWork(t.db, clock), deskEmail: DESK }) });
      const d = await record({ title: '改ざん検知（タイマー）', kind: 'tampering' });
      const quiet = await record({ title: '報告済み（タイマー）' });
      clock.set(T0 + HOUR);
      expect((await report(quiet.id, 'first')).statusCode).toBe(201);

      const slaEvents = async (id: string) => (await get(w.agent, `${base}/${id}`)).json().timeline.filter((e: { kind: string }) => e.kind === 'sla').map((e: { event: string }) => e.event);
      clock.set(T0 + 18 * HOUR - 1);
      await runner.runDue();
      expect(await slaEvents(d.id)).toEqual([]);
      clock.set(T0 + 18 * HOUR);
      await runner.runDue();
      await runner.runDue();
      expect(await slaEvents(d.id)).toEqual(['sla.atRisk']);
      expect((await get(w.agent, `${base}/${d.id}`)).json().reportClock.state).toBe('atRisk');
      clock.set(T0 + 30 * HOUR);
      await runner.runDue();
      await runner.runDue();
      expect(await slaEvents(d.id)).toEqual(['sla.atRisk', 'sla.breached']);
      expect((await get(w.agent, `${base}/${d.id}`)).json().reportClock.state).toBe('breached');
      // Re-arming a fired timer by hand (a second job of the same key) fires nothing more.
      await runner.runDue();
      expect(await slaEvents(d.id)).toEqual(['sla.atRisk', 'sla.breached']);
      // The contact sees no internal timer entries.
      expect((await get(w.contactA, `${base}/${d.id}`)).json().timeline.some((e: { kind: string }) => e.kind === 'sla')).toBe(false);
      expect(await slaEvents(quiet.id)).toEqual([]);
      // Each fired once: one audit row per event, one desk mail per event.
      const audits = await t.db.selectFrom('auditLog').select('action').where('entityId', '=', d.id).where('action', 'like', 'report_clock.%').execute();
      expect(audits.map((a) => a.action).sort()).toEqual(['report_clock.atRisk', 'report_clock.breached']);
      const mails = await t.db.selectFrom('jobs').select('payload').where('dedupeKey', 'like', `mail:secreport:${d.id}:%`).execute();
      expect(mails).toHaveLength(2);
      expect(JSON.parse(mails[0]!.payload).to).toEqual([DESK]);
      // A late first report is recorded as late.
      expect((await report(d.id, 'first')).json().reportClock.state).toBe('metLate');
    });
  });
}
