/**
 * The agent's queue: filters (server-side where the API has them, SLA state,
 * channel and scope on the page), sorted by the next running deadline, live
 * countdowns, and counts per SLA state that double as a filter.
 */
import { Alert, Anchor, Badge, Button, Group, Kbd, NativeSelect, Paper, SegmentedControl, SimpleGrid, Stack, Table, Text, Title, UnstyledButton } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { CHANNELS, PRIORITIES, STATUSES } from '../../../src/contract/vocabulary.ts';
import { useIncidents } from '../../api/hooks.ts';
import type { Incident, SlaState } from '../../api/types.ts';
import type { Lang } from '../../i18n/index.ts';
import { formatInstant, nextDue, SLA_COLOURS, useNow, worstState } from '../../lib/time.ts';
import { PriorityBadge, StatusBadge } from './labels.tsx';
import { useLookup } from './lookup.ts';
import { SlaBadge } from './SlaBadge.tsx';

const STATES: SlaState[] = ['breached', 'atRisk', 'ok', 'metLate', 'met', 'pending'];

export function QueuePage() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const f = (k: string) => params.get(k) ?? '';
  const set = (k: string, v: string) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    setParams(next, { replace: true });
  };
  const scopeOpen = f('view') === 'all' ? undefined : 'true';
  const q = useIncidents({
    open: scopeOpen as 'true' | undefined,
    status: f('status') || undefined,
    priority: f('priority') || undefined,
    clientId: f('client') || undefined,
    contractId: f('contract') || undefined,
    assigneeId: f('assignee') || undefined,
  });
  const lk = useLookup(true);
  const now = useNow(1000);
  useHotkeys([['n', () => void navigate('/phone')]]);

  // A few hundred rows at most: recomputed on every tick so states move with the clock.
  const rows = (q.data?.items ?? [])
    .filter((i) => (!f('channel') || i.channel === f('channel')) && (!f('scope') || (f('scope') === 'in') === i.inScope))
    .map((i) => ({ i, state: worstState(i.targets, now), next: nextDue(i.targets) }))
    .sort((a, b) => (a.next?.dueAt ? Date.parse(a.next.dueAt) : Infinity) - (b.next?.dueAt ? Date.parse(b.next.dueAt) : Infinity) || b.i.number - a.i.number);
  const counts = Object.fromEntries(STATES.map((s) => [s, 0])) as Record<SlaState, number>;
  for (const r of rows) counts[r.state] += 1;
  const shown = f('sla') ? rows.filter((r) => r.state === f('sla')) : rows;

  const opt = (values: readonly string[], prefix: string) => [{ value: '', label: t('common.all') }, ...values.map((v) => ({ value: v, label: t(`${prefix}.${v}`) }))];
  const contracts = lk.contracts.filter((c) => !f('client') || c.clientId === f('client'));

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">{t('queue.title')}</Title>
        <Group gap="xs">
          <Text size="sm" c="dimmed"><Kbd>N</Kbd> {t('queue.phoneHint')}</Text>
          <Button component={Link} to="/phone">{t('nav.phone')}</Button>
        </Group>
      </Group>

      <Group gap="xs" aria-label={t('queue.counts')} role="group" data-testid="state-counts">
        {STATES.map((s) => (
          <UnstyledButton key={s} onClick={() => set('sla', f('sla') === s ? '' : s)} aria-pressed={f('sla') === s}>
            <Badge size="lg" color={SLA_COLOURS[s]} variant={f('sla') === s ? 'filled' : 'light'} data-count-state={s}>
              {t(`sla.${s}`)} {counts[s]}
            </Badge>
          </UnstyledButton>
        ))}
      </Group>

      <Paper withBorder p="sm">
        <SimpleGrid cols={{ base: 2, sm: 3, lg: 5 }} spacing="xs" role="search" aria-label={t('queue.filters')}>
          <SegmentedControl value={f('view') || 'open'} onChange={(v) => set('view', v === 'open' ? '' : v)}
            data={[{ value: 'open', label: t('queue.open') }, { value: 'all', label: t('queue.all') }]} aria-label={t('queue.status')} />
          <NativeSelect label={t('queue.client')} value={f('client')} onChange={(e) => set('client', e.currentTarget.value)}
            data={[{ value: '', label: t('common.all') }, ...lk.clients.map((c) => ({ value: c.id, label: c.name }))]} />
          <NativeSelect label={t('queue.contract')} value={f('contract')} onChange={(e) => set('contract', e.currentTarget.value)}
            data={[{ value: '', label: t('common.all') }, ...contracts.map((c) => ({ value: c.id, label: c.name }))]} />
          <NativeSelect label={t('queue.priority')} value={f('priority')} onChange={(e) => set('priority', e.currentTarget.value)} data={opt(PRIORITIES, 'priority')} />
          <NativeSelect label={t('queue.status')} value={f('status')} onChange={(e) => set('status', e.currentTarget.value)} data={opt(STATUSES, 'status')} />
          <NativeSelect label={t('queue.slaState')} value={f('sla')} onChange={(e) => set('sla', e.currentTarget.value)} data={opt(STATES, 'sla')} />
          <NativeSelect label={t('queue.assignee')} value={f('assignee')} onChange={(e) => set('assignee', e.currentTarget.value)}
            data={[{ value: '', label: t('common.all') }, ...lk.users.filter((u) => u.role !== 'contact').map((u) => ({ value: u.id, label: u.name }))]} />
          <NativeSelect label={t('queue.channel')} value={f('channel')} onChange={(e) => set('channel', e.currentTarget.value)} data={opt(CHANNELS, 'channel')} />
          <NativeSelect label={t('queue.scope')} value={f('scope')} onChange={(e) => set('scope', e.currentTarget.value)}
            data={[{ value: '', label: t('common.all') }, { value: 'in', label: t('queue.inScope') }, { value: 'out', label: t('queue.outOfScope') }]} />
        </SimpleGrid>
      </Paper>

      {q.error && <Alert color="red" role="alert">{q.error.message}</Alert>}
      <Text size="sm" c="dimmed">{t('queue.showing', { count: shown.length })}</Text>
      <Table.ScrollContainer minWidth={900}>
        <Table striped highlightOnHover verticalSpacing="xs" data-testid="queue">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('queue.number')}</Table.Th>
              <Table.Th>{t('queue.incident')}</Table.Th>
              <Table.Th>{t('queue.priority')}</Table.Th>
              <Table.Th>{t('queue.status')}</Table.Th>
              <Table.Th>{t('queue.slaState')}</Table.Th>
              <Table.Th>{t('queue.next')}</Table.Th>
              <Table.Th>{t('queue.assignee')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {shown.map(({ i, next }) => <Row key={i.id} i={i} next={next?.dueAt ?? null} now={now} lang={lang} lk={lk} />)}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {q.data && shown.length === 0 && <Text c="dimmed">{t('queue.empty')}</Text>}
    </Stack>
  );
}

function Row({ i, next, now, lang, lk }: { i: Incident; next: string | null; now: number; lang: Lang; lk: ReturnType<typeof useLookup> }) {
  const { t } = useTranslation();
  const zone = lk.zone(i.calendarId);
  return (
    <Table.Tr data-incident={i.number}>
      <Table.Td>#{i.number}</Table.Td>
      <Table.Td>
        <Anchor component={Link} to={`/incidents/${i.id}`} fw={500}>{i.title}</Anchor>
        <Text size="xs" c="dimmed">
          {lk.client(i.clientId)?.name ?? ''} · {lk.contract(i.contractId)?.name ?? ''} · {t(`channel.${i.channel}`)}
          {!i.inScope && <> · <Text span c="orange" size="xs">{t('queue.outOfScope')}</Text></>}
          {i.notViaDesignatedContact && <> · <Text span c="red" size="xs">{t('incident.notDesignated')}</Text></>}
        </Text>
      </Table.Td>
      <Table.Td><PriorityBadge priority={i.priority} /></Table.Td>
      <Table.Td><StatusBadge status={i.status} /></Table.Td>
      <Table.Td>
        <Stack gap={2}>
          {i.targets.map((tg) => <SlaBadge key={tg.kind} target={tg} now={now} zone={zone} compact />)}
        </Stack>
      </Table.Td>
      <Table.Td><Text size="sm">{next ? formatInstant(next, zone, lang) : '—'}</Text></Table.Td>
      <Table.Td><Text size="sm">{lk.user(i.assigneeId)?.name ?? t('queue.unassigned')}</Text></Table.Td>
    </Table.Tr>
  );
}
