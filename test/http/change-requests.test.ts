/**
 * Change requests over HTTP (issue 13), on SQLite and PostgreSQL: every transition of the
 * lifecycle and the refused ones (a voided version, scheduling without approval, a contact
 * of another client, a contact who is not the designated one), with coded, translated
 * errors that change nothing; the approval records the SHA-256 of the version shown;
 * scheduling creates an announced maintenance window (notice rule, ICS feed) in the same
 * unit; the confirmation timeout closes the change once.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { proposalCanonical } from '../../src/contract/change-requests.ts';
import { createApiToken, createUser } from '../../src/modules/auth/auth.service.ts';
import { createServices } from '../../src/http/services.ts';
import { testDialects, useTestDb } from '../helpers/db.ts';
import { call, fixedClock, makeApp, PASSWORD, type Caller } from './helpers.ts';
import { buildWorld, type World } from './world.ts';

type Detail = {
  id: string; number: number; status: string; feasibility: string | null; commands: string[]; mayApprove: boolean;
  feasibilityTarget: { dueAt: string | null; atRiskAt: string | null; state: string; metAt: string | null } | null;
  proposals: Array<{ version: number; status: string; contentHash: string | null; amountJpy: number; taxJpy: number; totalJpy: number; effortAmount: number; effortUnit: string; plan: string; impact: string; backout: string; windowStartsAt: string | null; windowEndsAt: string | null; affectsService: boolean; validUntil: string; taxRatePercent: number }>;
  approvals: Array<{ version: number; decision: string; contentHash: string; voidedAt: string | null; decidedBy: { name: string; contactId: string | null } }>;
  timeline: Array<{ kind: string; body: string }>;
  conflicts: Array<{ kind: string; title: string }>;
  maintenanceWindowId: string | null; windowStartsAt: string | null; startedAt: string | null; finishedAt: string | null; confirmationDueAt: string | null; closedAt: string | null;
  autoClosed: boolean; outcome: string | null; actualEffortAmount: number | null; sourceIncidentId: string | null;
  requestedBy: { contactId: string | null; staff: boolean };
};

const PROPOSAL = {
  effortAmount: 3, effortUnit: 'person_days', amountJpy: 450_000, plan: '帳票レイアウトを変更します', impact: '作業中は帳票出力が停止します',
  backout: '旧テンプレートに戻します', windowStartsAt: '2026-04-10T20:00:00+09:00', windowEndsAt: '2026-04-10T22:00:00+09:00', validUntil: '2026-04-30',
};

for (const dialect of testDialects) {
  describe(`change requests over HTTP (${dialect})`, () => {
    const t = useTestDb(dialect);
    const clock = fixedClock(Date.parse('2026-04-01T10:00:00+09:00'));
    let app: FastifyInstance;
    let w: World;
    /** A contact user whose address is client A's designated (primary) contact. */
    let designated: Caller;

    beforeAll(async () => {
      app = await makeApp(t.db, clock);
      w = await buildWorld(t.db, clock);
      const user = await createUser(t.db, { email: 'desk@clienta.example', name: 'A 窓口 山田', role: 'contact', clientId: w.a.clientId, password: PASSWORD }, clock());
      const { token } = await createApiToken(t.db, { userId: user.id, name: 'portal' });
      designated = { role: 'contact', userId: user.id, clientId: w.a.clientId, email: user.email, headers: { authorization: `Bearer ${token}` } };
    });
    afterAll(async () => app?.close());

    const post = (who: Caller, url: string, payload: unknown = {}, lang = 'ja') =>
      call(app, who, { method: 'POST', url: `/api/v1${url}`, payload: payload as object, headers: { 'accept-language': lang } });
    const get = async (who: Caller, url: string) => {
      const r = await call(app, who, { method: 'GET', url: `/api/v1${url}` });
      expect(r.statusCode, r.body).toBe(200);
      return r.json() as Detail;
    };
    const ok = async (who: Caller, url: string, payload: unknown = {}, status = 200): Promise<Detail> => {
      const r = await post(who, url, payload);
      expect(r.statusCode, r.body).toBe(status);
      return r.json() as Detail;
    };
    const refused = async (who: Caller, url: string, payload: unknown, status: number, code: string) => {
      const before = await t.db.selectFrom('auditLog').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      const r = await post(who, url, payload, 'en');
      expect(r.statusCode, r.body).toBe(status);
      const body = r.json() as { code: string; message: string };
      expect(body.code).toBe(code);
      expect(body.message).not.toContain('errors.');
      const ja = (await post(who, url, payload, 'ja')).json() as { message: string };
      expect(ja.message).not.toBe(body.message);
      const after = await t.db.selectFrom('auditLog').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      expect(Number(after.n)).toBe(Number(before.n)); // a refusal changes nothing
      return body;
    };
    const file = (who: Caller, title = '請求書の帳票レイアウト変更') => ok(who, '/change-requests', { contractId: w.a.contractId, systemIds: [w.a.systemId], title, reason: 'インボイス制度対応', desiredDate: '2026-04-15' }, 201);
    const hashOf = (id: string, p: Detail['proposals'][number]) => crypto.createHash('sha256').update(proposalCanonical({
      changeRequestId: id, version: p.version, effortAmount: p.effortAmount, effortUnit: p.effortUnit, amountJpy: p.amountJpy, taxRatePercent: p.taxRatePercent,
      taxJpy: p.taxJpy, plan: p.plan, impact: p.impact, backout: p.backout, windowStartsAt: p.windowStartsAt, windowEndsAt: p.windowEndsAt,
      affectsService: p.affectsService, validUntil: p.validUntil,
    })).digest('hex');
    const mailsOf = async (id: string) => {
      const events = await t.db.selectFrom('changeRequestEvents').select('id').where('changeRequestId', '=', id).execute();
      const keys = events.map((e) => `mail:change:${e.id}`);
      return t.db.selectFrom('jobs').select(['payload']).where('kind', '=', 'mail.outbound').where('dedupeKey', 'in', keys).execute();
    };

    it('walks request → clarification → feasible → proposal → approval → revision (voids it) → approval → schedule → done → 検収', async () => {
      clock.set(Date.parse('2026-04-01T10:00:00+09:00'));
      let cr = await file(designated);
      expect(cr.status).toBe('requested');
      expect(cr.requestedBy.contactId).toBe(w.a.contactId);
      // The standard policy's feasibility target: 3 business days of receipt on the contract's calendar.
      expect(cr.feasibilityTarget?.dueAt).toBe(new Date('2026-04-06T10:00:00+09:00').toISOString());
      expect(cr.feasibilityTarget?.state).toBe('ok');
      const id = cr.id;

      // Needs clarification: waits for the client; the clock stops and runs again on their answer.
      cr = await ok(w.agent, `/change-requests/${id}/clarification`, { text: '対象の帳票はどれですか？' });
      expect(cr.status).toBe('needs_clarification');
      expect(cr.feasibilityTarget?.state).toBe('paused');
      clock.advance(24 * 3_600_000);
      cr = await ok(designated, `/change-requests/${id}/clarify`, { text: '請求書と納品書です' });
      expect(cr.status).toBe('requested');
      // A business day of waiting (Thu 10:00 → Fri 10:00 is one working day) moves the deadline one business day.
      expect(cr.feasibilityTarget?.dueAt).toBe(new Date('2026-04-07T10:00:00+09:00').toISOString());

      cr = await ok(w.agent, `/change-requests/${id}/feasible`, { text: '対応可能です' });
      expect(cr.status).toBe('feasible');
      expect(cr.feasibilityTarget?.state).toBe('met');

      // Proposal version 1, sent at once: immutable, with the hash of exactly what the client sees.
      cr = await ok(w.agent, `/change-requests/${id}/proposals`, { ...PROPOSAL, send: true }, 201);
      expect(cr.status).toBe('proposal_sent');
      const v1 = cr.proposals[0]!;
      expect(v1).toMatchObject({ version: 1, status: 'sent', amountJpy: 450_000, taxJpy: 45_000, totalJpy: 495_000 });
      expect(v1.contentHash).toBe(hashOf(id, v1));
      await refused(w.agent, `/change-requests/${id}/proposals/1`, {}, 404, 'route.not_found'); // no POST there
      const patch = await call(app, w.agent, { method: 'PATCH', url: `/api/v1/change-requests/${id}/proposals/1`, payload: { amountJpy: 1 }, headers: { 'accept-language': 'en' } });
      expect(patch.statusCode).toBe(409);
      expect(patch.json()).toMatchObject({ code: 'change_proposal.immutable' });

      // Who may decide: not staff, not another client's contact, not a contact who is not designated.
      await refused(w.agent, `/change-requests/${id}/approve`, { version: 1, contentHash: v1.contentHash }, 403, 'auth.forbidden');
      await refused(w.contactB, `/change-requests/${id}/approve`, { version: 1, contentHash: v1.contentHash }, 404, 'change_request.not_found');
      await refused(w.contactA, `/change-requests/${id}/approve`, { version: 1, contentHash: v1.contentHash }, 403, 'change_request.not_designated');
      expect((await get(w.contactA, `/change-requests/${id}`)).mayApprove).toBe(false);
      expect((await get(designated, `/change-requests/${id}`)).mayApprove).toBe(true);
      // What the portal showed must be what is on offer.
      await refused(designated, `/change-requests/${id}/approve`, { version: 1, contentHash: '0'.repeat(64) }, 409, 'change_request.version_mismatch');
      // No approval yet: scheduling is refused.
      await refused(w.agent, `/change-requests/${id}/schedule`, { startsAt: PROPOSAL.windowStartsAt, endsAt: PROPOSAL.windowEndsAt }, 409, 'change_request.approval_required');

      cr = await ok(designated, `/change-requests/${id}/approve`, { version: 1, contentHash: v1.contentHash, comment: '承認します' });
      expect(cr.status).toBe('approved');
      expect(cr.approvals).toHaveLength(1);
      expect(cr.approvals[0]).toMatchObject({ version: 1, decision: 'approved', contentHash: v1.contentHash, voidedAt: null, decidedBy: { contactId: w.a.contactId } });

      // The agent edits the proposal: a new version, and the approval is void.
      cr = await ok(w.agent, `/change-requests/${id}/proposals`, { ...PROPOSAL, amountJpy: 500_000 }, 201);
      expect(cr.status).toBe('feasible');
      expect(cr.approvals[0]!.voidedAt).not.toBeNull();
      expect(cr.proposals.map((p) => [p.version, p.status])).toEqual([[2, 'draft'], [1, 'sent']]);
      // The client does not see the draft.
      expect((await get(designated, `/change-requests/${id}`)).proposals.map((p) => p.version)).toEqual([1]);
      const refusal = await refused(w.agent, `/change-requests/${id}/schedule`, { startsAt: PROPOSAL.windowStartsAt, endsAt: PROPOSAL.windowEndsAt }, 409, 'change_request.approval_required');
      expect(refusal.message).toContain('voided');
      cr = await ok(w.agent, `/change-requests/${id}/proposals/2/send`);
      expect(cr.status).toBe('proposal_sent');
      expect(cr.proposals.map((p) => [p.version, p.status])).toEqual([[2, 'sent'], [1, 'superseded']]);
      // Approving the voided version 1 is refused; version 2 is approved.
      const stale = await refused(designated, `/change-requests/${id}/approve`, { version: 1, contentHash: v1.contentHash }, 409, 'change_request.version_mismatch');
      expect(stale.message).toContain('version 2');
      const v2 = cr.proposals[0]!;
      cr = await ok(designated, `/change-requests/${id}/approve`, { version: 2, contentHash: v2.contentHash, comment: 'OK' });
      expect(cr.status).toBe('approved');

      // Scheduling: the notice rule of planned maintenance applies (tomorrow is too late) ...
      await refused(w.agent, `/change-requests/${id}/schedule`, { startsAt: '2026-04-03T20:00:00+09:00', endsAt: '2026-04-03T22:00:00+09:00' }, 409, 'maintenance.notice.conflict');
      // ... a maintenance window already in that slot is shown as a conflict ...
      const other = await call(app, w.agent, { method: 'POST', url: '/api/v1/maintenance', payload: { contractId: w.a.contractId, title: 'OS パッチ適用', startsAt: '2026-04-10T21:00:00+09:00', endsAt: '2026-04-10T23:00:00+09:00', announce: true } });
      expect(other.statusCode, other.body).toBe(201);
      expect((await get(w.agent, `/change-requests/${id}`)).conflicts.map((c) => c.title)).toEqual(['OS パッチ適用']);
      // ... and a window in time creates an announced planned maintenance window in the same unit.
      cr = await ok(w.agent, `/change-requests/${id}/schedule`, { startsAt: PROPOSAL.windowStartsAt, endsAt: PROPOSAL.windowEndsAt });
      expect(cr.status).toBe('scheduled');
      expect(cr.maintenanceWindowId).not.toBeNull();
      const win = await call(app, designated, { method: 'GET', url: `/api/v1/maintenance/${cr.maintenanceWindowId}` });
      expect(win.statusCode).toBe(200);
      expect(win.json()).toMatchObject({ status: 'announced', kind: 'planned', noticeInTime: true, title: expect.stringContaining(`CR-${cr.number}`) });
      expect(cr.conflicts.map((c) => c.title)).toEqual(['OS パッチ適用']);
      // The same ICS feed as any maintenance.
      const pub = await call(app, w.agent, { method: 'POST', url: `/api/v1/contracts/${w.a.contractId}/publication` });
      const ics = await call(app, w.anonymous, { method: 'GET', url: `/api/v1/public/${(pub.json() as { token: string }).token}/maintenance.ics` });
      expect(ics.body).toContain(`CR-${cr.number}`);
      expect(ics.body).toContain('DTSTART:20260410T110000Z');

      await refused(w.agent, `/change-requests/${id}/confirm`, {}, 403, 'auth.forbidden');
      clock.set(Date.parse('2026-04-10T20:05:00+09:00'));
      cr = await ok(w.agent, `/change-requests/${id}/start`, {});
      expect(cr.status).toBe('in_progress');
      clock.set(Date.parse('2026-04-10T21:40:00+09:00'));
      cr = await ok(w.agent, `/change-requests/${id}/finish`, { outcome: 'done', actualEffortAmount: 3.5, resultNotes: '帳票を変更しました' });
      expect(cr).toMatchObject({ status: 'awaiting_confirmation', outcome: 'done', actualEffortAmount: 3.5 });
      // The work's start and finish are its window's actual times (the report and availability read them).
      const ran = (await call(app, w.agent, { method: 'GET', url: `/api/v1/maintenance/${cr.maintenanceWindowId}` })).json() as { actualStart: string | null; actualEnd: string | null };
      expect([ran.actualStart, ran.actualEnd]).toEqual(['2026-04-10T11:05:00.000Z', '2026-04-10T12:40:00.000Z']);
      expect([cr.startedAt, cr.finishedAt]).toEqual([ran.actualStart, ran.actualEnd]);
      expect(cr.confirmationDueAt).not.toBeNull();
      cr = await ok(designated, `/change-requests/${id}/confirm`, { text: '確認しました' });
      expect(cr.status).toBe('closed');
      expect(cr.autoClosed).toBe(false);
      // No confirmation timeout left behind.
      expect(await t.db.selectFrom('jobs').select('id').where('dedupeKey', '=', `change:${id}:confirm`).where('status', '=', 'pending').execute()).toHaveLength(0);

      // Every step is on the timeline and in the audit log; the contact got a mail at each of the four kinds of step.
      const kinds = cr.timeline.map((e) => e.kind);
      expect(kinds).toEqual(['created', 'ask_clarification', 'clarify', 'judge_feasible', 'send_proposal', 'approve', 'revise_proposal', 'send_proposal', 'approve', 'schedule', 'start', 'finish', 'confirm']);
      const audited = await t.db.selectFrom('auditLog').select('action').where('entityId', '=', id).execute();
      expect(audited.map((a) => a.action)).toEqual(expect.arrayContaining(['create', 'judge_feasible', 'send_proposal', 'approve', 'revise_proposal', 'schedule', 'finish', 'confirm']));
      const mails = (await mailsOf(id)).map((m) => JSON.parse(m.payload) as { to: string[]; subject: string });
      expect(mails.map((m) => m.subject.split(' / ')[1]!.replace(/:.*/, ''))).toEqual([
        `[Hoshu] CR-${cr.number} Proposal and quote (version 1)`, `[Hoshu] CR-${cr.number} Thank you for your approval (version 1)`,
        `[Hoshu] CR-${cr.number} Proposal and quote (version 2)`, `[Hoshu] CR-${cr.number} Thank you for your approval (version 2)`,
        `[Hoshu] CR-${cr.number} Work scheduled`, `[Hoshu] CR-${cr.number} Work finished (done)`,
      ]);
      for (const m of mails) expect(m.to).toEqual(['desk@clienta.example']);
    });

    it('refuses moves the lifecycle does not allow, with the status in the reader\'s language', async () => {
      const cr = await file(designated, '権限設定の変更');
      const id = cr.id;
      const e = await refused(w.agent, `/change-requests/${id}/start`, {}, 409, 'change_request.invalid_transition');
      expect(e.message).toContain('Requested');
      const ja = (await post(w.agent, `/change-requests/${id}/start`, {}, 'ja')).json() as { message: string };
      expect(ja.message).toContain('受付');
      await refused(designated, `/change-requests/${id}/feasible`, {}, 403, 'auth.forbidden');
      await refused(w.agent, `/change-requests/${id}/not-feasible`, {}, 400, 'validation.failed');
      await refused(w.agent, `/change-requests/${id}/proposals`, PROPOSAL, 409, 'change_request.invalid_transition');
      await refused(w.contactB, `/change-requests/${id}/comments`, { body: 'x' }, 404, 'change_request.not_found');
      const notFeasible = await ok(w.agent, `/change-requests/${id}/not-feasible`, { text: '基盤の制約により対応できません' });
      expect(notFeasible).toMatchObject({ status: 'not_feasible', feasibility: 'not_feasible' });
      expect(notFeasible.commands).toEqual([]);
      await refused(w.agent, `/change-requests/${id}/feasible`, {}, 409, 'change_request.invalid_transition');
    });

    it('rejection, an expired proposal, withdrawal, failed work rescheduled on the standing approval', async () => {
      clock.set(Date.parse('2026-04-01T10:00:00+09:00'));
      let cr = await file(designated, 'CSV 出力項目の追加');
      const id = cr.id;
      await ok(w.agent, `/change-requests/${id}/feasible`, {});
      cr = await ok(w.agent, `/change-requests/${id}/proposals`, { ...PROPOSAL, send: true }, 201);
      cr = await ok(designated, `/change-requests/${id}/reject`, { version: 1, contentHash: cr.proposals[0]!.contentHash, comment: '高すぎます' });
      expect(cr.status).toBe('rejected');
      expect(cr.approvals[0]).toMatchObject({ decision: 'rejected' });
      cr = await ok(w.agent, `/change-requests/${id}/proposals`, { ...PROPOSAL, amountJpy: 300_000, validUntil: '2026-04-02', send: true }, 201);
      const v2 = cr.proposals[0]!;
      // The validity date passed: the version can no longer be approved.
      clock.set(Date.parse('2026-04-03T09:00:00+09:00'));
      await refused(designated, `/change-requests/${id}/approve`, { version: 2, contentHash: v2.contentHash }, 409, 'change_request.proposal_expired');
      clock.set(Date.parse('2026-04-02T09:00:00+09:00'));
      expect((await ok(designated, `/change-requests/${id}/approve`, { version: 2, contentHash: v2.contentHash })).status).toBe('approved');
      // Approved, but the approval expires with the version: scheduling after the date is refused.
      clock.set(Date.parse('2026-04-03T09:00:00+09:00'));
      await refused(w.agent, `/change-requests/${id}/schedule`, { startsAt: PROPOSAL.windowStartsAt, endsAt: PROPOSAL.windowEndsAt }, 409, 'change_request.proposal_expired');
      clock.set(Date.parse('2026-04-02T09:00:00+09:00'));
      cr = await ok(w.agent, `/change-requests/${id}/schedule`, { startsAt: '2026-04-08T20:00:00+09:00', endsAt: '2026-04-08T21:00:00+09:00', affectsService: false });
      expect(cr.maintenanceWindowId).toBeNull();
      await ok(w.agent, `/change-requests/${id}/start`, {});
      cr = await ok(w.agent, `/change-requests/${id}/finish`, { outcome: 'backed_out', actualEffortAmount: 1, resultNotes: '切り戻しました' });
      expect(cr.status).toBe('backed_out');
      expect(cr.confirmationDueAt).toBeNull();
      cr = await ok(w.agent, `/change-requests/${id}/schedule`, { startsAt: '2026-04-09T20:00:00+09:00', endsAt: '2026-04-09T21:00:00+09:00', affectsService: false });
      expect(cr.status).toBe('scheduled');

      const other = await file(designated, '取り下げる要求');
      await refused(designated, `/change-requests/${other.id}/withdraw`, {}, 400, 'validation.failed');
      cr = await ok(designated, `/change-requests/${other.id}/withdraw`, { text: '不要になりました' });
      expect(cr.status).toBe('withdrawn');
      await refused(w.agent, `/change-requests/${other.id}/feasible`, {}, 409, 'change_request.invalid_transition');
    });

    it('edits a draft before sending it; failed work and a rejected change are closed by the desk; comments on both sides', async () => {
      clock.set(Date.parse('2026-04-01T10:00:00+09:00'));
      let cr = await file(designated, '夜間バッチの時刻変更');
      const id = cr.id;
      await ok(w.agent, `/change-requests/${id}/feasible`, {});
      cr = await ok(w.agent, `/change-requests/${id}/proposals`, PROPOSAL, 201);
      expect(cr.proposals[0]).toMatchObject({ version: 1, status: 'draft', contentHash: null });
      const edited = await call(app, w.agent, { method: 'PATCH', url: `/api/v1/change-requests/${id}/proposals/1`, payload: { amountJpy: 200_000, taxRatePercent: 8 } });
      expect(edited.statusCode, edited.body).toBe(200);
      expect((edited.json() as Detail).proposals[0]).toMatchObject({ amountJpy: 200_000, taxRatePercent: 8, taxJpy: 16_000, totalJpy: 216_000 });
      cr = await ok(w.agent, `/change-requests/${id}/proposals/1/send`);
      await refused(w.agent, `/change-requests/${id}/proposals/1/send`, {}, 409, 'change_proposal.immutable');
      await refused(w.agent, `/change-requests/${id}/proposals/9/send`, {}, 404, 'change_proposal.not_found');
      await ok(designated, `/change-requests/${id}/approve`, { version: 1, contentHash: cr.proposals[0]!.contentHash });
      await ok(w.agent, `/change-requests/${id}/schedule`, { startsAt: '2026-04-09T20:00:00+09:00', endsAt: '2026-04-09T21:00:00+09:00', affectsService: false });
      await ok(w.agent, `/change-requests/${id}/start`, {});
      cr = await ok(w.agent, `/change-requests/${id}/finish`, { outcome: 'failed', actualEffortAmount: 0.5, resultNotes: '検証環境で失敗' });
      expect(cr).toMatchObject({ status: 'failed', confirmationDueAt: null });
      await refused(designated, `/change-requests/${id}/confirm`, {}, 409, 'change_request.invalid_transition');
      cr = await ok(w.agent, `/change-requests/${id}/close`, { text: '次回の保守で再検討' });
      expect(cr.status).toBe('closed');

      // Comments from both sides (an approval by mail is recorded as a comment, not as an approval).
      let other = await file(designated, 'メニュー名称の変更');
      await ok(designated, `/change-requests/${other.id}/comments`, { body: 'メールで承認済みです' }, 201);
      other = await ok(w.agent, `/change-requests/${other.id}/comments`, { body: 'ポータルでの承認をお願いします' }, 201);
      expect(other.timeline.filter((e) => e.kind === 'comment').map((e) => e.body)).toEqual(['メールで承認済みです', 'ポータルでの承認をお願いします']);
      expect(other.approvals).toEqual([]);
      await ok(w.agent, `/change-requests/${other.id}/feasible`, {});
      other = await ok(w.agent, `/change-requests/${other.id}/proposals`, { ...PROPOSAL, send: true }, 201);
      other = await ok(designated, `/change-requests/${other.id}/reject`, { version: 1, contentHash: other.proposals[0]!.contentHash, comment: '見送ります' });
      other = await ok(w.agent, `/change-requests/${other.id}/close`, {});
      expect(other.status).toBe('closed');
    });

    it('moves an incident of category "change request" over: linked, and the incident closed', async () => {
      const inc = await call(app, w.agent, { method: 'POST', url: '/api/v1/incidents', payload: { contractId: w.a.contractId, title: '画面項目の追加依頼', category: 'change_request', priority: 'minor' } });
      expect(inc.statusCode, inc.body).toBe(201);
      const incidentId = (inc.json() as { id: string }).id;
      const bug = await call(app, w.agent, { method: 'POST', url: '/api/v1/incidents', payload: { contractId: w.a.contractId, title: '画面が落ちる', category: 'bug' } });
      await refused(w.agent, '/change-requests/from-incident', { incidentId: (bug.json() as { id: string }).id }, 422, 'change_request.not_a_change');
      await refused(designated, '/change-requests/from-incident', { incidentId }, 403, 'auth.forbidden');
      const cr = await ok(w.agent, '/change-requests/from-incident', { incidentId, reason: '業務効率化' }, 201);
      expect(cr).toMatchObject({ sourceIncidentId: incidentId, status: 'requested' });
      const after = (await call(app, w.agent, { method: 'GET', url: `/api/v1/incidents/${incidentId}` })).json() as { status: string; timeline: Array<{ body: string }> };
      expect(after.status).toBe('closed');
      expect(after.timeline.some((e) => e.body.includes(`CR-${cr.number}`))).toBe(true);
      await refused(w.agent, '/change-requests/from-incident', { incidentId }, 422, 'change_request.not_a_change');
    });

    it('a deputy approves only where the contract allows it; the list filters by state', async () => {
      const deputy = await call(app, w.admin, { method: 'POST', url: '/api/v1/contacts', payload: { clientId: w.a.clientId, name: 'A 代理 鈴木', email: 'deputy@clienta.example' } });
      expect(deputy.statusCode, deputy.body).toBe(201);
      const deputyId = (deputy.json() as { id: string }).id;
      const upd = await call(app, w.admin, { method: 'PATCH', url: `/api/v1/contracts/${w.a.contractId}`, payload: { deputyContactIds: [deputyId] } });
      expect(upd.statusCode, upd.body).toBe(200);
      const user = await createUser(t.db, { email: 'deputy@clienta.example', name: 'A 代理 鈴木', role: 'contact', clientId: w.a.clientId, password: PASSWORD }, clock());
      const { token } = await createApiToken(t.db, { userId: user.id, name: 'portal' });
      const dep: Caller = { role: 'contact', userId: user.id, clientId: w.a.clientId, email: user.email, headers: { authorization: `Bearer ${token}` } };

      let cr = await file(dep, '代理承認テスト');
      await ok(w.agent, `/change-requests/${cr.id}/feasible`, {});
      cr = await ok(w.agent, `/change-requests/${cr.id}/proposals`, { ...PROPOSAL, send: true }, 201);
      const body = { version: 1, contentHash: cr.proposals[0]!.contentHash };
      await refused(dep, `/change-requests/${cr.id}/approve`, body, 403, 'change_request.not_designated');
      await refused(w.agent, `/contracts/${w.a.contractId}/change-settings`, {}, 404, 'route.not_found');
      const put = await call(app, w.admin, { method: 'PUT', url: `/api/v1/contracts/${w.a.contractId}/change-settings`, payload: { deputiesMayApprove: true, confirmationBusinessDays: 3 } });
      expect(put.statusCode, put.body).toBe(200);
      cr = await ok(dep, `/change-requests/${cr.id}/approve`, body);
      expect(cr.approvals[0]!.decidedBy.name).toBe('A 代理 鈴木');

      const list = await call(app, w.agent, { method: 'GET', url: '/api/v1/change-requests?status=approved' });
      expect((list.json() as { items: Array<{ id: string; status: string }> }).items.every((x) => x.status === 'approved')).toBe(true);
      const mine = await call(app, w.contactB, { method: 'GET', url: '/api/v1/change-requests' });
      expect((mine.json() as { total: number }).total).toBe(0);
    });

    it('closes a finished change by itself once the confirmation timeout passes, exactly once', async () => {
      clock.set(Date.parse('2026-04-01T10:00:00+09:00'));
      let cr = await file(designated, '自動完了テスト');
      await ok(w.agent, `/change-requests/${cr.id}/feasible`, {});
      cr = await ok(w.agent, `/change-requests/${cr.id}/proposals`, { ...PROPOSAL, send: true }, 201);
      await ok(designated, `/change-requests/${cr.id}/approve`, { version: 1, contentHash: cr.proposals[0]!.contentHash });
      await ok(w.agent, `/change-requests/${cr.id}/schedule`, { startsAt: '2026-04-20T20:00:00+09:00', endsAt: '2026-04-20T21:00:00+09:00', affectsService: false });
      await ok(w.agent, `/change-requests/${cr.id}/start`, {});
      cr = await ok(w.agent, `/change-requests/${cr.id}/finish`, { outcome: 'done', actualEffortAmount: 2, resultNotes: '完了' });
      // 3 business days (the setting above) from Wed 2026-04-01: the end of Mon 04-06.
      expect(cr.confirmationDueAt).toBe(new Date('2026-04-06T18:00:00+09:00').toISOString());
      const s = createServices({ db: t.db, clock });
      expect(await s.changeRequests.autoClose(cr.id, Date.parse('2026-04-06T17:00:00+09:00'))).toBe(false);
      expect(await s.changeRequests.autoClose(cr.id, Date.parse('2026-04-06T18:00:01+09:00'))).toBe(true);
      expect(await s.changeRequests.autoClose(cr.id, Date.parse('2026-04-06T18:00:02+09:00'))).toBe(false);
      const after = await get(designated, `/change-requests/${cr.id}`);
      expect(after).toMatchObject({ status: 'closed', autoClosed: true });
      expect(after.timeline.filter((e) => e.kind === 'auto_close')).toHaveLength(1);
    });
  });
}
