/**
 * The risk register over HTTP (issue 14), on both dialects: registering and scoring on the
 * criteria version, every command and its refusals (coded, translated, changing nothing),
 * what a contact sees (own client only, presented controls only, no internal notes), the
 * client's acknowledgement of a control and formal acceptance of a residual risk, links, the
 * heat map and the CSV export. Criteria versions and the review timers have their own blocks below.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { testDialects, useTestDb } from '../helpers/db.ts';
import { call, fixedClock, makeApp, tokenCaller, type Caller } from './helpers.ts';
import { buildWorld, type World } from './world.ts';
import { riskBody } from './risk-fixtures.ts';

const DAY = 86_400_000;
const START = Date.parse('2026-04-01T10:00:00+09:00');

type RiskBody = {
  id: string; number: number; criteriaVersion: number; scoreRevision: number; status: string; treatment: string; ownerName: string;
  inherent: { likelihood: number; impact: number; score: number; level: string };
  residual: { likelihood: number; impact: number; score: number; level: string } | null;
  review: { nextReviewAt: string | null; overdueAt: string | null; state: string; escalatedAt: string | null; lastReviewedAt: string | null };
  controls: Array<{ id: string; title: string; revision: number; presentedAt: string | null; acknowledgedAt: string | null; acknowledgedBy: string | null; acknowledgedName: string | null; acknowledgedRevision: number | null }>;
  acceptances: Array<{ id: string; acceptedBy: string; expiresOn: string; criteriaVersion: number; scoreRevision: number; residual: { score: number; level: string }; state: string }>;
  history: Array<{ revision: number; criteriaVersion: number; inherent: { score: number }; residual: { score: number } | null; reason: string }>;
  messages: Array<{ body: string; internal: boolean; authorRole: string }>;
  links: Array<{ id: string; kind: string; targetId: string }>;
};


for (const dialect of testDialects) {
  describe(`risk register (${dialect})`, () => {
    const t = useTestDb(dialect);
    const clock = fixedClock(START);
    let app: FastifyInstance;
    let w: World;
    beforeAll(async () => {
      app = await makeApp(t.db, clock);
      w = await buildWorld(t.db, clock);
    });
    afterAll(async () => { await app.close(); });

    const create = async (more: Record<string, unknown> = {}, who: Caller = w.agent) => {
      const r = await call(app, who, { method: 'POST', url: '/api/v1/risks', payload: riskBody(w, more) });
      expect(r.statusCode, r.body).toBe(201);
      return r.json() as RiskBody;
    };
    const get = async (id: string, who: Caller = w.agent) => {
      const r = await call(app, who, { method: 'GET', url: `/api/v1/risks/${id}` });
      expect(r.statusCode, r.body).toBe(200);
      return r.json() as RiskBody;
    };
    // uuidv7 ids are ordered within the process; `at` ties under the fixed clock, and PostgreSQL returns ties in any order.
    const audits = async (id: string) => (await t.db.selectFrom('auditLog').select('action').where('entityId', '=', id).orderBy('id').execute()).map((a) => a.action);

    it('registers a risk scored on the current criteria (version 1: 1–5 × 1–5), with its first history row and review date', async () => {
      const r = await create();
      expect(r.criteriaVersion).toBe(1);
      expect(r.inherent).toEqual({ likelihood: 3, impact: 4, score: 12, level: 'high' });
      expect(r.residual).toBeNull();
      expect(r.treatment).toBe('mitigate');
      expect(r.ownerName).not.toBe('');
      // High: reviewed monthly (30 days), overdue 14 days later.
      expect(Date.parse(r.review.nextReviewAt!)).toBe(START + 30 * DAY);
      expect(Date.parse(r.review.overdueAt!)).toBe(START + 44 * DAY);
      expect(r.review.state).toBe('ok');
      expect(r.history).toEqual([expect.objectContaining({ revision: 1, criteriaVersion: 1, reason: 'registered' })]);
      expect(await audits(r.id)).toEqual(['create']);
      const jobs = await t.db.selectFrom('jobs').select(['dedupeKey', 'runAt']).where('kind', '=', 'risk.review').execute();
      expect(jobs.filter((j) => j.dedupeKey!.includes(r.id)).map((j) => j.runAt).sort()).toEqual([START + 30 * DAY, START + 44 * DAY]);
    });

    it('refuses bad input with coded, translated issues and stores nothing', async () => {
      const before = await t.db.selectFrom('risks').select('id').execute();
      const contact = await call(app, w.contactA, { method: 'POST', url: '/api/v1/risks', payload: riskBody(w) });
      expect(contact.statusCode).toBe(403);
      const bad = await call(app, w.agent, {
        method: 'POST', url: '/api/v1/risks', headers: { 'accept-language': 'en' },
        payload: riskBody(w, { inherent: { likelihood: 6, impact: 2 }, ownerId: w.contactA.userId, affectedSystemIds: [w.b.systemId] }),
      });
      expect(bad.statusCode).toBe(400);
      const body = bad.json() as { code: string; message: string; issues: Array<{ path: unknown[]; code: string; message: string }> };
      expect(body.code).toBe('risk.invalid');
      expect(body.message).toBe('The risk has invalid fields.');
      expect(body.issues.map((i) => [i.path.join('.'), i.code])).toEqual(expect.arrayContaining([
        ['body.inherent.likelihood', 'too_big'], ['body.ownerId', 'not_staff'], ['body.affectedSystemIds.0', 'not_found'],
      ]));
      expect(body.issues.find((i) => i.code === 'too_big')!.message).toContain('5');
      const ja = await call(app, w.agent, { method: 'POST', url: '/api/v1/risks', payload: riskBody(w, { source: 'incident' }) });
      expect(ja.statusCode).toBe(400);
      expect((ja.json() as { message: string; issues: Array<{ path: unknown[]; code: string }> }).message).toBe('リスクの入力内容に誤りがあります。');
      expect((ja.json() as { issues: Array<{ path: unknown[]; code: string }> }).issues).toEqual([expect.objectContaining({ path: ['body', 'sourceId'], code: 'required' })]);
      expect(await t.db.selectFrom('risks').select('id').execute()).toHaveLength(before.length);
    });

    it('a contact sees only their own client\'s risks, presented controls only and no internal notes', async () => {
      const r = await create();
      await call(app, w.agent, { method: 'POST', url: `/api/v1/risks/${r.id}/controls`, payload: { title: '下書きの対策', ownerId: w.agent.userId } });
      await call(app, w.agent, { method: 'POST', url: `/api/v1/risks/${r.id}/controls`, payload: { title: '提示した対策', ownerId: w.agent.userId, present: true } });
      const note = await call(app, w.agent, { method: 'POST', url: `/api/v1/risks/${r.id}/messages`, payload: { body: '社内メモ: 費用は当社負担', internal: true } });
      expect(note.statusCode).toBe(201);
      const msg = await call(app, w.contactA, { method: 'POST', url: `/api/v1/risks/${r.id}/messages`, payload: { body: '対策の時期を教えてください' } });
      expect(msg.statusCode).toBe(201);
      const contactNote = await call(app, w.contactA, { method: 'POST', url: `/api/v1/risks/${r.id}/messages`, payload: { body: 'x', internal: true } });
      expect(contactNote.statusCode).toBe(403);

      const seen = await get(r.id, w.contactA);
      expect(seen.controls.map((c) => c.title)).toEqual(['提示した対策']);
      expect(seen.messages.map((m) => m.body)).toEqual(['対策の時期を教えてください']);
      const staff = await get(r.id);
      expect(staff.controls).toHaveLength(2);
      expect(staff.messages.map((m) => [m.body, m.internal])).toEqual([['社内メモ: 費用は当社負担', true], ['対策の時期を教えてください', false]]);

      expect((await call(app, w.contactB, { method: 'GET', url: `/api/v1/risks/${r.id}` })).statusCode).toBe(404);
      const listB = (await call(app, w.contactB, { method: 'GET', url: '/api/v1/risks' })).json() as { items: RiskBody[] };
      expect(listB.items).toEqual([]);
      const listA = (await call(app, w.contactA, { method: 'GET', url: '/api/v1/risks' })).json() as { items: RiskBody[] };
      expect(listA.items.map((x) => x.id)).toContain(r.id);
      expect((await call(app, w.contactB, { method: 'POST', url: `/api/v1/risks/${r.id}/messages`, payload: { body: '他社' } })).statusCode).toBe(404);
    });

    it('present → acknowledge: recorded who, when and which revision; refusals for drafts, staff, repeats', async () => {
      const r = await create();
      const draft = (await call(app, w.agent, { method: 'POST', url: `/api/v1/risks/${r.id}/controls`, payload: { title: 'バックアップ監視の追加', ownerId: w.agent.userId, dueOn: '2026-04-30' } })).json() as { id: string };
      const url = `/api/v1/risks/${r.id}/controls/${draft.id}`;
      // Not presented yet: the client cannot see it, so it is "not found" to them.
      const early = await call(app, w.contactA, { method: 'POST', url: `${url}/acknowledge` });
      expect([early.statusCode, (early.json() as { code: string }).code]).toEqual([404, 'risk_control.not_found']);
      expect((await call(app, w.agent, { method: 'POST', url: `${url}/present` })).statusCode).toBe(200);
      const again = await call(app, w.agent, { method: 'POST', url: `${url}/present` });
      expect([again.statusCode, (again.json() as { code: string }).code]).toEqual([409, 'risk_control.already_presented']);
      expect((await call(app, w.agent, { method: 'POST', url: `${url}/acknowledge` })).statusCode).toBe(403);
      expect((await call(app, w.contactB, { method: 'POST', url: `${url}/acknowledge` })).statusCode).toBe(404);

      clock.advance(60_000);
      const ack = await call(app, w.contactA, { method: 'POST', url: `${url}/acknowledge` });
      expect(ack.statusCode, ack.body).toBe(200);
      const acked = ack.json() as RiskBody['controls'][number];
      expect(acked.acknowledgedBy).toBe(w.contactA.userId);
      expect(acked.acknowledgedName).toMatch(/contact/);
      expect(Date.parse(acked.acknowledgedAt!)).toBe(clock());
      expect(acked.acknowledgedRevision).toBe(1);
      const twice = await call(app, w.contactA, { method: 'POST', url: `${url}/acknowledge` });
      expect([twice.statusCode, (twice.json() as { code: string }).code]).toEqual([409, 'risk_control.already_acknowledged']);

      // A status change keeps the acknowledgement; a change of content makes a new revision to acknowledge.
      const progress = (await call(app, w.agent, { method: 'PATCH', url, payload: { status: 'in_progress' } })).json() as RiskBody['controls'][number];
      expect([progress.revision, progress.acknowledgedRevision]).toEqual([1, 1]);
      const changed = (await call(app, w.agent, { method: 'PATCH', url, payload: { dueOn: '2026-05-15' } })).json() as RiskBody['controls'][number];
      expect([changed.revision, changed.acknowledgedRevision]).toEqual([2, 1]);
      expect(((await call(app, w.contactA, { method: 'POST', url: `${url}/acknowledge` })).json() as RiskBody['controls'][number]).acknowledgedRevision).toBe(2);
      expect(await audits(r.id)).toEqual(['create', 'control.create', 'control.present', 'control.acknowledge', 'control.update', 'control.update', 'control.acknowledge']);
    });

    it('two of the client\'s contacts acknowledging at once: one is recorded, the other is told it is done', async () => {
      const r = await create();
      const c = (await call(app, w.agent, { method: 'POST', url: `/api/v1/risks/${r.id}/controls`, payload: { title: '同時確認', ownerId: w.agent.userId, present: true } })).json() as { id: string };
      const second = await tokenCaller(t.db, 'contact', w.a.clientId);
      const url = `/api/v1/risks/${r.id}/controls/${c.id}/acknowledge`;
      const answers = await Promise.all([w.contactA, second].map((who) => call(app, who, { method: 'POST', url })));
      expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 409]);
      expect((await audits(r.id)).filter((a) => a === 'control.acknowledge')).toHaveLength(1);
    });

    it('formal acceptance of the residual risk: needs a residual rating and a future expiry; records the rating, version and revision', async () => {
      const r = await create({ treatment: 'accept' });
      const none = await call(app, w.contactA, { method: 'POST', url: `/api/v1/risks/${r.id}/acceptances`, payload: { expiresOn: '2027-03-31' } });
      expect([none.statusCode, (none.json() as { code: string }).code]).toEqual([409, 'risk.no_residual']);
      const scored = await call(app, w.agent, { method: 'POST', url: `/api/v1/risks/${r.id}/score`, payload: { inherent: { likelihood: 3, impact: 4 }, residual: { likelihood: 2, impact: 2 }, reason: '監視追加後の評価' } });
      expect(scored.statusCode, scored.body).toBe(200);
      expect((scored.json() as RiskBody).residual).toEqual({ likelihood: 2, impact: 2, score: 4, level: 'low' });

      const past = await call(app, w.contactA, { method: 'POST', url: `/api/v1/risks/${r.id}/acceptances`, headers: { 'accept-language': 'ja' }, payload: { expiresOn: '2026-04-01' } });
      expect(past.statusCode).toBe(400);
      expect((past.json() as { issues: Array<{ path: unknown[]; message: string }> }).issues).toEqual([
        expect.objectContaining({ path: ['body', 'expiresOn'], message: '明日以降の日付を指定してください。' }),
      ]);
      expect((await call(app, w.agent, { method: 'POST', url: `/api/v1/risks/${r.id}/acceptances`, payload: { expiresOn: '2027-03-31' } })).statusCode).toBe(403);
      expect((await call(app, w.contactB, { method: 'POST', url: `/api/v1/risks/${r.id}/acceptances`, payload: { expiresOn: '2027-03-31' } })).statusCode).toBe(404);

      const ok = await call(app, w.contactA, { method: 'POST', url: `/api/v1/risks/${r.id}/acceptances`, payload: { expiresOn: '2027-03-31', note: '来期の更改まで受容します' } });
      expect(ok.statusCode, ok.body).toBe(201);
      const a = ok.json() as RiskBody['acceptances'][number] & { expiresAt: string };
      expect(a).toMatchObject({ acceptedBy: w.contactA.userId, expiresOn: '2027-03-31', criteriaVersion: 1, scoreRevision: 2, residual: { score: 4, level: 'low' }, state: 'active' });
      expect(a.expiresAt).toBe('2027-03-31T15:00:00.000Z');

      // A later rescore supersedes it (the client accepted another rating); it expires after its date.
      await call(app, w.agent, { method: 'POST', url: `/api/v1/risks/${r.id}/score`, payload: { inherent: { likelihood: 3, impact: 4 }, residual: { likelihood: 3, impact: 2 }, reason: '再評価' } });
      expect((await get(r.id, w.contactA)).acceptances[0]!.state).toBe('superseded');
    });

    it('rescoring keeps a history of every score change; close, reopen and review with their refusals', async () => {
      const r = await create();
      const rescore = await call(app, w.agent, { method: 'POST', url: `/api/v1/risks/${r.id}/score`, payload: { inherent: { likelihood: 5, impact: 4 }, reason: '再発' } });
      const after = rescore.json() as RiskBody;
      expect(after.inherent).toMatchObject({ score: 20, level: 'critical' });
      expect(after.scoreRevision).toBe(2);
      expect(after.history.map((h) => [h.revision, h.inherent.score, h.reason])).toEqual([[1, 12, 'registered'], [2, 20, '再発']]);
      // Critical: reviewed every 14 days from registration.
      expect(Date.parse(after.review.nextReviewAt!)).toBe(Date.parse(r.review.nextReviewAt!) - 16 * DAY);
      const noReason = await call(app, w.agent, { method: 'POST', url: `/api/v1/risks/${r.id}/score`, payload: { inherent: { likelihood: 5, impact: 4 } } });
      expect(noReason.statusCode).toBe(400);
      expect((await call(app, w.contactA, { method: 'POST', url: `/api/v1/risks/${r.id}/score`, payload: { inherent: { likelihood: 1, impact: 1 }, reason: 'x' } })).statusCode).toBe(403);

      clock.advance(DAY);
      const reviewed = (await call(app, w.agent, { method: 'POST', url: `/api/v1/risks/${r.id}/review`, payload: { note: '四半期レビュー済み' } })).json() as RiskBody;
      expect(Date.parse(reviewed.review.lastReviewedAt!)).toBe(clock());
      expect(Date.parse(reviewed.review.nextReviewAt!)).toBe(clock() + 14 * DAY);

      const closed = await call(app, w.agent, { method: 'POST', url: `/api/v1/risks/${r.id}/close`, payload: { reason: 'システム廃止' } });
      expect((closed.json() as RiskBody).status).toBe('closed');
      expect((closed.json() as RiskBody).review.nextReviewAt).toBeNull();
      expect(await t.db.selectFrom('jobs').select('id').where('dedupeKey', 'like', `risk:review:${r.id}:%`).where('status', '=', 'pending').execute()).toEqual([]);
      for (const [method, path, payload] of [
        ['POST', '/close', { reason: 'x' }], ['PATCH', '', { title: 'y' }], ['POST', '/score', { inherent: { likelihood: 1, impact: 1 }, reason: 'x' }],
        ['POST', '/review', {}], ['POST', '/controls', { title: 'c', ownerId: w.agent.userId }],
      ] as const) {
        const res = await call(app, w.agent, { method, url: `/api/v1/risks/${r.id}${path}`, payload });
        expect([path, res.statusCode, (res.json() as { code: string }).code]).toEqual([path, 409, 'risk.closed']);
      }
      const reopened = await call(app, w.agent, { method: 'POST', url: `/api/v1/risks/${r.id}/reopen` });
      expect((reopened.json() as RiskBody).status).toBe('open');
      expect((reopened.json() as RiskBody).review.nextReviewAt).not.toBeNull();
      const twice = await call(app, w.agent, { method: 'POST', url: `/api/v1/risks/${r.id}/reopen` });
      expect([twice.statusCode, (twice.json() as { code: string }).code]).toEqual([409, 'risk.not_closed']);
      expect((await call(app, w.agent, { method: 'GET', url: '/api/v1/risks/00000000-0000-7000-8000-000000000000' })).statusCode).toBe(404);
    });

    it('updates fields and owner (staff only; the owner must be staff)', async () => {
      const r = await create();
      const up = await call(app, w.agent, { method: 'PATCH', url: `/api/v1/risks/${r.id}`, payload: { title: '更新後', ownerId: w.admin.userId, treatment: 'transfer' } });
      expect(up.statusCode, up.body).toBe(200);
      expect((up.json() as RiskBody & { title: string })).toMatchObject({ title: '更新後', treatment: 'transfer' });
      const bad = await call(app, w.agent, { method: 'PATCH', url: `/api/v1/risks/${r.id}`, payload: { ownerId: w.contactA.userId } });
      expect([bad.statusCode, (bad.json() as { code: string }).code]).toEqual([400, 'risk.invalid']);
      const unknown = await call(app, w.agent, { method: 'PATCH', url: `/api/v1/risks/${r.id}`, payload: { colour: 'red' } });
      expect(unknown.statusCode).toBe(400);
      expect((await call(app, w.contactA, { method: 'PATCH', url: `/api/v1/risks/${r.id}`, payload: { title: 'z' } })).statusCode).toBe(403);
    });

    const post = (who: Caller, url: string, payload: object, lang?: string) => call(app, who, { method: 'POST', url, payload, ...(lang ? { headers: { 'accept-language': lang } } : {}) });
    /** An incident, a change request and a security incident of `contractId` (for links). */
    const targets = async (contractId: string) => {
      const id = async (url: string, body: object) => {
        const r = await post(w.agent, url, { contractId, ...body });
        expect(r.statusCode, r.body).toBe(201);
        return (r.json() as { id: string }).id;
      };
      return {
        incident: await id('/api/v1/incidents', { title: 'バックアップ失敗', channel: 'phone' }),
        change_request: await id('/api/v1/change-requests', { title: 'バックアップ設定の変更' }),
        security_incident: await id('/api/v1/security-incidents', { kind: 'malware', title: 'ウィルス検知' }),
      };
    };

    it('links incidents, change requests and security incidents of the same client; refuses duplicates', async () => {
      const r = await create();
      const a = await targets(w.a.contractId);
      const link = await post(w.agent, `/api/v1/risks/${r.id}/links`, { kind: 'incident', targetId: a.incident });
      expect(link.statusCode, link.body).toBe(201);
      const dup = await post(w.agent, `/api/v1/risks/${r.id}/links`, { kind: 'incident', targetId: a.incident });
      expect([dup.statusCode, (dup.json() as { code: string }).code]).toEqual([409, 'risk_link.duplicate']);
      for (const kind of ['change_request', 'security_incident'] as const) {
        const ok = await post(w.agent, `/api/v1/risks/${r.id}/links`, { kind, targetId: a[kind] });
        expect(ok.statusCode, ok.body).toBe(201);
      }
      const badKind = await call(app, w.agent, { method: 'POST', url: `/api/v1/risks/${r.id}/links`, payload: { kind: 'invoice', targetId: a.incident } });
      expect(badKind.statusCode).toBe(400);
      expect((await get(r.id, w.contactA)).links.map((l) => [l.kind, l.targetId])).toEqual([
        ['incident', a.incident], ['change_request', a.change_request], ['security_incident', a.security_incident],
      ]);
      const linkId = (link.json() as { id: string }).id;
      expect((await call(app, w.contactA, { method: 'DELETE', url: `/api/v1/risks/${r.id}/links/${linkId}` })).statusCode).toBe(403);
      expect((await call(app, w.agent, { method: 'DELETE', url: `/api/v1/risks/${r.id}/links/${linkId}` })).statusCode).toBe(200);
      const gone = await call(app, w.agent, { method: 'DELETE', url: `/api/v1/risks/${r.id}/links/${linkId}` });
      expect([gone.statusCode, (gone.json() as { code: string }).code]).toEqual([404, 'risk_link.not_found']);
    });

    it('refuses a link to a record that does not exist or is another client\'s (422, coded, translated, nothing stored)', async () => {
      const r = await create();
      const b = await targets(w.b.contractId);
      const missing = '00000000-0000-7000-8000-000000000000';
      for (const kind of ['incident', 'change_request', 'security_incident'] as const) {
        for (const targetId of [b[kind], missing]) {
          const bad = await post(w.agent, `/api/v1/risks/${r.id}/links`, { kind, targetId });
          expect(bad.statusCode, `${kind} ${targetId}`).toBe(422);
          expect(bad.json()).toMatchObject({ code: 'risk.link_not_found', issues: [expect.objectContaining({ path: ['body', 'targetId'], code: 'not_found' })] });
        }
      }
      const en = await post(w.agent, `/api/v1/risks/${r.id}/links`, { kind: 'change_request', targetId: b.change_request }, 'en');
      expect((en.json() as { message: string }).message).toBe(`The link target ${b.change_request} does not exist or belongs to another client.`);
      const ja = await post(w.agent, `/api/v1/risks/${r.id}/links`, { kind: 'security_incident', targetId: missing }, 'ja');
      expect((ja.json() as { message: string }).message).toBe(`関連付け先（${missing}）が存在しないか、この顧客のものではありません。`);
      expect((await get(r.id)).links).toEqual([]);
      expect(await audits(r.id)).toEqual(['create']);
    });

    it('registers a risk from a source record of its client only (the source is linked; a missing or foreign one is refused)', async () => {
      const a = await targets(w.a.contractId);
      const b = await targets(w.b.contractId);
      const before = (await t.db.selectFrom('risks').select('id').execute()).length;
      const foreign = await post(w.agent, '/api/v1/risks', riskBody(w, { source: 'security_incident', sourceId: b.security_incident }), 'en');
      expect([foreign.statusCode, (foreign.json() as { code: string }).code]).toEqual([422, 'risk.link_not_found']);
      expect(foreign.json()).toMatchObject({ issues: [expect.objectContaining({ path: ['body', 'sourceId'], code: 'not_found' })] });
      const missing = await post(w.agent, '/api/v1/risks', riskBody(w, { source: 'incident', sourceId: '00000000-0000-7000-8000-000000000000' }));
      expect([missing.statusCode, (missing.json() as { code: string }).code]).toEqual([422, 'risk.link_not_found']);
      expect((await t.db.selectFrom('risks').select('id').execute()).length).toBe(before);
      const ok = await create({ source: 'change_request', sourceId: a.change_request });
      expect((await get(ok.id)).links).toEqual([expect.objectContaining({ kind: 'change_request', targetId: a.change_request })]);
    });

    it('heat map counts open risks per cell; CSV export is UTF-8 with a BOM, in the reader\'s language, scoped to the client', async () => {
      const r = await create({ title: 'ヒートマップ用', inherent: { likelihood: 5, impact: 5 } });
      const hm = (await call(app, w.agent, { method: 'GET', url: `/api/v1/risks/heatmap?contractId=${w.a.contractId}&of=inherent` })).json() as { criteriaVersion: number; cells: Array<{ likelihood: number; impact: number; count: number; level: string }> };
      expect(hm.criteriaVersion).toBe(1);
      expect(hm.cells).toHaveLength(25);
      expect(hm.cells[0]).toMatchObject({ likelihood: 5, impact: 1 });
      expect(hm.cells.find((c) => c.likelihood === 5 && c.impact === 5)).toMatchObject({ count: 1, level: 'critical' });
      const hmB = (await call(app, w.contactB, { method: 'GET', url: '/api/v1/risks/heatmap' })).json() as { cells: Array<{ count: number }> };
      expect(hmB.cells.every((c) => c.count === 0)).toBe(true);

      const csv = await call(app, w.agent, { method: 'GET', url: '/api/v1/risks/export.csv', headers: { 'accept-language': 'ja' } });
      expect(csv.statusCode).toBe(200);
      expect(csv.headers['content-type']).toContain('text/csv');
      expect(csv.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
      const lines = csv.body.replace(/^\uFEFF/, '').split('\r\n');
      expect(lines[0]).toMatch(/^番号,顧客,件名,分類/);
      expect(lines.some((l) => l.startsWith(`R-${r.number},Client A,ヒートマップ用,データ,ベンダーが特定`) && l.includes('重大'))).toBe(true);
      const en = await call(app, w.contactA, { method: 'GET', url: '/api/v1/risks/export.csv', headers: { 'accept-language': 'en' } });
      expect(en.body.replace(/^\uFEFF/, '').split('\r\n')[0]).toMatch(/^Number,Client,Title,Category/);
      expect(en.body).toContain('Critical');
      const forB = await call(app, w.contactB, { method: 'GET', url: '/api/v1/risks/export.csv' });
      expect(forB.body.replace(/^\uFEFF/, '').trim().split('\r\n')).toHaveLength(1);
    });
  });

  describe(`risk criteria versions (${dialect})`, () => {
    const t = useTestDb(dialect);
    const clock = fixedClock(START);
    let app: FastifyInstance;
    let w: World;
    beforeAll(async () => {
      app = await makeApp(t.db, clock);
      w = await buildWorld(t.db, clock);
    });
    afterAll(async () => { await app.close(); });

    const THREE = {
      likelihood: [{ value: 1, ja: '低', en: 'Low' }, { value: 2, ja: '中', en: 'Medium' }, { value: 3, ja: '高', en: 'High' }],
      impact: [{ value: 1, ja: '小', en: 'Small' }, { value: 2, ja: '中', en: 'Medium' }, { value: 3, ja: '大', en: 'Large' }],
      levels: [{ level: 'low', minScore: 1, reviewDays: 120 }, { level: 'high', minScore: 4, reviewDays: 20 }],
      overdueAfterDays: 7,
    };

    it('a new scale is a new version: old risks keep their scores under theirs, new ones use it, rescoring moves a risk on', async () => {
      const old = (await call(app, w.agent, { method: 'POST', url: '/api/v1/risks', payload: riskBody(w, { inherent: { likelihood: 4, impact: 4 } }) })).json() as RiskBody;
      expect(old).toMatchObject({ criteriaVersion: 1, inherent: { score: 16, level: 'high' } });

      expect((await call(app, w.agent, { method: 'POST', url: '/api/v1/risk-criteria', payload: { document: THREE } })).statusCode).toBe(403);
      const gap = await call(app, w.admin, { method: 'POST', url: '/api/v1/risk-criteria', payload: { document: { ...THREE, impact: [THREE.impact[0], { ...THREE.impact[2] }] } } });
      expect(gap.statusCode).toBe(400);
      expect((gap.json() as { issues: Array<{ path: unknown[]; message: string }> }).issues).toEqual([
        expect.objectContaining({ path: ['body', 'document', 'impact', 1, 'value'], message: '段階の値は 1 から順に連番にしてください。' }),
      ]);
      const v2 = await call(app, w.admin, { method: 'POST', url: '/api/v1/risk-criteria', payload: { document: THREE, note: '3段階に簡素化' } });
      expect(v2.statusCode, v2.body).toBe(201);
      expect(v2.json()).toMatchObject({ version: 2, current: true, note: '3段階に簡素化' });
      const versions = (await call(app, w.contactA, { method: 'GET', url: '/api/v1/risk-criteria' })).json() as { items: Array<{ version: number; current: boolean }> };
      expect(versions.items.map((v) => [v.version, v.current])).toEqual([[2, true], [1, false]]);
      expect(((await call(app, w.agent, { method: 'GET', url: '/api/v1/risk-criteria/1' })).json() as { document: { likelihood: unknown[] } }).document.likelihood).toHaveLength(5);

      // The old risk is untouched: same version, score, level and its scale's names.
      const still = (await call(app, w.agent, { method: 'GET', url: `/api/v1/risks/${old.id}` })).json() as RiskBody & { criteria: { likelihood: unknown[] } };
      expect(still).toMatchObject({ criteriaVersion: 1, inherent: { likelihood: 4, impact: 4, score: 16, level: 'high' }, scoreRevision: 1 });
      expect(still.criteria.likelihood).toHaveLength(5);

      // New risks are rated on 1–3: a 4 no longer fits.
      const tooBig = await call(app, w.agent, { method: 'POST', url: '/api/v1/risks', payload: riskBody(w, { inherent: { likelihood: 4, impact: 1 } }) });
      expect(tooBig.statusCode).toBe(400);
      const fresh = (await call(app, w.agent, { method: 'POST', url: '/api/v1/risks', payload: riskBody(w, { inherent: { likelihood: 2, impact: 2 } }) })).json() as RiskBody;
      expect(fresh).toMatchObject({ criteriaVersion: 2, inherent: { score: 4, level: 'high' } });
      expect(Date.parse(fresh.review.nextReviewAt!)).toBe(START + 20 * DAY);

      // The heat map of each version counts its own risks and names the others.
      const hm2 = (await call(app, w.agent, { method: 'GET', url: '/api/v1/risks/heatmap?of=inherent' })).json() as { criteriaVersion: number; cells: unknown[]; otherVersions: unknown[] };
      expect(hm2).toMatchObject({ criteriaVersion: 2, otherVersions: [{ version: 1, count: 1 }] });
      expect(hm2.cells).toHaveLength(9);
      const hm1 = (await call(app, w.agent, { method: 'GET', url: '/api/v1/risks/heatmap?of=inherent&version=1' })).json() as { cells: Array<{ likelihood: number; impact: number; count: number }> };
      expect(hm1.cells.find((c) => c.likelihood === 4 && c.impact === 4)!.count).toBe(1);

      // Rescoring on purpose moves the risk to the current version; its history keeps the old one.
      const moved = (await call(app, w.agent, { method: 'POST', url: `/api/v1/risks/${old.id}/score`, payload: { inherent: { likelihood: 3, impact: 3 }, reason: '新基準で再評価' } })).json() as RiskBody;
      expect(moved).toMatchObject({ criteriaVersion: 2, inherent: { score: 9, level: 'high' }, scoreRevision: 2 });
      expect(moved.history.map((h) => [h.revision, h.criteriaVersion, h.inherent.score])).toEqual([[1, 1, 16], [2, 2, 9]]);
    });
  });

  describe(`risk service for other modules (${dialect})`, () => {
    const t = useTestDb(dialect);
    const clock = fixedClock(START);
    it('createFromSourceIn opens a risk from a security incident in the caller\'s unit, named and linked', async () => {
      const w = await buildWorld(t.db, clock);
      const { createServices } = await import('../../src/http/services.ts');
      const { unitOfWork } = await import('../../src/db/unit-of-work.ts');
      const s = createServices({ db: t.db, clock });
      const agent = { userId: w.agent.userId!, role: 'agent' as const, clientId: null };
      const secId = '01900000-0000-7000-8000-00000000abcd';
      const risk = await unitOfWork(t.db, clock).command(agent, async (wk) => {
        const r = await s.risks.createFromSourceIn(wk, agent, {
          source: 'security_incident', sourceId: secId, contractId: w.a.contractId, title: 'マルウェア再感染の恐れ', ownerId: w.agent.userId!,
          inherent: { likelihood: 2, impact: 5 },
        });
        wk.audit({ entity: 'security_incident', entityId: secId, action: 'open_risk', after: { riskId: r.id } });
        return r;
      });
      const d = await s.risks.get(agent, risk.id);
      expect(d).toMatchObject({ source: 'security_incident', sourceKind: 'security_incident', sourceId: secId, category: 'security' });
      expect(d.links).toEqual([expect.objectContaining({ kind: 'security_incident', targetId: secId })]);
      // Refused input rolls the caller's whole unit back.
      const contact = await tokenCaller(t.db, 'contact', w.a.clientId);
      await expect(unitOfWork(t.db, clock).command(agent, (wk) => s.risks.createFromSourceIn(wk, { userId: contact.userId!, role: 'contact', clientId: w.a.clientId }, {
        source: 'incident', sourceId: 'x', contractId: w.a.contractId, title: 't', ownerId: w.agent.userId!, inherent: { likelihood: 1, impact: 1 },
      }))).rejects.toMatchObject({ code: 'auth.forbidden' });
    });
  });
}
