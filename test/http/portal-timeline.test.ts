/**
 * Who the client is told acted (issue 17): on the contact's timeline, status changes,
 * public messages, proposals and the resolution are credited to the staff member who
 * made them, the contact's own reply to the contact, automatic entries to the system;
 * internal notes stay out.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices } from '../../src/http/services.ts';
import { SYSTEM_ACTOR } from '../../src/modules/auth/actor.ts';
import { updateUser } from '../../src/modules/auth/auth.service.ts';
import { testDialects, useTestDb } from '../helpers/db.ts';
import { call, fixedClock, makeApp, type Caller } from './helpers.ts';
import { buildWorld, type World } from './world.ts';

const T0 = Date.parse('2026-04-01T10:00:00+09:00');
const MIN = 60_000;

interface Entry { kind: string; visibility: string; authorKind: string; authorName: string | null; authorId: string; data: Record<string, unknown> }

for (const dialect of testDialects) {
  describe(`portal timeline authors (${dialect})`, () => {
    const t = useTestDb(dialect);
    const clock = fixedClock(T0);
    let app: FastifyInstance;
    let w: World;
    beforeAll(async () => {
      app = await makeApp(t.db, clock);
      w = await buildWorld(t.db, clock);
      await updateUser(t.db, w.agent.userId!, { name: '佐藤 健' }, T0, SYSTEM_ACTOR);
      await updateUser(t.db, w.contactA.userId!, { name: '山田 花子' }, T0, SYSTEM_ACTOR);
    });
    afterAll(async () => app?.close());
    const post = (who: Caller, url: string, payload: object = {}) => call(app, who, { method: 'POST', url, payload });

    it('names the staff member, the contact and the system; hides internal notes', async () => {
      const created = await post(w.contactA, '/api/v1/incidents', {
        contractId: w.a.contractId, title: '受注画面が開かない', priority: 'important',
      });
      expect(created.statusCode).toBe(201);
      const id = created.json().id as string;
      expect(created.json().timeline[0]).toMatchObject({ kind: 'created', authorKind: 'contact' });
      clock.set(T0 + 5 * MIN);
      expect((await post(w.agent, `/api/v1/incidents/${id}/open`)).statusCode).toBe(200);
      expect((await post(w.agent, `/api/v1/incidents/${id}/start`)).statusCode).toBe(200);
      expect((await post(w.agent, `/api/v1/incidents/${id}/messages`, { body: '調査中です', visibility: 'public' })).statusCode).toBe(201);
      expect((await post(w.agent, `/api/v1/incidents/${id}/messages`, { body: '社内: DB 要確認', visibility: 'internal' })).statusCode).toBe(201);
      expect((await post(w.agent, `/api/v1/incidents/${id}/wait`, { reason: 'ログをください' })).statusCode).toBe(200);
      clock.set(T0 + 30 * MIN);
      expect((await post(w.contactA, `/api/v1/incidents/${id}/messages`, { body: 'ログを添付します' })).statusCode).toBe(201);
      expect((await post(w.agent, `/api/v1/incidents/${id}/propose`, { message: '再起動で直ります' })).statusCode).toBe(200);
      expect((await post(w.agent, `/api/v1/incidents/${id}/resolve`, { cause: 'ディスク満杯', fix: 'ログを退避', courseOfEvents: '受付、着手、解決' })).statusCode).toBe(200);

      const seen = (await call(app, w.contactA, { method: 'GET', url: `/api/v1/incidents/${id}` })).json().timeline as Entry[];
      expect(seen.some((e) => e.visibility === 'internal' || e.kind === 'note')).toBe(false);
      const staff = seen.filter((e) => e.authorId === w.agent.userId);
      // recognize/start, the message, wait, propose, resolve: all the agent's, by name.
      expect(staff.length).toBeGreaterThanOrEqual(5);
      for (const e of staff) expect(e).toMatchObject({ authorKind: 'staff', authorName: '佐藤 健' });
      expect(staff.map((e) => e.data.to).filter(Boolean)).toEqual(expect.arrayContaining(['in_progress', 'waiting_for_client', 'solution_proposed', 'resolved']));
      const mine = seen.filter((e) => e.authorId === w.contactA.userId);
      expect(mine.map((e) => e.kind)).toEqual(expect.arrayContaining(['created', 'message']));
      for (const e of mine) expect(e).toMatchObject({ authorKind: 'contact', authorName: '山田 花子' });
      // The contact's reply resumed the clock paused for them: an automatic step or theirs, never the staff's.
      for (const e of seen.filter((x) => x.authorKind === 'system')) expect(e.authorName).toBeNull();

      // The desk sees the same names, and its internal note.
      const desk = (await call(app, w.agent, { method: 'GET', url: `/api/v1/incidents/${id}` })).json().timeline as Entry[];
      expect(desk.find((e) => e.kind === 'note')).toMatchObject({ authorKind: 'staff', authorName: '佐藤 健' });
    });

    it('the system\'s entries have no name; an incident the desk filed is the staff member\'s', async () => {
      const created = await post(w.agent, '/api/v1/incidents', {
        contractId: w.a.contractId, systemId: w.a.systemId, title: '夜間バッチ遅延', channel: 'phone', category: 'outage', priority: 'urgent',
        reporter: { contactId: w.a.contactId },
      });
      const id = created.json().id as string;
      // An automatic step (jobs, the CLI, demo data act as the system actor).
      await createServices({ db: t.db, clock }).incidents.command(SYSTEM_ACTOR, id, 'start', {});
      const seen = (await call(app, w.contactA, { method: 'GET', url: `/api/v1/incidents/${id}` })).json().timeline as Entry[];
      expect(seen[0]).toMatchObject({ kind: 'created', authorKind: 'staff', authorName: '佐藤 健' });
      expect(seen.find((e) => e.data.to === 'in_progress')).toMatchObject({ authorKind: 'system', authorName: null, authorId: 'system' });
    });
  });
}
