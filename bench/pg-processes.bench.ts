/**
 * One against two `hoshu serve` processes on one PostgreSQL database, in the same run:
 * incident creates/s and list reads/s (cached and every one a miss), with p99. The
 * load is split evenly over the processes (as a load balancer would), by one load
 * generator process per app process. Goal: on this 2-core machine two processes are
 * not slower than one. `npm run bench -- pg-processes`; BENCH_PG_URL names the server.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type autocannon from 'autocannon';
import { fire, freshDatabase, seedDesk } from './http.bench.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const root = path.resolve(import.meta.dirname, '..');

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

async function serve(url: string, pool: number): Promise<{ child: ChildProcess; base: string }> {
  const port = await freePort();
  // node itself (not the tsx wrapper), so stopping it stops the server.
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--port', String(port)], {
    cwd: root, env: { ...process.env, DATABASE_URL: url, HOSHU_PG_POOL: String(pool), LOG_LEVEL: 'warn', HOSHU_DATA_DIR: path.join(root, 'data', 'bench') }, stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/api/v1/health`)).ok) return { child, base };
    } catch {
      // not yet
    }
    if (i > 300 || child.exitCode !== null) throw new Error('hoshu serve did not come up');
    await new Promise((r) => setTimeout(r, 100));
  }
}

// Linux CPU accounting from /proc, in clock ticks (USER_HZ, 100 a second): where a request's CPU
// goes — the app processes, PostgreSQL's backends, and the rest of the machine (load generators).
const TICK_US = 10_000;
function ticksOfStat(stat: string): number {
  // Fields after the parenthesised name: utime and stime are the 12th and 13th.
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(f[11]) + Number(f[12]);
}
function ticksOf(pids: readonly number[]): number {
  let n = 0;
  for (const pid of pids) {
    try { n += ticksOfStat(fs.readFileSync(`/proc/${pid}/stat`, 'utf8')); } catch { /* gone */ }
  }
  return n;
}
function postgresTicks(): number {
  let n = 0;
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      if (stat.includes('(postgres)')) n += ticksOfStat(stat);
    } catch { /* gone */ }
  }
  return n;
}
function machineTicks(): number {
  const [, user, nice, system, , , irq, softirq, steal] = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).map(Number);
  return user! + nice! + system! + irq! + softirq! + steal!;
}

/** The same load split over the processes: summed req/s, the worst p99, and CPU per request by role. */
async function spread(bases: string[], o: (base: string) => autocannon.Options & { missCursorTop?: number }, apps: readonly number[] = []) {
  const before = { app: ticksOf(apps), pg: postgresTicks(), all: machineTicks() };
  const rs = await Promise.all(bases.map((b) => fire({ ...o(b), connections: Math.max(1, Math.round(CONNECTIONS / bases.length)), duration: SECONDS })));
  const app = ticksOf(apps) - before.app;
  const pgT = postgresTicks() - before.pg;
  const all = machineTicks() - before.all;
  const total = rs.reduce((n, r) => n + r.requests.total, 0);
  const per = (ticks: number) => Math.round((ticks * TICK_US) / Math.max(1, total));
  return {
    rps: rs.reduce((n, r) => n + r.requests.average, 0),
    p99: Math.max(...rs.map((r) => r.latency.p99)),
    bad: rs.reduce((n, r) => n + r.non2xx + r.errors, 0),
    cpu: `CPU per request: app ${per(app)} µs, PostgreSQL ${per(pgT)} µs, rest ${per(all - app - pgT)} µs`,
  };
}

export async function run(): Promise<void> {
  const fresh = await freshDatabase('postgres');
  const children: ChildProcess[] = [];
  try {
    const { contractId, token } = await seedDesk(fresh.database, Date.now);
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const body = JSON.stringify({ contractId, title: 'ベンチマーク障害', channel: 'phone', priority: 'important', category: 'bug' });
    const rows: string[] = [];
    // Two processes split one process's connections (BENCH_PG_POOL, 10): the same backends on PostgreSQL.
    // BENCH_PG_POOL_SPLIT=0 gives each process the whole pool (twice the backends).
    const total = Number(process.env.BENCH_PG_POOL ?? 10);
    const split = process.env.BENCH_PG_POOL_SPLIT !== '0';
    for (const n of [1, 2]) {
      const desks = [];
      const pool = split ? Math.max(1, Math.round(total / n)) : total;
      for (let i = 0; i < n; i++) desks.push(await serve(fresh.url, pool));
      children.push(...desks.map((d) => d.child));
      const bases = desks.map((d) => d.base);
      const create = (b: string) => ({ url: `${b}/api/v1/incidents`, method: 'POST' as const, headers, body });
      const pids = desks.map((d) => d.child.pid!);
      await spread(bases, (b) => ({ ...create(b), duration: 2 }));
      const creates = await spread(bases, create, pids);
      const list = (b: string) => ({ url: `${b}/api/v1/incidents?limit=20`, headers });
      await spread(bases, list);
      const reads = await spread(bases, list, pids);
      const top = Number((await fresh.database.db.selectFrom('incidents').select((eb) => eb.fn.max('number').as('n')).executeTakeFirstOrThrow()).n);
      const misses = await spread(bases, (b) => ({ url: b, headers, missCursorTop: top }), pids);
      for (const [name, r] of [['incident creates', creates], ['list reads (cache)', reads], ['list reads, every one a miss', misses]] as const) {
        rows.push(`pg-processes ${String(n)} process${n > 1 ? 'es' : ''} (pool ${pool} each)  ${name.padEnd(30)} ${r.rps.toFixed(0).padStart(7)} req/s  p99 ${r.p99} ms  (${r.bad} non-2xx/errors; ${CONNECTIONS} connections, ${SECONDS}s); ${r.cpu}`);
      }
      for (const d of desks) d.child.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 1000));
    }
    for (const r of rows) console.log(r);
  } finally {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    await fresh.drop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
