/**
 * Cursor paging of the audit log and the received-mail list: rows that share a
 * millisecond are neither skipped nor repeated across pages (paging by an instant
 * skipped them), the mail list pages past 200, and a cursor that is not one of ours
 * is refused in the error shape.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toIso } from '../../src/contract/common.ts';
import { createServices } from '../../src/http/services.ts';
import { SYSTEM_ACTOR } from '../../src/modules/auth/actor.ts';
import { unitOfWork } from '../../src/db/unit-of-work.ts';
import { testDialects, useTestDb } from '../helpers/db.ts';
import { call, fixedClock, makeApp, tokenCaller, type Caller } from './helpers.ts';

interface Page { items: { id: string; at?: string; receivedAt?: string }[]; nextCursor: string | null }

/** Follows nextCursor from the first page; stops after `max` pages whatever the server says. */
async function allPages(app: FastifyInstance, who: Caller, url: string, max = 20): Promise<Page[]> {
  const pages: Page[] = [];
  let cursor: string | null = null;
  do {
    const r = await call(app, who, { method: 'GET', url: cursor ? `${url}&cursor=${encodeURIComponent(cursor)}` : url });
    expect(r.statusCode, r.body).toBe(200);
    const page = r.json() as Page;
    pages.push(page);
    cursor = page.nextCursor ?? null;
  } while (cursor && pages.length < max);
  return pages;
}

for (const dialect of testDialects) {
  describe(`cursor paging (${dialect})`, () => {
    const t = useTestDb(dialect);
    const T = Date.parse('2026-04-01T09:00:00.123Z');
    const clock = fixedClock(T + 60_000);
    let app: FastifyInstance;
    let admin: Caller;
    let agent: Caller;
    beforeAll(async () => {
      app = await makeApp(t.db, clock);
      admin = await tokenCaller(t.db, 'admin');
      agent = await tokenCaller(t.db, 'agent');
    });
    afterAll(async () => app?.close());

    it('pages the audit log without skipping or repeating entries of one millisecond', async () => {
      // 250 entries in one millisecond, 30 just before it and 20 just after: a page boundary falls inside the millisecond.
      const instants = [...Array<number>(20).fill(T + 1), ...Array<number>(250).fill(T), ...Array<number>(30).fill(T - 1)];
      for (const [k, at] of instants.entries()) {
        await unitOfWork(t.db, () => at).command(SYSTEM_ACTOR, async (w) => w.audit({ entity: 'paging_probe', entityId: `probe-${k}`, action: 'probe' }));
      }
      const pages = await allPages(app, admin, '/api/v1/audit?entity=paging_probe&limit=100');
      expect(pages.map((p) => p.items.length)).toEqual([100, 100, 100]);
      expect(pages.map((p) => p.nextCursor === null)).toEqual([false, false, true]);
      const items = pages.flatMap((p) => p.items);
      expect(new Set(items.map((i) => i.id)).size).toBe(300);
      // Newest first, ties by id: the order the cursor continues.
      const keys = items.map((i) => [Date.parse(i.at!), i.id] as const);
      const sorted = [...keys].sort((a, b) => b[0] - a[0] || (a[1] < b[1] ? 1 : a[1] > b[1] ? -1 : 0));
      expect(keys).toEqual(sorted);
      expect(items.filter((i) => Date.parse(i.at!) === T)).toHaveLength(250);

      // `before` (deprecated) still answers: everything strictly before the instant.
      const before = await call(app, admin, { method: 'GET', url: `/api/v1/audit?entity=paging_probe&limit=1000&before=${toIso(T)}` });
      expect((before.json() as Page).items).toHaveLength(30);
    });

    it('refuses a cursor the list did not return, in the error shape', async () => {
      for (const cursor of ['not-a-cursor', 'MTIzNA', '!!', 'x'.repeat(300)]) {
        const r = await call(app, admin, { method: 'GET', url: `/api/v1/audit?cursor=${cursor}`, headers: { 'accept-language': 'en' } });
        expect(r.statusCode, cursor).toBe(400);
        const body = r.json() as { code: string; issues: { path: unknown[]; message: string }[] };
        expect(body.code).toBe('validation.failed');
        expect(body.issues[0]!.path).toEqual(['query', 'cursor']);
      }
      const r = await call(app, agent, { method: 'GET', url: '/api/v1/mail/messages?cursor=bm9wZQ', headers: { 'accept-language': 'en' } });
      expect(r.json()).toMatchObject({ code: 'validation.failed', issues: [{ path: ['query', 'cursor'], code: 'custom', message: 'Not a cursor this list returned; use the nextCursor of the previous page.' }] });
    });

    it('pages the received mail past 200, messages of one millisecond included', async () => {
      const mail = createServices({ db: t.db, clock }).mail;
      const raw = (k: number) => Buffer.from(`Message-ID: <probe-${k}@paging.test>\r\nFrom: probe@paging.test\r\nSubject: probe ${k}\r\n\r\nbody ${k}\r\n`);
      // 450 messages, 150 in each of three milliseconds.
      const stored = await mail.store(Array.from({ length: 450 }, (_, k) => ({ source: 'smtp' as const, mailbox: 'smtp', raw: raw(k), receivedAt: T + (k % 3) })));
      expect(stored).toHaveLength(450);
      const pages = await allPages(app, agent, '/api/v1/mail/messages?status=received&limit=200');
      expect(pages.map((p) => p.items.length)).toEqual([200, 200, 50]);
      expect(pages.at(-1)!.nextCursor).toBeNull();
      const ids = pages.flatMap((p) => p.items.map((i) => i.id));
      expect(new Set(ids)).toEqual(new Set(stored));
    });
  });
}
