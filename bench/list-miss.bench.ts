/**
 * A list page that misses the cache, through the incident service (no HTTP): the answer's
 * JSON made from the stored items (issue 15) against the same page presented from the rows
 * as before, in the same run, interleaved (A B B A …) so that a shared machine's load falls
 * on both alike. Prints this process's CPU per page (steadier than wall time here) and the
 * wall time, on SQLite and PostgreSQL. `npm run bench -- list-miss`; BENCH_DIALECTS as in
 * http.bench.ts; LIST_MISS_INCIDENTS (2,000) incidents, pages of 20.
 */
import os from 'node:os';
import type { DialectName } from '../src/db/dialect.ts';
import { SYSTEM_ACTOR } from '../src/modules/auth/actor.ts';
import { listJson } from '../src/modules/incidents/incident.list-items.ts';
import { presentIncident } from '../src/modules/incidents/incident.presenter.ts';
import { freshDatabase, seedDesk } from './http.bench.ts';

const DIALECTS = (process.env.BENCH_DIALECTS ?? 'sqlite,postgres').split(',').map((s) => s.trim()) as DialectName[];
const N = Number(process.env.LIST_MISS_INCIDENTS ?? 2000);
const PAGES = 400;

export async function run(): Promise<void> {
  console.log(`list-miss load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} (${os.cpus().length} cores)`);
  for (const dialect of DIALECTS) {
    const fresh = await freshDatabase(dialect);
    try {
      const { services, contractId } = await seedDesk(fresh.database, Date.now);
      const actor = SYSTEM_ACTOR as Parameters<typeof services.incidents.create>[0];
      const input = { contractId, title: 'ベンチマーク障害', channel: 'phone' as const, priority: 'important' as const, category: 'bug' as const };
      let next = 0;
      await Promise.all(Array.from({ length: 20 }, async () => { while (next++ < N) await services.incidents.create(actor, input); }));
      const s = services.incidents;
      let key = 0;
      // A fresh render key per page: every read misses the exact cache.
      const stored = (before: number) => s.listRenderedStored(actor, { limit: 20, beforeNumber: before }, `m${key++}`, (items, last) => listJson(items, null, items.length === 20 ? last : null));
      const presented = (before: number) => s.listRendered(actor, { limit: 20, beforeNumber: before }, `m${key++}`, (items) => {
        const last = items.at(-1);
        return JSON.stringify({ items: items.map(presentIncident), nextCursor: null, nextBefore: items.length === 20 && last ? last.number : null });
      });
      // Same bytes either way (the test proves it at length; a spot check here).
      // The route's path since the queue (GET /incidents): filters, sorts and cursors over the stored items.
      const queue = (before: number) => s.pageRenderedStored(actor, { sort: 'number', limit: 20, after: { sort: 'number', key: before, number: before } }, `m${key++}`,
        (items, _next, last) => listJson(items, null, items.length === 20 ? last : null));
      if (await stored(N) !== await presented(N)) throw new Error('stored and presented pages differ');
      if (await queue(N) !== await stored(N)) throw new Error('the queue page and the stored list page differ');
      const totals = { stored: { cpu: 0, ms: 0, n: 0 }, presented: { cpu: 0, ms: 0, n: 0 }, queue: { cpu: 0, ms: 0, n: 0 } };
      const round = async (name: 'stored' | 'presented' | 'queue', f: (b: number) => Promise<unknown>) => {
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        for (let i = 0; i < PAGES / 4; i++) await f(N - (i % (N - 40)));
        const c = process.cpuUsage(c0);
        totals[name].cpu += c.user + c.system;
        totals[name].ms += performance.now() - t0;
        totals[name].n += PAGES / 4;
      };
      for (let i = 0; i < 20; i++) { await stored(N - i); await presented(N - i); await queue(N - i); } // warm-up
      const paths = { stored, presented, queue };
      for (const order of [['stored', 'presented', 'queue'], ['queue', 'presented', 'stored'], ['stored', 'queue', 'presented'], ['presented', 'queue', 'stored']] as const) {
        for (const name of order) await round(name, paths[name]);
      }
      const line = (name: 'stored' | 'presented' | 'queue') => `app CPU ${(totals[name].cpu / totals[name].n).toFixed(0)} µs/page, ${(totals[name].ms / totals[name].n).toFixed(2)} ms/page`;
      console.log(`list-miss ${dialect} page of 20, stored items:           ${line('stored')}`);
      console.log(`list-miss ${dialect} page of 20, presented from rows:     ${line('presented')}`);
      console.log(`list-miss ${dialect} queue page (the route's path): ${line('queue')}`);
      console.log(`list-miss ${dialect} stored ÷ presented: ${(totals.presented.cpu / totals.stored.cpu).toFixed(2)}× less CPU, ${(totals.presented.ms / totals.stored.ms).toFixed(2)}× less wall time`);
    } finally {
      await fresh.drop();
    }
  }
  console.log(`list-miss load average at the end ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
