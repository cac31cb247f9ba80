/** Contracts: who, what systems, the SLA policy version and calendar, the designated contact; admins create them. */
import { Anchor, Badge, Card, NativeSelect, SimpleGrid, Stack, Table, Text, TextInput, Title, Button, Group } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { z } from 'zod';
import { CreateContractBody } from '../../../src/contract/desk.ts';
import { ApiError, asApiError, post } from '../../api/client.ts';
import { useSession, useSlaPolicies } from '../../api/hooks.ts';
import type { Lang } from '../../i18n/index.ts';
import { DateRange } from '../../lib/DateRange.tsx';
import { joinList } from '../../lib/format.ts';
import { ErrorAlert, fieldErrors } from '../incidents/FieldErrors.tsx';
import { useLookup } from '../incidents/lookup.ts';
import { ONE_LINE, WHOLE_WORD_TABLE } from '../../lib/table.ts';

export function ContractsPage() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const lk = useLookup(true);
  const policies = useSlaPolicies();
  const session = useSession();
  return (
    <Stack>
      <Title order={1} size="h2">{t('admin.contracts')}</Title>
      {/* Headers wrap at their spaces (Designated / contact), so the English list fits 1280 px; SLA ポリシー is one term and stays whole. */}
      <Table.ScrollContainer minWidth={900}>
        <Table striped fz="sm" styles={WHOLE_WORD_TABLE} data-testid="contract-list">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('common.name')}</Table.Th><Table.Th>{t('admin.systems')}</Table.Th>
              <Table.Th>{t('portal.period')}</Table.Th><Table.Th style={ONE_LINE}>{t('admin.policy')}</Table.Th><Table.Th>{t('admin.calendar')}</Table.Th>
              <Table.Th>{t('admin.primaryContact')}</Table.Th><Table.Th>{t('admin.users')}</Table.Th><Table.Th>{t('slaDocument.title')}</Table.Th><Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {lk.contracts.map((c) => (
              <Table.Tr key={c.id}>
                {/* The client under the contract's name, as the other lists write a contract: a column of its own left the list too wide for 1280 px once names no longer break inside a word. */}
                <Table.Td>{c.name}<Text size="xs" c="dimmed">{lk.client(c.clientId)?.name}</Text></Table.Td>
                <Table.Td>{joinList(c.systemIds.map((s) => lk.system(s)?.name), lang)}</Table.Td>
                <Table.Td data-testid="contract-period"><DateRange from={c.startsOn} to={c.endsOn} lang={lang} /></Table.Td>
                <Table.Td>{policies.data?.find((p) => p.id === c.slaPolicyId)?.name} <Badge size="xs" variant="light">v{c.slaPolicyVersion}</Badge></Table.Td>
                <Table.Td>{lk.calendars.find((x) => x.id === c.calendarId)?.name}</Table.Td>
                <Table.Td>{lk.contact(c.primaryContactId)?.name ?? '—'}</Table.Td>
                <Table.Td>{c.contractedUsers ?? '—'}</Table.Td>
                <Table.Td><Button component={Link} to={`/contracts/${c.id}/sla-document`} size="compact-xs" variant="light">{t('slaDocument.open')}</Button></Table.Td>
                <Table.Td style={ONE_LINE}>{session.data?.user.role === 'admin' && <Anchor component={Link} to={`/contracts/${c.id}/edit`} size="sm" data-testid={`edit-contract-${c.name}`}>{t('common.edit')}</Anchor>}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {session.data?.user.role === 'admin' && <NewContract />}
    </Stack>
  );
}

function NewContract() {
  const { t } = useTranslation();
  const lk = useLookup(true);
  const policies = useSlaPolicies();
  const qc = useQueryClient();
  const [v, setV] = useState<Record<string, string>>({ startsOn: new Date().toISOString().slice(0, 10) });
  const [err, setErr] = useState<z.ZodError | ApiError | null>(null);
  const set = (k: string, x: string) => setV({ ...v, [k]: x });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const r = CreateContractBody.safeParse({
      clientId: v.clientId ?? '', name: v.name ?? '', startsOn: v.startsOn ?? '',
      ...(v.endsOn ? { endsOn: v.endsOn } : {}),
      ...(v.calendarId ? { calendarId: v.calendarId } : {}),
      ...(v.slaPolicyId ? { slaPolicyId: v.slaPolicyId } : {}),
      ...(v.systemId ? { systemIds: [v.systemId] } : {}),
      ...(v.primaryContactId ? { primaryContactId: v.primaryContactId } : {}),
      ...(v.contractedUsers ? { contractedUsers: Number(v.contractedUsers) } : {}),
    });
    if (!r.success) return setErr(r.error);
    try {
      await post('/contracts', r.data);
      setErr(null);
      setV({ startsOn: v.startsOn ?? '' });
      await qc.invalidateQueries({ queryKey: ['contracts'] });
    } catch (x) {
      setErr(asApiError(x));
    }
  };
  const errors = fieldErrors(err);
  const opts = <T extends { id: string; name: string }>(xs: T[]) => [{ value: '', label: '—' }, ...xs.map((x) => ({ value: x.id, label: x.name }))];
  return (
    <Card withBorder>
      <Text fw={600} mb="xs">{t('admin.newContract')}</Text>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="xs">
          <NativeSelect label={t('admin.client')} required value={v.clientId ?? ''} error={errors.clientId} onChange={(e) => set('clientId', e.currentTarget.value)} data={opts(lk.clients)} />
          <TextInput label={t('common.name')} required value={v.name ?? ''} error={errors.name} onChange={(e) => set('name', e.currentTarget.value)} />
          <TextInput type="date" label={t('admin.startsOn')} required value={v.startsOn ?? ''} error={errors.startsOn} onChange={(e) => set('startsOn', e.currentTarget.value)} />
          <TextInput type="date" label={t('admin.endsOn')} value={v.endsOn ?? ''} error={errors.endsOn} onChange={(e) => set('endsOn', e.currentTarget.value)} />
          <NativeSelect label={t('admin.systems')} value={v.systemId ?? ''} onChange={(e) => set('systemId', e.currentTarget.value)} data={opts(lk.systems.filter((s) => s.clientId === v.clientId))} />
          <NativeSelect label={t('admin.primaryContact')} value={v.primaryContactId ?? ''} onChange={(e) => set('primaryContactId', e.currentTarget.value)} data={opts(lk.contacts.filter((s) => s.clientId === v.clientId))} />
          <NativeSelect label={t('admin.policy')} value={v.slaPolicyId ?? ''} onChange={(e) => set('slaPolicyId', e.currentTarget.value)} data={opts(policies.data ?? [])} />
          <NativeSelect label={t('admin.calendar')} value={v.calendarId ?? ''} onChange={(e) => set('calendarId', e.currentTarget.value)} data={opts(lk.calendars)} />
          <TextInput type="number" label={t('admin.users')} value={v.contractedUsers ?? ''} onChange={(e) => set('contractedUsers', e.currentTarget.value)} />
        </SimpleGrid>
        {err instanceof ApiError && <ErrorAlert error={err} />}
        <Group justify="flex-end" mt="xs"><Button type="submit">{t('common.create')}</Button></Group>
      </form>
    </Card>
  );
}
