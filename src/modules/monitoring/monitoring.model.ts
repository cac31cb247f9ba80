/**
 * The monitoring slice's job names, types, vocabulary and checks of a monitor's
 * configuration, shared by its parts (commands, check results and outages, queries)
 * and re-exported by monitoring.service.ts. A leaf of the slice.
 */
import type { z } from 'zod';
import type { CreateMonitorBody, UpdateMonitorBody } from '../../contract/monitoring.ts';
import type { AvailabilityResult } from '../../core/availability/index.ts';
import type { ErrorIssue, IssueCode, IssueParams } from '../../errors.ts';
import type { CheckOutcome } from './monitoring.checker.ts';
import type * as repo from './monitoring.repository.ts';

export const CHECK_JOB = 'monitor.check';
export const INCIDENT_JOB = 'monitoring.incident';
export const RECOVERY_JOB = 'monitoring.recovery';
export const checkKey = (monitorId: string) => `monitor:${monitorId}`;
/** A result stands for at most this many intervals (the core's staleFactor). */
export const STALE_FACTOR = 1.5;

export type Monitor = repo.MonitorRow;
export type Outage = repo.OutageRow;

/** How an outage ended: the checks saw the system up again, monitoring stopped, or the desk closed it. */
export const OUTAGE_ENDINGS = ['recovered', 'monitor_disabled', 'monitor_deleted', 'manual'] as const;
export type OutageEnding = (typeof OUTAGE_ENDINGS)[number];
/** What the public status page lists besides systems and outages (default: outage incidents). */
export const STATUS_PAGE_INCIDENTS = ['none', 'outage', 'all'] as const;
export type StatusPageIncidents = (typeof STATUS_PAGE_INCIDENTS)[number];
export const DEFAULT_STATUS_PAGE_INCIDENTS: StatusPageIncidents = 'outage';
export const RECENT_MS = 30 * 86_400_000;

/**
 * The monitor's fields once monitoring of it stops or its outage is closed by hand: no streak,
 * no open outage, state unknown until new results say otherwise.
 */
export const STREAK_RESET = { state: 'unknown', failStreak: 0, okStreak: 0, firstFailAt: null, recoveringSince: null, openOutageId: null } as const;

/** A new health check: POST /monitors' body (defaults: interval 60 s, timeout 10 s, no retries, confirm after 3, recover after 2). */
export type MonitorInput = z.infer<typeof CreateMonitorBody>;
/** A change (PATCH /monitors/{id}): absent fields stay as they are. */
export type MonitorPatch = z.infer<typeof UpdateMonitorBody>;

export interface CheckedItem {
  job: { id: string; runAt: number; lockToken: string | null };
  monitor: Monitor;
  outcome: CheckOutcome;
  /** When the check started. */
  at: number;
}

export interface SystemAvailability {
  systemId: string;
  name: string;
  figure: AvailabilityResult;
}

export const issue = (path: (string | number)[], code: IssueCode, message: string, params?: IssueParams): ErrorIssue => ({ path, code, message, ...(params ? { params } : {}) });

/** Spreads first checks over one interval so 20,000 monitors created at once do not fire together. */
export function spread(id: string, intervalMs: number): number {
  let h = 2166136261;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 16777619);
  return (h >>> 0) % Math.max(1, intervalMs);
}

export function validate(m: Omit<MonitorInput, 'contractId' | 'systemId'> & { intervalMs: number; timeoutMs: number; retries: number; confirmAfter: number; recoverAfter: number }): ErrorIssue[] {
  const issues: ErrorIssue[] = [];
  if (!m.name?.trim()) issues.push(issue(['name'], 'too_small', 'required'));
  if (m.kind === 'http') {
    let ok = false;
    try {
      const u = new URL(m.url ?? '');
      ok = u.protocol === 'http:' || u.protocol === 'https:';
    } catch { /* reported below */ }
    if (!ok) issues.push(issue(['url'], 'invalid', 'an http:// or https:// URL'));
    if (m.keywordMode && !m.keyword) issues.push(issue(['keyword'], 'required', 'required with keywordMode'));
  } else if (m.kind === 'tcp') {
    if (!m.host?.trim()) issues.push(issue(['host'], 'required', 'required for tcp'));
    if (!Number.isInteger(m.port) || m.port! < 1 || m.port! > 65535) issues.push(issue(['port'], 'invalid', '1..65535'));
  } else issues.push(issue(['kind'], 'invalid_enum_value', 'http or tcp'));
  if (!(m.intervalMs >= 1000 && m.intervalMs <= 86_400_000)) issues.push(issue(['intervalMs'], 'invalid', '1 s .. 24 h'));
  if (!(m.timeoutMs >= 100 && m.timeoutMs <= 120_000)) issues.push(issue(['timeoutMs'], 'invalid', '100 ms .. 120 s'));
  if (m.timeoutMs * (m.retries + 1) > m.intervalMs) issues.push(issue(['timeoutMs'], 'invalid', 'timeout × (retries + 1) must fit in the interval'));
  for (const k of ['retries', 'confirmAfter', 'recoverAfter'] as const) {
    const min = k === 'retries' ? 0 : 1;
    if (!Number.isInteger(m[k]) || m[k] < min || m[k] > 100) issues.push(issue([k], 'invalid', `an integer ${min}..100`));
  }
  return issues;
}
