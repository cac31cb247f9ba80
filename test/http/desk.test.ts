import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { testDialects, useTestDb } from '../helpers/db.ts';
import { call, fixedClock, makeApp } from './helpers.ts';
import { buildWorld, TOKYO_CALENDAR, type World } from './world.ts';

for (const dialect of testDialects) {
  describe(`desk master data over HTTP (${dialect})`, () => {
    const t = useTestDb(dialect);
    const clock = fixedClock();
    let app: FastifyInstance;
    let w: World;
    beforeAll(async () => {
      app = await makeApp(t.db, clock);
      w = await buildWorld(t.db, clock);
    });
    afterAll(async () => app?.close());

    it('a contact lists only their own client, contracts and systems', async () => {
      const clients = (await call(app, w.contactA, { method: 'GET', url: '/api/v1/clients' })).json();
      expect(clients.items.map((c: { id: string }) => c.id)).toEqual([w.a.clientId]);
      const contracts = (await call(app, w.contactA, { method: 'GET', url: '/api/v1/contracts' })).json();
      expect(contracts.items.map((c: { id: string }) => c.id)).toEqual([w.a.contractId]);
      const systems = (await call(app, w.contactA, { method: 'GET', url: `/api/v1/systems?clientId=${w.b.clientId}` })).json();
      expect(systems.items).toEqual([]);
      const staff = (await call(app, w.agent, { method: 'GET', url: '/api/v1/contracts' })).json();
      expect(staff.items.map((c: { id: string }) => c.id).sort()).toEqual([w.a.contractId, w.b.contractId].sort());
    });

    it("another client's contract answers 404 exactly like a missing id", async () => {
      const other = await call(app, w.contactA, { method: 'GET', url: `/api/v1/contracts/${w.b.contractId}` });
      const missing = await call(app, w.contactA, { method: 'GET', url: '/api/v1/contracts/0190a6e0-0000-7000-8000-000000000000' });
      expect(other.statusCode).toBe(404);
      expect(other.body).toBe(missing.body);
      expect(other.json().code).toBe('contract.not_found');
    });

    it('bad input lists every issue with its path and changes nothing', async () => {
      const before = await t.db.selectFrom('contracts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      const auditBefore = await t.db.selectFrom('auditLog').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      const r = await call(app, w.admin, {
        method: 'POST', url: '/api/v1/contracts', headers: { 'accept-language': 'en' },
        payload: { clientId: w.a.clientId, name: '', startsOn: '2026-13-01', endsOn: '2025-01-01', contractedUsers: -1, backupWindow: { start: '2:00', end: '04:00' }, contactEmail: 'nope' },
      });
      expect(r.statusCode).toBe(400);
      const body = r.json();
      expect(body.code).toBe('validation.failed');
      expect(body.message).toBe(`The input is not valid: ${body.issues.length} problem(s) found.`);
      const paths = body.issues.map((i: { path: (string | number)[] }) => i.path.join('.'));
      expect(paths).toEqual(expect.arrayContaining(['body.name', 'body.startsOn', 'body.contractedUsers', 'body.backupWindow.start', 'body.contactEmail']));
      for (const i of body.issues) expect(i.message).toBeTruthy();
      const after = await t.db.selectFrom('contracts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      const auditAfter = await t.db.selectFrom('auditLog').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      expect(Number(after.n)).toBe(Number(before.n));
      expect(Number(auditAfter.n)).toBe(Number(auditBefore.n));
    });

    it('issues in params, query and body are reported together', async () => {
      const r = await call(app, w.admin, { method: 'POST', url: '/api/v1/sla-policies/x/versions', payload: { document: { priorities: {} }, revisedOn: 'yesterday' } });
      expect(r.statusCode).toBe(400);
      const paths = r.json().issues.map((i: { path: (string | number)[] }) => i.path.join('.'));
      expect(paths).toEqual(expect.arrayContaining(['body.revisedOn', 'body.document.priorities.urgent', 'body.document.priorities.important', 'body.document.priorities.minor']));
    });

    it('a calendar document with several mistakes gets each one, from the SLA core, under body.document', async () => {
      const r = await call(app, w.admin, {
        method: 'POST', url: '/api/v1/calendars', headers: { 'accept-language': 'en' },
        payload: { name: '', document: { ...TOKYO_CALENDAR, timeZone: 'Mars/Olympus', weekly: { mon: [['18:00', '09:00']], xyz: [] } } },
      });
      expect(r.statusCode).toBe(400);
      const paths = r.json().issues.map((i: { path: (string | number)[] }) => i.path.join('.'));
      expect(paths).toEqual(expect.arrayContaining(['body.name', 'body.document.timeZone', 'body.document.weekly.mon.0']));
      expect(paths.some((p: string) => p.startsWith('body.document.weekly'))).toBe(true);
    });

    it('a misspelt field is an error, not silently ignored', async () => {
      const r = await call(app, w.admin, { method: 'PATCH', url: `/api/v1/clients/${w.a.clientId}`, payload: { nmae: 'Typo KK' }, headers: { 'accept-language': 'en' } });
      expect(r.statusCode).toBe(400);
      expect(r.json().issues).toEqual([expect.objectContaining({ path: ['body'], code: 'unrecognized_keys', message: expect.stringContaining('nmae') })]);
      const c = (await call(app, w.admin, { method: 'GET', url: `/api/v1/clients/${w.a.clientId}` })).json();
      expect(c.name).toBe('Client A');
    });

    it('validation messages follow Accept-Language', async () => {
      const ja = await call(app, w.admin, { method: 'POST', url: '/api/v1/clients', payload: {} });
      expect(ja.json().message).toBe('入力内容に誤りがあります（1 件）。');
      expect(ja.json().issues[0].path).toEqual(['body', 'name']);
      expect(ja.json().issues[0].message).toMatch(/無効な入力/);
      const en = await call(app, w.admin, { method: 'POST', url: '/api/v1/clients', payload: {}, headers: { 'accept-language': 'en' } });
      expect(en.json().message).toBe('The input is not valid: 1 problem(s) found.');
      expect(en.json().issues[0].message).toMatch(/Invalid input/);
    });

    it('malformed JSON and unknown routes get the same error shape', async () => {
      const bad = await call(app, w.admin, { method: 'POST', url: '/api/v1/clients', payload: '{"name":', headers: { 'content-type': 'application/json', 'accept-language': 'en' } });
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toEqual({ code: 'request.bad_json', message: 'The request body is not valid JSON.', issues: [] });
      const nf = await call(app, w.admin, { method: 'GET', url: '/api/v1/nope' });
      expect(nf.statusCode).toBe(404);
      expect(nf.json().code).toBe('route.not_found');
    });

    it('an oversized body is refused with 413 and stores nothing', async () => {
      const small = await makeApp(t.db, clock, { bodyLimit: 1024 });
      const r = await call(small, w.admin, { method: 'POST', url: '/api/v1/clients', payload: { name: 'x'.repeat(2000) }, headers: { 'accept-language': 'en' } });
      await small.close();
      expect(r.statusCode).toBe(413);
      expect(r.json()).toEqual({ code: 'request.too_large', message: 'The request body is too large.', issues: [] });
    });

    it('admin changes are in the audit log; agents may not read it', async () => {
      const r = await call(app, w.admin, { method: 'POST', url: '/api/v1/clients', payload: { name: 'Audited KK' } });
      expect(r.statusCode).toBe(201);
      const log = (await call(app, w.admin, { method: 'GET', url: `/api/v1/audit?entity=client&entityId=${r.json().id}` })).json();
      expect(log.items).toHaveLength(1);
      expect(log.items[0]).toMatchObject({ action: 'create', actorId: w.admin.userId, actorRole: 'admin' });
      expect((await call(app, w.agent, { method: 'GET', url: '/api/v1/audit' })).statusCode).toBe(403);
    });
  });
}
