/**
 * The price of power-loss durability: incident creates/s over HTTP on SQLite with
 * `HOSHU_SQLITE_SYNC=normal` and `=full`, measured in ONE run so both figures see
 * the same machine load. The modes alternate (normal, full, full, normal) so a
 * load change during the run shows as a spread rather than as a difference
 * between modes. `full` fsyncs the WAL at every COMMIT; group commit shares that
 * COMMIT among concurrent creates, so the interesting figures are at 50 and 20
 * connections; one connection (no group to share with) shows the fsync itself.
 *
 * The database must live on a real disk: on tmpfs an fsync costs nothing and the
 * comparison means nothing, so the bench says so. `BENCH_DIR` chooses the
 * directory (default: the OS temp directory); `BENCH_SECONDS` the duration.
 * `npm run bench -- sqlite-sync` or `tsx bench/sqlite-sync.bench.ts`.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type autocannon from 'autocannon';
import { startCheckpointer } from '../src/db/checkpointer.ts';
import { createDb } from '../src/db/database.ts';
import type { SqliteSync } from '../src/db/dialect.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { buildApp } from '../src/http/app.ts';
import { createServices } from '../src/http/services.ts';
import { SYSTEM_ACTOR } from '../src/modules/auth/actor.ts';
import { createApiToken, createUser } from '../src/modules/auth/auth.service.ts';
import { STANDARD_POLICY } from '../src/contract/sla-policy-document.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const GOAL_FULL = 1500;
const TMPFS_MAGIC = 0x01021994;

/** The load generator in a process of its own, as in bench/http.bench.ts. */
function fire(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(import.meta.dirname, 'load-generator.mjs')], { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as autocannon.Result) : reject(new Error(`load generator exited with ${code}`))));
    child.stdin.end(JSON.stringify(opts));
  });
}

/** An autocannon result and the server process's CPU seconds while it ran (checkpointer thread included). */
interface Measured { r: autocannon.Result; cpu: number }
interface Figures { c50: Measured; c20: Measured; c1: Measured }

/**
 * On a shared machine the wall-clock rate says as much about the neighbours as
 * about the desk; creates per CPU-second of the server process is steadier, and
 * with the wall rate of the same run shows whether a mode costs CPU or waiting.
 */
async function timed(opts: autocannon.Options): Promise<Measured> {
  const before = process.cpuUsage();
  const r = await fire(opts);
  const used = process.cpuUsage(before);
  return { r, cpu: (used.user + used.system) / 1e6 };
}

/** A fresh desk on a fresh file in the given mode, served as `hoshu serve` serves it. */
async function measure(base: string, sync: SqliteSync): Promise<Figures> {
  const dir = fs.mkdtempSync(path.join(base, `hoshu-bench-sync-${sync}-`));
  const file = path.join(dir, 'hoshu.db');
  const database = createDb({ dialect: 'sqlite', file, synchronous: sync });
  try {
    await migrateToLatest(database.db);
    const mode = database.sqlite!.pragma('synchronous', { simple: true });
    if (mode !== (sync === 'full' ? 2 : 1)) throw new Error(`asked for synchronous=${sync}, SQLite has ${String(mode)}`);
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
    const checkpointer = startCheckpointer(database.sqlite!, file);
    const app = await buildApp({ db: database.db, clock, services: s });
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      const post = {
        url: `${address}/api/v1/incidents`, method: 'POST' as const,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ contractId: contract.id, title: 'ベンチマーク障害', channel: 'phone', priority: 'important', category: 'bug' }),
      };
      await fire({ ...post, connections: 50, duration: 2 });
      const c50 = await timed({ ...post, connections: 50, duration: SECONDS });
      const c20 = await timed({ ...post, connections: 20, duration: SECONDS });
      const c1 = await timed({ ...post, connections: 1, duration: SECONDS });
      return { c50, c20, c1 };
    } finally {
      await app.close();
      await checkpointer.stop();
    }
  } finally {
    await database.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<void> {
  const base = process.env.BENCH_DIR ?? os.tmpdir();
  if (fs.statfsSync(base).type === TMPFS_MAGIC) console.log(`WARNING: ${base} is tmpfs, where fsync is free; set BENCH_DIR to a directory on the desk's kind of disk.`);
  console.log(`directory ${base}; load average before: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}; ${os.cpus().length} cores`);
  const results: Record<SqliteSync, Figures[]> = { normal: [], full: [] };
  for (const sync of ['normal', 'full', 'full', 'normal'] as const) results[sync].push(await measure(base, sync));
  console.log(`load average after: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);

  const fmt = (ms: Measured[]) => {
    const rs = ms.map((m) => m.r);
    const rps = rs.map((r) => r.requests.average).sort((a, b) => a - b);
    const perCpu = ms.map((m) => m.r['2xx'] / m.cpu).sort((a, b) => a - b);
    const bad = rs.reduce((n, r) => n + r.non2xx + r.errors, 0);
    const p99 = rs.map((r) => r.latency.p99).join('/');
    const p50 = rs.map((r) => r.latency.p50).join('/');
    return {
      low: rps[0]!,
      text: `${rps.map((x) => x.toFixed(0)).join(' – ').padStart(13)} creates/s  ${perCpu.map((x) => x.toFixed(0)).join(' – ')} per server CPU-s  ` +
        `p50 ${p50} ms  p99 ${p99} ms  (${bad} non-2xx/errors)`,
    };
  };
  for (const [label, key] of [['50 connections', 'c50'], ['20 connections', 'c20'], ['1 connection', 'c1']] as const) {
    for (const sync of ['normal', 'full'] as const) {
      const f = fmt(results[sync].map((r) => r[key]));
      const verdict = sync === 'full' && key !== 'c1' ? `  goal ≥ ${GOAL_FULL}: ${f.low >= GOAL_FULL ? 'met' : 'NOT met'}` : '';
      console.log(`sync=${sync.padEnd(6)} ${label.padEnd(15)} ${f.text}${verdict}`);
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
