/**
 * Webhook endpoints (admin): create (the secret is answered once), change, delete,
 * rotate the secret (the old one keeps signing for a while: two signatures), send a
 * test event, send one delivery again, and read the delivery log. Every change is
 * audited; the secret never reaches an audit row, a log line or a later answer.
 * Also the escalation rules of a contract (webhook.escalation.ts runs them).
 */
import { uuidv7 } from 'uuidv7';
import type { z } from 'zod';
import {
  DEFAULT_ESCALATION, EscalationRules, type CreateWebhookBody, type EscalationRulesType, type UpdateWebhookBody, type WebhookEventType,
} from '../../contract/webhooks.ts';
import type { ServiceDeps } from '../../db/tx.ts';
import type { Executor } from '../../db/database.ts';
import { unitOfWork, type Work } from '../../db/unit-of-work.ts';
import { AppError, notFound } from '../../errors.ts';
import { t, type Locale } from '../../i18n/index.ts';
import type { Actor } from '../auth/actor.ts';
import { authorize } from '../auth/authorize.ts';
import { enqueueMail } from '../mail/mail.outbound.ts';
import { createSecretBox, DEVELOPMENT_KEY, newWebhookSecret, secretPrefix, type SecretBox } from './webhook.crypto.ts';
import { recordEvent } from './webhook.events.ts';
import { envelopeOf } from './webhook.format.ts';
import { checkUrl, RefusedAddressError } from './webhook.http.ts';
import * as repo from './webhook.repository.ts';

export interface WebhookOptions {
  /** 32 bytes: seals the endpoints' secrets at rest (HOSHU_SECRET_KEY or the data directory's key file). */
  secretKey?: Buffer;
}

type CreateInput = z.input<typeof CreateWebhookBody>;
type UpdateInput = z.input<typeof UpdateWebhookBody>;

export interface EndpointView {
  endpoint: repo.EndpointRow;
  secrets: repo.SecretRow[];
}

const refused = (e: RefusedAddressError) =>
  new AppError('webhook.url_refused', e.message, [{ path: ['url'], code: 'not_allowed', message: e.message }]);

function checkEndpointUrl(url: string, allowInsecure: boolean): void {
  try {
    checkUrl(url, allowInsecure);
  } catch (e) {
    if (e instanceof RefusedAddressError) throw refused(e);
    throw e;
  }
}

/** What the audit log keeps of an endpoint: everything but secret material. */
const auditable = (e: repo.EndpointRow) => ({ ...e, eventTypes: JSON.parse(e.eventTypes) as unknown, filters: JSON.parse(e.filters) as unknown });

export function createWebhookService(deps: ServiceDeps, o: WebhookOptions = {}) {
  const { db, clock } = deps;
  const uow = deps.uow ?? unitOfWork(db, clock);
  const box: SecretBox = createSecretBox(o.secretKey ?? DEVELOPMENT_KEY);

  async function view(ex: Executor, id: string, now: number): Promise<EndpointView> {
    const endpoint = await repo.findEndpoint(ex, id);
    if (!endpoint) throw notFound('webhook');
    return { endpoint, secrets: await repo.secretsOf(ex, [id], now) };
  }

  async function addSecret(ex: Executor, endpointId: string, now: number): Promise<string> {
    const secret = newWebhookSecret();
    await repo.insertSecret(ex, { id: uuidv7(), endpointId, sealed: box.seal(secret), prefix: secretPrefix(secret), createdAt: now, expiresAt: null });
    return secret;
  }

  const service = {
    box,

    async list(actor: Actor): Promise<EndpointView[]> {
      authorize(actor, 'webhook.list');
      const now = clock();
      const endpoints = await repo.listEndpoints(db);
      const secrets = await repo.secretsOf(db, endpoints.map((e) => e.id), now);
      return endpoints.map((endpoint) => ({ endpoint, secrets: secrets.filter((s) => s.endpointId === endpoint.id) }));
    },

    async get(actor: Actor, id: string): Promise<EndpointView> {
      authorize(actor, 'webhook.read');
      return view(db, id, clock());
    },

    async create(actor: Actor, input: CreateInput): Promise<EndpointView & { secret: string }> {
      authorize(actor, 'webhook.create');
      const allowInsecure = input.allowInsecure ?? false;
      checkEndpointUrl(input.url, allowInsecure);
      return uow.command(actor, async (w) => {
        const row: repo.EndpointRow = {
          id: uuidv7(), url: input.url.trim(), description: input.description ?? '', enabled: input.enabled === false ? 0 : 1,
          format: input.format ?? 'standard', locale: input.locale ?? 'ja', eventTypes: JSON.stringify(input.eventTypes ?? []),
          filters: JSON.stringify(input.filters ?? {}), allowInsecure: allowInsecure ? 1 : 0, ownerId: actor.userId,
          failingSince: null, disabledReason: null, createdAt: w.now, updatedAt: w.now,
        };
        await repo.insertEndpoint(w.tx, row);
        const secret = await addSecret(w.tx, row.id, w.now);
        w.audit({ entity: 'webhook', entityId: row.id, action: 'create', after: auditable(row) });
        return { ...(await view(w.tx, row.id, w.now)), secret };
      }, { name: 'webhook.create' });
    },

    async update(actor: Actor, id: string, input: UpdateInput): Promise<EndpointView> {
      authorize(actor, 'webhook.update');
      return uow.command(actor, async (w) => {
        const before = await repo.findEndpoint(w.tx, id);
        if (!before) throw notFound('webhook');
        const allowInsecure = input.allowInsecure ?? before.allowInsecure === 1;
        const url = input.url?.trim() ?? before.url;
        if (input.url !== undefined || input.allowInsecure !== undefined) checkEndpointUrl(url, allowInsecure);
        const enabling = input.enabled === true && before.enabled !== 1;
        const after: repo.EndpointRow = {
          ...before,
          url,
          ...(input.description !== undefined ? { description: input.description } : {}),
          ...(input.enabled !== undefined ? { enabled: input.enabled ? 1 : 0 } : {}),
          ...(input.format !== undefined ? { format: input.format } : {}),
          ...(input.locale !== undefined ? { locale: input.locale } : {}),
          ...(input.eventTypes !== undefined ? { eventTypes: JSON.stringify(input.eventTypes) } : {}),
          ...(input.filters !== undefined ? { filters: JSON.stringify(input.filters) } : {}),
          allowInsecure: allowInsecure ? 1 : 0,
          // Enabled again by hand: a fresh start for the failure clock.
          ...(enabling ? { disabledReason: null, failingSince: null } : {}),
          updatedAt: w.now,
        };
        await repo.updateEndpoint(w.tx, id, after);
        w.audit({ entity: 'webhook', entityId: id, action: 'update', before: auditable(before), after: auditable(after) });
        return view(w.tx, id, w.now);
      }, { name: 'webhook.update' });
    },

    async remove(actor: Actor, id: string): Promise<void> {
      authorize(actor, 'webhook.delete');
      await uow.command(actor, async (w) => {
        const before = await repo.findEndpoint(w.tx, id);
        if (!before) throw notFound('webhook');
        await repo.deleteEndpoint(w.tx, id);
        w.audit({ entity: 'webhook', entityId: id, action: 'delete', before: auditable(before) });
      }, { name: 'webhook.delete' });
    },

    /** A new current secret; the old one keeps signing (a second signature) for `keepOldHours`. */
    async rotateSecret(actor: Actor, id: string, keepOldHours: number): Promise<EndpointView & { secret: string }> {
      authorize(actor, 'webhook.rotate_secret');
      return uow.command(actor, async (w) => {
        const before = await repo.findEndpoint(w.tx, id);
        if (!before) throw notFound('webhook');
        await repo.retireSecrets(w.tx, id, w.now + keepOldHours * 3600_000);
        const secret = await addSecret(w.tx, id, w.now);
        w.audit({ entity: 'webhook', entityId: id, action: 'rotate_secret', after: { prefix: secretPrefix(secret), oldValidUntil: w.now + keepOldHours * 3600_000 } });
        return { ...(await view(w.tx, id, w.now)), secret };
      }, { name: 'webhook.rotate_secret' });
    },

    /** A `webhook.test` event for this endpoint only (sent even while it is disabled). */
    async sendTest(actor: Actor, id: string, locale?: Locale): Promise<repo.DeliveryRow> {
      authorize(actor, 'webhook.test');
      return uow.command(actor, async (w) => {
        const e = await repo.findEndpoint(w.tx, id);
        if (!e) throw notFound('webhook');
        const { eventId, deliveryIds } = await recordEvent(w.tx, {
          type: 'webhook.test' satisfies WebhookEventType, resourceType: 'webhook_endpoint', resourceId: id, clientId: null,
          data: { message: t(locale ?? (e.locale as Locale), 'webhook.test.message'), endpointId: id }, at: w.now,
        }, [id]);
        w.audit({ entity: 'webhook', entityId: id, action: 'test', after: { eventId } });
        return (await repo.deliveriesByIds(w.tx, deliveryIds))[0]!;
      }, { name: 'webhook.test' });
    },

    /** Sends one delivery again now (same event id, signed afresh), with a fresh retry schedule. */
    async redeliver(actor: Actor, endpointId: string, deliveryId: string): Promise<repo.DeliveryRow> {
      authorize(actor, 'webhook.redeliver');
      return uow.command(actor, async (w) => {
        const d = await repo.findDelivery(w.tx, endpointId, deliveryId);
        if (!d) throw notFound('webhook_delivery');
        // Clearing the claim voids a send in flight: its outcome is not recorded, this one is.
        await repo.updateDelivery(w.tx, d.id, { status: 'pending', attempts: 0, nextAttemptAt: w.now, lockedUntil: null, lockToken: null, updatedAt: w.now });
        w.audit({ entity: 'webhook', entityId: endpointId, action: 'redeliver', before: { deliveryId: d.id, status: d.status }, after: { deliveryId: d.id, status: 'pending' } });
        return (await repo.findDelivery(w.tx, endpointId, deliveryId))!;
      }, { name: 'webhook.redeliver' });
    },

    async deliveries(actor: Actor, endpointId: string, q: { limit: number; status?: string }) {
      authorize(actor, 'webhook.read');
      if (!(await repo.findEndpoint(db, endpointId))) throw notFound('webhook');
      return repo.listDeliveries(db, endpointId, q);
    },

    async delivery(actor: Actor, endpointId: string, deliveryId: string) {
      authorize(actor, 'webhook.read');
      const d = await repo.findDelivery(db, endpointId, deliveryId);
      if (!d) throw notFound('webhook_delivery');
      const event = (await repo.findEvent(db, d.eventId))!;
      return { delivery: d, event, payload: envelopeOf(event), attempts: await repo.attemptsOf(db, d.id) };
    },

    // ---- escalation rules ----

    async escalation(actor: Actor, contractId: string): Promise<{ rules: EscalationRulesType; isDefault: boolean }> {
      authorize(actor, 'escalation.read');
      if (!(await db.selectFrom('contracts').select('id').where('id', '=', contractId).executeTakeFirst())) throw notFound('contract');
      return loadEscalationRules(db, contractId);
    },

    async setEscalation(actor: Actor, contractId: string, rules: EscalationRulesType | null): Promise<{ rules: EscalationRulesType; isDefault: boolean }> {
      authorize(actor, 'escalation.update');
      return uow.command(actor, async (w) => {
        if (!(await w.tx.selectFrom('contracts').select('id').where('id', '=', contractId).executeTakeFirst())) throw notFound('contract');
        const before = await loadEscalationRules(w.tx, contractId);
        await w.tx.deleteFrom('escalationRules').where('contractId', '=', contractId).execute();
        if (rules) await w.tx.insertInto('escalationRules').values({ contractId, document: JSON.stringify(rules), updatedAt: w.now }).execute();
        const after = rules ? { rules, isDefault: false } : { rules: DEFAULT_ESCALATION, isDefault: true };
        w.audit({ entity: 'escalation_rules', entityId: contractId, action: 'update', before, after });
        return after;
      }, { name: 'escalation.update' });
    },
  };
  return service;
}
export type WebhookService = ReturnType<typeof createWebhookService>;

/** A contract's rules, or the default when it has none (or its stored document no longer parses). */
export async function loadEscalationRules(ex: Executor, contractId: string): Promise<{ rules: EscalationRulesType; isDefault: boolean }> {
  const row = await ex.selectFrom('escalationRules').select('document').where('contractId', '=', contractId).executeTakeFirst();
  if (!row) return { rules: DEFAULT_ESCALATION, isDefault: true };
  const parsed = EscalationRules.safeParse(JSON.parse(row.document));
  return parsed.success ? { rules: parsed.data, isDefault: false } : { rules: DEFAULT_ESCALATION, isDefault: true };
}

/** The owner's mail when an endpoint is disabled for failing or for 410 (in the disabling transaction). */
export async function notifyDisabled(w: Work, e: repo.EndpointRow, reason: 'gone' | 'failing'): Promise<void> {
  const owner = await w.tx.selectFrom('users').select(['email', 'locale']).where('id', '=', e.ownerId).where('disabledAt', 'is', null).executeTakeFirst();
  if (!owner) return;
  const locale: Locale = owner.locale === 'en' ? 'en' : 'ja';
  const params = {
    url: e.url, description: e.description || '—', reason: t(locale, `webhook.disabledReason.${reason}`),
    since: e.failingSince ? new Date(e.failingSince).toISOString() : '—',
  };
  await enqueueMail(w.tx, { to: owner.email, subject: t(locale, 'webhook.disabledMail.subject', params), text: t(locale, 'webhook.disabledMail.body', params), date: w.now }, {
    runAt: w.now, dedupeKey: `mail:webhook-disabled:${e.id}:${w.now}`, now: w.now,
  });
}
