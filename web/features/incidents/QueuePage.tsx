/**
 * The agent's queue: every filter, the search and the sort run on the server (the URL
 * holds them), pages load on demand down to the oldest incident, a number box jumps
 * straight to an incident, and the filtered list exports as CSV. Live countdowns tick in
 * their own badges (the page does not re-render each second); the SLA state badges double
 * as a filter.
 */
import { Alert, Badge, Button, Group, Kbd, NativeSelect, Paper, SegmentedControl, SimpleGrid, Stack, Text, TextInput, Title, UnstyledButton } from '@mantine/core';
import { useDebouncedCallback, useHotkeys, useMediaQuery } from '@mantine/hooks';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { CATEGORIES, CHANNELS, PRIORITIES, STATUSES } from '../../../src/contract/vocabulary.ts';
import { ApiError, get } from '../../api/client.ts';
import type { IncidentDetail, SlaState } from '../../api/types.ts';
import type { Lang } from '../../i18n/index.ts';
import { SLA_COLOURS } from '../../lib/time.ts';
import { useLookup } from './lookup.ts';
import { apiFilter, csvHref, DEFAULT_SORT, parseNumber, useQueue } from './queueQuery.ts';
import { QueueCards, QueueTable } from './QueueRows.tsx';

const STATES: SlaState[] = ['breached', 'atRisk', 'ok', 'metLate', 'met', 'pending'];
const SORTS = ['due', 'number', 'received'] as const;

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
  const filter = apiFilter(params);
  const q = useQueue(filter);
  const lk = useLookup(true);
  const phone = useMediaQuery('(max-width: 600px)');
  useHotkeys([['n', () => void navigate('/phone')]]);

  const [search, setSearch] = useState(f('q'));
  const pushSearch = useDebouncedCallback((v: string) => set('q', v.trim()), 300);
  const [jump, setJump] = useState('');
  const [jumpError, setJumpError] = useState<string | null>(null);
  const onJump = async (e: FormEvent) => {
    e.preventDefault();
    const n = parseNumber(jump);
    if (n === null) return setJumpError(t('queueTools.notANumber'));
    try {
      const inc = await get<IncidentDetail>(`/incidents/by-number/${n}`);
      setJumpError(null);
      void navigate(`/incidents/${inc.id}`);
    } catch (err) {
      setJumpError(err instanceof ApiError && err.status === 404 ? t('queueTools.notFound', { number: n }) : (err as Error).message);
    }
  };

  const items = q.data?.pages.flatMap((p) => p.items) ?? [];
  const opt = (values: readonly string[], prefix: string) => [{ value: '', label: t('common.all') }, ...values.map((v) => ({ value: v, label: t(`${prefix}.${v}`) }))];
  const contracts = lk.contracts.filter((c) => !f('client') || c.clientId === f('client'));
  const systems = lk.systems.filter((s) => !f('client') || s.clientId === f('client'));

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">{t('queue.title')}</Title>
        <Group gap="xs">
          <Text size="sm" c="dimmed" visibleFrom="sm"><Kbd>N</Kbd> {t('queue.phoneHint')}</Text>
          <Button component="a" href={csvHref(filter)} download="incidents.csv" variant="default" title={t('queueTools.csvHint')} data-testid="queue-csv">
            {t('queueTools.csv')}
          </Button>
          <Button component={Link} to="/phone">{t('nav.phone')}</Button>
        </Group>
      </Group>

      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
        <TextInput type="search" label={t('queueTools.search')} placeholder={t('queueTools.searchPlaceholder')} description={t('queueTools.searchHint')}
          value={search} onChange={(e) => { setSearch(e.currentTarget.value); pushSearch(e.currentTarget.value); }} data-testid="queue-search" />
        <form onSubmit={(e) => void onJump(e)} aria-label={t('queueTools.jump')}>
          <Group gap="xs" align="flex-end" wrap="nowrap">
            <TextInput label={t('queueTools.jump')} placeholder={t('queueTools.jumpPlaceholder')} value={jump} inputMode="numeric"
              onChange={(e) => { setJump(e.currentTarget.value); setJumpError(null); }} error={jumpError} style={{ flex: 1 }} data-testid="queue-jump" />
            <Button type="submit" variant="default" mb={jumpError ? 22 : 0}>{t('queueTools.jumpGo')}</Button>
          </Group>
        </form>
      </SimpleGrid>

      <Group gap="xs" aria-label={t('queueTools.stateFilter')} role="group" data-testid="state-counts">
        {STATES.map((s) => (
          <UnstyledButton key={s} onClick={() => set('sla', f('sla') === s ? '' : s)} aria-pressed={f('sla') === s}>
            <Badge size="lg" color={SLA_COLOURS[s]} variant={f('sla') === s ? 'filled' : 'light'} data-count-state={s}>{t(`sla.${s}`)}</Badge>
          </UnstyledButton>
        ))}
      </Group>

      <Paper withBorder p="sm">
        <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }} spacing="xs" role="search" aria-label={t('queue.filters')}>
          <SegmentedControl value={f('view') || 'open'} onChange={(v) => set('view', v === 'open' ? '' : v)}
            data={[{ value: 'open', label: t('queue.open') }, { value: 'all', label: t('queue.all') }]} aria-label={t('queue.status')} />
          <NativeSelect label={t('queueTools.sort')} value={f('sort') || DEFAULT_SORT} onChange={(e) => set('sort', e.currentTarget.value === DEFAULT_SORT ? '' : e.currentTarget.value)}
            data={SORTS.map((s) => ({ value: s, label: t(`queueTools.sorts.${s}`) }))} data-testid="queue-sort" />
          <NativeSelect label={t('queue.client')} value={f('client')} onChange={(e) => set('client', e.currentTarget.value)}
            data={[{ value: '', label: t('common.all') }, ...lk.clients.map((c) => ({ value: c.id, label: c.name }))]} />
          <NativeSelect label={t('queue.contract')} value={f('contract')} onChange={(e) => set('contract', e.currentTarget.value)}
            data={[{ value: '', label: t('common.all') }, ...contracts.map((c) => ({ value: c.id, label: c.name }))]} />
          <NativeSelect label={t('incident.system')} value={f('system')} onChange={(e) => set('system', e.currentTarget.value)}
            data={[{ value: '', label: t('common.all') }, ...systems.map((s) => ({ value: s.id, label: s.name }))]} />
          <NativeSelect label={t('queue.priority')} value={f('priority')} onChange={(e) => set('priority', e.currentTarget.value)} data={opt(PRIORITIES, 'priority')} />
          <NativeSelect label={t('queue.status')} value={f('status')} onChange={(e) => set('status', e.currentTarget.value)} data={opt(STATUSES, 'status')} />
          <NativeSelect label={t('queue.slaState')} value={f('sla')} onChange={(e) => set('sla', e.currentTarget.value)} data={opt(STATES, 'sla')} />
          <NativeSelect label={t('queue.assignee')} value={f('assignee')} onChange={(e) => set('assignee', e.currentTarget.value)}
            data={[{ value: '', label: t('common.all') }, ...lk.users.filter((u) => u.role !== 'contact').map((u) => ({ value: u.id, label: u.name }))]} />
          <NativeSelect label={t('queue.channel')} value={f('channel')} onChange={(e) => set('channel', e.currentTarget.value)} data={opt(CHANNELS, 'channel')} />
          <NativeSelect label={t('queueTools.category')} value={f('category')} onChange={(e) => set('category', e.currentTarget.value)} data={opt(CATEGORIES, 'category')} />
          <NativeSelect label={t('queue.scope')} value={f('scope')} onChange={(e) => set('scope', e.currentTarget.value)}
            data={[{ value: '', label: t('common.all') }, { value: 'in', label: t('queue.inScope') }, { value: 'out', label: t('queue.outOfScope') }]} />
        </SimpleGrid>
      </Paper>

      {q.error && <Alert color="red" role="alert">{q.error.message}</Alert>}
      <Text size="sm" c="dimmed" data-testid="queue-loaded">
        {t('queueTools.loaded', { count: items.length })}{q.hasNextPage ? ` · ${t('queueTools.more')}` : ''}
      </Text>
      {phone ? <QueueCards items={items} lang={lang} lk={lk} /> : <QueueTable items={items} lang={lang} lk={lk} />}
      {q.data && items.length === 0 && <Text c="dimmed">{t('queue.empty')}</Text>}
      {q.hasNextPage && (
        <Button variant="light" onClick={() => void q.fetchNextPage()} loading={q.isFetchingNextPage} data-testid="queue-more">{t('queueTools.loadMore')}</Button>
      )}
      {q.data && !q.hasNextPage && items.length > 0 && <Text size="sm" c="dimmed" ta="center" data-testid="queue-end">{t('queueTools.end')}</Text>}
    </Stack>
  );
}
