/**
 * Outbound webhooks (SPEC §3, §8; issue 16): the event vocabulary, the payload of
 * each event type (stable; in the OpenAPI document under `webhooks`), the endpoint
 * API's shapes, and the escalation rules of a contract.
 *
 * Every payload is an envelope `{ id, type, timestamp, resource: { type, id }, sequence, data }`:
 * `id` is the event's id (also the `webhook-id` header, the same on every attempt, so a
 * receiver can drop repeats), `sequence` counts the events of one resource (1, 2, …) so a
 * receiver can put them in order; gaps are possible (events no endpoint wanted are not numbered).
 */
import { z } from 'zod';
import { Id, Instant, Locale, Text, UniqueIds } from './common.ts';
import { CATEGORIES, PRIORITIES, STATUSES, TARGET_KINDS } from './vocabulary.ts';

export const WEBHOOK_EVENT_TYPES = [
  'incident.created', 'incident.recognized', 'incident.status_changed', 'incident.priority_changed', 'incident.assigned',
  'incident.commented', 'sla.at_risk', 'sla.breached', 'sla.met_late', 'sla.escalated', 'outage.started', 'outage.recovered',
  'maintenance.announced', 'maintenance.rescheduled', 'maintenance.cancelled', 'maintenance.started', 'maintenance.ended',
  'change_request.created', 'change_request.status_changed', 'risk.created', 'risk.status_changed',
  'security_incident.created', 'security_incident.status_changed', 'report.issued',
  'webhook.test',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];
export const WebhookEventTypeSchema = z.enum(WEBHOOK_EVENT_TYPES);

export const WEBHOOK_FORMATS = ['standard', 'slack', 'teams'] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];

export const DELIVERY_STATUSES = ['pending', 'succeeded', 'failed'] as const;

/** Retry schedule (Standard Webhooks' suggestion): the wait before attempt n+1, for n = 0…7. */
export const WEBHOOK_RETRY_SCHEDULE_MS = [0, 5_000, 5 * 60_000, 30 * 60_000, 2 * 3600_000, 5 * 3600_000, 10 * 3600_000, 10 * 3600_000] as const;
/** An endpoint whose deliveries have failed for this long without a success is disabled and its owner told. */
export const WEBHOOK_DISABLE_AFTER_MS = 3 * 24 * 3600_000;

// ---- payloads ----

const IncidentSummary = z.object({
  id: Id,
  number: z.number().int(),
  title: z.string(),
  status: z.enum(STATUSES),
  priority: z.enum(PRIORITIES),
  category: z.enum(CATEGORIES),
  contractId: Id,
  clientId: Id,
  systemId: Id.nullable(),
  assigneeId: Id.nullable(),
  receivedAt: Instant,
  url: z.string().describe('the incident in the staff console'),
});

const Change = z.object({ from: z.string().nullable(), to: z.string().nullable() });

export const IncidentEventData = z.object({
  incident: IncidentSummary,
  change: Change.optional().describe('status, priority or assignee: before and after'),
  comment: z.object({ body: z.string() }).optional().describe('incident.commented: the public message'),
});

export const SlaEventData = z.object({
  incident: IncidentSummary,
  target: z.enum(TARGET_KINDS),
  dueAt: Instant,
  level: z.number().int().min(0).optional().describe('sla.escalated: 1 = breached, 2+ = still breached after the rule\'s hours; 0 = urgent unassigned'),
  notified: z.array(z.string()).optional().describe('sla.escalated: the roles told (assignee, lead, engineer, desk)'),
});

export const OutageEventData = z.object({
  outage: z.object({
    id: Id, contractId: Id, clientId: Id, systemId: Id, startedAt: Instant, endedAt: Instant.nullable(), incidentId: Id.nullable(),
  }),
});

export const MaintenanceEventData = z.object({
  maintenance: z.object({
    id: Id, contractId: Id, clientId: Id, systemId: Id.nullable(), kind: z.string(), title: z.string(), status: z.string(),
    startsAt: Instant, endsAt: Instant, actualStart: Instant.nullable(), actualEnd: Instant.nullable(),
  }),
  previous: z.object({ startsAt: Instant, endsAt: Instant }).optional().describe('maintenance.rescheduled: the window before'),
});

/** Change requests, risks and security incidents (their own modules): the record as it stands, and what moved. */
export const RecordEventData = z.object({
  record: z.object({
    id: Id, number: z.number().int(), title: z.string(), status: z.string(), clientId: Id, contractId: Id.nullable(),
  }),
  change: Change.optional().describe('status_changed: the status before and after'),
  report: z.object({ id: Id, kind: z.string(), seq: z.number().int(), title: z.string(), issuedAt: Instant }).optional()
    .describe('report.issued: the security incident report issued (first, follow-up, final)'),
});

export const TestEventData = z.object({ message: z.string(), endpointId: Id });

/** The data schema of each event type. */
export const WEBHOOK_DATA: Record<WebhookEventType, z.ZodType> = {
  'incident.created': IncidentEventData,
  'incident.recognized': IncidentEventData,
  'incident.status_changed': IncidentEventData,
  'incident.priority_changed': IncidentEventData,
  'incident.assigned': IncidentEventData,
  'incident.commented': IncidentEventData,
  'sla.at_risk': SlaEventData,
  'sla.breached': SlaEventData,
  'sla.met_late': SlaEventData,
  'sla.escalated': SlaEventData,
  'outage.started': OutageEventData,
  'outage.recovered': OutageEventData,
  'maintenance.announced': MaintenanceEventData,
  'maintenance.rescheduled': MaintenanceEventData,
  'maintenance.cancelled': MaintenanceEventData,
  'maintenance.started': MaintenanceEventData,
  'maintenance.ended': MaintenanceEventData,
  'change_request.created': RecordEventData,
  'change_request.status_changed': RecordEventData,
  'risk.created': RecordEventData,
  'risk.status_changed': RecordEventData,
  'security_incident.created': RecordEventData,
  'security_incident.status_changed': RecordEventData,
  'report.issued': RecordEventData,
  'webhook.test': TestEventData,
};

export const RESOURCE_TYPES = ['incident', 'outage', 'maintenance', 'change_request', 'risk', 'security_incident', 'webhook_endpoint'] as const;

/** The body of a `standard` delivery. */
export const webhookPayload = <T extends z.ZodType>(type: WebhookEventType, data: T) => z.object({
  id: z.string().describe('the event id; also the webhook-id header, the same on every attempt'),
  type: z.literal(type),
  timestamp: Instant.describe('when the event happened'),
  resource: z.object({ type: z.enum(RESOURCE_TYPES), id: Id }),
  sequence: z.number().int().min(1).describe('1, 2, … per resource: order of this resource\'s events'),
  data,
});
export type WebhookEnvelope = {
  id: string; type: WebhookEventType; timestamp: string; resource: { type: (typeof RESOURCE_TYPES)[number]; id: string }; sequence: number; data: unknown;
};

/** The OpenAPI 3.1 `webhooks` object: one POST per event type with its payload and the signature headers. */
export function webhooksOpenApi(): Record<string, unknown> {
  const headers = [
    { name: 'webhook-id', in: 'header', required: true, schema: { type: 'string' }, description: 'the event id (the same on every attempt)' },
    { name: 'webhook-timestamp', in: 'header', required: true, schema: { type: 'string' }, description: 'seconds since the epoch of this attempt' },
    {
      name: 'webhook-signature', in: 'header', required: true, schema: { type: 'string' },
      description: 'space-separated `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, one per active secret (Standard Webhooks)',
    },
  ];
  return Object.fromEntries(WEBHOOK_EVENT_TYPES.map((type) => [type, {
    post: {
      summary: `${type} (format "standard")`,
      operationId: `webhook_${type.replace('.', '_')}`,
      parameters: headers,
      requestBody: { required: true, content: { 'application/json': { schema: z.toJSONSchema(webhookPayload(type, WEBHOOK_DATA[type]), { target: 'draft-2020-12', unrepresentable: 'any', io: 'output' }) } } },
      responses: {
        '200': { description: 'accepted (any 2xx); 410 disables the endpoint; 408, 429 (Retry-After) and 5xx are retried' },
      },
    },
  }]));
}

// ---- endpoints API ----

export const WebhookFilters = z.strictObject({
  clientIds: UniqueIds(200).optional(),
  contractIds: UniqueIds(200).optional(),
  systemIds: UniqueIds(200).optional(),
  priorities: z.array(z.enum(PRIORITIES)).max(3).optional(),
  categories: z.array(z.enum(CATEGORIES)).max(CATEGORIES.length).optional(),
}).describe('each list narrows the events sent; an absent or empty list does not. Clients and contracts narrow strictly; an event without a system, priority or category (an outage has no priority) passes those lists');
export type WebhookFiltersType = z.infer<typeof WebhookFilters>;

export const WebhookSecretInfo = z.object({
  id: Id, prefix: z.string(), createdAt: Instant, expiresAt: Instant.nullable().describe('null: the current secret'),
});

export const WebhookEndpoint = z.object({
  id: Id,
  url: z.string(),
  description: z.string(),
  enabled: z.boolean(),
  format: z.enum(WEBHOOK_FORMATS),
  locale: Locale,
  eventTypes: z.array(WebhookEventTypeSchema).describe('empty: every type'),
  filters: WebhookFilters,
  allowInsecure: z.boolean().describe('http and private/loopback addresses allowed (for testing)'),
  ownerId: Id,
  failingSince: Instant.nullable(),
  disabledReason: z.enum(['gone', 'failing']).nullable(),
  secrets: z.array(WebhookSecretInfo),
  createdAt: Instant,
  updatedAt: Instant,
}).meta({ id: 'WebhookEndpoint' });

export const WebhookEndpointCreated = WebhookEndpoint.extend({
  secret: z.string().describe('whsec_…: shown once, here'),
});

const Url = Text.trim().min(1).max(2000);

export const CreateWebhookBody = z.strictObject({
  url: Url,
  description: Text.max(500).optional(),
  enabled: z.boolean().optional(),
  format: z.enum(WEBHOOK_FORMATS).default('standard'),
  locale: Locale.optional(),
  eventTypes: z.array(WebhookEventTypeSchema).max(WEBHOOK_EVENT_TYPES.length).optional(),
  filters: WebhookFilters.optional(),
  allowInsecure: z.boolean().optional(),
});

export const UpdateWebhookBody = z.strictObject({
  url: Url.optional(),
  description: Text.max(500).optional(),
  enabled: z.boolean().optional(),
  format: z.enum(WEBHOOK_FORMATS).optional(),
  locale: Locale.optional(),
  eventTypes: z.array(WebhookEventTypeSchema).max(WEBHOOK_EVENT_TYPES.length).optional(),
  filters: WebhookFilters.optional(),
  allowInsecure: z.boolean().optional(),
});

export const RotateSecretBody = z.strictObject({
  keepOldHours: z.number().int().min(0).max(168).default(24).describe('the old secret still signs (a second signature) this long'),
});

export const RotatedSecret = z.object({ secret: z.string().describe('whsec_…: shown once, here'), endpoint: WebhookEndpoint });

export const WebhookAttempt = z.object({
  id: Id,
  at: Instant,
  statusCode: z.number().int().nullable(),
  durationMs: z.number().int(),
  error: z.string().nullable(),
  responseExcerpt: z.string().nullable(),
});

export const WebhookDelivery = z.object({
  id: Id,
  endpointId: Id,
  eventId: z.string(),
  eventType: WebhookEventTypeSchema,
  resourceType: z.string(),
  resourceId: z.string(),
  status: z.enum(DELIVERY_STATUSES),
  attempts: z.number().int(),
  lastStatus: z.number().int().nullable(),
  lastError: z.string().nullable(),
  nextAttemptAt: Instant.nullable(),
  createdAt: Instant,
  updatedAt: Instant,
}).meta({ id: 'WebhookDelivery' });

export const WebhookDeliveryDetail = WebhookDelivery.extend({
  attemptLog: z.array(WebhookAttempt),
  payload: z.unknown().describe('the event as the standard format sends it'),
});

export const DeliveryParams = z.object({ id: Id, deliveryId: Id });
export const DeliveryListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  status: z.enum(DELIVERY_STATUSES).optional(),
});

// ---- escalation rules ----

/**
 * At risk → the assignee (e-mail, webhook) is always told, by the SLA timer's notice and the
 * `sla.at_risk` event. Breached → level 1 tells whom `breached` names (desk lead = every
 * admin; engineers = the contract's engineers in charge), beside the timer's own breach mail;
 * still breached after N business hours → the next level (level 1's people, every admin and
 * the desk address), up to level 3. An urgent incident still unassigned M minutes after it
 * was received → the desk.
 */
export const EscalationRules = z.strictObject({
  breached: z.strictObject({ assignee: z.boolean(), deskLead: z.boolean(), engineer: z.boolean() }),
  /** Still breached after this many business hours (24/7 targets: hours): the next level; 0 = never. */
  nextLevelAfterBusinessHours: z.number().int().min(0).max(200),
  /** An urgent incident without an assignee this many minutes after it was received goes to the desk; 0 = never. */
  urgentUnassignedMinutes: z.number().int().min(0).max(24 * 60),
}).meta({ id: 'EscalationRules' });
export type EscalationRulesType = z.infer<typeof EscalationRules>;

/** The default when a contract has none of its own. */
export const DEFAULT_ESCALATION: EscalationRulesType = {
  breached: { assignee: true, deskLead: true, engineer: true },
  nextLevelAfterBusinessHours: 4,
  urgentUnassignedMinutes: 15,
};

export const ContractEscalation = z.object({
  contractId: Id,
  rules: EscalationRules,
  isDefault: z.boolean().describe('true: the contract has no rules of its own and follows the default'),
});
