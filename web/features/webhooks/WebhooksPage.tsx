/**
 * Settings → Webhooks (admins): endpoints with their format, language, events and filters;
 * the secret shown once; rotate, test, enable/disable, delete; the delivery log with each
 * delivery's attempts and "send again"; and the escalation rules per contract.
 */
import {
  Accordion, Alert, Badge, Button, Card, Checkbox, Code, Group, MultiSelect, NativeSelect, NumberInput, Stack, Table, Text, TextInput, Title,
} from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { PRIORITIES } from '../../../src/contract/vocabulary.ts';
import {
  CreateWebhookBody, WEBHOOK_EVENT_TYPES, WEBHOOK_FORMATS, type ContractEscalation, type EscalationRulesType, type WebhookDelivery,
  type WebhookDeliveryDetail, type WebhookEndpoint, type WebhookEndpointCreated,
} from '../../../src/contract/webhooks.ts';
import { api, ApiError, asApiError, get, post } from '../../api/client.ts';
import { useClients, useContracts } from '../../api/hooks.ts';
import type { Lang } from '../../i18n/index.ts';
import { formatInstant, joinList } from '../../lib/format.ts';
import { ErrorAlert, fieldErrors } from '../incidents/FieldErrors.tsx';
import { DEFAULT_ZONE } from '../incidents/lookup.ts';

type Endpoint = z.infer<typeof WebhookEndpoint>;
type Delivery = z.infer<typeof WebhookDelivery>;
type DeliveryDetail = z.infer<typeof WebhookDeliveryDetail>;

/** Desk-wide instants in the desk's zone (Tokyo) like the audit log's, never the browser's: "2026/12/07(月) 18:00 JST". */
const when = (iso: string | null, lang: string) => formatInstant(iso, DEFAULT_ZONE, lang === 'en' ? 'en' : 'ja');

function useEndpoints() {
  return useQuery({ queryKey: ['webhooks'], queryFn: () => get<{ items: Endpoint[] }>('/webhooks').then((r) => r.items) });
}

export function WebhooksPage() {
  const { t } = useTranslation();
  const endpoints = useEndpoints();
  const [secret, setSecret] = useState<string | null>(null);
  return (
    <Stack>
      <Title order={1} size="h2">{t('webhooks.title')}</Title>
      <Text size="sm" c="dimmed">{t('webhooks.intro')}</Text>
      {secret && (
        <Alert color="yellow" title={t('webhooks.secretOnce')} withCloseButton onClose={() => setSecret(null)}>
          <Code data-testid="webhook-secret">{secret}</Code>
        </Alert>
      )}
      <Card withBorder>
        <Text fw={600} size="sm" mb="xs">{t('webhooks.newEndpoint')}</Text>
        <NewEndpointForm onSecret={setSecret} />
      </Card>
      <Accordion variant="separated" multiple>
        {(endpoints.data ?? []).map((e) => <EndpointItem key={e.id} e={e} onSecret={setSecret} />)}
      </Accordion>
      <EscalationCard />
    </Stack>
  );
}

function NewEndpointForm({ onSecret }: { onSecret: (s: string) => void }) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const clients = useClients();
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [format, setFormat] = useState<(typeof WEBHOOK_FORMATS)[number]>('standard');
  const [locale, setLocale] = useState<'ja' | 'en'>(i18n.language === 'en' ? 'en' : 'ja');
  const [eventTypes, setEventTypes] = useState<string[]>([]);
  const [clientIds, setClientIds] = useState<string[]>([]);
  const [priorities, setPriorities] = useState<string[]>([]);
  const [allowInsecure, setAllowInsecure] = useState(false);
  const [err, setErr] = useState<z.ZodError | ApiError | null>(null);
  const fe = fieldErrors(err);
  const submit = async (ev: FormEvent) => {
    ev.preventDefault();
    const r = CreateWebhookBody.safeParse({
      url, description, format, locale, eventTypes, allowInsecure,
      filters: { ...(clientIds.length ? { clientIds } : {}), ...(priorities.length ? { priorities } : {}) },
    });
    if (!r.success) return setErr(r.error);
    try {
      const created = await post<z.infer<typeof WebhookEndpointCreated>>('/webhooks', r.data);
      onSecret(created.secret);
      setUrl(''); setDescription(''); setErr(null);
      await qc.invalidateQueries({ queryKey: ['webhooks'] });
    } catch (x) {
      setErr(asApiError(x));
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <Stack gap="xs">
        <TextInput label={t('webhooks.url')} required value={url} onChange={(e) => setUrl(e.currentTarget.value)} error={fe.url} placeholder="https://" />
        <TextInput label={t('webhooks.description')} value={description} onChange={(e) => setDescription(e.currentTarget.value)} error={fe.description} />
        <Group grow>
          <NativeSelect label={t('webhooks.format')} value={format} onChange={(e) => setFormat(e.currentTarget.value as typeof format)}
            data={WEBHOOK_FORMATS.map((f) => ({ value: f, label: t(`webhooks.formats.${f}`) }))} />
          <NativeSelect label={t('webhooks.locale')} value={locale} onChange={(e) => setLocale(e.currentTarget.value as 'ja' | 'en')}
            data={[{ value: 'ja', label: '日本語' }, { value: 'en', label: 'English' }]} />
        </Group>
        <MultiSelect label={t('webhooks.eventTypes')} data={WEBHOOK_EVENT_TYPES.filter((x) => x !== 'webhook.test')} value={eventTypes} onChange={setEventTypes} searchable clearable />
        <Group grow>
          <MultiSelect label={t('webhooks.clients')} data={(clients.data ?? []).map((c) => ({ value: c.id, label: c.name }))} value={clientIds} onChange={setClientIds} clearable />
          <MultiSelect label={t('webhooks.priorities')} data={PRIORITIES.map((p) => ({ value: p, label: t(`priority.${p}`) }))} value={priorities} onChange={setPriorities} clearable />
        </Group>
        <Checkbox label={t('webhooks.allowInsecure')} checked={allowInsecure} onChange={(e) => setAllowInsecure(e.currentTarget.checked)} />
        {err instanceof ApiError && <ErrorAlert error={err} labels={{ url: t('webhooks.url') }} />}
        <Group><Button type="submit">{t('webhooks.create')}</Button></Group>
      </Stack>
    </form>
  );
}

function EndpointItem({ e, onSecret }: { e: Endpoint; onSecret: (s: string) => void }) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const [note, setNote] = useState<string | null>(null);
  const [err, setErr] = useState<ApiError | null>(null);
  const act = async (fn: () => Promise<unknown>) => {
    try {
      setErr(null);
      await fn();
      await qc.invalidateQueries({ queryKey: ['webhooks'] });
      await qc.invalidateQueries({ queryKey: ['webhook-deliveries', e.id] });
    } catch (x) {
      setErr(asApiError(x));
    }
  };
  return (
    <Accordion.Item value={e.id}>
      <Accordion.Control>
        <Group gap="xs" wrap="nowrap">
          <Badge color={e.enabled ? 'green' : 'gray'}>{e.enabled ? t('webhooks.enabled') : t('webhooks.disabled')}</Badge>
          <Badge variant="light">{e.format}</Badge>
          <Text fw={600} style={{ wordBreak: 'break-all' }}>{e.url}</Text>
          {e.description && <Text size="sm" c="dimmed">{e.description}</Text>}
        </Group>
      </Accordion.Control>
      <Accordion.Panel>
        <Stack gap="xs">
          {e.disabledReason && <Alert color="red">{t(`webhooks.disabledReason.${e.disabledReason}`)}</Alert>}
          {e.enabled && e.failingSince && <Alert color="orange">{t('webhooks.failingSince', { since: when(e.failingSince, i18n.language) })}</Alert>}
          <Text size="sm">{t('webhooks.eventTypes')}: {e.eventTypes.length ? joinList(e.eventTypes, i18n.language as Lang) : '—'}</Text>
          <Text size="sm">{t('webhooks.secrets')}: {e.secrets.map((s) => `${s.prefix}${s.expiresAt ? ` (${t('webhooks.secretUntil', { until: when(s.expiresAt, i18n.language) })})` : ''}`).join(' / ')}</Text>
          <Group gap="xs">
            <Button size="xs" variant="default" onClick={() => void act(async () => { await post(`/webhooks/${e.id}/test`); setNote(t('webhooks.testSent')); })}>{t('webhooks.test')}</Button>
            <Button size="xs" variant="default" onClick={() => void act(async () => onSecret((await post<{ secret: string }>(`/webhooks/${e.id}/secret`, { keepOldHours: 24 })).secret))}>{t('webhooks.rotate')}</Button>
            <Button size="xs" variant="default" onClick={() => void act(() => api('PATCH', `/webhooks/${e.id}`, { enabled: !e.enabled }))}>{e.enabled ? t('webhooks.disable') : t('webhooks.enable')}</Button>
            <Button size="xs" color="red" variant="light" onClick={() => { if (window.confirm(t('webhooks.confirmRemove'))) void act(() => api('DELETE', `/webhooks/${e.id}`)); }}>{t('webhooks.remove')}</Button>
          </Group>
          {note && <Alert color="blue" withCloseButton onClose={() => setNote(null)}>{note}</Alert>}
          <ErrorAlert error={err} />
          <Deliveries endpointId={e.id} />
        </Stack>
      </Accordion.Panel>
    </Accordion.Item>
  );
}

function Deliveries({ endpointId }: { endpointId: string }) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const [open, setOpen] = useState<string | null>(null);
  const list = useQuery({
    queryKey: ['webhook-deliveries', endpointId],
    queryFn: () => get<{ items: Delivery[] }>(`/webhooks/${endpointId}/deliveries?limit=50`).then((r) => r.items),
    refetchInterval: 10_000,
  });
  const detail = useQuery({
    queryKey: ['webhook-delivery', endpointId, open],
    queryFn: () => get<DeliveryDetail>(`/webhooks/${endpointId}/deliveries/${open}`),
    enabled: open !== null,
  });
  const resend = async (id: string) => {
    await post(`/webhooks/${endpointId}/deliveries/${id}/redeliver`);
    await qc.invalidateQueries({ queryKey: ['webhook-deliveries', endpointId] });
  };
  const color = { pending: 'yellow', succeeded: 'green', failed: 'red' } as const;
  return (
    <Stack gap="xs">
      <Title order={3} size="h5">{t('webhooks.deliveries')}</Title>
      {(list.data ?? []).length === 0 ? <Text size="sm" c="dimmed">{t('webhooks.noDeliveries')}</Text> : (
        <Table.ScrollContainer minWidth={800}>
          <Table fz="sm" striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('webhooks.createdAt')}</Table.Th><Table.Th>{t('webhooks.event')}</Table.Th><Table.Th>{t('webhooks.status')}</Table.Th>
                <Table.Th>{t('webhooks.attempts')}</Table.Th><Table.Th>{t('webhooks.lastStatus')}</Table.Th><Table.Th>{t('webhooks.nextAttempt')}</Table.Th><Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(list.data ?? []).map((d) => (
                <Table.Tr key={d.id}>
                  <Table.Td><Button size="compact-xs" variant="subtle" onClick={() => setOpen(open === d.id ? null : d.id)}>{when(d.createdAt, i18n.language)}</Button></Table.Td>
                  <Table.Td><Code>{d.eventType}</Code></Table.Td>
                  <Table.Td><Badge color={color[d.status]}>{t(`webhooks.deliveryStatus.${d.status}`)}</Badge></Table.Td>
                  <Table.Td>{d.attempts}</Table.Td>
                  <Table.Td>{d.lastStatus ?? d.lastError ?? '—'}</Table.Td>
                  <Table.Td>{d.status === 'pending' ? when(d.nextAttemptAt, i18n.language) : '—'}</Table.Td>
                  <Table.Td><Button size="compact-xs" variant="default" onClick={() => void resend(d.id)}>{t('webhooks.resend')}</Button></Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {open && detail.data && (
        <Card withBorder>
          <Text fw={600} size="sm">{t('webhooks.attemptLog')}</Text>
          <Table fz="xs">
            <Table.Thead>
              <Table.Tr><Table.Th>{t('webhooks.createdAt')}</Table.Th><Table.Th>{t('webhooks.lastStatus')}</Table.Th><Table.Th>{t('webhooks.duration')}</Table.Th><Table.Th>{t('webhooks.error')}</Table.Th><Table.Th>{t('webhooks.response')}</Table.Th></Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {detail.data.attemptLog.map((a) => (
                <Table.Tr key={a.id}>
                  <Table.Td>{when(a.at, i18n.language)}</Table.Td><Table.Td>{a.statusCode ?? '—'}</Table.Td><Table.Td>{a.durationMs} ms</Table.Td>
                  <Table.Td>{a.error ?? ''}</Table.Td><Table.Td><Code>{a.responseExcerpt ?? ''}</Code></Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Code block mt="xs">{JSON.stringify(detail.data.payload, null, 2)}</Code>
        </Card>
      )}
    </Stack>
  );
}

function EscalationCard() {
  const { t } = useTranslation();
  const contracts = useContracts();
  const [contractId, setContractId] = useState('');
  const current = contractId || contracts.data?.[0]?.id || '';
  const rules = useQuery({
    queryKey: ['escalation', current],
    queryFn: () => get<z.infer<typeof ContractEscalation>>(`/contracts/${current}/escalation`),
    enabled: current !== '',
  });
  return (
    <Card withBorder>
      <Title order={2} size="h4">{t('webhooks.escalation.title')}</Title>
      <Text size="sm" c="dimmed" mb="xs">{t('webhooks.escalation.intro')}</Text>
      <NativeSelect label={t('webhooks.escalation.contract')} value={current} onChange={(e) => setContractId(e.currentTarget.value)}
        data={(contracts.data ?? []).map((c) => ({ value: c.id, label: c.name }))} />
      {rules.data && <EscalationForm key={`${current}:${JSON.stringify(rules.data)}`} contractId={current} initial={rules.data} />}
    </Card>
  );
}

function EscalationForm({ contractId, initial }: { contractId: string; initial: z.infer<typeof ContractEscalation> }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [r, setR] = useState<EscalationRulesType>(initial.rules);
  const [done, setDone] = useState(false);
  const [err, setErr] = useState<ApiError | null>(null);
  const save = async (rules: EscalationRulesType | null) => {
    try {
      setErr(null);
      await api('PUT', `/contracts/${contractId}/escalation`, { rules });
      setDone(true);
      await qc.invalidateQueries({ queryKey: ['escalation', contractId] });
    } catch (x) {
      setErr(asApiError(x));
    }
  };
  const flag = (k: keyof EscalationRulesType['breached']) => (
    <Checkbox label={t(`webhooks.escalation.${k}`)} checked={r.breached[k]} onChange={(e) => { const v = e.currentTarget.checked; setR((x) => ({ ...x, breached: { ...x.breached, [k]: v } })); }} />
  );
  return (
    <Stack gap="xs" mt="xs">
      <Badge variant="light">{initial.isDefault ? t('webhooks.escalation.isDefault') : t('webhooks.escalation.own')}</Badge>
      {flag('assignee')}{flag('deskLead')}{flag('engineer')}
      <Group grow>
        <NumberInput label={t('webhooks.escalation.nextLevel')} min={0} max={200} value={r.nextLevelAfterBusinessHours} onChange={(v) => setR((x) => ({ ...x, nextLevelAfterBusinessHours: Number(v) || 0 }))} />
        <NumberInput label={t('webhooks.escalation.unassigned')} min={0} max={1440} value={r.urgentUnassignedMinutes} onChange={(v) => setR((x) => ({ ...x, urgentUnassignedMinutes: Number(v) || 0 }))} />
      </Group>
      <ErrorAlert error={err} />
      {done && <Text size="sm" c="green">{t('webhooks.escalation.saved')}</Text>}
      <Group>
        <Button onClick={() => void save(r)}>{t('webhooks.escalation.save')}</Button>
        {!initial.isDefault && <Button variant="default" onClick={() => void save(null)}>{t('webhooks.escalation.reset')}</Button>}
      </Group>
    </Stack>
  );
}
