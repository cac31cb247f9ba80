/**
 * Incident creates/s and list reads/s over HTTP (autocannon against a listening app
 * on loopback), on SQLite AND PostgreSQL in one run with the same baselines, and the
 * PostgreSQL/SQLite ratio of each figure. Goals on a 2-core machine (PostgreSQL on the
 * same machine): SQLite ≥ 2,000 creates/s and ≥ 5,000 reads/s; PostgreSQL ≥ 1,500
 * creates/s, ≥ 5,000 cached reads/s, ≥ 2,000 cache misses/s. `run()` is called by
 * bench/run.ts; `tsx bench/http.bench.ts` runs it alone. BENCH_DIALECTS=sqlite (or
 * postgres) runs one; BENCH_PG_URL names the PostgreSQL server (a fresh database is
 * created on it and dropped after).
 */
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type autocannon from 'autocannon';
import Fastify from 'fastify';
import { startCheckpointer } from '../src/db/checkpointer.ts';
import { createDb, type Database } from '../src/db/database.ts';
import type { DialectName } from '../src/db/dialect.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { buildApp } from '../src/http/app.ts';
import { createServices } from '../src/http/services.ts';
import { SYSTEM_ACTOR } from '../src/modules/auth/actor.ts';
import { createApiToken, createUser } from '../src/modules/auth/auth.service.ts';
import { STANDARD_POLICY } from '../src/contract/sla-policy-document.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
/** Creates are also measured with fewer clients: group commit gains with concurrency, so both figures are shown. */
const FEW_CONNECTIONS = 20;
const PG_ADMIN_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DIALECTS = (process.env.BENCH_DIALECTS ?? 'sqlite,postgres').split(',').map((s) => s.trim()) as DialectName[];

/**
 * The load generator runs in a process of its own (bench/load-generator.mjs), as a
 * client would: in the server's process, even on a worker thread, it shared the
 * process's allocator and GC and cost the server a fifth of its throughput.
 */
export function fire(opts: autocannon.Options & { missCursorTop?: number }): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(import.meta.dirname, 'load-generator.mjs')], { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as autocannon.Result) : reject(new Error(`load generator exited with ${code}`))));
    child.stdin.end(JSON.stringify(opts));
  });
}

/** A fresh database of a dialect; `drop` removes it. */
export async function freshDatabase(dialect: DialectName): Promise<{ database: Database; url: string; file: string | null; drop(): Promise<void> }> {
  if (dialect === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hoshu-bench-http-'));
    const file = path.join(dir, 'hoshu.db');
    const database = createDb({ dialect: 'sqlite', file });
    return { database, url: `sqlite:${file}`, file, drop: async () => { await database.close(); fs.rmSync(dir, { recursive: true, force: true }); } };
  }
  const name = `hoshu_bench_${crypto.randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`create database "${name}"`);
  await admin.end();
  const u = new URL(PG_ADMIN_URL);
  u.pathname = `/${name}`;
  const url = u.toString();
  const database = createDb({ dialect: 'postgres', url });
  return {
    database, url, file: null,
    drop: async () => {
      await database.close();
      const a = new pg.Client({ connectionString: PG_ADMIN_URL });
      await a.connect();
      await a.query(`drop database if exists "${name}" with (force)`);
      await a.end();
    },
  };
}

/** A desk with one contract and an agent's API token, ready for the bench's requests. */
export async function seedDesk(database: Database, clock: () => number) {
  await migrateToLatest(database.db);
  const s = createServices({ db: database.db, clock });
  const calendar = await s.calendars.create(SYSTEM_ACTOR, {
    name: 'Tokyo',
    document: { timeZone: 'Asia/Tokyo', weekly: { mon: [['09:00', '18:00']], tue: [['09:00', '18:00']], wed: [['09:00', '18:00']], thu: [['09:00', '18:00']], fri: [['09:00', '18:00']] }, holidays: ['jp'] },
  });
  const policy = await s.slaPolicies.create(SYSTEM_ACTOR, { name: 'Standard', establishedOn: '2026-01-01', document: STANDARD_POLICY, isDefault: true });
  const client = await s.clients.create(SYSTEM_ACTOR, { name: 'Bench KK' });
  const contract = await s.contracts.create(SYSTEM_ACTOR, { clientId: client.id, name: 'Bench', startsOn: '2026-01-01', calendarId: calendar.id, slaPolicyId: policy.id });
  const agent = await createUser(database.db, { email: 'bench-agent@example.com', name: 'Bench', role: 'agent' });
  const { token } = await createApiToken(database.db, { userId: agent.id, name: 'bench' });
  return { services: s, contractId: contract.id, token };
}

type Figures = Record<string, { r: autocannon.Result; goal: number | null; connections: number; cpuUs?: number }>;

/**
 * The load run with the app's process CPU time per answered request: steadier than the
 * rate on a shared machine (it counts this process only, not the database server).
 */
async function fireCounted(o: autocannon.Options & { missCursorTop?: number }): Promise<{ r: autocannon.Result; cpuUs: number }> {
  const before = process.cpuUsage();
  const r = await fire(o);
  const used = process.cpuUsage(before);
  return { r, cpuUs: (used.user + used.system) / Math.max(1, r.requests.total) };
}

async function measure(dialect: DialectName): Promise<{ figures: Figures; pageBytes: number }> {
  const fresh = await freshDatabase(dialect);
  const { database } = fresh;
  const figures: Figures = {};
  try {
    const clock = Date.now;
    const { services: s, contractId, token } = await seedDesk(database, clock);
    // As `hoshu serve` runs it: WAL checkpoints mostly on a worker thread (SQLite).
    const checkpointer = database.sqlite ? startCheckpointer(database.sqlite, fresh.file!) : null;
    const app = await buildApp({ db: database.db, clock, services: s });
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    let pageBytes = 0;
    try {
      const body = JSON.stringify({ contractId, title: 'ベンチマーク障害', channel: 'phone', priority: 'important', category: 'bug' });
      const warm = (o: autocannon.Options) => fire({ ...o, connections: CONNECTIONS, duration: 2 });
      const goals = dialect === 'sqlite' ? { creates: 2000, reads: 5000, misses: null } : { creates: 1500, reads: 5000, misses: 2000 };
      // Warm up JIT, caches and the calendar index at full concurrency before each measurement.
      await warm({ url: `${address}/api/v1/incidents`, method: 'POST', headers, body });
      figures.creates = { ...await fireCounted({ url: `${address}/api/v1/incidents`, method: 'POST', headers, body, connections: CONNECTIONS, duration: SECONDS }), goal: goals.creates, connections: CONNECTIONS };
      figures.createsFew = { ...await fireCounted({ url: `${address}/api/v1/incidents`, method: 'POST', headers, body, connections: FEW_CONNECTIONS, duration: SECONDS }), goal: goals.creates, connections: FEW_CONNECTIONS };
      const listUrl = `${address}/api/v1/incidents?limit=20`;
      await warm({ url: listUrl, headers });
      figures.reads = { ...await fireCounted({ url: listUrl, headers, connections: CONNECTIONS, duration: SECONDS }), goal: goals.reads, connections: CONNECTIONS };
      // The same pages with the exact cache defeated: every request asks for a page (cursor) not asked for before.
      const top = Number((await database.db.selectFrom('incidents').select((eb) => eb.fn.max('number').as('n')).executeTakeFirstOrThrow()).n);
      figures.misses = { ...await fireCounted({ url: address, headers, connections: CONNECTIONS, duration: SECONDS, missCursorTop: top }), goal: goals.misses, connections: CONNECTIONS };
      // Same-run baseline: the same misses presented from the rows, as before the stored list items (issue 15).
      const old = await buildApp({ db: database.db, clock, services: createServices({ db: database.db, clock }, { incidents: { storedListItems: false } }) });
      try {
        const oldAddress = await old.listen({ host: '127.0.0.1', port: 0 });
        await fire({ url: oldAddress, headers, connections: CONNECTIONS, duration: 2, missCursorTop: top });
        figures.missesPresented = { ...await fireCounted({ url: oldAddress, headers, connections: CONNECTIONS, duration: SECONDS, missCursorTop: top }), goal: null, connections: CONNECTIONS };
      } finally {
        await old.close();
      }
      figures.sessions = { ...await fireCounted({ url: `${address}/api/v1/auth/session`, headers, connections: CONNECTIONS, duration: SECONDS }), goal: null, connections: CONNECTIONS };
      pageBytes = (await (await fetch(listUrl, { headers })).arrayBuffer()).byteLength;
    } finally {
      await app.close();
      await checkpointer?.stop();
    }
    return { figures, pageBytes };
  } finally {
    await fresh.drop();
  }
}

const LABELS: Record<string, string> = {
  sessions: 'GET /auth/session (bearer token)',
  creates: 'incident creates (POST)',
  createsFew: 'incident creates (POST), fewer clients',
  reads: 'incident list reads (GET, 20 items)',
  misses: 'list reads, every one a cache miss',
  missesPresented: 'misses presented from rows (before issue 15)',
};

function line(name: string, r: autocannon.Result, goal: number | null, connections: number, cpuUs?: number): void {
  const bad = r.non2xx + r.errors;
  const rps = r.requests.average;
  const verdict = goal === null ? 'baseline' : `goal ≥ ${goal}${rps >= goal ? ', met' : ', NOT met'}`;
  console.log(
    `http ${name.padEnd(44)} ${rps.toFixed(0).padStart(7)} req/s  p50 ${r.latency.p50} ms  p99 ${r.latency.p99} ms  ` +
      `${cpuUs !== undefined ? `app CPU ${cpuUs.toFixed(0)} µs/req  ` : ''}(${verdict}; ${bad} non-2xx/errors; ${connections} connections, ${SECONDS}s)`,
  );
}

export async function run(): Promise<void> {
  console.log(`http load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} (${os.cpus().length} cores)`);
  // Baseline from the same run: what this machine serves with an empty Fastify route.
  const bare = Fastify();
  bare.get('/hello', async () => ({ ok: true }));
  const bareAddress = await bare.listen({ host: '127.0.0.1', port: 0 });
  await fire({ url: `${bareAddress}/hello`, connections: 4, amount: 500 });
  const baseline = await fire({ url: `${bareAddress}/hello`, connections: CONNECTIONS, duration: SECONDS });
  await bare.close();

  const results = new Map<DialectName, { figures: Figures; pageBytes: number }>();
  for (const d of DIALECTS) results.set(d, await measure(d));

  // Ceiling of this machine and load generator for an answer of that size: the same bytes from a route that does nothing.
  const pageBytes = [...results.values()][0]?.pageBytes ?? 0;
  const still = Fastify();
  const page = Buffer.alloc(pageBytes, 0x20);
  still.get('/page', async (_req, reply) => reply.type('application/json; charset=utf-8').send(page));
  const stillAddress = await still.listen({ host: '127.0.0.1', port: 0 });
  await fire({ url: `${stillAddress}/page`, connections: CONNECTIONS, duration: 2 });
  const sameBytes = await fire({ url: `${stillAddress}/page`, connections: CONNECTIONS, duration: SECONDS });
  await still.close();

  line('empty Fastify route (same machine)', baseline, null, CONNECTIONS);
  line(`same ${(pageBytes / 1024).toFixed(1)} KB page, route doing nothing`, sameBytes, null, CONNECTIONS);
  for (const [d, { figures }] of results) {
    for (const [k, f] of Object.entries(figures)) line(`${d} ${LABELS[k]}`, f.r, f.goal, f.connections, f.cpuUs);
  }
  const s = results.get('sqlite');
  const p = results.get('postgres');
  if (s && p) {
    for (const k of Object.keys(LABELS)) {
      const a = s.figures[k]?.r.requests.average;
      const b = p.figures[k]?.r.requests.average;
      const ca = s.figures[k]?.cpuUs;
      const cb = p.figures[k]?.cpuUs;
      if (a && b) console.log(`http PostgreSQL/SQLite ${LABELS[k]!.padEnd(40)} ${(b / a).toFixed(2)} (rate)${ca && cb ? `  ${(cb / ca).toFixed(2)} (app CPU per request)` : ''}`);
    }
  }
  for (const [d, { figures }] of results) {
    const a = figures.misses;
    const b = figures.missesPresented;
    if (a && b && a.cpuUs && b.cpuUs) {
      console.log(`http ${d} misses, stored items ÷ presented from rows: ${(a.r.requests.average / b.r.requests.average).toFixed(2)}× the rate, ${(b.cpuUs / a.cpuUs).toFixed(2)}× less app CPU per request`);
    }
  }
  console.log(`http load average at the end ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
