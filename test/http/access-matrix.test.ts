/**
 * Walks EVERY endpoint with every role — admin, agent, a contact of client A, a
 * contact of client B — and with no credentials, and checks the exact status:
 * 401 without credentials, 403 when the role may not do it at all, 404 when the
 * record belongs to another client (the same answer as a missing id), 2xx otherwise.
 * A final check fails when a route exists that this table does not cover.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { STANDARD_POLICY } from '../../src/modules/sla-policies/sla-policy.document.ts';
import { testDialects, useTestDb } from '../helpers/db.ts';
import { call, fixedClock, makeApp, makeUser, type Caller } from './helpers.ts';
import { buildWorld, TOKYO_CALENDAR, type World } from './world.ts';

type Who = 'anonymous' | 'admin' | 'agent' | 'contactA' | 'contactB';
const WHO: Who[] = ['anonymous', 'admin', 'agent', 'contactA', 'contactB'];
/** [anonymous, admin, agent, contactA, contactB] */
type Expect = [number, number, number, number, number];

interface Case {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** The route as registered (OpenAPI form). */
  route: string;
  expect: Expect;
  /** Builds the concrete URL and body for one caller (fresh records for writes). */
  prepare?: (who: Who) => Promise<{ url?: string; body?: unknown }>;
  body?: unknown;
}

const MISSING = '0190a6e0-0000-7000-8000-000000000000';
const S = { all200: [401, 200, 200, 200, 200] as Expect };

for (const dialect of testDialects) {
  describe(`every endpoint × every role (${dialect})`, () => {
    const t = useTestDb(dialect);
    const clock = fixedClock(Date.parse('2026-04-01T10:00:00+09:00'));
    let app: FastifyInstance;
    let w: World;
    const callers = () => ({ anonymous: w.anonymous, admin: w.admin, agent: w.agent, contactA: w.contactA, contactB: w.contactB }) satisfies Record<Who, Caller>;

    beforeAll(async () => {
      app = await makeApp(t.db, clock, { loginRateLimit: { max: 1000, windowMs: 60_000 } });
      w = await buildWorld(t.db, clock);
    });
    afterAll(async () => app?.close());

    /** A fresh incident of client A, driven by the agent into the given status. */
    async function incidentIn(status: 'new' | 'recognized' | 'in_progress' | 'waiting_for_client' | 'resolved' | 'closed'): Promise<{ id: string; number: number }> {
      const filer = status === 'new' ? w.contactA : w.agent;
      const r = await call(app, filer, { method: 'POST', url: '/api/v1/incidents', payload: { contractId: w.a.contractId, title: `fixture ${status}`, priority: 'important' } });
      if (r.statusCode !== 201) throw new Error(`fixture incident: ${r.statusCode} ${r.body}`);
      const inc = r.json() as { id: string; number: number };
      const go = async (path: string, payload: object = {}) => {
        const x = await call(app, w.agent, { method: 'POST', url: `/api/v1/incidents/${inc.id}/${path}`, payload });
        if (x.statusCode !== 200) throw new Error(`fixture ${path}: ${x.statusCode} ${x.body}`);
      };
      if (['in_progress', 'waiting_for_client', 'resolved', 'closed'].includes(status)) await go('start');
      if (status === 'waiting_for_client') await go('wait', { reason: 'waiting' });
      if (status === 'resolved' || status === 'closed') await go('resolve', { cause: 'c', fix: 'f', courseOfEvents: 'e' });
      if (status === 'closed') await go('close');
      return inc;
    }

    const cases = (): Case[] => {
      const inc = (status: Parameters<typeof incidentIn>[0], path: string, body?: unknown) => async () => {
        const i = await incidentIn(status);
        return { url: `/api/v1/incidents/${i.id}${path}`, body };
      };
      let n = 0;
      const uniq = () => `${Date.now()}-${++n}`;
      return [
        // auth & users & tokens
        { method: 'POST', route: '/api/v1/auth/login', expect: [401, 401, 401, 401, 401], body: { email: 'nobody@example.com', password: 'wrong password' } },
        { method: 'POST', route: '/api/v1/auth/logout', expect: S.all200 },
        { method: 'GET', route: '/api/v1/auth/session', expect: S.all200 },
        { method: 'GET', route: '/api/v1/users', expect: [401, 200, 200, 403, 403] },
        { method: 'POST', route: '/api/v1/users', expect: [401, 201, 403, 403, 403], prepare: async () => ({ body: { email: `u${uniq()}@example.com`, name: 'U', role: 'agent', password: 'long enough pw' } }) },
        { method: 'GET', route: '/api/v1/users/{id}', expect: [401, 200, 200, 403, 403], prepare: async () => ({ url: `/api/v1/users/${w.agent.userId}` }) },
        { method: 'PATCH', route: '/api/v1/users/{id}', expect: [401, 200, 403, 403, 403], prepare: async () => ({ url: `/api/v1/users/${(await makeUser(t.db, 'agent')).id}`, body: { name: 'Renamed' } }) },
        { method: 'PUT', route: '/api/v1/users/{id}/password', expect: [401, 200, 403, 403, 403], prepare: async () => ({ url: `/api/v1/users/${(await makeUser(t.db, 'agent')).id}/password`, body: { password: 'another long pw' } }) },
        { method: 'GET', route: '/api/v1/tokens', expect: S.all200 },
        { method: 'POST', route: '/api/v1/tokens', expect: [401, 201, 201, 201, 201], body: { name: 'matrix' } },
        {
          method: 'DELETE', route: '/api/v1/tokens/{id}', expect: [401, 200, 200, 404, 404],
          prepare: async () => {
            const r = await call(app, w.agent, { method: 'POST', url: '/api/v1/tokens', payload: { name: 'to revoke' } });
            return { url: `/api/v1/tokens/${r.json().info.id}` };
          },
        },
        // clients
        { method: 'GET', route: '/api/v1/clients', expect: S.all200 },
        { method: 'POST', route: '/api/v1/clients', expect: [401, 201, 403, 403, 403], body: { name: 'New KK' } },
        { method: 'GET', route: '/api/v1/clients/{id}', expect: [401, 200, 200, 200, 404], prepare: async () => ({ url: `/api/v1/clients/${w.a.clientId}` }) },
        { method: 'PATCH', route: '/api/v1/clients/{id}', expect: [401, 200, 403, 403, 403], prepare: async () => ({ url: `/api/v1/clients/${w.a.clientId}`, body: { notes: 'n' } }) },
        // contacts
        { method: 'GET', route: '/api/v1/contacts', expect: S.all200 },
        { method: 'POST', route: '/api/v1/contacts', expect: [401, 201, 201, 403, 403], prepare: async () => ({ body: { clientId: w.a.clientId, name: '副担当' } }) },
        { method: 'GET', route: '/api/v1/contacts/{id}', expect: [401, 200, 200, 200, 404], prepare: async () => ({ url: `/api/v1/contacts/${w.a.contactId}` }) },
        { method: 'PATCH', route: '/api/v1/contacts/{id}', expect: [401, 200, 200, 403, 403], prepare: async () => ({ url: `/api/v1/contacts/${w.a.contactId}`, body: { phone: '03-0000-0000' } }) },
        // systems
        { method: 'GET', route: '/api/v1/systems', expect: S.all200 },
        { method: 'POST', route: '/api/v1/systems', expect: [401, 201, 403, 403, 403], prepare: async () => ({ body: { clientId: w.a.clientId, name: '在庫管理' } }) },
        { method: 'GET', route: '/api/v1/systems/{id}', expect: [401, 200, 200, 200, 404], prepare: async () => ({ url: `/api/v1/systems/${w.a.systemId}` }) },
        { method: 'PATCH', route: '/api/v1/systems/{id}', expect: [401, 200, 403, 403, 403], prepare: async () => ({ url: `/api/v1/systems/${w.a.systemId}`, body: { description: 'd' } }) },
        // contracts
        { method: 'GET', route: '/api/v1/contracts', expect: S.all200 },
        { method: 'POST', route: '/api/v1/contracts', expect: [401, 201, 403, 403, 403], prepare: async () => ({ body: { clientId: w.a.clientId, name: '追加契約', startsOn: '2026-04-01' } }) },
        { method: 'GET', route: '/api/v1/contracts/{id}', expect: [401, 200, 200, 200, 404], prepare: async () => ({ url: `/api/v1/contracts/${w.a.contractId}` }) },
        { method: 'PATCH', route: '/api/v1/contracts/{id}', expect: [401, 200, 403, 403, 403], prepare: async () => ({ url: `/api/v1/contracts/${w.a.contractId}`, body: { notes: 'ハードウェア購入は別途' } }) },
        // calendars (no client data)
        { method: 'GET', route: '/api/v1/calendars', expect: S.all200 },
        { method: 'POST', route: '/api/v1/calendars', expect: [401, 201, 403, 403, 403], body: { name: 'Busy season', document: TOKYO_CALENDAR } },
        { method: 'GET', route: '/api/v1/calendars/{id}', expect: S.all200, prepare: async () => ({ url: `/api/v1/calendars/${w.calendarId}` }) },
        { method: 'PATCH', route: '/api/v1/calendars/{id}', expect: [401, 200, 403, 403, 403], prepare: async () => ({ url: `/api/v1/calendars/${w.calendarId}`, body: { name: 'Tokyo' } }) },
        // SLA policies (no client data)
        { method: 'GET', route: '/api/v1/sla-policies', expect: S.all200 },
        { method: 'POST', route: '/api/v1/sla-policies', expect: [401, 201, 403, 403, 403], body: { name: 'Copy', establishedOn: '2026-04-01', document: STANDARD_POLICY } },
        { method: 'GET', route: '/api/v1/sla-policies/{id}', expect: S.all200, prepare: async () => ({ url: `/api/v1/sla-policies/${w.policyId}` }) },
        {
          method: 'POST', route: '/api/v1/sla-policies/{id}/versions', expect: [401, 201, 403, 403, 403],
          prepare: async () => ({ url: `/api/v1/sla-policies/${w.policyId}/versions`, body: { document: STANDARD_POLICY, revisedOn: '2026-04-01', applyToContracts: false } }),
        },
        { method: 'GET', route: '/api/v1/sla-policies/{id}/versions/{version}', expect: S.all200, prepare: async () => ({ url: `/api/v1/sla-policies/${w.policyId}/versions/1` }) },
        { method: 'POST', route: '/api/v1/sla-policies/{id}/default', expect: [401, 200, 403, 403, 403], prepare: async () => ({ url: `/api/v1/sla-policies/${w.policyId}/default` }) },
        // audit
        { method: 'GET', route: '/api/v1/audit', expect: [401, 200, 403, 403, 403] },
        // incidents
        { method: 'GET', route: '/api/v1/incidents', expect: S.all200 },
        { method: 'POST', route: '/api/v1/incidents', expect: [401, 201, 201, 201, 404], prepare: async () => ({ body: { contractId: w.a.contractId, title: 'matrix' } }) },
        { method: 'GET', route: '/api/v1/incidents/{id}', expect: [401, 200, 200, 200, 404], prepare: inc('recognized', '') },
        {
          method: 'GET', route: '/api/v1/incidents/by-number/{number}', expect: [401, 200, 200, 200, 404],
          prepare: async () => ({ url: `/api/v1/incidents/by-number/${(await incidentIn('recognized')).number}` }),
        },
        { method: 'PATCH', route: '/api/v1/incidents/{id}', expect: [401, 200, 200, 403, 403], prepare: inc('recognized', '', { title: 'edited' }) },
        { method: 'POST', route: '/api/v1/incidents/{id}/recognize', expect: [401, 200, 200, 403, 403], prepare: inc('new', '/recognize') },
        { method: 'POST', route: '/api/v1/incidents/{id}/start', expect: [401, 200, 200, 403, 403], prepare: inc('recognized', '/start') },
        { method: 'POST', route: '/api/v1/incidents/{id}/wait', expect: [401, 200, 200, 403, 403], prepare: inc('in_progress', '/wait', { reason: 'ログ待ち' }) },
        { method: 'POST', route: '/api/v1/incidents/{id}/resume', expect: [401, 200, 200, 403, 403], prepare: inc('waiting_for_client', '/resume') },
        { method: 'POST', route: '/api/v1/incidents/{id}/propose', expect: [401, 200, 200, 403, 403], prepare: inc('in_progress', '/propose', { message: '回避策' }) },
        { method: 'POST', route: '/api/v1/incidents/{id}/resolve', expect: [401, 200, 200, 403, 403], prepare: inc('in_progress', '/resolve', { cause: 'c', fix: 'f', courseOfEvents: 'e' }) },
        { method: 'POST', route: '/api/v1/incidents/{id}/close', expect: [401, 200, 200, 403, 403], prepare: inc('resolved', '/close') },
        { method: 'POST', route: '/api/v1/incidents/{id}/reopen', expect: [401, 200, 200, 403, 403], prepare: inc('closed', '/reopen', { reason: '再発' }) },
        { method: 'POST', route: '/api/v1/incidents/{id}/priority', expect: [401, 200, 200, 403, 403], prepare: inc('recognized', '/priority', { priority: 'urgent', reason: '影響大' }) },
        { method: 'POST', route: '/api/v1/incidents/{id}/scope', expect: [401, 200, 200, 403, 403], prepare: inc('recognized', '/scope', { inScope: false, reason: 'PC固有の問題', billable: true }) },
        { method: 'POST', route: '/api/v1/incidents/{id}/assign', expect: [401, 200, 200, 403, 403], prepare: async () => ({ url: `/api/v1/incidents/${(await incidentIn('recognized')).id}/assign`, body: { assigneeId: w.agent.userId } }) },
        { method: 'POST', route: '/api/v1/incidents/{id}/messages', expect: [401, 201, 201, 201, 404], prepare: inc('recognized', '/messages', { body: 'こんにちは' }) },
        { method: 'GET', route: '/api/v1/incidents/{id}/targets/{kind}/explanation', expect: [401, 200, 200, 200, 404], prepare: inc('recognized', '/targets/start/explanation') },
      ];
    };

    it('answers every route with the designed status for each role', async () => {
      const who = callers();
      const failures: string[] = [];
      for (const c of cases()) {
        for (const [k, name] of WHO.entries()) {
          const p = c.prepare ? await c.prepare(name) : {};
          const url = p.url ?? c.route;
          const body = p.body ?? c.body;
          const res = await call(app, who[name], { method: c.method, url, ...(body !== undefined ? { payload: body as object } : {}) });
          if (res.statusCode !== c.expect[k]) failures.push(`${c.method} ${c.route} as ${name}: expected ${c.expect[k]}, got ${res.statusCode} ${res.body.slice(0, 200)}`);
          // "Not yours" is indistinguishable from "does not exist".
          if (c.expect[k] === 404 && name === 'contactB' && /\{id\}|\{number\}/.test(c.route) && !c.route.startsWith('/api/v1/tokens')) {
            const missingUrl = url.replace(/\/incidents\/by-number\/\d+/, '/incidents/by-number/999999').replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/, MISSING);
            const missing = await call(app, who[name], { method: c.method, url: missingUrl, ...(body !== undefined ? { payload: body as object } : {}) });
            if (missing.statusCode !== 404 || missing.body !== res.body) failures.push(`${c.method} ${c.route}: "not yours" (${res.body}) differs from "missing" (${missing.statusCode} ${missing.body})`);
          }
        }
      }
      expect(failures).toEqual([]);
    });

    it('covers every documented route', async () => {
      const doc = (await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
      const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`)).sort();
      const covered = cases().map((c) => `${c.method} ${c.route}`).sort();
      expect(covered).toEqual(documented);
    });

    it('a contact never sees another client\'s rows in any list', async () => {
      const lists = ['/api/v1/clients', '/api/v1/contacts', '/api/v1/systems', '/api/v1/contracts', '/api/v1/incidents?limit=200'];
      for (const url of lists) {
        const r = (await call(app, w.contactA, { method: 'GET', url })).json() as { items: Array<{ id: string; clientId?: string }> };
        for (const item of r.items) expect(item.clientId ?? item.id, url).toBe(w.a.clientId);
      }
    });
  });
}
