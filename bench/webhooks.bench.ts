/**
 * Webhook fan-out: events at a steady rate (default 1,000/s for 10 s: public messages on
 * incidents, each an audited command) fanned out to 10 endpoints (10,000 deliveries/s)
 * on a local HTTP receiver in a child process (its CPU not counted as ours), one desk
 * process on SQLite (the embedded default) and on PostgreSQL (BENCH_DIALECTS), with the
 * job runner's scheduler as `hoshu serve` runs it. Prints events/s and deliveries/s achieved, the delivery lag (first
 * attempt's start − the event's commit instant) p50/p99/max, and the drain time after
 * the last event; before them, the floor: bare HTTP to the same receiver, CPU per request on both
 * ends. HOSHU_BENCH_EVENTS_PER_S, HOSHU_BENCH_SECONDS, HOSHU_BENCH_ENDPOINTS,
 * HOSHU_BENCH_INCIDENTS (1,000: the comments are spread over them) to change.
 */
import { fork } from 'node:child_process';
import os from 'node:os';
import type { DialectName } from '../src/db/dialect.ts';
import { freshDatabase } from './http.bench.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { seedBaseData } from '../src/seed/base.ts';
import { createServices } from '../src/http/services.ts';
import { SYSTEM_ACTOR } from '../src/modules/auth/actor.ts';
import { JobRunner } from '../src/jobs/runner.ts';
import { Scheduler } from '../src/jobs/scheduler.ts';
import { createWebhookJobHandlers } from '../src/modules/webhooks/webhook.jobs.ts';

const RATE = Number(process.env.HOSHU_BENCH_EVENTS_PER_S ?? 1000);
const SECONDS = Number(process.env.HOSHU_BENCH_SECONDS ?? 10);
const ENDPOINTS = Number(process.env.HOSHU_BENCH_ENDPOINTS ?? 10);
const INCIDENTS = Number(process.env.HOSHU_BENCH_INCIDENTS ?? 1000);
const DIALECTS = (process.env.BENCH_DIALECTS ?? 'sqlite,postgres').split(',').map((x) => x.trim()) as DialectName[];

const pct = (xs: number[], p: number) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

async function startReceiver(): Promise<{ port: number; cpuMs(): Promise<number>; stop(): void }> {
  const code = `
    const http = require('node:http');
    const s = http.createServer((req, res) => { req.resume(); req.on('end', () => { res.writeHead(204); res.end(); }); });
    s.keepAliveTimeout = 65000;
    process.on('disconnect', () => process.exit(0));
    process.on('message', () => { const u = process.cpuUsage(); process.send({ cpuMs: (u.user + u.system) / 1000 }); });
    s.listen(0, '127.0.0.1', () => process.send(s.address().port));`;
  const child = fork('-e', [code], { execArgv: [], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m) => resolve(Number(m)));
    child.once('error', reject);
  });
  // The receiver's own CPU time so far (asked over IPC), to set the desk's cost beside the receiving end's.
  const cpuMs = () => new Promise<number>((resolve) => {
    child.once('message', (m) => resolve((m as { cpuMs: number }).cpuMs));
    child.send('cpu');
  });
  return { port, cpuMs, stop: () => child.kill() };
}

/**
 * The floor under any desk on this machine, measured in the same run: bare undici POSTs
 * (the desk's client, kept-alive pool, 100 in flight) of a comment event's size to the same
 * receiver, with no database, signing or bookkeeping. Its CPU per request on both ends is
 * what 10,000 deliveries/s cost before the desk does anything of its own.
 */
async function bareHttpFloor(): Promise<{ perReqUs: number; receiverUs: number }> {
  const { Agent } = await import('undici');
  const receiver = await startReceiver();
  const agent = new Agent({ keepAliveTimeout: 30_000, connections: 64, pipelining: 1 });
  const body = JSON.stringify({ type: 'incident.commented', timestamp: new Date().toISOString(), data: { id: '0'.repeat(36), body: 'あ'.repeat(120), sequence: 1 } });
  const N = 30_000;
  try {
    let sent = 0;
    let upTo = 0;
    const lane = async () => {
      while (sent < upTo) {
        sent++;
        const res = await agent.request({ origin: `http://127.0.0.1:${receiver.port}`, path: '/floor', method: 'POST', headers: { 'content-type': 'application/json' }, body });
        await res.body.dump();
      }
    };
    upTo = 2_000;
    await Promise.all(Array.from({ length: 10 }, lane)); // warm-up: connections open, code compiled
    sent = 0;
    upTo = N;
    const r0 = await receiver.cpuMs();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await Promise.all(Array.from({ length: 100 }, lane));
    const s = (performance.now() - t0) / 1000;
    const c = process.cpuUsage(c0);
    const r = (await receiver.cpuMs()) - r0;
    const perReqUs = (c.user + c.system) / N;
    const receiverUs = (r * 1000) / N;
    console.log(`floor: bare undici → the receiver, no desk: ${(N / s).toFixed(0)} requests/s; CPU per request ${perReqUs.toFixed(0)} µs sending, ${receiverUs.toFixed(0)} µs receiving`);
    console.log(`  so ${RATE * ENDPOINTS} deliveries/s take ${((RATE * ENDPOINTS * (perReqUs + receiverUs)) / 1e6).toFixed(2)} of this machine's ${os.cpus().length} cores in HTTP alone`);
    return { perReqUs, receiverUs };
  } finally {
    await agent.close();
    receiver.stop();
  }
}

async function measure(dialect: DialectName, floor: { perReqUs: number }): Promise<void> {
  const fresh = await freshDatabase(dialect);
  const database = fresh.database;
  const receiver = await startReceiver();
  try {
    await migrateToLatest(database.db);
    await seedBaseData(database.db, Date.now(), database.dialect);
    const s = createServices({ db: database.db, clock: Date.now });
    const calendar = (await database.db.selectFrom('calendars').select('id').executeTakeFirstOrThrow()).id;
    const policy = (await database.db.selectFrom('slaPolicies').select('id').executeTakeFirstOrThrow()).id;
    const client = await s.clients.create(SYSTEM_ACTOR, { name: 'Bench' });
    const contract = await s.contracts.create(SYSTEM_ACTOR, { clientId: client.id, name: 'Bench', startsOn: '2026-01-01', calendarId: calendar, slaPolicyId: policy });
    // Filed 50 at a time (group commit); spread so that no incident's timeline grows to hundreds of
    // entries in 10 s (each comment's answer is the incident's detail, which reads its timeline).
    const incidents: Array<{ id: string }> = [];
    await Promise.all(Array.from({ length: 50 }, async () => {
      while (incidents.length < INCIDENTS) {
        const i = incidents.length;
        incidents.push({ id: '' });
        incidents[i] = await s.incidents.create(SYSTEM_ACTOR, { contractId: contract.id, title: `bench ${i}`, channel: 'phone' });
      }
    }));
    for (let i = 0; i < ENDPOINTS; i++) {
      await s.webhooks.create(SYSTEM_ACTOR, { url: `http://127.0.0.1:${receiver.port}/e${i}`, allowInsecure: true, eventTypes: ['incident.commented'] });
    }
    const hooks = createWebhookJobHandlers({
      db: database.db, clock: Date.now, box: s.webhooks.box,
      // HOSHU_BENCH_NO_HTTP=1: a stand-in answering 204 at once, to see the desk's own ceiling without the network.
      ...(process.env.HOSHU_BENCH_NO_HTTP ? { send: async () => ({ status: 204, durationMs: 0, error: null, excerpt: null, retryAfterMs: null, refused: false }) } : {}),
    });
    const runner = new JobRunner(database, { handlers: hooks.handlers, batchLane: { size: 500, concurrency: 4, idleMs: 20 }, concurrency: dialect === 'postgres' ? 4 : 1 });
    const scheduler = new Scheduler(runner, { intervalMs: 50 });
    scheduler.start();

    const total = RATE * SECONDS;
    const started = performance.now();
    const cpu0 = process.cpuUsage();
    let made = 0;
    const inFlight = new Set<Promise<unknown>>();
    const commandMs: number[] = [];
    let refused = 0;
    // Paced: event k is due at k / RATE seconds; at most MAX_IN_FLIGHT commands wait at once, so a
    // desk slower than the rate shows a lower achieved rate instead of units timing out in the write queue.
    const MAX_IN_FLIGHT = 256;
    while (made < total) {
      const due = Math.floor(((performance.now() - started) / 1000) * RATE);
      while (made < Math.min(due, total) && inFlight.size < MAX_IN_FLIGHT) {
        const inc = incidents[made % incidents.length]!;
        const t0 = performance.now();
        // A command refused after waiting 10 s for the writer (an overloaded desk) is counted, not fatal.
        const p = s.incidents.addComment(SYSTEM_ACTOR, inc.id, { body: `event ${made}` }).then(
          () => commandMs.push(performance.now() - t0),
          () => { refused += 1; },
        ).finally(() => inFlight.delete(p));
        inFlight.add(p);
        made++;
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    await Promise.all(inFlight);
    const produced = (performance.now() - started) / 1000;
    const expected = (total - refused) * ENDPOINTS;
    while (hooks.stats.sent < expected && performance.now() - started < (SECONDS + 120) * 1000) await new Promise((r) => setTimeout(r, 50));
    const drained = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpu0);
    await scheduler.stop();
    const lags = hooks.stats.lags;
    console.log(`webhooks: ${RATE} events/s for ${SECONDS} s, ${ENDPOINTS} endpoints (local receiver in a child process), ${INCIDENTS} incidents; ${dialect}, one process`);
    console.log(`  events: ${total - refused} committed in ${produced.toFixed(1)} s (${((total - refused) / produced).toFixed(0)}/s)${refused ? `; ${refused} refused after waiting 10 s for the writer` : ''}`);
    console.log(`  deliveries: ${hooks.stats.sent} of ${expected} succeeded in ${drained.toFixed(1)} s (${(hooks.stats.sent / drained).toFixed(0)}/s); drained ${(drained - produced).toFixed(1)} s after the last event`);
    console.log(`  delivery lag (first attempt − the event's instant, which includes its command's wait for the writer): p50 ${pct(lags, 50).toFixed(0)} ms, p99 ${pct(lags, 99).toFixed(0)} ms, max ${Math.max(...lags).toFixed(0)} ms`);
    console.log(`  the event's command (queued → committed): p50 ${pct(commandMs, 50).toFixed(0)} ms, p99 ${pct(commandMs, 99).toFixed(0)} ms`);
    console.log(`  machine load average while running: ${os.loadavg().map((x) => x.toFixed(1)).join(' / ')} (${os.cpus().length} cores)`);
    console.log(`  CPU: ${(((cpu.user + cpu.system) / 1000 / drained / 1000) * 100).toFixed(0)}% of one core; ${((cpu.user + cpu.system) / Math.max(1, hooks.stats.sent)).toFixed(0)} µs per delivery, its event's command included (the floor's sending: ${floor.perReqUs.toFixed(0)} µs)`);
  } finally {
    receiver.stop();
    await fresh.drop();
  }
}

export async function run(): Promise<void> {
  const floor = await bareHttpFloor();
  for (const dialect of DIALECTS) await measure(dialect, floor);
}
