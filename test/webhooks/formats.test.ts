/**
 * Slack and Teams bodies against their documented shapes: a zod schema of each format's
 * documented rules (Slack incoming webhooks with Block Kit: header ≤ 150, section text
 * ≤ 3,000, ≤ 10 fields of ≤ 2,000; Teams Workflows webhooks: a message with one Adaptive
 * Card attachment), which the documentation's own example (fixtures/webhooks) must pass
 * too — so the schema is the documented shape, not ours. Every event type, both languages.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { WEBHOOK_DATA, WEBHOOK_EVENT_TYPES, webhookPayload, type WebhookEventType } from '../../src/contract/webhooks.ts';
import { contractOf, envelopeOf, renderBody, slackBody, teamsBody } from '../../src/modules/webhooks/webhook.format.ts';
import type { EventRow } from '../../src/modules/webhooks/webhook.repository.ts';

const fixture = (name: string): unknown => JSON.parse(fs.readFileSync(path.join(import.meta.dirname, '../fixtures/webhooks', name), 'utf8'));

const plain = z.object({ type: z.literal('plain_text'), text: z.string().min(1), emoji: z.boolean().optional() });
const mrkdwn = z.object({ type: z.literal('mrkdwn'), text: z.string().min(1) });
const SlackMessage = z.object({
  text: z.string().min(1),
  blocks: z.array(z.discriminatedUnion('type', [
    z.object({ type: z.literal('header'), text: plain.extend({ text: z.string().min(1).max(150) }), block_id: z.string().optional() }),
    z.object({
      type: z.literal('section'), block_id: z.string().max(255).optional(),
      text: z.union([mrkdwn, plain]).refine((t) => t.text.length <= 3000, 'section text over 3,000 characters').optional(),
      fields: z.array(z.union([mrkdwn, plain]).refine((t) => t.text.length <= 2000)).min(1).max(10).optional(),
      accessory: z.object({ type: z.string() }).passthrough().optional(),
    }).refine((s) => s.text || s.fields, 'a section needs text or fields'),
    z.object({ type: z.literal('context'), elements: z.array(z.union([mrkdwn, plain, z.object({ type: z.literal('image') }).passthrough()])).min(1).max(10) }),
    z.object({ type: z.literal('divider') }),
  ])).min(1).max(50),
});

const TextBlock = z.object({ type: z.literal('TextBlock'), text: z.string().min(1) }).passthrough();
const FactSet = z.object({ type: z.literal('FactSet'), facts: z.array(z.object({ title: z.string(), value: z.string() })).min(1) });
const TeamsMessage = z.object({
  type: z.literal('message'),
  attachments: z.array(z.object({
    contentType: z.literal('application/vnd.microsoft.card.adaptive'),
    contentUrl: z.null(),
    content: z.object({
      $schema: z.literal('http://adaptivecards.io/schemas/adaptive-card.json'),
      type: z.literal('AdaptiveCard'),
      version: z.string().regex(/^1\.[0-6]$/),
      body: z.array(z.union([TextBlock, FactSet])).min(1),
      actions: z.array(z.object({ type: z.literal('Action.OpenUrl'), title: z.string().min(1), url: z.url() })).optional(),
    }).passthrough(),
  })).length(1),
});

const incident = { id: '0190f0f0-0000-7000-8000-000000000001', number: 42, title: '基幹システムが停止', status: 'in_progress', priority: 'urgent', category: 'outage',
  contractId: '0190f0f0-0000-7000-8000-000000000002', clientId: '0190f0f0-0000-7000-8000-000000000003', systemId: null, assigneeId: null,
  receivedAt: '2026-04-01T01:00:00.000Z', url: 'https://desk.example/incidents/42' };
const at = '2026-04-01T02:00:00.000Z';
const DATA: Record<WebhookEventType, unknown> = {
  'incident.created': { incident },
  'incident.recognized': { incident, change: { from: 'new', to: 'recognized' } },
  'incident.status_changed': { incident, change: { from: 'recognized', to: 'in_progress' } },
  'incident.priority_changed': { incident, change: { from: 'important', to: 'urgent' } },
  'incident.assigned': { incident, change: { from: null, to: '0190f0f0-0000-7000-8000-000000000009' } },
  // Longer than a Slack section may be: clipped to 3,000 characters.
  'incident.commented': { incident, comment: { body: 'ログを確認しています。<script>&'.repeat(400) } },
  'sla.at_risk': { incident, target: 'start', dueAt: at },
  'sla.breached': { incident, target: 'resolve', dueAt: at },
  'sla.met_late': { incident, target: 'resolve', dueAt: at },
  'sla.escalated': { incident, target: 'resolve', dueAt: at, level: 2, notified: ['assignee', 'lead', 'engineer'] },
  'outage.started': { outage: { id: incident.id, contractId: incident.contractId, clientId: incident.clientId, systemId: incident.contractId, startedAt: at, endedAt: null, incidentId: null } },
  'outage.recovered': { outage: { id: incident.id, contractId: incident.contractId, clientId: incident.clientId, systemId: incident.contractId, startedAt: at, endedAt: at, incidentId: incident.id } },
  'maintenance.announced': { maintenance: { id: incident.id, contractId: incident.contractId, clientId: incident.clientId, systemId: null, kind: 'planned', title: 'OS パッチ適用', status: 'announced', startsAt: at, endsAt: at, actualStart: null, actualEnd: null } },
  'maintenance.rescheduled': { maintenance: { id: incident.id, contractId: incident.contractId, clientId: incident.clientId, systemId: null, kind: 'planned', title: 'OS パッチ適用', status: 'announced', startsAt: at, endsAt: at, actualStart: null, actualEnd: null }, previous: { startsAt: at, endsAt: at } },
  'maintenance.cancelled': { maintenance: { id: incident.id, contractId: incident.contractId, clientId: incident.clientId, systemId: null, kind: 'planned', title: 'OS パッチ適用', status: 'cancelled', startsAt: at, endsAt: at, actualStart: null, actualEnd: null } },
  'maintenance.started': { maintenance: { id: incident.id, contractId: incident.contractId, clientId: incident.clientId, systemId: null, kind: 'planned', title: 'OS パッチ適用', status: 'announced', startsAt: at, endsAt: at, actualStart: at, actualEnd: null } },
  'maintenance.ended': { maintenance: { id: incident.id, contractId: incident.contractId, clientId: incident.clientId, systemId: null, kind: 'planned', title: 'OS パッチ適用', status: 'announced', startsAt: at, endsAt: at, actualStart: at, actualEnd: at } },
  'change_request.created': { record: { id: incident.id, number: 7, title: '帳票の追加', status: 'received', clientId: incident.clientId, contractId: incident.contractId } },
  'change_request.status_changed': { record: { id: incident.id, number: 7, title: '帳票の追加', status: 'approved', clientId: incident.clientId, contractId: incident.contractId }, change: { from: 'proposed', to: 'approved' } },
  'risk.created': { record: { id: incident.id, number: 3, title: 'EOL の OS', status: 'open', clientId: incident.clientId, contractId: incident.contractId } },
  'risk.status_changed': { record: { id: incident.id, number: 3, title: 'EOL の OS', status: 'accepted', clientId: incident.clientId, contractId: null }, change: { from: 'open', to: 'accepted' } },
  'security_incident.created': { record: { id: incident.id, number: 2, title: '不正ログイン', status: 'detected', clientId: incident.clientId, contractId: incident.contractId } },
  'security_incident.status_changed': { record: { id: incident.id, number: 2, title: '不正ログイン', status: 'contained', clientId: incident.clientId, contractId: incident.contractId }, change: { from: 'detected', to: 'contained' } },
  'report.issued': { record: { id: incident.id, number: 2, title: '不正ログイン', status: 'contained', clientId: incident.clientId, contractId: incident.contractId }, report: { id: incident.id, kind: 'first', seq: 1, title: '第一報', issuedAt: at } },
  'webhook.test': { message: 'test', endpointId: incident.id },
};

const event = (type: WebhookEventType): EventRow => ({
  id: 'evt_0190f0f000007000800000000000000a', type,
  resourceType: type === 'webhook.test' ? 'webhook_endpoint' : type === 'report.issued' ? 'security_incident' : /^(incident|sla)\./.test(type) ? 'incident' : type.split('.')[0]!,
  resourceId: incident.id, sequence: 3, clientId: incident.clientId, data: JSON.stringify(DATA[type]), occurredAt: Date.parse(at),
});

describe('webhook formats', () => {
  it('the documented examples pass the shape checks (the checks are the documented shapes)', () => {
    expect(SlackMessage.safeParse(fixture('slack-incoming-webhook.json')).success).toBe(true);
    expect(TeamsMessage.safeParse(fixture('teams-workflows-webhook.json')).success).toBe(true);
  });

  for (const type of WEBHOOK_EVENT_TYPES) {
    it(`${type}: standard matches its contract schema; slack and teams match their documented shapes in ja and en`, () => {
      const env = envelopeOf(event(type));
      expect(webhookPayload(type, WEBHOOK_DATA[type]).safeParse(JSON.parse(renderBody(event(type), 'standard', 'ja'))).error).toBeUndefined();
      for (const locale of ['ja', 'en'] as const) {
        const slack = SlackMessage.safeParse(slackBody(env, locale));
        expect(slack.error).toBeUndefined();
        const teams = TeamsMessage.safeParse(teamsBody(env, locale));
        expect(teams.error).toBeUndefined();
      }
    });
  }

  it('speaks the endpoint\'s language, escapes Slack\'s markup and clips a long message to Slack\'s section limit', () => {
    const ja = slackBody(envelopeOf(event('sla.breached')), 'ja') as { blocks: Array<{ type: string; text?: { text: string }; fields?: Array<{ text: string }> }> };
    expect(ja.blocks[0]!.text!.text).toBe('SLA 違反 — #42 の解決: 基幹システムが停止');
    expect(ja.blocks[2]!.fields!.map((f) => f.text)).toContain('*優先度*\n緊急');
    const en = teamsBody(envelopeOf(event('sla.breached')), 'en') as { attachments: Array<{ content: { body: Array<{ text?: string }>; actions: Array<{ url: string }> } }> };
    expect(en.attachments[0]!.content.body[0]!.text).toBe('SLA breached — resolution of #42: 基幹システムが停止');
    expect(en.attachments[0]!.content.actions[0]!.url).toBe('https://desk.example/incidents/42');
    const long = slackBody(envelopeOf(event('incident.commented')), 'ja') as { blocks: Array<{ text?: { text: string } }> };
    const section = long.blocks[1]!.text!.text;
    expect(section.length).toBeLessThanOrEqual(3000);
    expect(section).toContain('&lt;script&gt;&amp;');
    expect(section).not.toContain('<script>');
  });

  it('shows instants as the console does, in the zone of the event\'s contract, and statuses and lists in words', () => {
    type Slack = { blocks: Array<{ text?: { text: string }; fields?: Array<{ text: string }> }> };
    const fields = (b: unknown) => (b as Slack).blocks.flatMap((x) => x.fields ?? []).map((f) => f.text);
    expect(contractOf(event('sla.breached'))).toBe(incident.contractId);
    expect(contractOf(event('maintenance.rescheduled'))).toBe(incident.contractId);
    // 02:00Z is 11:00 in Tokyo and 22:00 the day before in New York.
    expect(fields(slackBody(envelopeOf(event('sla.breached')), 'ja', 'Asia/Tokyo'))).toContain('*期限*\n2026/04/01(水) 11:00 JST');
    expect(fields(slackBody(envelopeOf(event('sla.breached')), 'en', 'America/New_York'))).toContain('*Due*\nTue, 31 Mar 2026, 22:00 GMT-4');
    // A field's value stands alone: capitalised in English.
    expect(fields(slackBody(envelopeOf(event('incident.created')), 'en'))).toEqual(expect.arrayContaining(['*Priority*\nUrgent', '*Status*\nIn progress', '*Category*\nOutage']));
    // A window on one day names its day once.
    expect(fields(slackBody(envelopeOf(event('maintenance.started')), 'ja', 'Asia/Tokyo')).join('\n')).toContain('2026/04/01(水) 11:00–11:00 JST');
    // A change request's status in words, not its code; the escalation's roles joined as the language joins them.
    expect((slackBody(envelopeOf(event('change_request.status_changed')), 'ja') as Slack).blocks[0]!.text!.text).toContain('「承認済み」');
    expect(fields(slackBody(envelopeOf(event('security_incident.status_changed')), 'ja'))).toContain('*状態*\n封じ込め済み');
    expect(fields(slackBody(envelopeOf(event('sla.escalated')), 'ja')).join('\n')).toMatch(/担当者、.+、.+/);
  });
});
