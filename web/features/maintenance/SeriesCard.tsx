/**
 * Recurring maintenance (e.g. the daily backup window) of a contract: the series
 * with their rule, a form that creates and announces one (times default to the
 * contract's backup window), and ending a series (future occurrences are cancelled).
 */
import { Badge, Button, Card, Checkbox, Group, Modal, NativeSelect, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { CancelMaintenanceBody, CreateSeriesBody, type MaintenanceSeries as MaintenanceSeriesSchema } from '../../../src/contract/maintenance.ts';
import { WEEKDAY_NAMES } from '../../../src/core/maintenance/recurrence.ts';
import { ApiError, asApiError, get, post } from '../../api/client.ts';
import type { Contract } from '../../api/types.ts';
import type { Lang } from '../../i18n/index.ts';
import { DateRange } from '../../lib/DateRange.tsx';
import { zoneName } from '../../lib/format.ts';
import { ErrorAlert, fieldErrors } from '../incidents/FieldErrors.tsx';

type Series = z.infer<typeof MaintenanceSeriesSchema>;

export function SeriesCard({ contract }: { contract: Contract }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const qc = useQueryClient();
  const key = ['maintenance-series', contract.id];
  const series = useQuery({ queryKey: key, queryFn: async () => (await get<{ items: Series[] }>(`/maintenance-series?contractId=${contract.id}`)).items });
  const [ending, setEnding] = useState<Series | null>(null);
  const refresh = async () => {
    await qc.invalidateQueries({ queryKey: key });
    await qc.invalidateQueries({ queryKey: ['maintenance', contract.id] });
  };
  const rule = (s: Series) => (s.repeat.kind === 'daily'
    ? t('adm.series.daily', { count: s.repeat.every ?? 1 })
    : t('adm.series.weekly', { days: s.repeat.weekdays.map((d) => t(`admin.weekdays.${d}`)).join(lang === 'ja' ? '・' : ', ') }));
  return (
    <Card withBorder data-testid="series-card">
      <Text fw={600} mb="xs">{t('adm.series.title')}</Text>
      {(series.data ?? []).length === 0 ? <Text size="sm" c="dimmed">{t('adm.series.none')}</Text> : (
        <Table.ScrollContainer minWidth={640}>
          <Table fz="sm">
            <Table.Thead>
              <Table.Tr><Table.Th>{t('maintenance.titleField')}</Table.Th><Table.Th>{t('adm.series.time')}</Table.Th><Table.Th>{t('adm.series.rule')}</Table.Th><Table.Th>{t('adm.series.period')}</Table.Th><Table.Th>{t('maintenance.status')}</Table.Th><Table.Th /></Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(series.data ?? []).map((s) => (
                <Table.Tr key={s.id} data-testid={`series-${s.title}`}>
                  <Table.Td>{s.title}</Table.Td>
                  <Table.Td>{s.startTime}–{s.endTime} <Text span size="xs" c="dimmed">({zoneName(s.timeZone, lang)})</Text></Table.Td>
                  <Table.Td>{rule(s)}</Table.Td>
                  <Table.Td><DateRange from={s.firstDate} to={s.until} lang={lang} />{s.count ? ` (${t('adm.series.times', { count: s.count })})` : ''}</Table.Td>
                  <Table.Td><Badge variant="light" color={s.status === 'active' ? 'green' : 'gray'}>{t(`adm.series.statuses.${s.status}`)}</Badge></Table.Td>
                  <Table.Td>{s.status === 'active' && <Button size="compact-xs" variant="default" onClick={() => setEnding(s)}>{t('adm.series.end')}</Button>}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <NewSeries contract={contract} onDone={refresh} />
      <EndSeries series={ending} onClose={() => setEnding(null)} onDone={refresh} />
    </Card>
  );
}

function NewSeries({ contract, onDone }: { contract: Contract; onDone: () => Promise<void> }) {
  const { t } = useTranslation();
  const initial = () => ({
    title: t('adm.series.backupTitle'), startTime: contract.backupWindow?.start ?? '', endTime: contract.backupWindow?.end ?? '', kind: 'daily', every: '1',
    weekdays: [] as string[], firstDate: new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10), until: '',
  });
  const [v, setV] = useState(initial);
  const [err, setErr] = useState<z.ZodError | ApiError | null>(null);
  const [done, setDone] = useState<number | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const r = CreateSeriesBody.safeParse({
      contractId: contract.id, title: v.title, firstDate: v.firstDate,
      ...(v.startTime ? { startTime: v.startTime } : {}), ...(v.endTime ? { endTime: v.endTime } : {}),
      repeat: v.kind === 'daily' ? { kind: 'daily', every: Number(v.every) } : { kind: 'weekly', weekdays: v.weekdays },
      ...(v.until ? { until: v.until } : {}),
    });
    if (!r.success) return setErr(r.error);
    try {
      const res = await post<{ occurrences: number }>('/maintenance-series', r.data);
      setErr(null);
      setDone(res.occurrences);
      setV(initial());
      await onDone();
    } catch (x) {
      setErr(asApiError(x));
    }
  };
  const errors = fieldErrors(err);
  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <Text fw={600} size="sm" mt="md" mb="xs">{t('adm.series.new')}</Text>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="xs">
        <TextInput label={t('adm.series.seriesTitle')} required value={v.title} error={errors.title} onChange={(e) => setV({ ...v, title: e.currentTarget.value })} />
        <TextInput type="time" label={t('adm.series.startTime')} description={t('adm.series.defaultBackup')} value={v.startTime} error={errors.startTime} onChange={(e) => setV({ ...v, startTime: e.currentTarget.value })} />
        <TextInput type="time" label={t('adm.series.endTime')} value={v.endTime} error={errors.endTime} onChange={(e) => setV({ ...v, endTime: e.currentTarget.value })} />
        <NativeSelect label={t('adm.series.rule')} value={v.kind} onChange={(e) => setV({ ...v, kind: e.currentTarget.value })}
          data={[{ value: 'daily', label: t('adm.series.kindDaily') }, { value: 'weekly', label: t('adm.series.kindWeekly') }]} />
        {v.kind === 'daily'
          ? <TextInput label={t('adm.series.every')} value={v.every} error={errors['repeat.every']} inputMode="numeric" onChange={(e) => setV({ ...v, every: e.currentTarget.value })} />
          : (
            <Checkbox.Group label={t('adm.series.weekdays')} value={v.weekdays} error={errors['repeat.weekdays']} onChange={(x) => setV({ ...v, weekdays: x })}>
              <Group gap={6} mt={4}>{WEEKDAY_NAMES.map((d) => <Checkbox key={d} value={d} label={t(`admin.weekdays.${d}`)} />)}</Group>
            </Checkbox.Group>
          )}
        <TextInput type="date" label={t('adm.series.firstDate')} required value={v.firstDate} error={errors.firstDate} onChange={(e) => setV({ ...v, firstDate: e.currentTarget.value })} />
        <TextInput type="date" label={t('adm.series.until')} value={v.until} error={errors.until} onChange={(e) => setV({ ...v, until: e.currentTarget.value })} />
      </SimpleGrid>
      {err instanceof ApiError && <ErrorAlert error={err} />}
      {done !== null && <Text size="sm" c="green" mt="xs" role="status">{t('adm.series.created', { count: done })}</Text>}
      <Group justify="flex-end" mt="xs"><Button type="submit">{t('adm.series.create')}</Button></Group>
    </form>
  );
}

function EndSeries({ series, onClose, onDone }: { series: Series | null; onClose: () => void; onDone: () => Promise<void> }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const [err, setErr] = useState<z.ZodError | ApiError | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const r = CancelMaintenanceBody.safeParse({ reason });
    if (!r.success) return setErr(r.error);
    try {
      await post(`/maintenance-series/${series!.id}/cancel`, r.data);
      setErr(null);
      setReason('');
      await onDone();
      onClose();
    } catch (x) {
      setErr(asApiError(x));
    }
  };
  return (
    <Modal opened={series !== null} onClose={onClose} title={t('adm.series.endTitle', { title: series?.title ?? '' })}>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack gap="xs">
          <TextInput label={t('common.reason')} required value={reason} error={fieldErrors(err).reason} onChange={(e) => setReason(e.currentTarget.value)} />
          {err instanceof ApiError && <ErrorAlert error={err} />}
          <Group justify="flex-end"><Button type="submit" color="red">{t('adm.series.end')}</Button></Group>
        </Stack>
      </form>
    </Modal>
  );
}
