/**
 * Webhook events, derived from audit entries in the unit's own transaction (the unit
 * of work's audit sink, set by the composition root): a domain change, the event it
 * means and one delivery per matching endpoint (its own queue entry) commit together or
 * not at all, and each delivery exists once (unique event × endpoint),
 * whatever the number of processes or restarts. No module announces its changes by
 * hand: the table below maps (entity, action) to event types.
 *
 * Nothing is written when no enabled endpoint wants an event (no event row, no
 * sequence number): the hot path of a desk without webhooks costs one small read.
 */
import { sql } from 'kysely';
import { uuidv7 } from 'uuidv7';
import { toIso, toIsoOrNull } from '../../contract/common.ts';
import type { WebhookEnvelope, WebhookEventType, WebhookFiltersType } from '../../contract/webhooks.ts';
import type { Executor } from '../../db/database.ts';
import type { AuditRecord, AuditSink, AuditedUnit } from '../../db/unit-of-work.ts';
import type { TableVersions } from '../../db/table-versions.ts';
import * as repo from './webhook.repository.ts';

/** The job runner's lane that sends deliveries (claimed from `webhook_deliveries`, not from `jobs`). */
export const DELIVERY_JOB = 'webhook.deliver';

/** What filters look at. */
export interface EventAttributes {
  clientId?: string | null;
  contractId?: string | null;
  systemId?: string | null;
  priority?: string | null;
  category?: string | null;
}

interface Candidate {
  type: WebhookEventType;
  resourceType: WebhookEnvelope['resource']['type'];
  resourceId: string;
  /** Reads what the payload needs; null: nothing to announce after all (the row is gone). */
  build(ex: Executor): Promise<{ data: unknown; attrs: EventAttributes } | null>;
}

type Snapshot = Record<string, unknown> | null | undefined;
const obj = (v: unknown): Snapshot => (v && typeof v === 'object' ? (v as Record<string, unknown>) : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

export interface EventDeps {
  /** The staff console's base URL, for links in payloads. */
  baseUrl: string;
  /**
   * SQLite's change counters (table-versions.ts): the enabled endpoints are then read once and
   * kept while `webhook_endpoints` is unchanged (every incident command asks). null: read each time.
   */
  versions?: TableVersions | null;
}

function incidentSummary(i: repo.IncidentFacts, baseUrl: string) {
  return {
    id: i.id, number: i.number, title: i.title, status: i.status, priority: i.priority, category: i.category,
    contractId: i.contractId, clientId: i.clientId, systemId: i.systemId, assigneeId: i.assigneeId,
    receivedAt: toIso(i.receivedAt), url: `${baseUrl.replace(/\/$/, '')}/incidents/${i.number}`,
  };
}

const incidentAttrs = (i: repo.IncidentFacts): EventAttributes => ({
  clientId: i.clientId, contractId: i.contractId, systemId: i.systemId, priority: i.priority, category: i.category,
});

/** The events an audit entry means (usually none or one). */
export function candidatesOf(r: AuditRecord, at: number, deps: EventDeps): Candidate[] {
  const before = obj(r.before);
  const after = obj(r.after);
  const incident = (type: WebhookEventType, extra: (i: repo.IncidentFacts) => Record<string, unknown> = () => ({})): Candidate => ({
    type, resourceType: 'incident', resourceId: r.entityId,
    async build(ex) {
      const i = await repo.incidentFacts(ex, r.entityId);
      return i ? { data: { incident: incidentSummary(i, deps.baseUrl), ...extra(i) }, attrs: incidentAttrs(i) } : null;
    },
  });
  const change = (field: string) => () => ({ change: { from: str(before?.[field]), to: str(after?.[field]) } });
  if (r.entity === 'incident') {
    switch (r.action) {
      case 'create': return [incident('incident.created')];
      case 'status':
      case 'reopen': {
        const to = str(after?.status);
        const out = [incident(to === 'recognized' && str(before?.status) === 'new' ? 'incident.recognized' : 'incident.status_changed', change('status'))];
        // A target met after its deadline by this move: its own event, one per target.
        out.push({
          type: 'sla.met_late', resourceType: 'incident', resourceId: r.entityId,
          async build(ex) {
            const late = await repo.metLateTargets(ex, r.entityId, at);
            const i = late.length ? await repo.incidentFacts(ex, r.entityId) : undefined;
            if (!i) return null;
            return { data: { incident: incidentSummary(i, deps.baseUrl), target: late[0]!.kind, dueAt: toIso(late[0]!.dueAt ?? at) }, attrs: incidentAttrs(i) };
          },
        });
        return out;
      }
      case 'priority': return [incident('incident.priority_changed', change('priority'))];
      case 'assign': return [incident('incident.assigned', change('assigneeId'))];
      case 'message': return [incident('incident.commented', () => ({ comment: { body: str(after?.body) ?? '' } }))];
      case 'sla.atRisk':
      case 'sla.breached':
      case 'escalate': {
        const type: WebhookEventType = r.action === 'sla.atRisk' ? 'sla.at_risk' : r.action === 'sla.breached' ? 'sla.breached' : 'sla.escalated';
        return [incident(type, () => ({
          target: str(after?.target) ?? 'resolve',
          dueAt: typeof after?.dueAt === 'number' ? toIso(after.dueAt) : toIso(at),
          ...(type === 'sla.escalated' ? { level: Number(after?.level ?? 0), notified: Array.isArray(after?.notified) ? after.notified : [] } : {}),
        }))];
      }
      default: return [];
    }
  }
  if (isRecord(r.entity) || r.entity === 'security_report') return recordCandidates(r, at);
  if (r.entity === 'outage' && (r.action === 'link_incident' || r.action === 'recover')) {
    return [{
      type: r.action === 'link_incident' ? 'outage.started' : 'outage.recovered', resourceType: 'outage', resourceId: r.entityId,
      async build(ex) {
        const o = await repo.outageFacts(ex, r.entityId);
        if (!o) return null;
        return {
          data: { outage: { id: o.id, contractId: o.contractId, clientId: o.clientId, systemId: o.systemId, startedAt: toIso(o.startedAt), endedAt: toIsoOrNull(o.endedAt), incidentId: o.incidentId } },
          attrs: { clientId: o.clientId, contractId: o.contractId, systemId: o.systemId },
        };
      },
    }];
  }
  if (r.entity === 'maintenance' && after) {
    const types: WebhookEventType[] = [];
    // Announced on its own, or created already announced.
    if (r.action === 'announce' || (r.action === 'create' && after.status === 'announced')) types.push('maintenance.announced');
    if (r.action === 'reschedule' && after.status === 'announced') types.push('maintenance.rescheduled');
    if (r.action === 'cancel' && before?.status === 'announced') types.push('maintenance.cancelled');
    if (r.action === 'actual') {
      if (before?.actualStart == null && after.actualStart != null) types.push('maintenance.started');
      if (before?.actualEnd == null && after.actualEnd != null) types.push('maintenance.ended');
    }
    return types.map((type) => ({
      type, resourceType: 'maintenance', resourceId: r.entityId,
      async build() {
        const m = after;
        const ms = (v: unknown) => (typeof v === 'number' ? toIso(v) : null);
        return {
          data: {
            maintenance: {
              id: r.entityId, contractId: str(m.contractId) ?? '', clientId: str(m.clientId) ?? '', systemId: str(m.systemId),
              kind: str(m.kind) ?? '', title: str(m.title) ?? '', status: str(m.status) ?? '',
              startsAt: ms(m.startsAt) ?? toIso(at), endsAt: ms(m.endsAt) ?? toIso(at), actualStart: ms(m.actualStart), actualEnd: ms(m.actualEnd),
            },
            ...(type === 'maintenance.rescheduled' && before ? { previous: { startsAt: ms(before.startsAt) ?? toIso(at), endsAt: ms(before.endsAt) ?? toIso(at) } } : {}),
          },
          attrs: { clientId: str(m.clientId), contractId: str(m.contractId), systemId: str(m.systemId) },
        };
      },
    }));
  }
  return [];
}

/**
 * The slices that landed beside this one (change requests, risks, security incidents): their
 * record's table, read by name in the event's transaction (this module does not import theirs).
 */
const RECORDS = {
  change_request: 'change_requests',
  risk: 'risks',
  security_incident: 'security_incidents',
} as const;
type RecordEntity = keyof typeof RECORDS;
const isRecord = (e: string): e is RecordEntity => Object.hasOwn(RECORDS, e);

async function recordFacts(ex: Executor, entity: RecordEntity, id: string) {
  const r = await sql<{ id: string; number: number; title: string; status: string; clientId: string; contractId: string | null }>`
    select id, number, title, status, client_id as "clientId", contract_id as "contractId" from ${sql.table(RECORDS[entity])} where id = ${id}`.execute(ex);
  return r.rows[0] ?? null;
}

function recordCandidates(r: AuditRecord, at: number): Candidate[] {
  const before = obj(r.before);
  const after = obj(r.after);
  const build = (entity: RecordEntity, id: string, extra: Record<string, unknown> = {}) => async (ex: Executor) => {
    const f = await recordFacts(ex, entity, id);
    if (!f) return null;
    return { data: { record: { ...f, number: Number(f.number) }, ...extra }, attrs: { clientId: f.clientId, contractId: f.contractId } };
  };
  if (isRecord(r.entity)) {
    const from = str(before?.status);
    const to = str(after?.status);
    const type = r.action === 'create' ? 'created' : to !== null && to !== from ? 'status_changed' : null;
    if (!type) return [];
    return [{
      type: `${r.entity}.${type}` as WebhookEventType, resourceType: r.entity, resourceId: r.entityId,
      build: build(r.entity, r.entityId, type === 'status_changed' ? { change: { from, to } } : {}),
    }];
  }
  if (r.entity === 'security_report' && r.action === 'issue' && after && typeof after.securityIncidentId === 'string') {
    const report = {
      id: r.entityId, kind: str(after.kind) ?? '', seq: Number(after.seq ?? 0), title: str(after.title) ?? '',
      issuedAt: toIso(typeof after.issuedAt === 'number' ? after.issuedAt : at),
    };
    return [{ type: 'report.issued', resourceType: 'security_incident', resourceId: after.securityIncidentId, build: build('security_incident', after.securityIncidentId, { report }) }];
  }
  return [];
}

/** True when an endpoint with these event types and filters wants this event. */
export function wants(eventTypes: readonly string[], filters: WebhookFiltersType, type: WebhookEventType, a: EventAttributes): boolean {
  if (type === 'webhook.test') return false; // only ever sent to the one endpoint asked
  if (eventTypes.length > 0 && !eventTypes.includes(type)) return false;
  // Client and contract narrow strictly: an event whose client is not known never reaches an endpoint kept to some clients.
  const strict = (list: readonly string[] | undefined, v: string | null | undefined) => !list || list.length === 0 || (v != null && list.includes(v));
  // The others narrow what has them: an outage has no priority, a contract-wide maintenance no system.
  const lenient = (list: readonly string[] | undefined, v: string | null | undefined) => !list || list.length === 0 || v == null || list.includes(v);
  return strict(filters.clientIds, a.clientId) && strict(filters.contractIds, a.contractId) && lenient(filters.systemIds, a.systemId)
    && lenient(filters.priorities, a.priority) && lenient(filters.categories, a.category);
}

/** Records one event and its deliveries to the given endpoints, and enqueues their jobs. */
export async function recordEvent(
  ex: Executor,
  e: { type: WebhookEventType; resourceType: string; resourceId: string; clientId: string | null; data: unknown; at: number },
  endpointIds: readonly string[],
): Promise<{ eventId: string; deliveryIds: string[] }> {
  const sequence = await repo.nextSequence(ex, `${e.resourceType}:${e.resourceId}`);
  const eventId = `evt_${uuidv7().replace(/-/g, '')}`;
  await repo.insertEvent(ex, {
    id: eventId, type: e.type, resourceType: e.resourceType, resourceId: e.resourceId, sequence, clientId: e.clientId,
    data: JSON.stringify(e.data), occurredAt: e.at,
  });
  const deliveries: repo.DeliveryRow[] = endpointIds.map((endpointId) => ({
    id: uuidv7(), eventId, endpointId, status: 'pending', attempts: 0, lastStatus: null, lastError: null, nextAttemptAt: e.at,
    createdAt: e.at, updatedAt: e.at,
  }));
  // The delivery rows are the queue (webhook.jobs.ts claims them): no job row beside each.
  await repo.insertDeliveries(ex, deliveries);
  return { eventId, deliveryIds: deliveries.map((d) => d.id) };
}

/** Parses an endpoint's stored lists (written by the service from validated input). */
export function endpointMatchers(rows: ReadonlyArray<Pick<repo.EndpointRow, 'id' | 'eventTypes' | 'filters'>>) {
  return rows.map((r) => ({ id: r.id, eventTypes: JSON.parse(r.eventTypes) as string[], filters: JSON.parse(r.filters) as WebhookFiltersType }));
}

/** The audit sink that turns a unit's entries into events and deliveries (same transaction). */
export function createWebhookSink(deps: EventDeps): AuditSink {
  let cached: { token: string; endpoints: ReturnType<typeof endpointMatchers> } | null = null;
  const enabled = async (ex: Executor) => {
    const versions = deps.versions ?? null;
    if (!versions) return endpointMatchers(await repo.enabledEndpoints(ex));
    // Taken before the read: a change during it makes the entry stale at once.
    const token = versions.token(['webhook_endpoints']);
    if (cached?.token === token) return cached.endpoints;
    const endpoints = endpointMatchers(await repo.enabledEndpoints(ex));
    cached = { token, endpoints };
    return endpoints;
  };
  return async (unit: AuditedUnit) => {
    const candidates = unit.records.flatMap((r) => candidatesOf(r, unit.at, deps));
    if (candidates.length === 0) return;
    const endpoints = await enabled(unit.tx);
    if (endpoints.length === 0) return;
    for (const c of candidates) {
      // Cheap pre-check on the type alone before reading the resource.
      if (!endpoints.some((ep) => ep.eventTypes.length === 0 || ep.eventTypes.includes(c.type))) continue;
      const built = await c.build(unit.tx);
      if (!built) continue;
      const ids = endpoints.filter((ep) => wants(ep.eventTypes, ep.filters, c.type, built.attrs)).map((ep) => ep.id);
      if (ids.length === 0) continue;
      await recordEvent(unit.tx, { type: c.type, resourceType: c.resourceType, resourceId: c.resourceId, clientId: built.attrs.clientId ?? null, data: built.data, at: unit.at }, ids);
    }
  };
}
