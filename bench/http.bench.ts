/**
 * Incident creates/s and list reads/s over HTTP on SQLite (autocannon against a
 * listening app on loopback). Goals on a 2-core machine: ≥ 2,000 creates/s and
 * ≥ 5,000 reads/s. `run()` is called by bench/run.ts; `tsx bench/http.bench.ts`
 * runs it alone. (Two app processes on one port via node:cluster were tried and
 * were slower here: the load generator needs one of the two cores.)
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type autocannon from 'autocannon';
import Fastify from 'fastify';
import { startCheckpointer } from '../src/db/checkpointer.ts';
import { createDb } from '../src/db/database.ts';
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

/**
 * The load generator runs in a process of its own (bench/load-generator.mjs), as a
 * client would: in the server's process, even on a worker thread, it shared the
 * process's allocator and GC and cost the server a fifth of its throughput.
 */
function fire(opts: autocannon.Options & { missCursorTop?: number }): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(import.meta.dirname, 'load-generator.mjs')], { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as autocannon.Result) : reject(new Error(`load generator exited with ${code}`))));
    child.stdin.end(JSON.stringify(opts));
  });
}

export async function run(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hoshu-bench-http-'));
  const file = path.join(dir, 'hoshu.db');
  const database = createDb({ dialect: 'sqlite', file });
  try {
    await migrateToLatest(database.db);
    const clock = Date.now;
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

    // Baseline from the same run: what this machine serves with an empty Fastify route.
    const bare = Fastify();
    bare.get('/hello', async () => ({ ok: true }));
    const bareAddress = await bare.listen({ host: '127.0.0.1', port: 0 });
    await fire({ url: `${bareAddress}/hello`, connections: 4, amount: 500 });
    const baseline = await fire({ url: `${bareAddress}/hello`, connections: CONNECTIONS, duration: SECONDS });
    await bare.close();

    // As `hoshu serve` runs it: WAL checkpoints mostly on a worker thread.
    const checkpointer = startCheckpointer(database.sqlite!, file);
    const app = await buildApp({ db: database.db, clock, services: s });
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    try {
      const body = JSON.stringify({ contractId: contract.id, title: 'ベンチマーク障害', channel: 'phone', priority: 'important', category: 'bug' });
      const warm = (o: autocannon.Options) => fire({ ...o, connections: CONNECTIONS, duration: 2 });
      // Warm up JIT, caches and the calendar index at full concurrency before each measurement.
      await warm({ url: `${address}/api/v1/incidents`, method: 'POST', headers, body });
      const creates = await fire({ url: `${address}/api/v1/incidents`, method: 'POST', headers, body, connections: CONNECTIONS, duration: SECONDS });
      const createsFew = await fire({ url: `${address}/api/v1/incidents`, method: 'POST', headers, body, connections: FEW_CONNECTIONS, duration: SECONDS });
      const listUrl = `${address}/api/v1/incidents?limit=20`;
      await warm({ url: listUrl, headers });
      const reads = await fire({ url: listUrl, headers, connections: CONNECTIONS, duration: SECONDS });
      // The same pages with the exact cache defeated: every request asks for a page (cursor) not asked for before.
      const top = Number((await database.db.selectFrom('incidents').select((eb) => eb.fn.max('number').as('n')).executeTakeFirstOrThrow()).n);
      const misses = await fire({ url: address, headers, connections: CONNECTIONS, duration: SECONDS, missCursorTop: top });
      const sessions = await fire({ url: `${address}/api/v1/auth/session`, headers, connections: CONNECTIONS, duration: SECONDS });

      // Ceiling of this machine and load generator for an answer of that size: the same bytes from a route that does nothing.
      const page = Buffer.from(await (await fetch(listUrl, { headers })).arrayBuffer());
      const still = Fastify();
      still.get('/page', async (_req, reply) => reply.type('application/json; charset=utf-8').send(page));
      const stillAddress = await still.listen({ host: '127.0.0.1', port: 0 });
      await warm({ url: `${stillAddress}/page` });
      const sameBytes = await fire({ url: `${stillAddress}/page`, connections: CONNECTIONS, duration: SECONDS });
      await still.close();
      const line = (name: string, r: autocannon.Result, goal: number | null, connections = CONNECTIONS) => {
        const bad = r.non2xx + r.errors;
        const rps = r.requests.average;
        const verdict = goal === null ? 'baseline' : `goal ≥ ${goal}${rps >= goal ? ', met' : ', NOT met'}`;
        console.log(
          `http ${name.padEnd(34)} ${rps.toFixed(0).padStart(7)} req/s  p50 ${r.latency.p50} ms  p99 ${r.latency.p99} ms  ` +
            `(${verdict}; ${bad} non-2xx/errors; ${connections} connections, ${SECONDS}s)`,
        );
      };
      line('empty Fastify route (same machine)', baseline, null);
      line('GET /auth/session (bearer token)', sessions, null);
      line('incident creates (POST)', creates, 2000);
      line('incident creates (POST), fewer clients', createsFew, 2000, FEW_CONNECTIONS);
      line(`same ${(page.length / 1024).toFixed(1)} KB page, route doing nothing`, sameBytes, null);
      line('incident list reads (GET, 20 items)', reads, 5000);
      line('list reads, every one a cache miss', misses, null);
    } finally {
      await app.close();
      await checkpointer.stop();
    }
  } finally {
    await database.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
