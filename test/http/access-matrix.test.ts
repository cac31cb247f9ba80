/**
 * Walks EVERY endpoint with every role — admin, agent, a contact of client A, a
 * contact of client B — and with no credentials, and checks the exact status:
 * 401 without credentials, 403 when the role may not do it at all, 404 when the
 * record belongs to another client or is not theirs to see (the same answer as a
 * missing id), 2xx otherwise. A route may have several rows (e.g. another client's
 * SLA policy, and a policy no contract follows); a row may also verify the body.
 * A final check fails when a route exists that no table covers. The rows live per
 * module in test/http/matrix/<module>.cases.ts (see matrix/types.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { testDialects, useTestDb } from '../helpers/db.ts';
import { call, fixedClock, makeApp, type Caller } from './helpers.ts';
import { WHO, type Case, type IncidentStatus, type MatrixContext, type Who } from './matrix/types.ts';
import { buildWorld, type World } from './world.ts';

const MISSING = '0190a6e0-0000-7000-8000-000000000000';
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
/**
 * Successful writes that change no domain row, so they owe no audit entry: signing in and
 * out (sessions are credentials, not records), and opening an incident that is already
 * recognized or opened by a contact (an idempotent no-op; the first open by staff is audited).
 */
const NO_DOMAIN_CHANGE = new Set(['POST /api/v1/auth/login', 'POST /api/v1/auth/logout', 'POST /api/v1/incidents/{id}/open']);

for (const dialect of testDialects) {
  describe(`every endpoint × every role (${dialect})`, () => {
    const t = useTestDb(dialect);
    const clock = fixedClock(Date.parse('2026-04-01T10:00:00+09:00'));
    let app: FastifyInstance;
    let w: World;
    const callers = () => ({ anonymous: w.anonymous, admin: w.admin, agent: w.agent, contactA: w.contactA, contactB: w.contactB }) satisfies Record<Who, Caller>;

    beforeAll(async () => {
      app = await makeApp(t.db, clock, { loginRateLimit: { perAccount: 1000, perAddress: 1000, windowMs: 60_000 } });
      w = await buildWorld(t.db, clock);
    });
    afterAll(async () => app?.close());

    const auditIds = async () => new Set((await t.db.selectFrom('auditLog').select('id').execute()).map((r) => r.id));

    /** A fresh incident of client A, driven by the agent into the given status. */
    async function incidentIn(status: IncidentStatus): Promise<{ id: string; number: number }> {
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

    async function allCases(): Promise<Case[]> {
      const ctx: MatrixContext = { app, db: t.db, w, incidentIn };
      const dir = path.join(import.meta.dirname, 'matrix');
      const out: Case[] = [];
      for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.cases.ts')).sort()) {
        const mod = (await import(pathToFileURL(path.join(dir, f)).href)) as { cases: (c: MatrixContext) => Case[] };
        out.push(...mod.cases(ctx));
      }
      return out;
    }

    it('answers every route with the designed status for each role', async () => {
      const who = callers();
      const failures: string[] = [];
      for (const c of await allCases()) {
        for (const [k, name] of WHO.entries()) {
          const p = c.prepare ? await c.prepare(name) : {};
          const url = p.url ?? c.route;
          const body = p.body ?? c.body;
          const headers = p.headers ?? c.headers;
          const auditBefore = c.method === 'GET' ? null : await auditIds();
          const res = await call(app, who[name], { method: c.method, url, ...(body !== undefined ? { payload: body as object } : {}), ...(headers ? { headers } : {}) });
          if (res.statusCode !== c.expect[k]) failures.push(`${c.method} ${c.route} as ${name}: expected ${c.expect[k]}, got ${res.statusCode} ${res.body.slice(0, 200)}`);
          // Audit by construction: a successful write leaves at least one audit row naming what it changed;
          // a refused one leaves none.
          if (auditBefore) {
            const added = (await t.db.selectFrom('auditLog').select(['id', 'entity', 'entityId']).execute()).filter((r) => !auditBefore.has(r.id));
            const ok = res.statusCode >= 200 && res.statusCode < 300;
            if (!ok && added.length) failures.push(`${c.method} ${c.route} as ${name}: refused (${res.statusCode}) but wrote ${added.length} audit row(s)`);
            if (ok && !NO_DOMAIN_CHANGE.has(`${c.method} ${c.route}`)) {
              const named = new Set([...url.matchAll(UUID)].map((m) => m[0]));
              const resId = (() => { try { return (res.json() as { id?: unknown }).id; } catch { return undefined; } })();
              if (typeof resId === 'string') named.add(resId);
              if (added.length === 0) failures.push(`${c.method} ${c.route} as ${name}: succeeded without an audit row`);
              else if (named.size > 0 && !added.some((r) => named.has(r.entityId))) {
                failures.push(`${c.method} ${c.route} as ${name}: audit rows ${added.map((r) => `${r.entity}:${r.entityId}`).join(', ')} name none of ${[...named].join(', ')}`);
              }
            }
          }
          const wrong = c.verify?.(name, res);
          if (wrong) failures.push(`${c.method} ${url} as ${name}: ${wrong}`);
          // "Not yours" is indistinguishable from "does not exist".
          if (c.expect[k] === 404 && (name === 'contactA' || name === 'contactB') && /\{id\}|\{number\}/.test(c.route) && !c.route.startsWith('/api/v1/tokens')) {
            const missingUrl = url.replace(/\/incidents\/by-number\/\d+/, '/incidents/by-number/999999').replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/, MISSING);
            const missing = await call(app, who[name], { method: c.method, url: missingUrl, ...(body !== undefined ? { payload: body as object } : {}), ...(headers ? { headers } : {}) });
            if (missing.statusCode !== 404 || missing.body !== res.body) failures.push(`${c.method} ${c.route}: "not yours" (${res.body}) differs from "missing" (${missing.statusCode} ${missing.body})`);
          }
        }
      }
      expect(failures).toEqual([]);
      // Every route × five callers, with fresh records for each write: ~200 routes take 20–30 s on
      // PostgreSQL alone, longer on a loaded machine; the bound is about hangs, not speed.
    }, 180_000);

    it('covers every documented route', async () => {
      const doc = (await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
      const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`)).sort();
      const covered = [...new Set((await allCases()).map((c) => `${c.method} ${c.route}`))].sort();
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
