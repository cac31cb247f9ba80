/**
 * Where the time of an incident create, a one-field edit and a list page goes on
 * PostgreSQL, without HTTP: round trips per operation (deterministic: counted at node-postgres), each
 * statement's mean time, this process's CPU per operation, creates/s at 50 concurrent
 * units (pool of 10), and EXPLAIN (ANALYZE, BUFFERS) of the list page's statements on
 * 3,000 incidents. `npm run bench -- pg-roundtrips`; BENCH_PG_URL names the server.
 */
import pg from 'pg';
import { sql } from 'kysely';
import { freshDatabase, seedDesk } from './http.bench.ts';
import { SYSTEM_ACTOR } from '../src/modules/auth/actor.ts';

const stats = new Map<string, { n: number; ms: number }>();
let counting = false;
let roundTrips = 0;
const original = pg.Client.prototype.query;
// Counts and times every query node-postgres sends (the bench's own process only).
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  const first = args[0] as string | { text?: string } | undefined;
  const text = typeof first === 'string' ? first : first?.text ?? '?';
  const t0 = performance.now();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- node-postgres' overloads cannot be forwarded in a typed way
  const r = (original as any).apply(this, args) as unknown;
  if (counting) {
    roundTrips++;
    if (r instanceof Promise) {
      r.then(() => {
        const key = text.replace(/\s+/g, ' ').slice(0, 100);
        const s = stats.get(key) ?? { n: 0, ms: 0 };
        s.n++;
        s.ms += performance.now() - t0;
        stats.set(key, s);
      }, () => undefined);
    }
  }
  return r;
} as typeof pg.Client.prototype.query;

export async function run(): Promise<void> {
  const fresh = await freshDatabase('postgres');
  try {
    const { services, contractId } = await seedDesk(fresh.database, Date.now);
    const actor = SYSTEM_ACTOR as Parameters<typeof services.incidents.create>[0];
    const input = { contractId, title: 'ベンチマーク障害', channel: 'phone' as const, priority: 'important' as const, category: 'bug' as const };
    for (let i = 0; i < 200; i++) await services.incidents.create(actor, input);

    const N = 300;
    counting = true;
    let cpu0 = process.cpuUsage();
    let t = performance.now();
    for (let i = 0; i < N; i++) await services.incidents.create(actor, input);
    let cpu = process.cpuUsage(cpu0);
    counting = false;
    console.log(`pg-roundtrips create: ${(roundTrips / N).toFixed(2)} round trips, ${((performance.now() - t) / N).toFixed(2)} ms each in sequence, app CPU ${((cpu.user + cpu.system) / N).toFixed(0)} µs`);
    for (const [k, s] of [...stats].sort((a, b) => b[1].ms - a[1].ms)) console.log(`pg-roundtrips   ${(s.n / N).toFixed(2)} × ${(s.ms / s.n).toFixed(3)} ms  ${k}`);

    // An edit of one field (PATCH /incidents/:id): the command, its list item and the detail it answers with.
    const edited = (await fresh.database.db.selectFrom('incidents').select('id').orderBy('number').limit(N).execute()).map((r) => r.id);
    stats.clear();
    roundTrips = 0;
    counting = true;
    cpu0 = process.cpuUsage();
    t = performance.now();
    for (let i = 0; i < N; i++) await services.incidents.update(actor, edited[i]!, { title: `ベンチマーク障害 ${i}` });
    cpu = process.cpuUsage(cpu0);
    counting = false;
    console.log(`pg-roundtrips update: ${(roundTrips / N).toFixed(2)} round trips, ${((performance.now() - t) / N).toFixed(2)} ms each in sequence, app CPU ${((cpu.user + cpu.system) / N).toFixed(0)} µs`);
    for (const [k, s] of [...stats].sort((a, b) => b[1].ms - a[1].ms)) console.log(`pg-roundtrips   ${(s.n / N).toFixed(2)} × ${(s.ms / s.n).toFixed(3)} ms  ${k}`);

    const M = 2500;
    let next = 0;
    cpu0 = process.cpuUsage();
    t = performance.now();
    await Promise.all(Array.from({ length: 50 }, async () => {
      while (next++ < M) await services.incidents.create(actor, input);
    }));
    cpu = process.cpuUsage(cpu0);
    console.log(`pg-roundtrips creates, 50 concurrent units: ${(M / (performance.now() - t) * 1000).toFixed(0)}/s, app CPU ${((cpu.user + cpu.system) / M).toFixed(0)} µs each`);

    await sql`analyze`.execute(fresh.database.db);
    const db = fresh.database.db;
    const ids = (await db.selectFrom('incidents').select('id').where('number', '<', 2000).orderBy('number', 'desc').limit(20).execute()).map((r) => r.id);
    for (const q of [
      sql`explain (analyze, buffers) select * from incidents where number < 2000 order by number desc limit 20`,
      sql`explain (analyze, buffers) select * from incident_targets where incident_id in (${sql.join(ids)})`,
      sql`explain (analyze, buffers) select * from incident_pauses where incident_id in (${sql.join(ids)}) order by started_at`,
    ]) {
      const r = await q.execute(db);
      const plan = (r.rows as Record<string, string>[]).map((x) => x['QUERY PLAN']!);
      console.log(`pg-roundtrips explain: ${plan.filter((l) => /Scan|Execution|Buffers: shared/.test(l)).map((l) => l.trim().slice(0, 90)).join(' | ')}`);
    }

    stats.clear();
    roundTrips = 0;
    const P = 500;
    counting = true;
    cpu0 = process.cpuUsage();
    t = performance.now();
    for (let i = 0; i < P; i++) {
      await services.incidents.listRendered(actor, { limit: 20, beforeNumber: 2900 - i }, 'bench', (items) => JSON.stringify(items));
    }
    cpu = process.cpuUsage(cpu0);
    counting = false;
    console.log(`pg-roundtrips list page (20), cache miss, presented from rows: ${(roundTrips / P).toFixed(2)} round trips (incl. the listener's sync), ${((performance.now() - t) / P).toFixed(2)} ms each, app CPU ${((cpu.user + cpu.system) / P).toFixed(0)} µs`);
    roundTrips = 0;
    counting = true;
    cpu0 = process.cpuUsage();
    t = performance.now();
    for (let i = 0; i < P; i++) {
      await services.incidents.listRenderedStored(actor, { limit: 20, beforeNumber: 2900 - i }, 'bench-stored', (items) => items.join(','));
    }
    cpu = process.cpuUsage(cpu0);
    counting = false;
    console.log(`pg-roundtrips list page (20), cache miss, stored items: ${(roundTrips / P).toFixed(2)} round trips (incl. the listener's sync), ${((performance.now() - t) / P).toFixed(2)} ms each, app CPU ${((cpu.user + cpu.system) / P).toFixed(0)} µs`);
    roundTrips = 0;
    counting = true;
    cpu0 = process.cpuUsage();
    t = performance.now();
    for (let i = 0; i < P; i++) await services.incidents.listRendered(actor, { limit: 20 }, 'bench', (items) => JSON.stringify(items));
    cpu = process.cpuUsage(cpu0);
    counting = false;
    console.log(`pg-roundtrips list page (20), cache hit: ${(roundTrips / P).toFixed(2)} round trips (the listener's sync), ${((performance.now() - t) / P).toFixed(3)} ms each, app CPU ${((cpu.user + cpu.system) / P).toFixed(0)} µs`);
  } finally {
    await fresh.drop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
