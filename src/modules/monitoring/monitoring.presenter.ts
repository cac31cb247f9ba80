import type { z } from 'zod';
import type { AvailabilityResult, Interval } from '../../core/availability/index.ts';
import { toIso, toIsoOrNull } from '../../contract/common.ts';
import type { AvailabilityFigure, Monitor, Outage } from '../../contract/monitoring.ts';
import type { Monitor as MonitorRow, Outage as OutageRow } from './monitoring.service.ts';

type M = z.infer<typeof Monitor>;
export const presentMonitor = (m: MonitorRow): M => ({
  id: m.id, contractId: m.contractId, clientId: m.clientId, systemId: m.systemId, name: m.name, kind: m.kind as M['kind'],
  url: m.url, host: m.host, port: m.port, expectedStatus: m.expectedStatus, keyword: m.keyword, keywordMode: m.keywordMode as M['keywordMode'],
  intervalMs: m.intervalMs, timeoutMs: m.timeoutMs, retries: m.retries, confirmAfter: m.confirmAfter, recoverAfter: m.recoverAfter,
  enabled: m.enabled === 1, state: m.state as M['state'], lastCheckAt: toIsoOrNull(m.lastCheckAt), lastLatencyMs: m.lastLatencyMs,
  lastError: m.lastError, openOutageId: m.openOutageId, createdAt: toIso(m.createdAt), updatedAt: toIso(m.updatedAt),
  deletedAt: toIsoOrNull(m.deletedAt),
});

export const presentOutage = (o: OutageRow): z.infer<typeof Outage> => ({
  id: o.id, monitorId: o.monitorId, contractId: o.contractId, clientId: o.clientId, systemId: o.systemId,
  startedAt: toIso(o.startedAt), confirmedAt: toIso(o.confirmedAt), endedAt: toIsoOrNull(o.endedAt), muted: o.muted === 1, incidentId: o.incidentId,
  endedBy: o.endedBy as z.infer<typeof Outage>['endedBy'], endReason: o.endReason,
});

const spans = (l: readonly Interval[]) => l.map(([from, to]) => ({ from: toIso(from), to: toIso(to) }));
export const presentFigure = (r: AvailabilityResult): z.infer<typeof AvailabilityFigure> => ({
  from: toIso(r.from), to: toIso(r.to), periodMs: r.periodMs, plannedMs: r.plannedMs, serviceMs: r.serviceMs, downtimeMs: r.downtimeMs,
  unknownMs: r.unknownMs, upMs: r.upMs, overrunMs: r.overrunMs, availability: r.availability, worstCase: r.worstCase, coverage: r.coverage,
  intervals: {
    planned: spans(r.intervals.planned), service: spans(r.intervals.service), downtime: spans(r.intervals.downtime),
    overrun: spans(r.intervals.overrun), unknown: spans(r.intervals.unknown), up: spans(r.intervals.up),
  },
});
