/**
 * The demo desk's health checks: one HTTP monitor per contract with six weeks of results, a
 * 12-minute outage on the WMS that opened its urgent incident, and the delivery system down
 * inside its announced patch window (muted: planned, not downtime). Without them the report's
 * 稼働率と停止 section and its chart read "—" for every system and the 監視 page had nothing to show.
 *
 * The results are written as the check lane stores them — run-length rows, one per stretch of
 * one result within a UTC day — rather than by running ~300,000 checks through the job table,
 * which would make loading the demo take minutes. The outage's incident and its recovery note
 * go through the monitoring service at their instants, as the incident and recovery jobs do.
 * The monitors are then switched off through the service: their targets are example addresses,
 * and live checks of them would open outages (and urgent incidents) on the demo desk.
 */
import { uuidv7 } from 'uuidv7';
import { CHECK_DOWN, CHECK_UP, DAY_MS, utcDay } from '../core/availability/index.ts';
import type { Database } from '../db/database.ts';
import type { createServices } from '../http/services.ts';
import type { Actor } from '../modules/auth/actor.ts';
import type { Contract } from '../modules/contracts/contract.service.ts';
import * as repo from '../modules/monitoring/monitoring.repository.ts';
import type { DemoAction } from './demo-action.ts';

type Services = ReturnType<typeof createServices>;
const MIN = 60_000;
const INTERVAL = MIN;

/** Per contract of demo.ts, in its order: what the monitor is called and what it would check. */
const TARGETS = [
  { name: '配送管理システム 応答監視', url: 'https://haiso.sakura-logi.example/health' },
  { name: 'WMS 応答監視', url: 'https://wms.sakura-logi.example/health' },
  { name: '生産管理システム 応答監視', url: 'https://seisan.towa-seiki.example/health' },
  { name: '社内ポータル 応答監視', url: 'https://portal.towa-seiki.example/' },
  { name: '蔵書管理システム 応答監視', url: 'https://opac.minato-lib.example/' },
];

export interface DemoMonitoringCast {
  now: number;
  at: (days: number, hh: number, mm?: number) => number;
  staff: Actor;
  contracts: readonly Contract[];
}

type Down = readonly [from: number, to: number];

/**
 * The run rows of checks every INTERVAL from `from` to `to`: down inside `downs`, up elsewhere,
 * a new row at each change of result and at each UTC midnight (a run never crosses one).
 */
export function historyRuns(monitorId: string, from: number, to: number, downs: readonly Down[]): repo.RunRow[] {
  const rows: repo.RunRow[] = [];
  let run: repo.RunRow | null = null;
  for (let at = from, k = 0; at <= to; at += INTERVAL, k++) {
    const status = downs.some(([s, e]) => at >= s && at < e) ? CHECK_DOWN : CHECK_UP;
    // A steady few tens of milliseconds; a timeout-long wait when it is down.
    const latency = status === CHECK_DOWN ? 10_000 : 80 + ((k * 37) % 60);
    if (run && run.status === status && utcDay(run.lastAt) === utcDay(at)) {
      run.lastAt = at;
      run.checks += 1;
      run.latencySumMs += latency;
      run.latencyMaxMs = Math.max(run.latencyMaxMs, latency);
    } else {
      run = { id: uuidv7(), monitorId, status, startedAt: at, lastAt: at, checks: 1, intervalMs: INTERVAL, latencySumMs: latency, latencyMaxMs: latency };
      rows.push(run);
    }
  }
  return rows;
}

export function demoMonitoringActions(db: Database['db'], s: Services, cast: DemoMonitoringCast): DemoAction[] {
  const { at, staff, now } = cast;
  const since = at(-45, 9);
  // The last result, a minute before the monitors are switched off.
  const last = now - 3 * MIN;
  const monitors: string[] = [];
  const [delivery, wms] = cast.contracts as [Contract, Contract];
  // The WMS stopped answering for 12 minutes on a weekday afternoon; confirmed after three failed checks.
  const wmsDown: Down = [at(-20, 14, 6), at(-20, 14, 18)];
  // The patches of demo-records' maintenance (actually 02:05–03:40): the system is down while they are applied.
  const patchDown: Down = [at(-26, 2, 9), at(-26, 3, 31)];
  const outage = { wms: '', incident: '' as string | null, patch: '' };

  const insertOutage = async (id: string, monitorIndex: number, c: Contract, down: Down, muted: boolean) => {
    await repo.insertOutage(db, {
      id, monitorId: monitors[monitorIndex]!, contractId: c.id, clientId: c.clientId, systemId: c.systemIds[0]!,
      startedAt: down[0], confirmedAt: down[0] + 2 * INTERVAL, endedAt: null, muted: muted ? 1 : 0, incidentId: null,
      createdAt: down[0] + 2 * INTERVAL, updatedAt: down[0] + 2 * INTERVAL, endedBy: null, endReason: null,
    });
  };
  const endOutage = (id: string, down: Down) => repo.updateOutage(db, id, { endedAt: down[1], endedBy: 'recovered', updatedAt: down[1] + INTERVAL });

  return [
    {
      at: since, run: async () => {
        for (const [i, c] of cast.contracts.entries()) {
          const target = TARGETS[i % TARGETS.length]!;
          const m = await s.monitoring.create(staff, {
            contractId: c.id, systemId: c.systemIds[0]!, name: target.name, kind: 'http', url: target.url,
            expectedStatus: 200, intervalMs: INTERVAL, confirmAfter: 3, recoverAfter: 2,
          });
          monitors.push(m.id);
        }
      },
    },
    // Inside the announced window: recorded, muted, no incident; the report counts it as maintenance.
    { at: patchDown[0] + 2 * INTERVAL, run: async () => { outage.patch = uuidv7(); await insertOutage(outage.patch, 0, delivery, patchDown, true); } },
    { at: patchDown[1] + INTERVAL, run: async () => { await endOutage(outage.patch, patchDown); } },
    {
      at: wmsDown[0] + 2 * INTERVAL, run: async () => {
        await repo.updateMonitor(db, monitors[1]!, { lastError: 'HTTP 503 Service Unavailable' });
        outage.wms = uuidv7();
        await insertOutage(outage.wms, 1, wms, wmsDown, false);
        outage.incident = await s.monitoring.openIncident(outage.wms);
      },
    },
    { at: wmsDown[0] + 6 * INTERVAL, run: async () => { await s.incidents.changeStatus(staff, outage.incident!, { to: 'in_progress' }); } },
    { at: wmsDown[1] + INTERVAL, run: async () => { await endOutage(outage.wms, wmsDown); await s.monitoring.recordRecovery(outage.wms); } },
    {
      at: wmsDown[1] + 50 * MIN, run: async () => {
        await s.incidents.changeStatus(staff, outage.incident!, {
          to: 'resolved',
          resolution: {
            cause: 'アプリケーションサーバーのコネクションプール枯渇',
            fix: 'アプリケーションサーバーを再起動し、プールの上限を引き上げ',
            course: '監視の停止検知を受けて調査し、再起動で復旧を確認しました。上限値の見直しを実施済みです。',
          },
        });
      },
    },
    { at: wmsDown[1] + 2 * DAY_MS, run: async () => { await s.incidents.changeStatus(staff, outage.incident!, { to: 'closed' }); } },
    {
      // The results so far, then the monitors switched off (audited, as an agent would).
      at: last + MIN, run: async () => {
        for (const [i, id] of monitors.entries()) {
          const runs = historyRuns(id, since + INTERVAL, last, i === 0 ? [patchDown] : i === 1 ? [wmsDown] : []);
          for (const r of runs) await repo.insertRun(db, r);
          const tail = runs.at(-1)!;
          await repo.updateMonitor(db, id, {
            state: 'up', lastResult: CHECK_UP, lastCheckAt: tail.lastAt, lastLatencyMs: 95, lastError: null, currentRunId: tail.id, okStreak: tail.checks,
          });
          await s.monitoring.update(staff, id, { enabled: false });
        }
      },
    },
  ];
}
