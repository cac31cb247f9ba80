/**
 * Queries of the webhooks module: endpoints and their secrets, events, deliveries
 * and attempts; and the few reads of other tables an event's payload needs (the
 * incident, outage or maintenance window as it stands in the event's transaction).
 * Webhooks are for admins only, so nothing here is client-scoped.
 */
import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import { insertRows } from '../../db/insert-rows.ts';
import { executeShaped } from '../../db/shaped-query.ts';
import type { Row } from '../../db/schema.ts';

export type EndpointRow = Row<'webhookEndpoints'>;
export type SecretRow = Row<'webhookSecrets'>;
export type EventRow = Row<'webhookEvents'>;
/** A delivery as the log shows it (without the worker's claim). */
export type DeliveryRow = Omit<Row<'webhookDeliveries'>, 'lockedUntil' | 'lockToken'>;
/** A delivery as a worker claimed it. */
export type ClaimedDelivery = DeliveryRow & { lockToken: string };
export type AttemptRow = Row<'webhookAttempts'>;

const ENDPOINT_COLUMNS = [
  'id', 'url', 'description', 'enabled', 'format', 'locale', 'eventTypes', 'filters', 'allowInsecure', 'ownerId',
  'failingSince', 'disabledReason', 'createdAt', 'updatedAt',
] as const;

export const listEndpoints = (ex: Executor): Promise<EndpointRow[]> =>
  ex.selectFrom('webhookEndpoints').select(ENDPOINT_COLUMNS).orderBy('createdAt').orderBy('id').execute();

export const enabledEndpoints = (ex: Executor): Promise<Array<Pick<EndpointRow, 'id' | 'eventTypes' | 'filters'>>> =>
  ex.selectFrom('webhookEndpoints').select(['id', 'eventTypes', 'filters']).where('enabled', '=', 1).execute();

export async function findEndpoint(ex: Executor, id: string): Promise<EndpointRow | undefined> {
  return ex.selectFrom('webhookEndpoints').select(ENDPOINT_COLUMNS).where('id', '=', id).executeTakeFirst();
}

export const endpointsByIds = (ex: Executor, ids: readonly string[]): Promise<EndpointRow[]> =>
  ids.length === 0 ? Promise.resolve([]) : ex.selectFrom('webhookEndpoints').select(ENDPOINT_COLUMNS).where('id', 'in', [...ids]).execute();

export const insertEndpoint = (ex: Executor, row: EndpointRow) => ex.insertInto('webhookEndpoints').values(row).execute();

export const updateEndpoint = (ex: Executor, id: string, patch: Partial<EndpointRow>) =>
  ex.updateTable('webhookEndpoints').set(patch).where('id', '=', id).execute();

export async function deleteEndpoint(ex: Executor, id: string): Promise<void> {
  // Deliveries and attempts go with it (cascade); its pending jobs find no delivery and end.
  await ex.deleteFrom('webhookAttempts').where('endpointId', '=', id).execute();
  await ex.deleteFrom('webhookDeliveries').where('endpointId', '=', id).execute();
  await ex.deleteFrom('webhookSecrets').where('endpointId', '=', id).execute();
  await ex.deleteFrom('webhookEndpoints').where('id', '=', id).execute();
}

/** Secrets (public part) of endpoints, newest first; expired ones left out. */
export const secretsOf = (ex: Executor, endpointIds: readonly string[], now: number): Promise<SecretRow[]> =>
  endpointIds.length === 0 ? Promise.resolve([]) : ex.selectFrom('webhookSecrets')
    .select(['id', 'endpointId', 'sealed', 'prefix', 'createdAt', 'expiresAt'])
    .where('endpointId', 'in', [...endpointIds])
    .where((eb) => eb.or([eb('expiresAt', 'is', null), eb('expiresAt', '>', now)]))
    .orderBy('createdAt', 'desc').orderBy('id', 'desc')
    .execute();

export const insertSecret = (ex: Executor, row: SecretRow) => ex.insertInto('webhookSecrets').values(row).execute();

/** The current secret becomes an old one, signing until `until` (0 ms: at once gone). */
export const retireSecrets = (ex: Executor, endpointId: string, until: number) =>
  ex.updateTable('webhookSecrets').set({ expiresAt: until }).where('endpointId', '=', endpointId).where('expiresAt', 'is', null).execute();

// The writes of an event (sequence, event row, its deliveries) and the read of its incident run on
// every audited incident command while an endpoint listens: compiled once per shape (shaped-query.ts),
// as the incident's own writes are (Kysely building these and the incident reads beside them was a third of a comment command's CPU at 10 endpoints).

/** The next number of a resource's event sequence (one row per resource; the upsert locks it). */
export async function nextSequence(ex: Executor, resource: string): Promise<number> {
  const build = () => ex.insertInto('webhookSequences').values({ resource, seq: 1 })
    .onConflict((oc) => oc.column('resource').doUpdateSet({ seq: sql<number>`webhook_sequences.seq + 1` }))
    .returning('seq');
  const r = (await executeShaped(ex, 'webhook-sequence-next', [resource], build)).rows[0];
  if (!r) throw new Error('webhook sequence upsert returned no row');
  return Number(r.seq);
}

export const insertEvent = (ex: Executor, row: EventRow) => insertRows(ex, 'webhookEvents', [row]);
/** The time zone each contract's calendar keeps (its newest version), for the instants of a chat message. */
export async function contractZones(ex: Executor, contractIds: readonly string[]): Promise<Map<string, string>> {
  if (contractIds.length === 0) return new Map();
  const rows = await ex.selectFrom('contracts as c').innerJoin('calendars as k', 'k.id', 'c.calendarId')
    .select(['c.id', 'k.document']).where('c.id', 'in', [...contractIds]).execute();
  return new Map(rows.map((r) => [r.id, (JSON.parse(r.document) as { timeZone: string }).timeZone]));
}

export const findEvent = (ex: Executor, id: string) =>
  ex.selectFrom('webhookEvents').select(['id', 'type', 'resourceType', 'resourceId', 'sequence', 'clientId', 'data', 'occurredAt']).where('id', '=', id).executeTakeFirst();
// The delivery lane's statements below run once per batch of up to 500 deliveries, with IN lists of
// hundreds of values: compiled once per list length (shaped-query.ts) rather than by Kysely each batch.
export const eventsByIds = async (ex: Executor, ids: readonly string[]): Promise<EventRow[]> => ids.length === 0 ? [] : (await executeShaped(
  ex, `webhook-events-by-id|${ids.length}`, ids,
  () => ex.selectFrom('webhookEvents').select(['id', 'type', 'resourceType', 'resourceId', 'sequence', 'clientId', 'data', 'occurredAt']).where('id', 'in', [...ids]),
)).rows;

export const insertDeliveries = (ex: Executor, rows: DeliveryRow[]) => insertRows(ex, 'webhookDeliveries', rows);

const DELIVERY_COLUMNS = ['id', 'eventId', 'endpointId', 'status', 'attempts', 'lastStatus', 'lastError', 'nextAttemptAt', 'createdAt', 'updatedAt'] as const;

export const findDelivery = (ex: Executor, endpointId: string, id: string) =>
  ex.selectFrom('webhookDeliveries').select(DELIVERY_COLUMNS).where('id', '=', id).where('endpointId', '=', endpointId).executeTakeFirst();

export const deliveriesByIds = (ex: Executor, ids: readonly string[]): Promise<DeliveryRow[]> =>
  ids.length === 0 ? Promise.resolve([]) : ex.selectFrom('webhookDeliveries').select(DELIVERY_COLUMNS).where('id', 'in', [...ids]).execute();

/**
 * Claims up to `size` due deliveries for one worker in one statement: a lease until
 * `now + leaseMs` under `token` (SKIP LOCKED on PostgreSQL, so workers of several processes
 * never take the same row; SQLite has one writer). A claim whose lease ran out (its process
 * died) is taken over. The literal status lets both planners use the partial index.
 */
export async function claimDueDeliveries(ex: Executor, o: { now: number; size: number; leaseMs: number; token: string }): Promise<ClaimedDelivery[]> {
  const build = () => {
    const due = ex.selectFrom('webhookDeliveries').select('id')
      .where(sql<boolean>`status = 'pending'`).where('nextAttemptAt', '<=', o.now)
      .where((eb) => eb.or([eb('lockedUntil', 'is', null), eb('lockedUntil', '<', o.now)]))
      .orderBy('nextAttemptAt').limit(o.size).forUpdate().skipLocked();
    return ex.updateTable('webhookDeliveries').set({ lockedUntil: o.now + o.leaseMs, lockToken: o.token })
      .where('id', 'in', due).returning(DELIVERY_COLUMNS);
  };
  const { rows } = await executeShaped(ex, 'webhook-claim', [o.now + o.leaseMs, o.token, o.now, o.now, o.size], build);
  return rows.map((r) => ({ ...r, lockToken: o.token }));
}

/** Which of these deliveries are still held under `token` (a "send again" meanwhile voids a claim). */
export async function heldDeliveries(ex: Executor, ids: readonly string[], token: string): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const build = () => ex.selectFrom('webhookDeliveries').select('id').where('id', 'in', [...ids]).where('lockToken', '=', token);
  const { rows } = await executeShaped(ex, `webhook-held|${ids.length}`, [...ids, token], build);
  return new Set(rows.map((r) => r.id));
}

/** The common outcome, for many deliveries in one statement: sent, answered with `status`; the claim released. */
export async function markSucceeded(ex: Executor, ids: readonly string[], status: number, now: number, token: string): Promise<void> {
  if (ids.length === 0) return;
  const build = () => ex.updateTable('webhookDeliveries')
    .set((eb) => ({ status: 'succeeded', attempts: eb('attempts', '+', 1), lastStatus: status, lastError: null, nextAttemptAt: null, lockedUntil: null, lockToken: null, updatedAt: now }))
    .where('id', 'in', [...ids]).where('lockToken', '=', token);
  await executeShaped(ex, `webhook-succeeded|${ids.length}`, ['succeeded', 1, status, null, null, null, null, now, ...ids, token], build);
}

export async function listDeliveries(ex: Executor, endpointId: string, o: { limit: number; status?: string }) {
  let q = ex.selectFrom('webhookDeliveries as d').innerJoin('webhookEvents as e', 'e.id', 'd.eventId')
    .select(['d.id', 'd.eventId', 'd.endpointId', 'd.status', 'd.attempts', 'd.lastStatus', 'd.lastError', 'd.nextAttemptAt', 'd.createdAt', 'd.updatedAt',
      'e.type as eventType', 'e.resourceType', 'e.resourceId'])
    .where('d.endpointId', '=', endpointId);
  if (o.status) q = q.where('d.status', '=', o.status);
  return q.orderBy('d.createdAt', 'desc').orderBy('d.id', 'desc').limit(o.limit).execute();
}

export const updateDelivery = (ex: Executor, id: string, patch: Partial<Row<'webhookDeliveries'>>) =>
  ex.updateTable('webhookDeliveries').set(patch).where('id', '=', id).execute();

export const insertAttempts = (ex: Executor, rows: AttemptRow[]) => insertRows(ex, 'webhookAttempts', rows);

export const attemptsOf = (ex: Executor, deliveryId: string) =>
  ex.selectFrom('webhookAttempts').select(['id', 'deliveryId', 'endpointId', 'at', 'statusCode', 'durationMs', 'error', 'responseExcerpt'])
    .where('deliveryId', '=', deliveryId).orderBy('at').orderBy('id').execute();

// ---- what payloads are made of (read in the event's own transaction) ----

const INCIDENT_COLUMNS = [
  'id', 'number', 'title', 'status', 'priority', 'category', 'contractId', 'clientId', 'systemId', 'assigneeId', 'receivedAt',
  'calendarId', 'slaPolicyId', 'slaPolicyVersion', 'createdAt',
] as const;
export type IncidentFacts = Pick<Row<'incidents'>, (typeof INCIDENT_COLUMNS)[number]>;

export const incidentFacts = async (ex: Executor, id: string): Promise<IncidentFacts | undefined> =>
  (await executeShaped(ex, 'webhook-incident-facts', [id], () => ex.selectFrom('incidents').select(INCIDENT_COLUMNS).where('id', '=', id))).rows[0];

export const metLateTargets = (ex: Executor, incidentId: string, at: number) =>
  ex.selectFrom('incidentTargets').select(['kind', 'dueAt']).where('incidentId', '=', incidentId).where('state', '=', 'metLate').where('metAt', '=', at).execute();

export const outageFacts = (ex: Executor, id: string) =>
  ex.selectFrom('outages').select(['id', 'contractId', 'clientId', 'systemId', 'startedAt', 'endedAt', 'incidentId']).where('id', '=', id).executeTakeFirst();

export const clientName = async (ex: Executor, id: string): Promise<string | null> =>
  (await ex.selectFrom('clients').select('name').where('id', '=', id).executeTakeFirst())?.name ?? null;

/**
 * Forgets the delivery log older than a cut-off: finished deliveries with their attempts, then
 * events no delivery refers to any more. Pending deliveries are kept whatever their age.
 */
export async function pruneWebhookLog(ex: Executor, olderThan: number): Promise<number> {
  const old = ex.selectFrom('webhookDeliveries').select('id').where('status', '!=', 'pending').where('updatedAt', '<', olderThan);
  await ex.deleteFrom('webhookAttempts').where('deliveryId', 'in', old).execute();
  const r = await ex.deleteFrom('webhookDeliveries').where('status', '!=', 'pending').where('updatedAt', '<', olderThan).executeTakeFirst();
  await ex.deleteFrom('webhookEvents').where('occurredAt', '<', olderThan)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('webhookDeliveries as d').select('d.id').whereRef('d.eventId', '=', 'webhookEvents.id'))))
    .execute();
  return Number(r.numDeletedRows);
}
