/**
 * Operations monitoring (システム運用・可用性): health checks per system, outages,
 * and availability per contract month with the intervals behind each figure.
 */
import { z } from 'zod';
import { Id, Instant, Text } from './common.ts';

export const MonitorState = z.enum(['up', 'down', 'unknown']).describe('unknown = no result yet, or the checker had no network');

const monitorConfig = {
  name: Text.trim().min(1).max(200),
  kind: z.enum(['http', 'tcp']),
  url: Text.max(2000).nullable().optional().describe('http(s) URL (kind http)'),
  host: Text.max(255).nullable().optional().describe('host (kind tcp)'),
  port: z.number().int().min(1).max(65535).nullable().optional().describe('port (kind tcp)'),
  expectedStatus: z.number().int().min(100).max(599).nullable().optional().describe('default: any 2xx or 3xx'),
  keyword: Text.max(500).nullable().optional(),
  keywordMode: z.enum(['present', 'absent']).nullable().optional(),
  intervalMs: z.number().int().min(1000).max(86_400_000).optional().describe('default 60 s'),
  timeoutMs: z.number().int().min(100).max(120_000).optional().describe('default 10 s'),
  retries: z.number().int().min(0).max(100).optional().describe('immediate re-tries of a failed check (default 0)'),
  confirmAfter: z.number().int().min(1).max(100).optional().describe('N consecutive failures before "down" (default 3)'),
  recoverAfter: z.number().int().min(1).max(100).optional().describe('M consecutive successes before "up" again (default 2)'),
  enabled: z.boolean().optional(),
};
export const CreateMonitorBody = z.strictObject({ contractId: Id, systemId: Id, ...monitorConfig });
export const UpdateMonitorBody = z.strictObject({ ...monitorConfig, name: monitorConfig.name.optional(), kind: monitorConfig.kind.optional() });

/** A contact sees a monitor by name and state; where and how it checks is the vendor's. */
const FOR_STAFF = 'null for a contact (the check target and its errors are shown to staff only)';
export const Monitor = z
  .object({
    id: Id, contractId: Id, clientId: Id, systemId: Id, name: z.string(), kind: z.enum(['http', 'tcp']),
    url: z.string().nullable().describe(FOR_STAFF), host: z.string().nullable().describe(FOR_STAFF), port: z.number().int().nullable().describe(FOR_STAFF),
    expectedStatus: z.number().int().nullable().describe(FOR_STAFF), keyword: z.string().nullable().describe(FOR_STAFF),
    keywordMode: z.enum(['present', 'absent']).nullable().describe(FOR_STAFF),
    intervalMs: z.number().int(), timeoutMs: z.number().int(), retries: z.number().int(), confirmAfter: z.number().int(), recoverAfter: z.number().int(),
    enabled: z.boolean(),
    state: MonitorState,
    lastCheckAt: Instant.nullable(),
    lastLatencyMs: z.number().int().nullable(),
    lastError: z.string().nullable().describe(FOR_STAFF),
    openOutageId: Id.nullable(),
    createdAt: Instant,
    updatedAt: Instant,
    deletedAt: Instant.nullable().describe('deleted: never checked again; its outages and runs still count in availability'),
  })
  .meta({ id: 'Monitor' });
export const MonitorQuery = z.object({
  contractId: Id.optional(), systemId: Id.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200), offset: z.coerce.number().int().min(0).default(0),
});

export const OutageEnding = z.enum(['recovered', 'monitor_disabled', 'monitor_deleted', 'manual'])
  .describe('recovered = M successes; monitor_disabled / monitor_deleted = monitoring stopped (the time after it is unknown); manual = closed by the desk');
export const Outage = z
  .object({
    id: Id, monitorId: Id, contractId: Id, clientId: Id, systemId: Id,
    startedAt: Instant.describe('the first failed check'),
    confirmedAt: Instant.describe('the check that confirmed it (N consecutive failures)'),
    endedAt: Instant.nullable().describe('the first of M consecutive successes; null while down'),
    muted: z.boolean().describe('confirmed during a maintenance window: no alert'),
    incidentId: Id.nullable(),
    endedBy: OutageEnding.nullable().describe('how it ended; null while down'),
    endReason: z.string().nullable().describe('the agent\'s reason for a manual close'),
  })
  .meta({ id: 'Outage' });
export const CloseOutageBody = z.strictObject({ reason: z.string().trim().min(1).max(2000).describe('why the desk ends the outage by hand (e.g. false alarm)') });

export const StatusPageIncidents = z.enum(['none', 'outage', 'all'])
  .describe('incidents of the last 30 days the public status page lists by title and state: none, outage incidents only (default), or all');
export const StatusPageSettings = z
  .object({ contractId: Id, incidents: StatusPageIncidents, updatedAt: Instant.nullable() })
  .meta({ id: 'StatusPageSettings' });
export const StatusPageSettingsBody = z.strictObject({ incidents: StatusPageIncidents });
export const OutageQuery = z.object({ contractId: Id.optional(), monitorId: Id.optional(), open: z.enum(['true', 'false']).optional(), limit: z.coerce.number().int().min(1).max(1000).default(100) });

const Span = z.object({ from: Instant, to: Instant });
export const AvailabilityFigure = z
  .object({
    from: Instant, to: Instant,
    periodMs: z.number(), plannedMs: z.number(), serviceMs: z.number(), downtimeMs: z.number(), unknownMs: z.number(), upMs: z.number(), overrunMs: z.number(),
    availability: z.number().nullable().describe('up / (service − unknown); null when monitoring saw none of the service time'),
    worstCase: z.number().nullable().describe('up / service: unknown counted as down'),
    coverage: z.number().nullable().describe('(service − unknown) / service'),
    intervals: z.object({
      planned: z.array(Span), service: z.array(Span), downtime: z.array(Span), overrun: z.array(Span), unknown: z.array(Span), up: z.array(Span),
    }),
  })
  .meta({ id: 'AvailabilityFigure' });
export const AvailabilityParams = z.object({ id: Id, month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be "YYYY-MM"') });
export const ContractAvailability = z
  .object({
    contractId: Id, year: z.number().int(), month: z.number().int(), timeZone: z.string(),
    contract: AvailabilityFigure.describe('down when any system is down'),
    systems: z.array(z.object({ systemId: Id, name: z.string(), figure: AvailabilityFigure })),
  })
  .meta({ id: 'ContractAvailability' });
export const StatusPageQuery = z.object({ lang: z.enum(['ja', 'en']).optional() });
