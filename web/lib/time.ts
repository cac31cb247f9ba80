/**
 * Instants are shown in the contract calendar's zone, never the browser's, with
 * the zone named. Countdowns and live SLA states tick on the client between
 * refreshes (the server's timers decide the recorded state).
 */
import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import type { IncidentTarget, SlaState } from '../api/types.ts';

export { formatInstant, formatSpan } from './format.ts';

/** The current time, re-rendering every `everyMs`. */
export function useNow(everyMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(id);
  }, [everyMs]);
  return now;
}

/** Shared clocks, one timer per period: long lists tick only the components that read them. */
interface Clock { now: number; listeners: Set<() => void>; timer: ReturnType<typeof setInterval> | undefined }
const clocks = new Map<number, Clock>();
function clockOf(everyMs: number): Clock {
  let c = clocks.get(everyMs);
  if (!c) clocks.set(everyMs, (c = { now: Date.now(), listeners: new Set(), timer: undefined }));
  return c;
}
function subscribeClock(everyMs: number, listener: () => void): () => void {
  const c = clockOf(everyMs);
  c.listeners.add(listener);
  if (c.timer === undefined) {
    c.now = Date.now();
    c.timer = setInterval(() => {
      c.now = Date.now();
      for (const l of c.listeners) l();
    }, everyMs);
  }
  return () => {
    c.listeners.delete(listener);
    if (c.listeners.size === 0 && c.timer !== undefined) {
      clearInterval(c.timer);
      c.timer = undefined;
    }
  };
}
/** The current time from the shared clock of that period, re-rendering the caller (only) on each tick. */
export function useClock(everyMs = 1000): number {
  const subscribe = useCallback((l: () => void) => subscribeClock(everyMs, l), [everyMs]);
  return useSyncExternalStore(subscribe, () => clockOf(everyMs).now);
}

/** The state a target has at `now`: the server's, moved on by the clock for running targets. */
export function liveState(t: IncidentTarget, now: number): SlaState {
  if (t.state === 'met' || t.state === 'metLate' || t.state === 'pending' || t.paused || !t.dueAt) return t.state;
  if (now >= Date.parse(t.dueAt)) return 'breached';
  if (t.atRiskAt && now >= Date.parse(t.atRiskAt) && t.state === 'ok') return 'atRisk';
  return t.state;
}

export const SLA_COLOURS: Record<SlaState, string> = {
  pending: 'gray', ok: 'green', atRisk: 'orange', breached: 'red', met: 'teal', metLate: 'grape',
};

const SEVERITY: Record<SlaState, number> = { breached: 5, atRisk: 4, ok: 3, metLate: 2, met: 1, pending: 0 };

/** The incident's headline state: the worst of its targets. */
export function worstState(targets: IncidentTarget[], now: number): SlaState {
  let worst: SlaState = 'pending';
  for (const t of targets) {
    if (t.excluded) continue;
    const s = liveState(t, now);
    if (SEVERITY[s] > SEVERITY[worst]) worst = s;
  }
  return worst;
}

/** The next deadline still running (not met), or null. */
export function nextDue(targets: IncidentTarget[]): IncidentTarget | null {
  let best: IncidentTarget | null = null;
  for (const t of targets) {
    if (!t.dueAt || t.metAt || t.state === 'met' || t.state === 'metLate') continue;
    if (!best || Date.parse(t.dueAt) < Date.parse(best.dueAt!)) best = t;
  }
  return best;
}

/** ISO instant → "YYYY-MM-DDTHH:MM" wall time in `zone` (for datetime-local inputs). */
export function toLocalInput(ms: number, zone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(new Date(ms));
  const get = (k: string) => parts.find((p) => p.type === k)?.value ?? '00';
  return `${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}`;
}
