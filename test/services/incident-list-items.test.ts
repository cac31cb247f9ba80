/**
 * The stored list items (incident.list-items.ts) against the presenter: for a varied desk
 * (every status, pending/running/met/late targets, a stopped clock, pause history, out of
 * scope, edits with awkward text, messages, a priority change, a calendar re-derivation,
 * fired SLA timers) the item rendered from its stored row alone is byte for byte the
 * presenter's JSON at several "now" instants, on both dialects; the list's answer (and the
 * instant until which it holds) is the same either way; the rebuild writes the same rows.
 */
import { describe, expect, it } from 'vitest';
import { JobRunner } from '../../src/jobs/runner.ts';
import { SLA_TIMER_JOB, createSlaTimerHandler } from '../../src/modules/incidents/incident.jobs.ts';
import { LIST_ITEM_FORMAT, renderListItem } from '../../src/modules/incidents/incident.list-items.ts';
import { rebuildListItems } from '../../src/modules/incidents/incident.list-rebuild.ts';
import { presentIncident } from '../../src/modules/incidents/incident.presenter.ts';
import { createNotificationService } from '../../src/modules/notifications/notification.service.ts';
import { SYSTEM_ACTOR } from '../../src/modules/auth/actor.ts';
import { testDialects, useTestDb } from '../helpers/db.ts';
import { HOUR, MIN, TestClock, makeWorld } from '../helpers/factories.ts';

const DAY = 24 * HOUR;

for (const dialect of testDialects) {
  describe(`stored incident list items on ${dialect}`, () => {
    const t = useTestDb(dialect);

    it('render to the presenter\'s bytes at every "now", whatever wrote the incident', async () => {
      const clock = new TestClock(Date.parse('2026-04-06T09:30:00+09:00')); // Monday
      const w = await makeWorld(t.db, clock);
      const { s, agent, contract } = w;
      const runner = new JobRunner(t.database, {
        clock: clock.fn,
        handlers: { [SLA_TIMER_JOB]: createSlaTimerHandler({ db: t.db, clock: clock.fn, notifications: createNotificationService({ deskEmail: 'desk@vendor.test', baseUrl: 'http://x' }) }) },
      });
      const file = (o: Record<string, unknown> = {}, who = agent) =>
        s.incidents.create(who, { contractId: contract.id, title: '障害', channel: 'phone', ...o } as Parameters<typeof s.incidents.create>[1]);

      const stored = async () => new Map((await t.db.selectFrom('incidentListItems').selectAll().execute()).map((r) => [r.incidentId, r]));
      /** Every incident's stored row, rendered alone, is the presenter's JSON now and a little later. */
      const verify = async (step: string) => {
        const rows = await stored();
        const saved = clock.now;
        for (const at of [saved, saved + 10 * MIN]) {
          clock.now = at;
          for (const i of await s.incidents.list(agent, { limit: 200 })) {
            const r = rows.get(i.id);
            expect(r, `${step}: ${i.title}`).toBeDefined();
            expect(r!.format).toBe(LIST_ITEM_FORMAT);
            expect(r!.live, `${step}: ${i.title}`).toBe(i.targets.some((x) => x.paused) ? 1 : 0);
            if (r!.live === 0) expect(renderListItem(r!.body, r!.clocks, at).json, `${step}: ${i.title}`).toBe(JSON.stringify(presentIncident(i)));
          }
        }
        clock.now = saved;
      };

      const urgent = await file({ priority: 'urgent', category: 'outage', reporter: { contactId: w.primary.id } });
      await file({ priority: 'important', channel: 'web', description: 'line 1\nline 2 "quoted" \\ back\u2028sep' });
      const portal = await file({ title: '問い合わせ', priority: 'urgent', channel: 'web' }, w.contactUser);
      await file({ priority: 'minor', inScope: false, outOfScopeReason: '契約外の機器', billable: true, reporter: { name: '外部 太郎', email: 'x@other.test' } });
      const waiting = await file({ priority: 'important' });
      const history = await file({ priority: 'urgent' });
      const done = await file({ priority: 'urgent', systemId: w.system.id });
      const edited = await file({ priority: 'minor' });
      const reprioritised = await file({ priority: 'minor' });
      const replied = await file({ priority: 'important' });
      await verify('created');

      clock.advance(20 * MIN);
      await s.incidents.changeStatus(agent, waiting.id, { to: 'in_progress' });
      await verify("changeStatus(agent, waiting.id, { to: 'i");
      await s.incidents.changeStatus(agent, waiting.id, { to: 'waiting_for_client', reason: 'ログ待ち' });
      await verify("changeStatus(agent, waiting.id, { to: 'w");
      await s.incidents.changeStatus(agent, history.id, { to: 'in_progress' });
      await verify("changeStatus(agent, history.id, { to: 'i");
      await s.incidents.changeStatus(agent, history.id, { to: 'waiting_for_client', reason: '確認待ち' });
      await verify("changeStatus(agent, history.id, { to: 'w");
      await s.incidents.changeStatus(agent, replied.id, { to: 'in_progress' });
      await verify("changeStatus(agent, replied.id, { to: 'i");
      await s.incidents.changeStatus(agent, replied.id, { to: 'waiting_for_client', reason: '返事待ち' });
      await verify("changeStatus(agent, replied.id, { to: 'w");
      clock.advance(30 * MIN);
      await s.incidents.changeStatus(agent, history.id, { to: 'in_progress' });
      await verify("changeStatus(agent, history.id, { to: 'i");
      await s.incidents.addComment(w.contactUser, replied.id, { body: '回答します' });
      await verify('addComment(w.contactUser, replied.id, { ');
      await s.incidents.changeStatus(agent, done.id, { to: 'in_progress' });
      await verify("changeStatus(agent, done.id, { to: 'in_p");
      await s.incidents.command(agent, done.id, 'propose', { reason: '再起動を提案' });
      await verify("command(agent, done.id, 'propose', { rea");
      await s.incidents.changeStatus(agent, done.id, { to: 'resolved', resolution: { cause: 'メモリ不足', fix: '増設', course: '"経緯"\u0001' } });
      await verify("changeStatus(agent, done.id, { to: 'reso");
      await s.incidents.changeStatus(agent, done.id, { to: 'closed' });
      await verify("changeStatus(agent, done.id, { to: 'clos");
      await s.incidents.assign(agent, edited.id, agent.userId);
      await verify('assign(agent, edited.id, agent.userId);');
      await s.incidents.update(agent, edited.id, { title: '"state":"ok" \u0001 😀', description: '</script>' });
      await verify('update(agent, edited.id, { title: \'"stat');
      await s.incidents.addComment(agent, edited.id, { body: 'memo', internal: true });
      await verify("addComment(agent, edited.id, { body: 'me");
      await s.incidents.changePriority(agent, reprioritised.id, { priority: 'urgent', reason: '影響拡大' });
      await verify('changePriority(agent, reprioritised.id, ');
      await s.incidents.open(agent, portal.id);
      await verify('open(agent, portal.id);');
      await s.incidents.changeScope(agent, urgent.id, { inScope: true, billable: false });
      await verify('changeScope(agent, urgent.id, { inScope:');
      // Timers fire (warnings and breaches of the urgent ones), then a calendar version moves deadlines.
      clock.advance(2 * HOUR);
      await runner.runDue();
      await verify('timers');
      await runner.runDue();
      await verify('timers');
      await s.calendars.update(SYSTEM_ACTOR, contract.calendarId, {
        document: { timeZone: 'Asia/Tokyo', weekly: { mon: [['09:00', '17:00']], tue: [['09:00', '17:00']], wed: [['09:00', '17:00']], thu: [['09:00', '17:00']], fri: [['09:00', '17:00']] }, holidays: ['jp'] },
      });
      expect((await t.db.selectFrom('incidentEvents').select('id').where('kind', '=', 'calendar_rederived').execute()).length).toBeGreaterThan(0);
      expect((await t.db.selectFrom('incidentTargets').select('id').where('atRiskFiredAt', 'is not', null).execute()).length).toBeGreaterThan(0);
      await verify('calendar version');
      const rows = await stored();
      const all = await s.incidents.list(agent, { limit: 200 });
      expect(all.length).toBeGreaterThanOrEqual(10);
      // Every incident has an item of this format; only the stopped clocks are live.
      for (const i of all) {
        const r = rows.get(i.id);
        expect(r, i.title).toBeDefined();
        expect(r!.format).toBe(LIST_ITEM_FORMAT);
        expect(r!.live, i.title).toBe(i.targets.some((x) => x.paused) ? 1 : 0);
      }
      expect([...rows.values()].filter((r) => r.live === 1).length).toBe(1); // `waiting`
      expect([...rows.values()].some((r) => r.clocks !== null && r.clocks.includes(';'))).toBe(true);

      const start = clock.now;
      for (const at of [start, start + 1, start + 9 * MIN, start + 1 * HOUR, start + 5 * HOUR, start + 1 * DAY, start + 3 * DAY + 7 * MIN, start + 30 * DAY]) {
        clock.now = at;
        const presented = await s.incidents.list(agent, { limit: 200 });
        let compared = 0;
        for (const i of presented) {
          const r = rows.get(i.id)!;
          if (r.live === 1) continue;
          expect(renderListItem(r.body, r.clocks, at).json, `${i.title} at ${new Date(at).toISOString()}`).toBe(JSON.stringify(presentIncident(i)));
          compared++;
        }
        expect(compared).toBe(presented.length - 1);
        // The whole answer, stored and presented, and the cache's horizon.
        const render = (items: string[], last: number | null) => `${items.join(',')}|${last}`;
        const fromStored = await s.incidents.listRenderedStored(agent, { limit: 200 }, `t${at}`, render);
        const fromRows = await s.incidents.listRendered(agent, { limit: 200 }, `t${at}`, (items) => render(items.map((i) => JSON.stringify(presentIncident(i))), items.at(-1)?.number ?? null));
        expect(fromStored).toBe(fromRows);
      }

      // The rebuild (missing items, an older format) writes the same rows; it never overwrites a current one.
      await t.db.deleteFrom('incidentListItems').where('incidentId', '=', edited.id).execute();
      await t.db.updateTable('incidentListItems').set({ format: LIST_ITEM_FORMAT - 1, body: 'stale' }).where('incidentId', '=', urgent.id).execute();
      await t.db.updateTable('incidentListItems').set({ body: 'kept' }).where('incidentId', '=', done.id).execute();
      expect(await rebuildListItems(t.db, clock.fn)).toBe(2);
      const rebuilt = await stored();
      for (const id of [edited.id, urgent.id]) expect(rebuilt.get(id)).toEqual(rows.get(id));
      expect(rebuilt.get(done.id)!.body).toBe('kept');
      expect(await rebuildListItems(t.db, clock.fn)).toBe(0);
    });
  });
}
