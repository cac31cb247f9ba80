/** Rows → API shapes (src/contract/webhooks.ts). No secret material leaves here: only prefixes. */
import type { z } from 'zod';
import { toIso, toIsoOrNull } from '../../contract/common.ts';
import type { WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookEventType, WebhookFiltersType } from '../../contract/webhooks.ts';
import type * as repo from './webhook.repository.ts';
import type { EndpointView } from './webhook.service.ts';

export function presentEndpoint(v: EndpointView): z.infer<typeof WebhookEndpoint> {
  const e = v.endpoint;
  return {
    id: e.id, url: e.url, description: e.description, enabled: e.enabled === 1,
    format: e.format as z.infer<typeof WebhookEndpoint>['format'], locale: e.locale === 'en' ? 'en' : 'ja',
    eventTypes: JSON.parse(e.eventTypes) as WebhookEventType[], filters: JSON.parse(e.filters) as WebhookFiltersType,
    allowInsecure: e.allowInsecure === 1, ownerId: e.ownerId, failingSince: toIsoOrNull(e.failingSince),
    disabledReason: e.disabledReason === 'gone' || e.disabledReason === 'failing' ? e.disabledReason : null,
    secrets: v.secrets.map((s) => ({ id: s.id, prefix: s.prefix, createdAt: toIso(s.createdAt), expiresAt: toIsoOrNull(s.expiresAt) })),
    createdAt: toIso(e.createdAt), updatedAt: toIso(e.updatedAt),
  };
}

type DeliveryListRow = repo.DeliveryRow & { eventType?: string; resourceType?: string; resourceId?: string };

export function presentDelivery(d: DeliveryListRow, event?: Pick<repo.EventRow, 'type' | 'resourceType' | 'resourceId'>): z.infer<typeof WebhookDelivery> {
  return {
    id: d.id, endpointId: d.endpointId, eventId: d.eventId,
    eventType: (event?.type ?? d.eventType ?? 'webhook.test') as WebhookEventType,
    resourceType: event?.resourceType ?? d.resourceType ?? '', resourceId: event?.resourceId ?? d.resourceId ?? '',
    status: d.status as z.infer<typeof WebhookDelivery>['status'], attempts: d.attempts, lastStatus: d.lastStatus, lastError: d.lastError,
    nextAttemptAt: toIsoOrNull(d.nextAttemptAt), createdAt: toIso(d.createdAt), updatedAt: toIso(d.updatedAt),
  };
}

export const presentAttempt = (a: repo.AttemptRow): z.infer<typeof WebhookAttempt> => ({
  id: a.id, at: toIso(a.at), statusCode: a.statusCode, durationMs: a.durationMs, error: a.error, responseExcerpt: a.responseExcerpt,
});
