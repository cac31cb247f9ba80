/** The desk's list of change requests: filters by state and title; the feasibility answer's deadline at a glance. */
import { Anchor, Group, NativeSelect, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { CHANGE_STATUSES } from '../../../src/contract/change-requests.ts';
import { useChangeRequests } from '../../api/change-requests.ts';
import type { Lang } from '../../i18n/index.ts';
import { formatInstant } from '../../lib/time.ts';
import { useLookup } from '../incidents/lookup.ts';
import { ChangeStatusBadge, useYen } from './ChangeParts.tsx';
import { ChangeSettingsCard } from './ChangeSettingsCard.tsx';
import { ONE_LINE, WHOLE_WORD_TABLE } from '../../lib/table.ts';

export function ChangeListPage({ portal = false }: { portal?: boolean }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const [status, setStatus] = useState('');
  const [open, setOpen] = useState<'true' | ''>(portal ? '' : 'true');
  const [q, setQ] = useState('');
  const list = useChangeRequests({ status: status || undefined, open: status ? undefined : open || undefined, q: q.trim() || undefined });
  const lk = useLookup(!portal);
  const yen = useYen();
  const items = list.data?.items ?? [];
  const base = portal ? '/portal/changes' : '/changes';
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">{portal ? t('change.portalTitle') : t('change.title')}</Title>
        <Anchor component={Link} to={`${base}/new`} data-testid="new-change">{t('change.new')}</Anchor>
      </Group>
      <Group>
        <NativeSelect label={t('change.status')} value={status} onChange={(e) => setStatus(e.currentTarget.value)} data-testid="change-status-filter"
          data={[{ value: '', label: t('change.allStatuses') }, ...CHANGE_STATUSES.map((s) => ({ value: s, label: t(`change.statusLabel.${s}`) }))]} />
        <NativeSelect label={t('change.show')} value={open} onChange={(e) => setOpen(e.currentTarget.value as 'true' | '')}
          data={[{ value: 'true', label: t('change.openOnly') }, { value: '', label: t('change.allStatuses') }]} />
        <TextInput label={t('change.search')} value={q} onChange={(e) => setQ(e.currentTarget.value)} />
      </Group>
      <Table.ScrollContainer minWidth={800}>
        <Table striped styles={WHOLE_WORD_TABLE} data-testid="change-list">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('change.number')}</Table.Th><Table.Th>{t('change.request')}</Table.Th><Table.Th>{t('change.status')}</Table.Th>
              <Table.Th>{t('change.feasibilityDue')}</Table.Th><Table.Th>{t('change.total')}</Table.Th><Table.Th>{t('change.window')}</Table.Th><Table.Th>{t('change.received')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((c) => {
              const zone = lk.zone(lk.contract(c.contractId)?.calendarId);
              const f = c.feasibilityTarget;
              return (
                <Table.Tr key={c.id} data-change={c.number}>
                  <Table.Td style={ONE_LINE}>CR-{c.number}</Table.Td>
                  <Table.Td>
                    <Anchor component={Link} to={`${base}/${c.id}`}>{c.title}</Anchor>
                    <Text size="xs" c="dimmed">{lk.client(c.clientId)?.name} · {lk.contract(c.contractId)?.name}</Text>
                  </Table.Td>
                  <Table.Td><ChangeStatusBadge status={c.status} /></Table.Td>
                  <Table.Td>
                    {/* The state under the deadline, not in brackets after it: 停止中（お客様確認待ち） read as brackets inside brackets. */}
                    <Text size="sm">{f ? formatInstant(f.dueAt, zone, lang, false) : '—'}</Text>
                    {f && f.state !== 'pending' && <Text size="xs" c="dimmed" data-testid="feasibility-state">{t(`change.feasibilityState.${f.state}`)}</Text>}
                  </Table.Td>
                  <Table.Td><Text size="sm">{c.currentProposal ? yen(c.currentProposal.totalJpy) : '—'}</Text></Table.Td>
                  <Table.Td><Text size="sm">{c.windowStartsAt ? formatInstant(c.windowStartsAt, zone, lang, false) : '—'}</Text></Table.Td>
                  <Table.Td><Text size="sm">{formatInstant(c.receivedAt, zone, lang, false)}</Text></Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {list.data && items.length === 0 && <Text c="dimmed">{t('change.none')}</Text>}
      {!portal && <ChangeSettingsCard />}
    </Stack>
  );
}
