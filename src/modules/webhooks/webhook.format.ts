/**
 * The body of a delivery in the endpoint's format:
 * - `standard`: the JSON envelope of src/contract/webhooks.ts (language-neutral);
 * - `slack`: an incoming-webhook message with Block Kit blocks (a header, a section of
 *   text ≤ 3,000 characters, a section of fields, a context line with the link), `text` as
 *   the notification fallback;
 * - `teams`: a Workflows ("When a Teams webhook request is received") message carrying one
 *   Adaptive Card 1.4 (title, text, fact set, an Open URL action).
 * Text is in the endpoint's language (ja/en); instants are shown as the console shows them, in
 * the zone of the contract's calendar (`zone`, Japan time when the event names no contract).
 */
import type { WebhookEnvelope, WebhookEventType } from '../../contract/webhooks.ts';
import { hasKey, t, tLabel, type Locale } from '../../i18n/index.ts';
import { when as whenIn, whenRange } from '../../i18n/when.ts';
import type { EventRow } from './webhook.repository.ts';

/** Slack's limits: section text 3,000 characters, header 150, a field 2,000, at most 10 fields. */
export const SLACK_SECTION_MAX = 3000;
const SLACK_HEADER_MAX = 150;
const SLACK_FIELD_MAX = 2000;

export function envelopeOf(e: EventRow): WebhookEnvelope {
  return {
    id: e.id,
    type: e.type as WebhookEventType,
    timestamp: new Date(e.occurredAt).toISOString(),
    resource: { type: e.resourceType as WebhookEnvelope['resource']['type'], id: e.resourceId },
    sequence: e.sequence,
    data: JSON.parse(e.data) as unknown,
  };
}

const clip = (s: string, max: number) => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);

export const DEFAULT_MESSAGE_ZONE = 'Asia/Tokyo';

const when = (iso: unknown, locale: Locale, zone: string): string => (typeof iso === 'string' ? whenIn(locale, Date.parse(iso), zone) : '—');
const span = (from: unknown, to: unknown, locale: Locale, zone: string): string =>
  typeof from === 'string' && typeof to === 'string' ? whenRange(locale, Date.parse(from), Date.parse(to), zone) : `${when(from, locale, zone)} – ${when(to, locale, zone)}`;

/** The contract an event belongs to: every payload names it (incident, outage, maintenance, record). */
export function contractOf(e: EventRow): string | null {
  const d = JSON.parse(e.data) as Record<string, Record<string, unknown> | undefined>;
  for (const part of [d.incident, d.outage, d.maintenance, d.record]) if (typeof part?.contractId === 'string' && part.contractId) return part.contractId;
  return null;
}

/** A change request's, risk's or security incident's status in words ("approved" → 承認済み). */
const RECORD_STATUS_KEYS: Record<string, string> = { change_request: 'changeStatus', risk: 'risk.status', security_incident: 'securityIncident.status' };
function recordStatus(resource: string, status: string, locale: Locale): string {
  const key = `${RECORD_STATUS_KEYS[resource] ?? ''}.${status}`;
  return hasKey(locale, key) ? t(locale, key) : status;
}

interface Message {
  title: string;
  text: string;
  facts: Array<{ title: string; value: string }>;
  url: string | null;
}

type Data = Record<string, Record<string, unknown> | undefined> & { change?: { from: string | null; to: string | null }; comment?: { body: string } };

/** The words of an event for people: a title, a text, a few facts and a link. */
export function messageOf(env: WebhookEnvelope, locale: Locale, zone = DEFAULT_MESSAGE_ZONE): Message {
  const d = (env.data ?? {}) as Data;
  const f = (k: string) => t(locale, `webhook.field.${k}`);
  const i = d.incident;
  if (i) {
    const target = typeof (d as Record<string, unknown>).target === 'string' ? t(locale, `sla.target.${String((d as Record<string, unknown>).target)}`) : '';
    const title = t(locale, `webhook.event.${env.type}`, {
      ref: `#${String(i.number)}`, title: String(i.title), status: t(locale, `status.${String(i.status)}`),
      priority: t(locale, `priority.${String(i.priority)}`), target, level: String((d as Record<string, unknown>).level ?? ''),
    });
    const facts = [
      { title: f('priority'), value: tLabel(locale, `priority.${String(i.priority)}`) },
      { title: f('status'), value: tLabel(locale, `status.${String(i.status)}`) },
      { title: f('category'), value: tLabel(locale, `category.${String(i.category)}`) },
    ];
    if (typeof (d as Record<string, unknown>).dueAt === 'string') facts.push({ title: f('due'), value: when((d as Record<string, unknown>).dueAt, locale, zone) });
    const notified = (d as Record<string, unknown>).notified;
    if (Array.isArray(notified) && notified.length) facts.push({ title: f('notified'), value: new Intl.ListFormat(locale, { type: 'conjunction' }).format(notified.map((r) => t(locale, `escalation.role.${String(r)}`))) });
    return { title, text: d.comment?.body ?? String(i.title), facts, url: typeof i.url === 'string' ? i.url : null };
  }
  const rec = d.record;
  if (rec) {
    const rep = d.report as { title?: string } | undefined;
    const status = recordStatus(env.resource.type, String(rec.status), locale);
    const title = t(locale, `webhook.event.${env.type}`, { ref: `#${String(rec.number)}`, title: String(rec.title), status });
    return { title, text: rep?.title ?? String(rec.title), facts: [{ title: f('status'), value: status }], url: null };
  }
  const o = d.outage;
  if (o) {
    const facts = [{ title: f('started'), value: when(o.startedAt, locale, zone) }];
    if (o.endedAt) facts.push({ title: f('ended'), value: when(o.endedAt, locale, zone) });
    return { title: t(locale, `webhook.event.${env.type}`), text: t(locale, `webhook.event.${env.type}`), facts, url: null };
  }
  const m = d.maintenance;
  if (m) {
    const facts = [{ title: f('window'), value: span(m.startsAt, m.endsAt, locale, zone) }];
    const prev = d.previous as { startsAt?: string; endsAt?: string } | undefined;
    if (prev) facts.push({ title: f('previous'), value: span(prev.startsAt, prev.endsAt, locale, zone) });
    return { title: t(locale, `webhook.event.${env.type}`, { title: String(m.title) }), text: String(m.title), facts, url: null };
  }
  return { title: t(locale, `webhook.event.${env.type}`), text: t(locale, 'webhook.test.message'), facts: [], url: null };
}

const slackEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function slackBody(env: WebhookEnvelope, locale: Locale, zone = DEFAULT_MESSAGE_ZONE): unknown {
  const m = messageOf(env, locale, zone);
  const blocks: unknown[] = [
    { type: 'header', text: { type: 'plain_text', text: clip(m.title, SLACK_HEADER_MAX), emoji: true } },
    { type: 'section', text: { type: 'mrkdwn', text: clip(slackEscape(m.text), SLACK_SECTION_MAX) } },
  ];
  if (m.facts.length) {
    blocks.push({ type: 'section', fields: m.facts.slice(0, 10).map((x) => ({ type: 'mrkdwn', text: clip(`*${slackEscape(x.title)}*\n${slackEscape(x.value)}`, SLACK_FIELD_MAX) })) });
  }
  if (m.url) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `<${m.url}|${slackEscape(t(locale, 'webhook.field.open'))}>` }] });
  return { text: clip(m.title, SLACK_SECTION_MAX), blocks };
}

export function teamsBody(env: WebhookEnvelope, locale: Locale, zone = DEFAULT_MESSAGE_ZONE): unknown {
  const m = messageOf(env, locale, zone);
  const card = {
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    type: 'AdaptiveCard',
    version: '1.4',
    lang: locale,
    body: [
      { type: 'TextBlock', text: m.title, weight: 'Bolder', size: 'Medium', wrap: true },
      { type: 'TextBlock', text: m.text, wrap: true },
      ...(m.facts.length ? [{ type: 'FactSet', facts: m.facts }] : []),
    ],
    ...(m.url ? { actions: [{ type: 'Action.OpenUrl', title: t(locale, 'webhook.field.open'), url: m.url }] } : {}),
  };
  return { type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content: card }] };
}

/** The request body of one delivery. */
export function renderBody(e: EventRow, format: string, locale: Locale, zone = DEFAULT_MESSAGE_ZONE): string {
  const env = envelopeOf(e);
  if (format === 'slack') return JSON.stringify(slackBody(env, locale, zone));
  if (format === 'teams') return JSON.stringify(teamsBody(env, locale, zone));
  return JSON.stringify(env);
}
