/**
 * Tables of the webhooks and escalation module (migration *_webhooks.ts), composed
 * into `DB` and `tableColumns` by schema.ts. Same conventions: epoch ms instants,
 * 0/1 flags, JSON documents as text.
 */
type Flag = number;

export interface WebhookEndpointsTable {
  id: string;
  url: string;
  description: string;
  enabled: Flag;
  /** standard | slack | teams */
  format: string;
  /** ja | en: the language of slack/teams text */
  locale: string;
  /** JSON array of event types; [] = every type. */
  eventTypes: string;
  /** JSON WebhookFilters. */
  filters: string;
  /** http and private/loopback addresses allowed (an admin's flag for testing). */
  allowInsecure: Flag;
  /** Who is told by e-mail when the endpoint is disabled for failing. */
  ownerId: string;
  /** First failed attempt since the last success; null while healthy. */
  failingSince: number | null;
  /** gone | failing | null (enabled or disabled by hand). */
  disabledReason: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface WebhookSecretsTable {
  id: string;
  endpointId: string;
  /** AES-256-GCM sealed `whsec_…` (webhook.crypto.ts); never logged, shown once. */
  sealed: string;
  /** The first characters, to tell secrets apart in the UI. */
  prefix: string;
  createdAt: number;
  /** null: the current secret; else an old one still used to sign until then (rotation). */
  expiresAt: number | null;
}

export interface WebhookSequencesTable {
  resource: string;
  seq: number;
}

export interface WebhookEventsTable {
  id: string;
  type: string;
  resourceType: string;
  resourceId: string;
  sequence: number;
  clientId: string | null;
  data: string;
  occurredAt: number;
}

export interface WebhookDeliveriesTable {
  id: string;
  eventId: string;
  endpointId: string;
  /** pending | succeeded | failed */
  status: string;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  nextAttemptAt: number | null;
  createdAt: number;
  updatedAt: number;
  /** A worker's claim (the deliveries are their own queue): held until then, under this token. */
  lockedUntil: number | null;
  lockToken: string | null;
}

export interface WebhookAttemptsTable {
  id: string;
  deliveryId: string;
  endpointId: string;
  at: number;
  statusCode: number | null;
  durationMs: number;
  error: string | null;
  responseExcerpt: string | null;
}

export interface EscalationRulesTable {
  contractId: string;
  document: string;
  updatedAt: number;
}

export interface WebhooksDB {
  webhookEndpoints: WebhookEndpointsTable;
  webhookSecrets: WebhookSecretsTable;
  webhookSequences: WebhookSequencesTable;
  webhookEvents: WebhookEventsTable;
  webhookDeliveries: WebhookDeliveriesTable;
  webhookAttempts: WebhookAttemptsTable;
  escalationRules: EscalationRulesTable;
}

export const webhooksTableColumns = {
  webhookEndpoints: [
    'id', 'url', 'description', 'enabled', 'format', 'locale', 'eventTypes', 'filters', 'allowInsecure', 'ownerId',
    'failingSince', 'disabledReason', 'createdAt', 'updatedAt',
  ],
  webhookSecrets: ['id', 'endpointId', 'sealed', 'prefix', 'createdAt', 'expiresAt'],
  webhookSequences: ['resource', 'seq'],
  webhookEvents: ['id', 'type', 'resourceType', 'resourceId', 'sequence', 'clientId', 'data', 'occurredAt'],
  webhookDeliveries: ['id', 'eventId', 'endpointId', 'status', 'attempts', 'lastStatus', 'lastError', 'nextAttemptAt', 'createdAt', 'updatedAt', 'lockedUntil', 'lockToken'],
  webhookAttempts: ['id', 'deliveryId', 'endpointId', 'at', 'statusCode', 'durationMs', 'error', 'responseExcerpt'],
  escalationRules: ['contractId', 'document', 'updatedAt'],
} as const;
