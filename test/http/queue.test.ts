/**
 * The queue over HTTP (issue 17): server-side filters, search (trigram: a Japanese
 * substring), the three sorts paged with their cursors through 1,000 incidents to the
 * oldest without gaps or repeats, the CSV export, and a contact's isolation in all of them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createServices } from '../../src/http/services.ts';
import { SYSTEM_ACTOR } from '../../src/modules/auth/actor.ts';
import { testDialects, useTestDb } from '../helpers/db.ts';
import { call, fixedClock, makeApp, type Caller } from './helpers.ts';
import { buildWorld, type World } from './world.ts';

// Wednesday 2026-04-01 10:00 in Tokyo.
const T0 = Date.parse('2026-04-01T10:00:00+09:00');
const MIN = 60_000;
const N = 1000;
const PRIORITIES = ['urgent', 'important', 'minor'] as const;
const CHANNELS = ['phone', 'web', 'api'] as const;

interface Item { id: string; number: number; clientId: string; channel: string; inScope: boolean; title: string; receivedAt: string; targets: Array<{ dueAt: string | null; metAt: string | null; clockStart: string | null }> }

for (const dialect of testDialects) {
  describe(`the queue over HTTP (${dialect})`, () => {
    const t = useTestDb(dialect);
    const clock = fixedClock(T0);
    let app: FastifyInstance;
    let w: World;
    const numbers = { a: [] as number[], b: [] as number[] };
    let searchNumber = 0;
    let subjectNumber = 0;

    beforeAll(async () => {
      app = await makeApp(t.db, clock);
      w = await buildWorld(t.db, clock);
      const s = createServices({ db: t.db, clock });
      // Straight through the service (the HTTP path is tested below): 1,000 POSTs would only be slower.
      for (let i = 0; i < N; i++) {
        const b = i % 4 === 3;
        const c = b ? w.b : w.a;
        // Received times repeat (ties), so `received` needs its tie-breaker.
        const inc = await s.incidents.create(SYSTEM_ACTOR, {
          contractId: c.contractId, systemId: c.systemId, channel: CHANNELS[i % 3]!, category: i % 5 === 0 ? 'inquiry' : 'outage',
          priority: PRIORITIES[i % 3], title: i === 500 ? '受注画面が開かない（至急）' : `障害 ${i}`,
          description: i === 700 ? 'The PDF export says "Quota exceeded" 100% of the time' : `本文 ${i}`,
          receivedAt: T0 - (i % 37) * MIN, reporter: { name: `報告者${i}`, email: `user${i}@example.jp` },
        });
        (b ? numbers.b : numbers.a).push(inc.number);
        if (i === 500) searchNumber = inc.number;
        if (i === 10) subjectNumber = inc.number;
        // Some started (their next deadline moves on), some resolved (no running deadline: last under `due`).
        if (i % 7 === 0) await s.incidents.command(SYSTEM_ACTOR, inc.id, 'start');
        if (i % 50 === 0) await s.incidents.changeScope(SYSTEM_ACTOR, inc.id, { inScope: false, reason: '範囲外', billable: true });
      }
      // A mail filed under incident #10: its subject is searchable (the trigger refreshes the index).
      const inc10 = numbers.a.includes(subjectNumber) ? subjectNumber : 0;
      const row = await t.db.selectFrom('incidents').select('id').where('number', '=', inc10).executeTakeFirstOrThrow();
      await t.db.insertInto('mailMessages').values({
        id: 'mail-1', source: 'smtp', mailbox: 'smtp', envelopeTo: '', receivedAt: T0, size: 1, raw: '', status: 'filed',
        subject: '【問合せ】請求書の再発行について', attachments: '[]', incidentId: row.id, createdAt: T0, updatedAt: T0,
      } as never).execute();
    }, 600_000);
    afterAll(async () => app?.close());

    const get = (who: Caller, url: string) => call(app, who, { method: 'GET', url });
    const list = async (who: Caller, qs: string) => {
      const r = await get(who, `/api/v1/incidents?${qs}`);
      expect(r.statusCode, r.body).toBe(200);
      return r.json() as { items: Item[]; nextCursor: string | null; nextBefore: number | null };
    };
    const all = async (who: Caller, qs: string, limit = 97) => {
      const seen: Item[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page = await list(who, `${qs}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
        seen.push(...page.items);
        cursor = page.nextCursor;
        pages++;
      } while (cursor && pages < 100);
      return seen;
    };
    const nextDue = (i: Item) => {
      const d = i.targets.filter((x) => x.clockStart && !x.metAt && x.dueAt).map((x) => Date.parse(x.dueAt!));
      return d.length ? Math.min(...d) : null;
    };

    it('each sort pages through 1,000 incidents to the oldest without gaps or repeats, in its order', async () => {
      clock.set(T0 + 30 * MIN);
      for (const sort of ['number', 'received', 'due'] as const) {
        const items = await all(w.agent, `sort=${sort}`);
        expect(items.length, sort).toBe(N);
        expect(new Set(items.map((i) => i.number)).size, sort).toBe(N);
        for (let k = 1; k < items.length; k++) {
          const [p, c] = [items[k - 1]!, items[k]!];
          if (sort === 'number') expect(c.number).toBeLessThan(p.number);
          if (sort === 'received') {
            const [a, b] = [Date.parse(p.receivedAt), Date.parse(c.receivedAt)];
            expect(b < a || (b === a && c.number < p.number), `${sort} at ${k}`).toBe(true);
          }
          if (sort === 'due') {
            const [a, b] = [nextDue(p), nextDue(c)];
            const ok = b === null ? (a !== null || c.number < p.number) : a !== null && (b > a || (b === a && c.number < p.number));
            expect(ok, `${sort} at ${k}: ${a} ${p.number} → ${b} ${c.number}`).toBe(true);
          }
        }
      }
      // The legacy `before` still pages by number.
      const first = await list(w.agent, 'limit=3');
      expect(first.nextBefore).toBe(first.items[2]!.number);
      const next = await list(w.agent, `limit=3&before=${first.nextBefore}`);
      expect(next.items[0]!.number).toBe(first.items[2]!.number - 1);
      // A cursor belongs to its sort.
      const bad = await get(w.agent, `/api/v1/incidents?sort=received&cursor=${first.nextCursor}`);
      expect(bad.statusCode).toBe(400);
      expect((await get(w.agent, '/api/v1/incidents?cursor=%%%')).statusCode).toBe(400);
    }, 120_000);

    it('filters channel, scope, category, system, client and SLA state on the server', async () => {
      clock.set(T0 + 30 * MIN);
      const phone = await all(w.agent, 'channel=phone', 200);
      expect(phone.length).toBe(334);
      expect(phone.every((i) => i.channel === 'phone')).toBe(true);
      const out = await all(w.agent, 'scope=out', 200);
      expect(out.length).toBe(20);
      expect(out.every((i) => !i.inScope)).toBe(true);
      expect((await all(w.agent, 'category=inquiry', 200)).length).toBe(200);
      expect((await all(w.agent, `systemId=${w.b.systemId}`, 200)).length).toBe(250);
      expect((await all(w.agent, `channel=web,api&clientId=${w.a.clientId}&scope=in`, 200)).every((i) => i.channel !== 'phone' && i.clientId === w.a.clientId)).toBe(true);
      // At T0 + 30 min the urgent start target (10 min) has run out for every unstarted urgent incident.
      const breached = await all(w.agent, 'sla=breached', 200);
      const expected = Array.from({ length: N }, (_, i) => i).filter((i) => i % 3 === 0 && i % 7 !== 0 && i % 50 !== 0).length;
      expect(breached.length).toBe(expected);
      const ok = await all(w.agent, 'sla=ok,atRisk', 200);
      const pending = await all(w.agent, 'sla=pending', 200);
      expect(pending.length).toBe(20); // out of scope: excluded from the SLA
      expect(breached.length + ok.length + pending.length).toBe(N);
      // The page agrees with the targets it shows.
      expect(breached.every((i) => (i as unknown as { targets: Array<{ state: string }> }).targets.some((x) => x.state === 'breached'))).toBe(true);
    }, 120_000);

    it('searches a Japanese substring, a mail subject, an English word in any case, a number and 1–2 characters', async () => {
      const hit = await list(w.agent, `q=${encodeURIComponent('受注画面')}`);
      expect(hit.items.map((i) => i.number)).toEqual([searchNumber]);
      expect(hit.items[0]!.title).toBe('受注画面が開かない（至急）');
      expect((await list(w.agent, `q=${encodeURIComponent('請求書の再発行')}`)).items.map((i) => i.number)).toEqual([subjectNumber]);
      expect((await list(w.agent, 'q=quota%20EXCEEDED')).items).toHaveLength(1);
      expect((await list(w.agent, `q=${encodeURIComponent('"Quota')}`)).items).toHaveLength(1);
      expect((await list(w.agent, 'q=100%25')).items).toHaveLength(1); // % is literal, not a wildcard
      expect((await list(w.agent, 'q=user777%40example')).items.map((i) => i.title)).toEqual(['障害 777']);
      expect((await list(w.agent, `q=%23${searchNumber}`)).items.map((i) => i.number)).toContain(searchNumber);
      // Two characters: no trigram, the fallback scan still finds it.
      expect((await list(w.agent, `q=${encodeURIComponent('受注')}`)).items.map((i) => i.number)).toEqual([searchNumber]);
      // Editing the title re-indexes it in the same transaction.
      const s = createServices({ db: t.db, clock });
      const target = (await list(w.agent, `q=${encodeURIComponent('障害 999')}`)).items[0]!;
      await s.incidents.update(SYSTEM_ACTOR, target.id, { title: '帳票出力でエラー' });
      expect((await list(w.agent, `q=${encodeURIComponent('帳票出力')}`)).items.map((i) => i.id)).toEqual([target.id]);
      expect((await list(w.agent, `q=${encodeURIComponent('障害 999')}`)).items).toEqual([]);
    });

    it('a contact sees only their client\'s incidents: in pages, search and CSV', async () => {
      const mine = await all(w.contactB, 'sort=received', 200);
      expect(mine.map((i) => i.number).sort((x, y) => x - y)).toEqual([...numbers.b].sort((x, y) => x - y));
      expect((await list(w.contactB, `q=${encodeURIComponent('受注画面')}`)).items).toEqual([]);
      expect((await list(w.contactB, `clientId=${w.a.clientId}`)).items).toEqual([]);
      const csv = await get(w.contactB, '/api/v1/incidents.csv');
      expect(csv.statusCode).toBe(200);
      expect(csv.body.trim().split('\r\n')).toHaveLength(numbers.b.length + 1);
      expect(csv.body).not.toContain('Client A');
      expect((await get(w.anonymous, '/api/v1/incidents.csv')).statusCode).toBe(401);
    });

    it('exports the filtered queue as CSV: BOM, translated headers, RFC 4180 quoting', async () => {
      const ja = await call(app, w.agent, { method: 'GET', url: '/api/v1/incidents.csv?q=Quota', headers: { 'accept-language': 'ja' } });
      expect(ja.statusCode).toBe(200);
      expect(ja.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
      expect(ja.headers['content-disposition']).toContain('incidents.csv');
      expect(ja.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
      const lines = ja.body.replace(/^\uFEFF/, '').split('\r\n');
      expect(lines[0]).toMatch(/^番号,件名,顧客,契約,状態,優先度,SLA状態/);
      expect(lines).toHaveLength(3); // header, one row, the final CRLF
      const en = await call(app, w.agent, { method: 'GET', url: `/api/v1/incidents?format=csv&q=${encodeURIComponent('受注画面')}`, headers: { 'accept-language': 'en' } });
      const enLines = en.body.replace(/^\uFEFF/, '').split('\r\n');
      expect(enLines[0]).toMatch(/^Number,Title,Client,Contract,Status,Priority,SLA state/);
      expect(enLines[1]).toContain(`${searchNumber},受注画面が開かない（至急）,Client A`);
      // Status, priority and SLA state read as labels ("In progress", "Minor"), not as the words inside a sentence.
      const cells = enLines[1]!.split(',');
      for (const cell of cells.slice(4, 7)) expect(cell, enLines[1]).toMatch(/^[A-Z]/);
      // A title with a comma and quotes is quoted, its quotes doubled.
      const s = createServices({ db: t.db, clock });
      const inc = await s.incidents.create(SYSTEM_ACTOR, { contractId: w.a.contractId, title: '帳票 "A,B" 印刷不可', priority: 'minor', channel: 'phone' });
      const quoted = await get(w.agent, `/api/v1/incidents.csv?q=${encodeURIComponent('印刷不可')}`);
      expect(quoted.body).toContain(`${inc.number},"帳票 ""A,B"" 印刷不可"`);
    });
  });
}
