/**
 * Monitoring (staff): a contract's health checks per system (HTTP/TCP, interval,
 * timeout, retries, confirmation threshold, keyword), their state, last results with
 * a latency chart, outages, and availability per month; disable or delete a monitor.
 */
import { Alert, Anchor, Badge, Button, Card, Group, NativeSelect, NumberInput, SimpleGrid, Stack, Switch, Table, Text, TextInput, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Fragment, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { z } from 'zod';
import type { MonitorRun as MonitorRunSchema } from '../../../src/contract/admin.ts';
import {
  CreateMonitorBody, type ContractAvailability as ContractAvailabilitySchema, type Monitor as MonitorSchema, type Outage as OutageSchema,
} from '../../../src/contract/monitoring.ts';
import { api, ApiError, asApiError, get, patch, post, qs } from '../../api/client.ts';
import type { Lang } from '../../i18n/index.ts';
import { ONE_LINE, WHOLE_WORDS } from '../../lib/table.ts';
import { formatInstant, formatSpan } from '../../lib/time.ts';
import { ErrorAlert, fieldErrors } from '../incidents/FieldErrors.tsx';
import { useLookup } from '../incidents/lookup.ts';

type Monitor = z.infer<typeof MonitorSchema>;
type Outage = z.infer<typeof OutageSchema>;
type Run = z.infer<typeof MonitorRunSchema>;
type Availability = z.infer<typeof ContractAvailabilitySchema>;
const STATE_COLOUR = { up: 'green', down: 'red', unknown: 'gray' } as const;

export function MonitoringPage() {
  const { t, i18n } = useTranslation();
  const lk = useLookup(true);
  const [contractId, setContractId] = useState('');
  const contract = lk.contract(contractId);
  const zone = lk.zone(contract?.calendarId);
  const monitors = useQuery({
    queryKey: ['monitors', contractId],
    queryFn: async () => (await get<{ items: Monitor[] }>(`/monitors${qs({ contractId })}`)).items,
    enabled: Boolean(contractId),
    refetchInterval: 15_000,
  });
  const [selected, setSelected] = useState<string | null>(null);
  const current = monitors.data?.find((m) => m.id === selected) ?? null;
  return (
    <Stack>
      <Title order={1} size="h2">{t('adm.mon.title')}</Title>
      <NativeSelect label={t('maintenance.contract')} value={contractId} onChange={(e) => { setContractId(e.currentTarget.value); setSelected(null); }} maw={480}
        data={[{ value: '', label: '—' }, ...lk.contracts.map((c) => ({ value: c.id, label: `${lk.client(c.clientId)?.name ?? ''} / ${c.name}` }))]} />
      {!contractId && <Text c="dimmed">{t('adm.mon.pick')}</Text>}
      {!contractId && <Everywhere onPick={(id) => { setContractId(id); setSelected(null); }} />}
      {contract && (
        <>
          <Table.ScrollContainer minWidth={700}>
            <Table striped fz="sm" highlightOnHover styles={{ td: WHOLE_WORDS }}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('common.name')}</Table.Th><Table.Th>{t('adm.mon.system')}</Table.Th><Table.Th>{t('adm.mon.target')}</Table.Th>
                  <Table.Th>{t('adm.mon.state')}</Table.Th><Table.Th>{t('adm.mon.lastCheck')}</Table.Th><Table.Th>{t('adm.mon.latency')}</Table.Th><Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {(monitors.data ?? []).map((m) => (
                  <Table.Tr key={m.id} data-testid={`monitor-${m.name}`}>
                    <Table.Td>{m.name} {!m.enabled && <Badge size="xs" color="gray">{t('adm.mon.disabled')}</Badge>}</Table.Td>
                    <Table.Td>{lk.system(m.systemId)?.name}</Table.Td>
                    <Table.Td style={{ wordBreak: 'break-all' }}>{m.kind.toUpperCase()} {m.kind === 'http' ? m.url : `${m.host ?? ''}:${m.port ?? ''}`}</Table.Td>
                    <Table.Td style={ONE_LINE}><StateBadge state={m.state} /></Table.Td>
                    <Table.Td>{formatInstant(m.lastCheckAt, zone, i18n.language as Lang)}</Table.Td>
                    <Table.Td>{m.lastLatencyMs != null ? `${m.lastLatencyMs} ms` : '—'}</Table.Td>
                    <Table.Td><Button size="compact-xs" variant="default" onClick={() => setSelected(selected === m.id ? null : m.id)}>{selected === m.id ? t('common.close') : t('adm.mon.details')}</Button></Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {monitors.data?.length === 0 && <Text c="dimmed">{t('adm.mon.none')}</Text>}
          {current && <MonitorDetail key={current.id} m={current} zone={zone} onGone={() => setSelected(null)} />}
          <NewMonitor contractId={contract.id} systems={lk.systems.filter((s) => contract.systemIds.includes(s.id))} />
          <Outages contractId={contract.id} zoneOf={() => zone} names={new Map((monitors.data ?? []).map((m) => [m.id, m.name]))} />
          <AvailabilityCard contractId={contract.id} zone={zone} />
        </>
      )}
    </Stack>
  );
}

function StateBadge({ state }: { state: Monitor['state'] }) {
  const { t } = useTranslation();
  // The label never shrinks to an ellipsis (UNKN… at 1024 px in English).
  return <Badge color={STATE_COLOUR[state]} style={{ overflow: 'visible' }} styles={{ label: { overflow: 'visible' } }}>{t(`adm.mon.states.${state}`)}</Badge>;
}

function MonitorDetail({ m, zone, onGone }: { m: Monitor; zone: string; onGone: () => void }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const qc = useQueryClient();
  const runs = useQuery({ queryKey: ['monitor-runs', m.id], queryFn: async () => (await get<{ items: Run[] }>(`/monitors/${m.id}/runs?limit=50`)).items, refetchInterval: 15_000 });
  const [err, setErr] = useState<ApiError | null>(null);
  const [confirm, setConfirm] = useState(false);
  const refresh = () => qc.invalidateQueries({ queryKey: ['monitors'] });
  const toggle = async () => {
    try { await patch(`/monitors/${m.id}`, { enabled: !m.enabled }); setErr(null); await refresh(); } catch (x) { setErr(asApiError(x)); }
  };
  const remove = async () => {
    try { await api('DELETE', `/monitors/${m.id}`); setErr(null); await refresh(); onGone(); } catch (x) { setErr(asApiError(x)); }
  };
  return (
    <Card withBorder data-testid="monitor-detail">
      <Group justify="space-between">
        <Text fw={600}>{m.name}</Text>
        <Group gap="xs">
          <Switch label={t('adm.mon.enabled')} checked={m.enabled} onChange={() => void toggle()} />
          {confirm
            ? <><Text size="sm">{t('adm.mon.deleteConfirm')}</Text><Button size="xs" color="red" onClick={() => void remove()}>{t('adm.mon.deleteYes')}</Button><Button size="xs" variant="default" onClick={() => setConfirm(false)}>{t('common.cancel')}</Button></>
            : <Button size="xs" color="red" variant="light" onClick={() => setConfirm(true)}>{t('adm.mon.delete')}</Button>}
        </Group>
      </Group>
      <Text size="sm" c="dimmed">
        {t('adm.mon.settings', { interval: m.intervalMs / 1000, timeout: m.timeoutMs / 1000, retries: m.retries, confirm: m.confirmAfter, recover: m.recoverAfter })}
        {m.keyword ? ` · ${t('adm.mon.keyword')}: "${m.keyword}" (${t(`adm.mon.modes.${m.keywordMode ?? 'present'}`)})` : ''}
      </Text>
      {m.lastError && <Alert color="red" mt="xs" title={t('adm.mon.lastError')}>{m.lastError}</Alert>}
      {err && <ErrorAlert error={err} />}
      <Text fw={600} size="sm" mt="sm">{t('adm.mon.results')}</Text>
      {(runs.data ?? []).length === 0 ? <Text size="sm" c="dimmed">{t('adm.mon.noResults')}</Text> : (
        <>
          <LatencyChart runs={runs.data ?? []} label={t('adm.mon.chart')} />
          <Table.ScrollContainer minWidth={600}>
            <Table fz="xs" styles={{ td: WHOLE_WORDS }}>
              <Table.Thead>
                <Table.Tr><Table.Th>{t('adm.mon.state')}</Table.Th><Table.Th>{t('adm.mon.from')}</Table.Th><Table.Th>{t('adm.mon.to')}</Table.Th><Table.Th>{t('adm.mon.checks')}</Table.Th><Table.Th>{t('adm.mon.avg')}</Table.Th><Table.Th>{t('adm.mon.max')}</Table.Th></Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {(runs.data ?? []).slice(0, 10).map((r) => (
                  <Table.Tr key={r.startedAt}>
                    <Table.Td><Badge size="xs" color={STATE_COLOUR[r.status]}>{t(`adm.mon.states.${r.status}`)}</Badge></Table.Td>
                    <Table.Td>{formatInstant(r.startedAt, zone, lang)}</Table.Td><Table.Td>{formatInstant(r.lastAt, zone, lang)}</Table.Td>
                    <Table.Td>{r.checks}</Table.Td><Table.Td>{r.avgLatencyMs} ms</Table.Td><Table.Td>{r.maxLatencyMs} ms</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </>
      )}
    </Card>
  );
}

/** Average latency per stretch of results, oldest left; bar colour = the stretch's result. */
function LatencyChart({ runs, label }: { runs: Run[]; label: string }) {
  const data = [...runs].reverse();
  const max = Math.max(1, ...data.map((r) => r.maxLatencyMs));
  const w = 600;
  const h = 120;
  // At most 24 px a bar: a single stretch is a bar, not a wall.
  const bw = Math.min(24, w / Math.max(data.length, 1));
  const fill = { up: '#2f9e44', down: '#e03131', unknown: '#adb5bd' } as const;
  return (
    <svg viewBox={`0 0 ${w} ${h + 16}`} width="100%" height={h + 16} role="img" aria-label={label} data-testid="latency-chart" style={{ maxWidth: w }}>
      <text x={2} y={10} fontSize={10} fill="#868e96">{max} ms</text>
      {data.map((r, i) => {
        const bh = Math.max(2, (r.avgLatencyMs / max) * (h - 4));
        return <rect key={r.startedAt} x={i * bw + 1} y={h + 14 - bh} width={Math.max(1, bw - 2)} height={bh} fill={fill[r.status]}><title>{`${r.avgLatencyMs} ms (${r.checks})`}</title></rect>;
      })}
    </svg>
  );
}

function NewMonitor({ contractId, systems }: { contractId: string; systems: { id: string; name: string }[] }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const initial = { kind: 'http', interval: '60', timeout: '10', retries: '0', confirmAfter: '3', recoverAfter: '2', keywordMode: 'present' };
  const [v, setV] = useState<Record<string, string>>(initial);
  const [err, setErr] = useState<z.ZodError | ApiError | null>(null);
  const set = (k: string, x: string | number) => setV({ ...v, [k]: String(x) });
  const num = (x: string | undefined) => (x === undefined || x.trim() === '' ? undefined : Number(x));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const seconds = (x: string | undefined) => { const n = num(x); return n === undefined ? undefined : Math.round(n * 1000); };
    const body = {
      contractId, systemId: v.systemId ?? '', name: v.name ?? '', kind: v.kind,
      ...(v.kind === 'http' ? { url: v.url ?? '' } : { host: v.host ?? '', port: num(v.port) }),
      ...(v.expectedStatus ? { expectedStatus: num(v.expectedStatus) } : {}),
      ...(v.keyword ? { keyword: v.keyword, keywordMode: v.keywordMode } : {}),
      intervalMs: seconds(v.interval), timeoutMs: seconds(v.timeout), retries: num(v.retries), confirmAfter: num(v.confirmAfter), recoverAfter: num(v.recoverAfter),
    };
    const r = CreateMonitorBody.safeParse(body);
    if (!r.success) return setErr(r.error);
    try {
      await post('/monitors', r.data);
      setErr(null);
      setV(initial);
      await qc.invalidateQueries({ queryKey: ['monitors'] });
    } catch (x) {
      setErr(asApiError(x));
    }
  };
  const errors = fieldErrors(err);
  return (
    <Card withBorder>
      <Text fw={600} mb="xs">{t('adm.mon.new')}</Text>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="xs">
          <NativeSelect label={t('adm.mon.system')} required value={v.systemId ?? ''} error={errors.systemId} onChange={(e) => set('systemId', e.currentTarget.value)}
            data={[{ value: '', label: '—' }, ...systems.map((s) => ({ value: s.id, label: s.name }))]} />
          <TextInput label={t('common.name')} required value={v.name ?? ''} error={errors.name} onChange={(e) => set('name', e.currentTarget.value)} />
          <NativeSelect label={t('adm.mon.kind')} value={v.kind} onChange={(e) => set('kind', e.currentTarget.value)} data={[{ value: 'http', label: 'HTTP(S)' }, { value: 'tcp', label: 'TCP' }]} />
          {v.kind === 'http'
            ? <TextInput label="URL" required value={v.url ?? ''} error={errors.url} onChange={(e) => set('url', e.currentTarget.value)} placeholder="https://" />
            : (
              <Group grow gap="xs" align="flex-start">
                <TextInput label={t('adm.mon.host')} required value={v.host ?? ''} error={errors.host} onChange={(e) => set('host', e.currentTarget.value)} />
                <TextInput label={t('adm.mon.port')} required value={v.port ?? ''} error={errors.port} onChange={(e) => set('port', e.currentTarget.value)} inputMode="numeric" />
              </Group>
            )}
          <NumberInput label={t('adm.mon.interval')} value={v.interval} error={errors.intervalMs} onChange={(x) => set('interval', x)} min={1} />
          <NumberInput label={t('adm.mon.timeout')} value={v.timeout} error={errors.timeoutMs} onChange={(x) => set('timeout', x)} min={0.1} decimalScale={1} />
          <NumberInput label={t('adm.mon.retries')} value={v.retries} error={errors.retries} onChange={(x) => set('retries', x)} min={0} allowDecimal={false} />
          <NumberInput label={t('adm.mon.confirmAfter')} value={v.confirmAfter} error={errors.confirmAfter} onChange={(x) => set('confirmAfter', x)} min={1} allowDecimal={false} />
          <NumberInput label={t('adm.mon.recoverAfter')} value={v.recoverAfter} error={errors.recoverAfter} onChange={(x) => set('recoverAfter', x)} min={1} allowDecimal={false} />
          {v.kind === 'http' && <TextInput label={t('adm.mon.expectedStatus')} value={v.expectedStatus ?? ''} error={errors.expectedStatus} onChange={(e) => set('expectedStatus', e.currentTarget.value)} inputMode="numeric" placeholder="2xx/3xx" />}
          {v.kind === 'http' && <TextInput label={t('adm.mon.keyword')} value={v.keyword ?? ''} error={errors.keyword} onChange={(e) => set('keyword', e.currentTarget.value)} />}
          {v.kind === 'http' && (
            <NativeSelect label={t('adm.mon.keywordMode')} value={v.keywordMode} onChange={(e) => set('keywordMode', e.currentTarget.value)}
              data={[{ value: 'present', label: t('adm.mon.modes.present') }, { value: 'absent', label: t('adm.mon.modes.absent') }]} />
          )}
        </SimpleGrid>
        {err instanceof ApiError && <ErrorAlert error={err} />}
        <Group justify="flex-end" mt="xs"><Button type="submit">{t('adm.mon.add')}</Button></Group>
      </form>
    </Card>
  );
}

/**
 * Every contract's monitors before one is chosen, those down first: which system is down now
 * and where a contract's checks are switched off, without opening the contracts one by one.
 * A contract's name opens its page.
 */
function Everywhere({ onPick }: { onPick: (contractId: string) => void }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const lk = useLookup(true);
  const monitors = useQuery({ queryKey: ['monitors', ''], queryFn: async () => (await get<{ items: Monitor[] }>(`/monitors${qs({ limit: 200 })}`)).items, refetchInterval: 15_000 });
  const zoneOf = (contractId: string) => lk.zone(lk.contract(contractId)?.calendarId);
  const open = (contractId: string) => (
    <Anchor component="button" type="button" size="sm" ta="left" onClick={() => onPick(contractId)}>{lk.contract(contractId)?.name ?? '—'}</Anchor>
  );
  const rank = { down: 0, unknown: 1, up: 2 } as const;
  const items = [...(monitors.data ?? [])].sort((a, b) => rank[a.state] - rank[b.state] || Number(b.enabled) - Number(a.enabled));
  return (
    <>
      <Card withBorder data-testid="monitors-everywhere">
        <Text fw={600} mb="xs">{t('adm.mon.allMonitors')}</Text>
        {monitors.data?.length === 0 ? <Text size="sm" c="dimmed">{t('adm.mon.noneAtAll')}</Text> : (
          <Table.ScrollContainer minWidth={640}>
            <Table striped fz="sm" styles={{ td: WHOLE_WORDS }}>
              <Table.Thead>
                <Table.Tr><Table.Th>{t('maintenance.contract')}</Table.Th><Table.Th>{t('common.name')}</Table.Th><Table.Th>{t('adm.mon.system')}</Table.Th><Table.Th>{t('adm.mon.state')}</Table.Th><Table.Th>{t('adm.mon.lastCheck')}</Table.Th></Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((m) => (
                  <Table.Tr key={m.id} data-testid={`everywhere-${m.name}`}>
                    <Table.Td>{open(m.contractId)}</Table.Td>
                    <Table.Td>{m.name} {!m.enabled && <Badge size="xs" color="gray">{t('adm.mon.disabled')}</Badge>}</Table.Td>
                    <Table.Td>{lk.system(m.systemId)?.name}</Table.Td>
                    <Table.Td style={ONE_LINE}><StateBadge state={m.state} /></Table.Td>
                    <Table.Td>{formatInstant(m.lastCheckAt, zoneOf(m.contractId), lang)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Card>
      <Outages zoneOf={zoneOf} names={new Map((monitors.data ?? []).map((m) => [m.id, m.name]))} contractCell={open} />
    </>
  );
}

/** A contract's outages, or with `contractCell` every contract's, newest first. */
function Outages({ contractId, zoneOf, names, contractCell }: {
  contractId?: string; zoneOf: (contractId: string) => string; names: Map<string, string>; contractCell?: (contractId: string) => ReactNode;
}) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const outages = useQuery({ queryKey: ['outages', contractId ?? ''], queryFn: async () => (await get<{ items: Outage[] }>(`/outages${qs({ contractId, limit: 50 })}`)).items, refetchInterval: 30_000 });
  return (
    <Card withBorder>
      <Text fw={600} mb="xs">{t('adm.mon.outages')}</Text>
      {(outages.data ?? []).length === 0 ? <Text size="sm" c="dimmed">{t('adm.mon.noOutages')}</Text> : (
        <Table.ScrollContainer minWidth={640}>
          <Table fz="sm" styles={{ td: WHOLE_WORDS }}>
            <Table.Thead>
              <Table.Tr>{contractCell && <Table.Th>{t('maintenance.contract')}</Table.Th>}<Table.Th>{t('adm.mon.monitor')}</Table.Th><Table.Th>{t('adm.mon.from')}</Table.Th><Table.Th>{t('adm.mon.to')}</Table.Th><Table.Th>{t('adm.mon.duration')}</Table.Th><Table.Th>{t('adm.mon.incident')}</Table.Th></Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(outages.data ?? []).map((o) => (
                <Table.Tr key={o.id} data-testid="outage-row">
                  {contractCell && <Table.Td>{contractCell(o.contractId)}</Table.Td>}
                  <Table.Td>{names.get(o.monitorId) ?? '—'} {o.muted && <Badge size="xs" variant="light">{t('adm.mon.muted')}</Badge>}</Table.Td>
                  <Table.Td>{formatInstant(o.startedAt, zoneOf(o.contractId), lang)}</Table.Td>
                  <Table.Td>{o.endedAt ? formatInstant(o.endedAt, zoneOf(o.contractId), lang) : <Badge color="red">{t('adm.mon.ongoing')}</Badge>}{o.endedBy && o.endedBy !== 'recovered' ? ` (${t(`adm.mon.endings.${o.endedBy}`)})` : ''}</Table.Td>
                  <Table.Td>{formatSpan((o.endedAt ? Date.parse(o.endedAt) : Date.now()) - Date.parse(o.startedAt), lang)}</Table.Td>
                  <Table.Td>{o.incidentId ? <Link to={`/incidents/${o.incidentId}`}>{t('adm.mon.open')}</Link> : '—'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Card>
  );
}

function AvailabilityCard({ contractId, zone }: { contractId: string; zone: string }) {
  const { t, i18n } = useTranslation();
  const [open, setOpen] = useState<string | null>(null);
  const lang = i18n.language as Lang;
  const [month, setMonth] = useState(() => new Date().toISOString().slice(0, 7));
  const a = useQuery<Availability, ApiError>({
    queryKey: ['availability', contractId, month],
    queryFn: () => get<Availability>(`/contracts/${contractId}/availability/${month}`),
    enabled: /^\d{4}-\d{2}$/.test(month),
  });
  const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(3)} %`);
  const rows = a.data ? [{ name: t('adm.mon.wholeContract'), figure: a.data.contract }, ...a.data.systems.map((s) => ({ name: s.name, figure: s.figure }))] : [];
  return (
    <Card withBorder>
      <Group justify="space-between" mb="xs">
        <Text fw={600}>{t('adm.mon.availability')}</Text>
        <TextInput type="month" size="xs" aria-label={t('adm.mon.month')} value={month} onChange={(e) => setMonth(e.currentTarget.value)} />
      </Group>
      {a.error && <ErrorAlert error={a.error} />}
      {rows.length > 0 && (
        <Table.ScrollContainer minWidth={640}>
          <Table fz="sm" styles={{ td: WHOLE_WORDS }}>
            <Table.Thead>
              <Table.Tr><Table.Th /><Table.Th>{t('adm.mon.availabilityCol')}</Table.Th><Table.Th>{t('adm.mon.service')}</Table.Th><Table.Th>{t('adm.mon.planned')}</Table.Th><Table.Th>{t('adm.mon.downtime')}</Table.Th><Table.Th>{t('adm.mon.unknown')}</Table.Th><Table.Th /></Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((r) => (
                <Fragment key={r.name}>
                  <Table.Tr>
                    <Table.Td>{r.name}</Table.Td><Table.Td fw={600}>{pct(r.figure.availability)}</Table.Td>
                    <Table.Td>{formatSpan(r.figure.serviceMs, lang)}</Table.Td><Table.Td>{formatSpan(r.figure.plannedMs, lang)}</Table.Td>
                    <Table.Td>{formatSpan(r.figure.downtimeMs, lang)} {r.figure.intervals.downtime.length > 0 && `(${r.figure.intervals.downtime.length})`}</Table.Td>
                    <Table.Td>{formatSpan(r.figure.unknownMs, lang)}</Table.Td>
                    <Table.Td><Button size="compact-xs" variant="subtle" onClick={() => setOpen(open === r.name ? null : r.name)}>{open === r.name ? t('common.close') : t('adm.mon.intervals')}</Button></Table.Td>
                  </Table.Tr>
                  {open === r.name && (
                    <Table.Tr>
                      <Table.Td colSpan={7}>
                        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="xs" data-testid="availability-intervals">
                          {(['downtime', 'planned', 'unknown'] as const).map((k) => (
                            <Stack key={k} gap={2}>
                              <Text size="xs" fw={600}>{t(`adm.mon.${k}`)}</Text>
                              {r.figure.intervals[k].length === 0 ? <Text size="xs" c="dimmed">—</Text> : r.figure.intervals[k].slice(0, 50).map((x) => (
                                <Text key={x.from} size="xs">{formatInstant(x.from, zone, lang, false)} – {formatInstant(x.to, zone, lang, false)}</Text>
                              ))}
                            </Stack>
                          ))}
                        </SimpleGrid>
                      </Table.Td>
                    </Table.Tr>
                  )}
                </Fragment>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Card>
  );
}
