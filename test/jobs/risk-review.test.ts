/**
 * Risk review timers through the job table (issue 14), on both dialects, with a real SMTP
 * server: a due review mails the owner once (two runners, repeated sweeps and a replayed job
 * change nothing more), an overdue one escalates to the owner and the admins once and shows in
 * the list; a review records and re-arms the timers; a closed risk's timers are gone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { JobRunner } from '../../src/jobs/runner.ts';
import { createOutboundMailHandlers, createMailTransport } from '../../src/modules/mail/mail.outbound.ts';
import { createRiskJobHandlers, RISK_REVIEW_JOB } from '../../src/modules/risks/risk.jobs.ts';
import { createServices } from '../../src/http/services.ts';
import { unitOfWork } from '../../src/db/unit-of-work.ts';
import { testDialects, useTestDb } from '../helpers/db.ts';
import { startSmtp } from '../helpers/smtp.ts';
import { call, fixedClock, makeApp } from '../http/helpers.ts';
import { buildWorld, type World } from '../http/world.ts';
import { riskBody } from '../http/risk-fixtures.ts';

const DAY = 86_400_000;
const START = Date.parse('2026-04-01T10:00:00+09:00');

for (const dialect of testDialects) {
  describe(`risk review timers (${dialect})`, () => {
    const t = useTestDb(dialect);
    const clock = fixedClock(START);
    let app: FastifyInstance;
    let w: World;
    let smtp: Awaited<ReturnType<typeof startSmtp>>;
    let runners: JobRunner[];
    let closeTransport: () => void;
    let emails: { agent: string; admin: string };
    beforeAll(async () => {
      smtp = await startSmtp();
      app = await makeApp(t.db, clock);
      w = await buildWorld(t.db, clock);
      const services = createServices({ db: t.db, clock });
      const transport = createMailTransport({ transport: smtp.url })!;
      closeTransport = () => transport.close();
      // Two runners over one database: two processes of the desk.
      runners = [0, 1].map(() => new JobRunner(t.database, {
        clock,
        handlers: {
          ...createRiskJobHandlers({ risks: services.risks, baseUrl: 'http://desk.test' }),
          ...createOutboundMailHandlers({ transport, uow: unitOfWork(t.db, clock), from: 'Hoshu <hoshu@vendor.test>', charset: 'utf-8' }),
        },
      }));
      const mail = async (id: string | null) => (await t.db.selectFrom('users').select('email').where('id', '=', id!).executeTakeFirstOrThrow()).email;
      emails = { agent: await mail(w.agent.userId), admin: await mail(w.admin.userId) };
    });
    afterAll(async () => {
      closeTransport();
      await smtp.close();
      await app.close();
    });

    /** Sweeps until nothing is due (a fired timer enqueues its mail), both runners at once. */
    async function sweep(): Promise<void> {
      for (let i = 0; i < 4; i += 1) {
        const n = await Promise.all(runners.map((r) => r.runDue()));
        if (n.every((x) => x === 0)) return;
      }
    }
    const riskMails = (id: string) => smtp.mails.filter((m) => m.text.includes(`/risks/${id}`));

    it('a due review mails the owner once; an overdue one escalates to owner and admins once and shows in lists', async () => {
      const res = await call(app, w.agent, { method: 'POST', url: '/api/v1/risks', payload: riskBody(w, { title: '証明書の期限切れ' }) });
      const risk = res.json() as { id: string; number: number };

      clock.set(START + 30 * DAY - 1);
      await sweep();
      expect(riskMails(risk.id)).toHaveLength(0);

      clock.set(START + 30 * DAY);
      await sweep();
      await sweep();
      const due = riskMails(risk.id);
      expect(due).toHaveLength(1);
      expect(due[0]!.to).toEqual([emails.agent]);
      expect(due[0]!.subject).toBe(`[Hoshu] リスクの見直し期日です: R-${risk.number} 証明書の期限切れ`);
      expect(due[0]!.text).toContain('2026/05/01(金) 10:00 JST');

      // A replayed job (a retry after a crash, a stale copy) changes nothing.
      const services = createServices({ db: t.db, clock });
      expect(await services.risks.fireReview({ riskId: risk.id, event: 'due', dueAt: START + 30 * DAY })).toBe(false);

      // A rescore that leaves the level (and so the review date) alone does not announce the review again.
      const same = await call(app, w.agent, { method: 'POST', url: `/api/v1/risks/${risk.id}/score`, payload: { inherent: { likelihood: 4, impact: 3 }, reason: '表現の修正' } });
      expect(same.statusCode, same.body).toBe(200);
      await sweep();
      expect(riskMails(risk.id)).toHaveLength(1);

      let listed = (await call(app, w.agent, { method: 'GET', url: '/api/v1/risks?review=due' })).json() as { items: Array<{ id: string; review: { state: string; escalatedAt: string | null } }> };
      expect(listed.items.find((x) => x.id === risk.id)!.review).toMatchObject({ state: 'due', escalatedAt: null });
      expect(((await call(app, w.agent, { method: 'GET', url: '/api/v1/risks?review=overdue' })).json() as { items: unknown[] }).items).toHaveLength(0);

      clock.set(START + 44 * DAY);
      await sweep();
      await sweep();
      const all = riskMails(risk.id);
      expect(all).toHaveLength(2);
      expect(all[1]!.to.sort()).toEqual([emails.agent, emails.admin].sort());
      expect(all[1]!.subject).toContain('期限を過ぎています');
      expect(await services.risks.fireReview({ riskId: risk.id, event: 'overdue', dueAt: START + 30 * DAY })).toBe(false);

      listed = (await call(app, w.agent, { method: 'GET', url: '/api/v1/risks?review=overdue' })).json() as typeof listed;
      expect(listed.items.map((x) => x.id)).toEqual([risk.id]);
      expect(listed.items[0]!.review).toEqual(expect.objectContaining({ state: 'overdue', escalatedAt: new Date(START + 44 * DAY).toISOString() }));
      const audit = await t.db.selectFrom('auditLog').select('action').where('entityId', '=', risk.id).orderBy('at').execute();
      expect(audit.map((a) => a.action)).toEqual(['create', 'review.due', 'rescore', 'review.overdue']);

      // Reviewing it clears the flag and arms the next review one month on; nothing fires before then.
      const reviewed = (await call(app, w.agent, { method: 'POST', url: `/api/v1/risks/${risk.id}/review`, payload: {} })).json() as { review: { state: string; nextReviewAt: string; escalatedAt: string | null } };
      expect(reviewed.review).toMatchObject({ state: 'ok', escalatedAt: null, nextReviewAt: new Date(START + 74 * DAY).toISOString() });
      clock.set(START + 74 * DAY - 1);
      await sweep();
      expect(riskMails(risk.id)).toHaveLength(2);
      clock.set(START + 74 * DAY);
      await sweep();
      expect(riskMails(risk.id)).toHaveLength(3);
    });

    it('an accepted residual risk reaching its expiry: the owner and the contact who accepted it are told once', async () => {
      clock.set(START);
      const risk = (await call(app, w.agent, { method: 'POST', url: '/api/v1/risks', payload: riskBody(w, { title: '旧OSの継続利用', residual: { likelihood: 2, impact: 3 } }) })).json() as { id: string; number: number };
      const acc = await call(app, w.contactA, { method: 'POST', url: `/api/v1/risks/${risk.id}/acceptances`, payload: { expiresOn: '2026-04-10' } });
      expect(acc.statusCode, acc.body).toBe(201);
      const contactEmail = (await t.db.selectFrom('users').select('email').where('id', '=', w.contactA.userId!).executeTakeFirstOrThrow()).email;
      const expiry = Date.parse('2026-04-11T00:00:00+09:00');
      const lapsed = () => smtp.mails.filter((m) => m.subject.includes('受容期限が切れました') && m.text.includes('旧OSの継続利用'));

      clock.set(expiry - 1);
      await sweep();
      expect(lapsed()).toHaveLength(0);
      clock.set(expiry);
      await sweep();
      await sweep();
      expect(lapsed().map((m) => m.to).flat().sort()).toEqual([emails.agent, contactEmail].sort());
      expect(lapsed().find((m) => m.to.includes(contactEmail))!.text).toContain(`/portal/risks/${risk.id}`);
      const services = createServices({ db: t.db, clock });
      expect(await services.risks.fireAcceptanceExpiry({ acceptanceId: (acc.json() as { id: string }).id })).toBe(false);
      const d = (await call(app, w.contactA, { method: 'GET', url: `/api/v1/risks/${risk.id}` })).json() as { acceptances: Array<{ state: string }> };
      expect(d.acceptances.map((a) => a.state)).toEqual(['expired']);
    });

    it('a closed risk has no pending timers and a job left over does nothing', async () => {
      clock.set(START);
      const risk = (await call(app, w.agent, { method: 'POST', url: '/api/v1/risks', payload: riskBody(w, { title: '閉じるリスク' }) })).json() as { id: string };
      await call(app, w.agent, { method: 'POST', url: `/api/v1/risks/${risk.id}/close`, payload: { reason: '対応不要' } });
      const pending = await t.db.selectFrom('jobs').select('id').where('kind', '=', RISK_REVIEW_JOB).where('status', '=', 'pending')
        .where('dedupeKey', 'like', `risk:review:${risk.id}:%`).execute();
      expect(pending).toEqual([]);
      clock.set(START + 60 * DAY);
      await sweep();
      expect(riskMails(risk.id)).toHaveLength(0);
      const services = createServices({ db: t.db, clock });
      expect(await services.risks.fireReview({ riskId: risk.id, event: 'due', dueAt: START + 30 * DAY })).toBe(false);
    });
  });
}
