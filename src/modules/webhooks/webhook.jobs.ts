/**
 * Delivery of webhooks, after commit. The delivery rows are their own queue: the job
 * runner's `webhook.deliver` lane claims due deliveries straight from
 * `webhook_deliveries` (one statement, a lease under a token; SKIP LOCKED across
 * processes), so a delivery costs one row written with its event, one claim update and
 * one outcome update, not a job row beside it written, claimed and completed too. The
 * lane is its own: a slow receiver (up to the 10 s limit) never holds up mail or SLA
 * timers, and a batch's requests run side by side over kept-alive connections
 * (webhook.http.ts). Each attempt is signed afresh (new timestamp, same `webhook-id`);
 * the batch's outcomes, attempts, next attempts and the endpoints' health are written in
 * one transaction (the succeeded ones in one statement per status), only for deliveries
 * whose claim still holds (a "send again" meanwhile voids it).
 *
 * Outcomes: 2xx succeeded; 410 Gone disables the endpoint; network errors, timeouts,
 * 408, 429 (its Retry-After honoured) and 5xx are retried on WEBHOOK_RETRY_SCHEDULE_MS,
 * then failed; anything else (other 4xx, a redirect, a refused address) fails at once.
 * An endpoint with no success for WEBHOOK_DISABLE_AFTER_MS is disabled and its owner
 * told by e-mail. A kill between commit and delivery leaves the delivery pending and
 * unclaimed (or claimed under a lease that runs out): after the restart it is claimed
 * and sent once.
 */
import crypto from 'node:crypto';
import { uuidv7 } from 'uuidv7';
import type { Kysely } from 'kysely';
import { WEBHOOK_DISABLE_AFTER_MS, WEBHOOK_RETRY_SCHEDULE_MS } from '../../contract/webhooks.ts';
import type { DB } from '../../db/schema.ts';
import { unitOfWork, type Work } from '../../db/unit-of-work.ts';
import type { AnyBatchHandler, BatchHandler } from '../../jobs/runner.ts';
import type { Locale } from '../../i18n/index.ts';
import { SYSTEM_ACTOR } from '../auth/actor.ts';
import type { SecretBox } from './webhook.crypto.ts';
import { signedHeaders } from './webhook.crypto.ts';
import { DELIVERY_JOB } from './webhook.events.ts';
import { contractOf, renderBody } from './webhook.format.ts';
import { postWebhook, type SendOptions, type SendResult } from './webhook.http.ts';
import * as repo from './webhook.repository.ts';

export { DELIVERY_JOB };

export type Sender = (url: string, headers: Record<string, string>, body: string, o: SendOptions) => Promise<SendResult>;

export interface WebhookJobDeps {
  db: Kysely<DB>;
  clock: () => number;
  box: SecretBox;
  /** Tells the endpoint's owner that it was disabled (enqueues the mail in the same transaction). */
  onDisabled?: (w: Work, endpoint: repo.EndpointRow, reason: 'gone' | 'failing') => Promise<void>;
  /** The HTTP exchange; the bench may pass a stand-in. */
  send?: Sender;
}

/** Figures for the bench: delivery lag (first attempt's start − event time) per success. */
export interface WebhookStats {
  lags: number[];
  sent: number;
}

type Verdict = 'succeeded' | 'gone' | 'retry' | 'failed';

export function verdictOf(r: SendResult): Verdict {
  if (r.status !== null && r.status >= 200 && r.status < 300) return 'succeeded';
  if (r.status === 410) return 'gone';
  if (r.refused) return 'failed';
  if (r.status === null || r.status === 408 || r.status === 429 || r.status >= 500) return 'retry';
  return 'failed';
}

/** When attempt `attempts + 1` runs after attempt `attempts` failed; null: no more attempts. */
export function nextAttemptAt(attempts: number, now: number, retryAfterMs: number | null): number | null {
  if (attempts >= WEBHOOK_RETRY_SCHEDULE_MS.length) return null;
  const wait = WEBHOOK_RETRY_SCHEDULE_MS[attempts]!;
  // Retry-After is honoured when it asks for more patience, within a day.
  return now + Math.max(wait, Math.min(retryAfterMs ?? 0, 24 * 3600_000));
}

interface Outcome {
  delivery: repo.ClaimedDelivery;
  result: SendResult | null;
  at: number;
  /** The delivery cannot be sent (its endpoint disabled or gone). */
  skip: string | null;
}

export function createWebhookJobHandlers(deps: WebhookJobDeps): { handlers: Record<string, AnyBatchHandler>; stats: WebhookStats } {
  const { db, clock, box } = deps;
  const send = deps.send ?? postWebhook;
  const uow = unitOfWork(db, clock);
  const stats: WebhookStats = { lags: [], sent: 0 };

  const deliver: BatchHandler<repo.ClaimedDelivery> = {
    // Through the unit of work: on SQLite the claim shares a group commit with the events being written.
    claim: ({ size, leaseMs, now }) => {
      const token = crypto.randomUUID();
      return uow.internal(SYSTEM_ACTOR, (w) => repo.claimDueDeliveries(w.tx, { now, size, leaseMs, token }), { now });
    },
    async batch(deliveries) {
      const events = new Map((await repo.eventsByIds(db, [...new Set(deliveries.map((d) => d.eventId))])).map((e) => [e.id, e]));
      const endpointIds = [...new Set(deliveries.map((d) => d.endpointId))];
      const endpoints = new Map((await repo.endpointsByIds(db, endpointIds)).map((e) => [e.id, e]));
      const now0 = clock();
      const secrets = new Map<string, string[]>();
      for (const s of await repo.secretsOf(db, endpointIds, now0)) secrets.set(s.endpointId, [...(secrets.get(s.endpointId) ?? []), box.open(s.sealed)]);
      // One body per event and format/language: ten endpoints of one kind render it once.
      const bodies = new Map<string, string>();
      // Chat messages (Slack, Teams) show instants in the contract's zone; the standard envelope is ISO and needs none.
      const zoneOf = new Map<string, string>();
      if ([...endpoints.values()].some((e) => e.format !== 'standard')) {
        const contractOfEvent = new Map([...events.values()].map((e) => [e.id, contractOf(e)] as const));
        const zones = await repo.contractZones(db, [...new Set([...contractOfEvent.values()].filter((c): c is string => c !== null))]);
        for (const [id, c] of contractOfEvent) if (c !== null && zones.has(c)) zoneOf.set(id, zones.get(c)!);
      }

      const outcomes: Outcome[] = await Promise.all(deliveries.map(async (delivery): Promise<Outcome> => {
        const event = events.get(delivery.eventId);
        const endpoint = endpoints.get(delivery.endpointId);
        const at = clock();
        // A test event goes to a disabled endpoint too: it is how an admin checks one before enabling it.
        if (!event || !endpoint || (endpoint.enabled !== 1 && event.type !== 'webhook.test')) return { delivery, result: null, at, skip: 'endpoint disabled' };
        const bodyKey = `${event.id} ${endpoint.format} ${endpoint.locale}`;
        let body = bodies.get(bodyKey);
        if (body === undefined) bodies.set(bodyKey, (body = renderBody(event, endpoint.format, endpoint.locale as Locale, zoneOf.get(event.id))));
        const headers = signedHeaders(secrets.get(endpoint.id) ?? [], event.id, at, body);
        const result = await send(endpoint.url, headers, body, { allowInsecure: endpoint.allowInsecure === 1 });
        if (delivery.attempts === 0) {
          if (stats.lags.length >= 200_000) stats.lags.splice(0, 100_000);
          stats.lags.push(at - event.occurredAt);
        }
        return { delivery, result, at, skip: null };
      }));

      const now = clock();
      await uow.internal(SYSTEM_ACTOR, async (w) => {
        const { tx } = w;
        // A claim shares one token; a batch is one claim, but nothing here relies on it.
        const held = new Set<string>();
        for (const token of new Set(deliveries.map((d) => d.lockToken))) {
          for (const id of await repo.heldDeliveries(tx, deliveries.filter((d) => d.lockToken === token).map((d) => d.id), token)) held.add(id);
        }
        const succeeded = new Map<string, string[]>();
        const attempts: repo.AttemptRow[] = [];
        const endpointHealth = new Map<string, { ok: boolean; gone: boolean; at: number }>();
        const released = { lockedUntil: null, lockToken: null, updatedAt: now };
        for (const o of outcomes) {
          const d = o.delivery;
          if (!held.has(d.id)) continue;
          if (o.skip !== null || !o.result) {
            await repo.updateDelivery(tx, d.id, { status: 'failed', lastError: o.skip, nextAttemptAt: null, ...released });
            continue;
          }
          const r = o.result;
          const n = d.attempts + 1;
          attempts.push({
            id: uuidv7(), deliveryId: d.id, endpointId: d.endpointId, at: o.at, statusCode: r.status,
            durationMs: r.durationMs, error: r.error, responseExcerpt: r.excerpt,
          });
          const verdict = verdictOf(r);
          if (verdict === 'succeeded') {
            const key = `${r.status!} ${d.lockToken}`;
            succeeded.set(key, [...(succeeded.get(key) ?? []), d.id]);
            stats.sent += 1;
          } else {
            const next = verdict === 'retry' ? nextAttemptAt(n, now, r.retryAfterMs) : null;
            await repo.updateDelivery(tx, d.id, {
              status: next !== null ? 'pending' : 'failed', attempts: n, lastStatus: r.status, lastError: r.error, nextAttemptAt: next, ...released,
            });
          }
          const h = endpointHealth.get(d.endpointId) ?? { ok: false, gone: false, at: o.at };
          if (verdict === 'succeeded') h.ok = true;
          if (verdict === 'gone') h.gone = true;
          endpointHealth.set(d.endpointId, h);
        }
        for (const [key, ids] of succeeded) {
          const [status, token] = key.split(' ') as [string, string];
          await repo.markSucceeded(tx, ids, Number(status), now, token);
        }
        await repo.insertAttempts(tx, attempts);
        for (const [endpointId, h] of endpointHealth) {
          // Healthy and known healthy: nothing to write (the usual case).
          if (h.ok && !h.gone && endpoints.get(endpointId)?.failingSince === null) continue;
          const e = await repo.findEndpoint(tx, endpointId);
          if (!e || e.enabled !== 1) continue;
          if (h.gone) {
            await disable(w, e, 'gone', now);
            continue;
          }
          if (h.ok) {
            if (e.failingSince !== null) await repo.updateEndpoint(tx, e.id, { failingSince: null });
            continue;
          }
          const since = e.failingSince ?? h.at;
          if (now - since >= WEBHOOK_DISABLE_AFTER_MS) await disable(w, { ...e, failingSince: since }, 'failing', now);
          else if (e.failingSince === null) await repo.updateEndpoint(tx, e.id, { failingSince: since });
        }
      }, { now });
    },
  };

  async function disable(w: Work, e: repo.EndpointRow, reason: 'gone' | 'failing', now: number): Promise<void> {
    const after = { ...e, enabled: 0, disabledReason: reason, updatedAt: now };
    await repo.updateEndpoint(w.tx, e.id, { enabled: 0, disabledReason: reason, failingSince: e.failingSince, updatedAt: now });
    w.audit({ entity: 'webhook', entityId: e.id, action: 'disable', before: { enabled: true }, after: { enabled: false, disabledReason: reason } });
    await deps.onDisabled?.(w, after, reason);
  }

  return { handlers: { [DELIVERY_JOB]: deliver }, stats };
}
