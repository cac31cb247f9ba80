/**
 * Two `hoshu serve` processes on one PostgreSQL database (issue 15), as a load balancer
 * would put them behind one address:
 * - a client alternating between them, writing through one and reading the list through
 *   the other (each list answer comes from that process's exact cache when it can), never
 *   reads an answer older than its own write;
 * - 1,000 due SLA timers and 1,000 due health checks each run exactly once across both,
 *   while one of the processes is killed with SIGKILL in the middle of the run (its claimed
 *   jobs are taken over when their lease ends);
 * - one IMAP mailbox lease is held by one process at a time and taken over when its holder dies.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leaseKey, leaseOn } from '../../src/db/lease.ts';
import { createServices } from '../../src/http/services.ts';
import { SYSTEM_ACTOR } from '../../src/modules/auth/actor.ts';
import { SLA_TIMER_JOB } from '../../src/modules/incidents/incident.jobs.ts';
import { CHECK_JOB } from '../../src/modules/monitoring/monitoring.service.ts';
import { testDialects, useTestDb } from '../helpers/db.ts';
import { makeUser } from '../http/helpers.ts';
import { buildWorld, type World } from '../http/world.ts';
import { HOSHU_BIN } from '../helpers/cli.ts';

const root = path.resolve(import.meta.dirname, '../..');
// The 10,000: 113–181 s on the 2-core machine at load average 9–10 (HOSHU_TEST_PAIRS lowers it while iterating).
const PAIRS = Number(process.env.HOSHU_TEST_PAIRS ?? 10_000);
const CLIENTS = 10;
const LEASE_MS = 3000;
const MAILBOX = 'imap:imaps://desk@example.com@mail.example.com:993/INBOX';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

interface Desk {
  child: ChildProcess;
  base: string;
  exited: Promise<void>;
  log: string[];
}

async function serve(url: string, dataDir: string): Promise<Desk> {
  const port = await freePort();
  const env = {
    ...process.env, DATABASE_URL: url, HOSHU_DATA_DIR: dataDir, HOSHU_JOB_POLL_MS: '200', HOSHU_JOB_LEASE_MS: String(LEASE_MS),
    LOG_LEVEL: 'warn', HOSHU_IMAP_URL: '', HOSHU_SMTP_URL: '', HOSHU_SMTP_HOST: '',
  };
  // node itself (not a wrapper), so SIGKILL reaches the server and not a parent that leaves it running.
  const child = spawn(process.execPath, [HOSHU_BIN, 'serve', '--port', String(port)], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const log: string[] = [];
  child.stdout!.setEncoding('utf8').on('data', (d: string) => log.push(d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => log.push(d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const base = `http://127.0.0.1:${port}/api/v1`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`hoshu serve exited early:\n${log.join('')}`);
    try {
      if ((await fetch(`${base}/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (i > 300) throw new Error(`hoshu serve did not come up:\n${log.join('')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, base, exited, log };
}

const pgHere = testDialects.includes('postgres');

describe.skipIf(!pgHere)('two hoshu serve processes on one PostgreSQL database', () => {
  const t = useTestDb('postgres');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hoshu-two-'));
  let w: World;
  let a: Desk;
  let b: Desk;

  beforeAll(async () => {
    w = await buildWorld(t.db, Date.now);
    [a, b] = await Promise.all([serve(t.url, dataDir), serve(t.url, dataDir)]);
  }, 120_000);

  afterAll(async () => {
    for (const d of [a, b]) if (d && d.child.exitCode === null) d.child.kill('SIGKILL');
    await Promise.all([a?.exited, b?.exited]);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it(`${PAIRS} write-then-read pairs alternating between the processes read their own write every time`, async () => {
    const json = { ...w.agent.headers, 'content-type': 'application/json' };
    let stale = 0;
    let pairs = 0;
    const timing = { write: 0, read: 0 };
    const samples: string[] = [];
    // A 408 is the server saying it did not receive the request in time and closed the connection;
    // a client may send it again (RFC 9110 §15.5.9). On the loaded 2-core CI machine one GET of
    // ~20,000 got one (2026-12-05 15:00): sent again once, counted and printed, never taken as a read.
    let resent = 0;
    const send = async (url: string, init: RequestInit) => {
      const first = await fetch(url, init);
      if (first.status !== 408) return first;
      resent++;
      await first.arrayBuffer();
      return fetch(url, init);
    };
    await Promise.all(Array.from({ length: CLIENTS }, async (_, c) => {
      // Each client lists "its" assignee's incidents: a list the other clients' writes do not touch.
      const assignee = await makeUser(t.db, 'agent');
      const created = await fetch(`${a.base}/incidents`, {
        method: 'POST', headers: json,
        body: JSON.stringify({ contractId: w.a.contractId, title: `c${c} start`, channel: 'phone', priority: 'important', assigneeId: assignee.id }),
      });
      expect(created.status).toBe(201);
      const id = ((await created.json()) as { id: string }).id;
      const listUrl = (d: Desk) => `${d.base}/incidents?assigneeId=${assignee.id}&limit=5`;
      // Warm both processes' caches for this list.
      for (const d of [a, b]) expect((await fetch(listUrl(d), { headers: w.agent.headers })).status).toBe(200);
      for (let i = 0; i < PAIRS / CLIENTS; i++) {
        const [writer, reader] = i % 2 === 0 ? [a, b] : [b, a];
        const title = `c${c} #${i}`;
        const t0 = performance.now();
        const r = await send(`${writer.base}/incidents/${id}`, { method: 'PATCH', headers: json, body: JSON.stringify({ title }) });
        expect(r.status).toBe(200);
        // Read to the end, so the connection goes back to the pool at once.
        await r.arrayBuffer();
        const t1 = performance.now();
        const res = await send(listUrl(reader), { headers: w.agent.headers });
        // A refused read is a failure of its own, named with its answer (not a TypeError on the body).
        if (res.status !== 200) expect.fail(`pair ${i} of client ${c}: the list answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
        const list = (await res.json()) as { items: { id: string; title: string }[] };
        timing.write += t1 - t0;
        timing.read += performance.now() - t1;
        const seen = list.items.find((x) => x.id === id)?.title;
        if (seen !== title) {
          stale++;
          if (samples.length < 5) samples.push(`wrote "${title}" through one process, read "${seen}" through the other`);
        }
        // And the writer's own cache, read right after: the list is read through it on the next pair.
        pairs++;
      }
    }));
    expect(pairs).toBe(PAIRS);
    console.log(`write-then-read pairs: write ${(timing.write / PAIRS).toFixed(1)} ms, read ${(timing.read / PAIRS).toFixed(1)} ms on average (${CLIENTS} clients at once); ${resent} request(s) sent again after a 408`);
    // A rare timeout under load, not a pattern: more than a handful would be a defect of its own.
    expect(resent).toBeLessThanOrEqual(5);
    expect(samples).toEqual([]);
    expect(stale).toBe(0);
  }, 600_000);

  it('1,000 due SLA timers and 1,000 due health checks each run exactly once, with one process killed mid-run', async () => {
    // Health-check targets: every check is a request here (counted per monitor).
    const hits = new Map<string, number>();
    const target = http.createServer((req, res) => {
      hits.set(req.url!, (hits.get(req.url!) ?? 0) + 1);
      res.end('ok');
    });
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', () => r()));
    const targetPort = (target.address() as net.AddressInfo).port;
    try {
      const s = createServices({ db: t.db, clock: Date.now });
      const monitorIds: string[] = [];
      for (let i = 0; i < 1000; i += 50) {
        const batch = await Promise.all(Array.from({ length: 50 }, (_, k) => s.monitoring.create(SYSTEM_ACTOR, {
          contractId: w.a.contractId, systemId: w.a.systemId, name: `m${i + k}`, kind: 'http',
          url: `http://127.0.0.1:${targetPort}/m/${i + k}`, intervalMs: 86_400_000, timeoutMs: 5000,
        })));
        monitorIds.push(...batch.map((m) => m.id));
      }
      // 250 urgent incidents filed ten days ago: start and resolve targets, each with its warning and breach = 1,000 due timers.
      const past = createServices({ db: t.db, clock: () => Date.now() - 10 * 86_400_000 });
      const incidentIds: string[] = [];
      for (let i = 0; i < 250; i += 25) {
        const batch = await Promise.all(Array.from({ length: 25 }, (_, k) =>
          past.incidents.create(SYSTEM_ACTOR, { contractId: w.a.contractId, title: `timer ${i + k}`, channel: 'api', priority: 'urgent' })));
        incidentIds.push(...batch.map((x) => x.id));
      }
      const timerJobs = await t.db.selectFrom('jobs').select((eb) => eb.fn.countAll<number>().as('n'))
        .where('kind', '=', SLA_TIMER_JOB).where('dedupeKey', 'like', 'sla:%').executeTakeFirstOrThrow();
      expect(Number(timerJobs.n)).toBeGreaterThanOrEqual(1000);
      // Every monitor's first check is due now (they were created spread over the day; the next is a day away).
      // A monitor whose first check came due while they were being created has had it: its next is a day away.
      const checkedAlready = new Set((await t.db.selectFrom('monitorRuns').select('monitorId').where('monitorId', 'in', monitorIds).where('checks', '>', 0).execute())
        .map((r) => r.monitorId));
      const firstChecks = (await t.db.selectFrom('jobs').select(['id', 'payload']).where('kind', '=', CHECK_JOB).where('status', '=', 'pending').execute())
        .filter((j) => !checkedAlready.has((JSON.parse(j.payload) as { monitorId: string }).monitorId)).map((j) => j.id);
      await t.db.updateTable('jobs').set({ runAt: Date.now() - 1000 }).where('id', 'in', firstChecks).execute();

      const fired = async () => Number((await t.db.selectFrom('incidentEvents').select((eb) => eb.fn.countAll<number>().as('n'))
        .where('kind', '=', 'sla').where('incidentId', 'in', incidentIds).executeTakeFirstOrThrow()).n);
      const checked = async () => Number((await t.db.selectFrom('monitorRuns').select((eb) => eb.fn.sum<number>('checks').as('n'))
        .where('monitorId', 'in', monitorIds).executeTakeFirstOrThrow()).n ?? 0);

      // Kill one process once the run is under way.
      const deadline = Date.now() + 60_000;
      // Once timers have fired and the first check batch is recorded (the next one is then likely in flight).
      while (((await fired()) < 100 || (await checked()) < 1) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      a.child.kill('SIGKILL');
      await a.exited;
      // Dead indeed: nothing answers on its port.
      await expect(fetch(`${a.base}/health`)).rejects.toThrow();
      const killedAt = { fired: await fired(), checked: await checked() };
      expect(killedAt.fired + killedAt.checked).toBeLessThan(2000);

      // The survivor finishes everything, including what the dead one had claimed (after its lease).
      const end = Date.now() + 120_000;
      while (((await fired()) < 1000 || (await checked()) < 1000) && Date.now() < end) await new Promise((r) => setTimeout(r, 200));
      // Time for a duplicate to show up, if there were one.
      await new Promise((r) => setTimeout(r, LEASE_MS + 1000));

      const events = await t.db.selectFrom('incidentEvents').select(['incidentId', 'data']).where('kind', '=', 'sla').where('incidentId', 'in', incidentIds).execute();
      const keys = new Set(events.map((e) => {
        const d = JSON.parse(e.data) as { target: string; event: string };
        return `${e.incidentId}:${d.target}:${d.event}`;
      }));
      expect(events).toHaveLength(1000);
      expect(keys.size).toBe(1000);
      const perMonitor = await t.db.selectFrom('monitorRuns').select((eb) => ['monitorId', eb.fn.sum<number>('checks').as('n')])
        .where('monitorId', 'in', monitorIds).groupBy('monitorId').execute();
      expect(perMonitor).toHaveLength(1000);
      expect(perMonitor.filter((m) => Number(m.n) !== 1)).toEqual([]);
      // Every monitor was actually probed (a probe the killed process made but never recorded is made again).
      expect(hits.size).toBe(1000);
      const timersLeft = await t.db.selectFrom('jobs').select('id').where('kind', '=', SLA_TIMER_JOB).where('status', '=', 'pending')
        .where('runAt', '<=', Date.now()).execute();
      expect(timersLeft).toEqual([]);
      console.log(`two processes: killed one after ${killedAt.fired} timers and ${killedAt.checked} checks; the other finished 1,000 + 1,000, none twice`);
    } finally {
      target.close();
    }
  }, 300_000);

  it('one process at a time holds a mailbox lease; another takes over when the holder dies', async () => {
    const config = { dialect: 'postgres' as const, url: t.url };
    const first = leaseOn(config, MAILBOX);
    const second = leaseOn(config, MAILBOX);
    const other = leaseOn(config, 'imap:imap://other@example.com@mail:993/INBOX');
    try {
      expect(await first.held()).toBe(true);
      expect(await second.held()).toBe(false);
      expect(await other.held()).toBe(true);
      expect(await first.held()).toBe(true);
      // The holder's process dies: its connection (and with it the lock) goes. The lock's backend, found by
      // its key in this database only (pg_locks is server-wide), is terminated as a crash would end it.
      const key = BigInt.asUintN(64, BigInt(leaseKey(MAILBOX)));
      const admin = new pg.Client({ connectionString: t.url });
      await admin.connect();
      try {
        const holder = await admin.query<{ pid: number }>(
          `select pid from pg_locks where locktype = 'advisory' and granted and objsubid = 1
             and database = (select oid from pg_database where datname = current_database())
             and classid = $1::bigint::oid and objid = $2::bigint::oid`,
          [String(key >> 32n), String(key & 0xffffffffn)],
        );
        expect(holder.rows).toHaveLength(1);
        await admin.query('select pg_terminate_backend($1)', [holder.rows[0]!.pid]);
      } finally {
        await admin.end();
      }
      // pg_terminate_backend only signals the backend: the lock is free once it has exited, a moment later.
      // The standby asks again as it would each interval; within 5 s it must hold the lease.
      const deadline = Date.now() + 5000;
      let taken = await second.held();
      while (!taken && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
        taken = await second.held();
      }
      expect(taken).toBe(true);
      expect(await first.held()).toBe(false);
    } finally {
      await Promise.all([first.close(), second.close(), other.close()]);
    }
  });
});
