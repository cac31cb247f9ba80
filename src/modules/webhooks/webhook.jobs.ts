/**
 * Delivery of webhooks, after commit, from the job table. `webhook.deliver` (key
 * `webhook:<delivery>`) is a batch kind of the one job runner, in its own lane: a slow
 * receiver (up to the 10 s limit) never holds up mail or SLA timers, and a batch's
 * requests run side by side. Each attempt is signed afresh (new timestamp, same
 * `webhook-id`); its outcome, the delivery's state, the next attempt (the same job row
 * rescheduled under its key) and the endpoint's health are written in one transaction
 * per batch, only for jobs whose claim still holds.
 *
 * Outcomes: 2xx succeeded; 410 Gone disables the endpoint; network errors, timeouts,
 * 408, 429 (its Retry-After honoured) and 5xx are retried on WEBHOOK_RETRY_SCHEDULE_MS,
 * then failed; anything else (other 4xx, a redirect, a refused address) fails at once.
 * An endpoint with no success for WEBHOOK_DISABLE_AFTER_MS is disabled and its owner
 * told by e-mail. A kill between commit and delivery leaves the job pending: after the
 * restart (or the lease) it is claimed and sent once.
 */
import { uuidv7 } from 'uuidv7';
import type { Kysely } from 'kysely';
import { WEBHOOK_DISABLE_AFTER_MS, WEBHOOK_RETRY_SCHEDULE_MS } from '../../contract/webhooks.ts';
import type { DB, Row } from '../../db/schema.ts';
import { unitOfWork, type Work } from '../../db/unit-of-work.ts';
import { enqueue } from '../../jobs/queue.ts';
import type { BatchHandler } from '../../jobs/runner.ts';
import type { Locale } from '../../i18n/index.ts';
import { SYSTEM_ACTOR } from '../auth/actor.ts';
import type { SecretBox } from './webhook.crypto.ts';
import { signedHeaders } from './webhook.crypto.ts';
import { DELIVERY_JOB, deliveryKey } from './webhook.events.ts';
import { renderBody } from './webhook.format.ts';
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
  job: Row<'jobs'>;
  delivery: repo.DeliveryRow;
  endpoint: repo.EndpointRow | null;
  result: SendResult | null;
  at: number;
  /** The delivery cannot be sent: gone, no longer pending, or its endpoint disabled. */
  skip: string | null;
}

export function createWebhookJobHandlers(deps: WebhookJobDeps): { handlers: Record<string, BatchHandler>; stats: WebhookStats } {
  const { db, clock, box } = deps;
  const send = deps.send ?? postWebhook;
  const uow = unitOfWork(db, clock);
  const stats: WebhookStats = { lags: [], sent: 0 };

  const deliver: BatchHandler = {
    async batch(jobs) {
      const ids = jobs.map((j) => (JSON.parse(j.payload) as { deliveryId: string }).deliveryId);
      const deliveries = new Map((await repo.deliveriesByIds(db, ids)).map((d) => [d.id, d]));
      const events = new Map((await repo.eventsByIds(db, [...new Set([...deliveries.values()].map((d) => d.eventId))])).map((e) => [e.id, e]));
      const endpointIds = [...new Set([...deliveries.values()].map((d) => d.endpointId))];
      const endpoints = new Map((await repo.endpointsByIds(db, endpointIds)).map((e) => [e.id, e]));
      const now0 = clock();
      const secrets = new Map<string, string[]>();
      for (const s of await repo.secretsOf(db, endpointIds, now0)) secrets.set(s.endpointId, [...(secrets.get(s.endpointId) ?? []), box.open(s.sealed)]);

      const orphans: Row<'jobs'>[] = [];
      const outcomes: Outcome[] = await Promise.all(jobs.map(async (job, i): Promise<Outcome | null> => {
        const delivery = deliveries.get(ids[i]!);
        const event = delivery ? events.get(delivery.eventId) : undefined;
        if (!delivery || !event) {
          orphans.push(job);
          return null;
        }
        const endpoint = endpoints.get(delivery.endpointId) ?? null;
        const at = clock();
        if (delivery.status !== 'pending') return { job, delivery, endpoint, result: null, at, skip: 'not pending' };
        // A test event goes to a disabled endpoint too: it is how an admin checks one before enabling it.
        if (!endpoint || (endpoint.enabled !== 1 && event.type !== 'webhook.test')) return { job, delivery, endpoint, result: null, at, skip: 'endpoint disabled' };
        const body = renderBody(event, endpoint.format, endpoint.locale as Locale);
        const headers = signedHeaders(secrets.get(endpoint.id) ?? [], event.id, at, body);
        const result = await send(endpoint.url, headers, body, { allowInsecure: endpoint.allowInsecure === 1 });
        if (delivery.attempts === 0) {
          if (stats.lags.length >= 200_000) stats.lags.splice(0, 100_000);
          stats.lags.push(at - event.occurredAt);
        }
        return { job, delivery, endpoint, result, at, skip: null };
      })).then((r) => r.filter((x): x is Outcome => x !== null));

      const now = clock();
      await uow.internal(SYSTEM_ACTOR, async (w) => {
        const { tx } = w;
        // Only jobs whose claim still holds: a delivery re-sent meanwhile re-armed its row with a new claim.
        const tokens = new Map(jobs.map((j) => [j.id, j.lockToken]));
        const held = new Set((await tx.selectFrom('jobs').select(['id', 'lockToken']).where('id', 'in', jobs.map((j) => j.id)).execute())
          .filter((r) => r.lockToken !== null && tokens.get(r.id) === r.lockToken).map((r) => r.id));
        // The common outcomes are written in a few statements per batch (a busy desk sends thousands a second).
        const finished: string[] = [];
        const succeeded = new Map<number, string[]>();
        for (const job of orphans) if (held.has(job.id)) finished.push(job.id);
        const attempts: repo.AttemptRow[] = [];
        const endpointHealth = new Map<string, { ok: boolean; gone: boolean; at: number }>();
        for (const o of outcomes) {
          if (!held.has(o.job.id)) continue;
          if (o.skip !== null || !o.result) {
            if (o.skip === 'endpoint disabled' && o.delivery.status === 'pending') {
              await repo.updateDelivery(tx, o.delivery.id, { status: 'failed', lastError: 'endpoint disabled', nextAttemptAt: null, updatedAt: now });
            }
            finished.push(o.job.id);
            continue;
          }
          const r = o.result;
          const n = o.delivery.attempts + 1;
          attempts.push({
            id: uuidv7(), deliveryId: o.delivery.id, endpointId: o.delivery.endpointId, at: o.at, statusCode: r.status,
            durationMs: r.durationMs, error: r.error, responseExcerpt: r.excerpt,
          });
          const verdict = verdictOf(r);
          const next = verdict === 'retry' ? nextAttemptAt(n, now, r.retryAfterMs) : null;
          if (verdict === 'succeeded') {
            succeeded.set(r.status!, [...(succeeded.get(r.status!) ?? []), o.delivery.id]);
          } else {
            await repo.updateDelivery(tx, o.delivery.id, {
              status: next !== null ? 'pending' : 'failed', attempts: n, lastStatus: r.status, lastError: r.error, nextAttemptAt: next, updatedAt: now,
            });
          }
          if (next !== null) {
            await enqueue(tx, { kind: DELIVERY_JOB, payload: { deliveryId: o.delivery.id }, runAt: next, dedupeKey: deliveryKey(o.delivery.id), now, maxAttempts: 1000 });
          } else {
            finished.push(o.job.id);
          }
          if (verdict === 'succeeded') stats.sent += 1;
          const h = endpointHealth.get(o.delivery.endpointId) ?? { ok: false, gone: false, at: o.at };
          if (verdict === 'succeeded') h.ok = true;
          if (verdict === 'gone') h.gone = true;
          endpointHealth.set(o.delivery.endpointId, h);
        }
        for (const [status, ids] of succeeded) {
          await tx.updateTable('webhookDeliveries')
            .set((eb) => ({ status: 'succeeded', attempts: eb('attempts', '+', 1), lastStatus: status, lastError: null, nextAttemptAt: null, updatedAt: now }))
            .where('id', 'in', ids).execute();
        }
        if (finished.length) {
          // Each job's own claim token (checked above); the claim of one batch shares one token.
          await tx.updateTable('jobs').set({ status: 'done', lockedUntil: null, lockToken: null, updatedAt: now })
            .where('id', 'in', finished).where('lockToken', 'in', [...new Set(finished.map((id) => tokens.get(id)!))]).execute();
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
