/**
 * Monthly SLA reports for staff: pick a contract and a month (last month by default), read
 * today's figures and the report itself (every number drills to the incidents behind it),
 * download PDF/CSV, and issue it — or a revision — as a frozen, numbered report.
 */
import { Alert, Anchor, Badge, Button, Group, NativeSelect, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import type { z } from 'zod';
import { monthLabel, type ReportMeta, type ReportPreview } from '../../../src/contract/reports.ts';
import { asApiError, get, post } from '../../api/client.ts';
import type { Lang } from '../../i18n/index.ts';
import { formatInstant } from '../../lib/time.ts';
import { ErrorAlert } from '../incidents/FieldErrors.tsx';
import { useLookup } from '../incidents/lookup.ts';
import { Downloads, ReportFrame, SummaryCards } from './ReportParts.tsx';

export type Meta = z.infer<typeof ReportMeta>;
type Preview = z.infer<typeof ReportPreview>;

/** 'YYYY-MM' of the month before now in the zone. */
function lastMonth(zone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit' }).formatToParts(new Date());
  const y = Number(parts.find((p) => p.type === 'year')!.value);
  const m = Number(parts.find((p) => p.type === 'month')!.value);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

export function IssuedTable({ items, zone, to }: { items: Meta[]; zone: string; to: (id: string) => string }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  if (!items.length) return <Text c="dimmed">{t('reports.none')}</Text>;
  return (
    <Table striped data-testid="issued-reports">
      <Table.Thead>
        <Table.Tr><Table.Th>{t('reports.number')}</Table.Th><Table.Th>{t('reports.month')}</Table.Th><Table.Th>{t('reports.revision')}</Table.Th><Table.Th>{t('reports.issuedAt')}</Table.Th><Table.Th>{t('reports.acknowledged')}</Table.Th></Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {items.map((r) => (
          <Table.Tr key={r.id}>
            <Table.Td><Anchor component={Link} to={to(r.id)}>{t('reports.numberValue', { number: r.number })}</Anchor></Table.Td>
            <Table.Td>{monthLabel(r.month, lang)}</Table.Td>
            <Table.Td>{t('reports.revisionValue', { revision: r.revision })}</Table.Td>
            <Table.Td>{formatInstant(r.issuedAt, zone, lang)}</Table.Td>
            <Table.Td>{r.acknowledgedAt ? <Badge color="green">{t('reports.acknowledgedBy', { name: r.acknowledgedByName ?? '', at: formatInstant(r.acknowledgedAt, zone, lang) })}</Badge> : <Badge color="gray">{t('reports.notAcknowledged')}</Badge>}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

export function ReportsPage() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === 'en' ? 'en' : 'ja';
  const lk = useLookup(true);
  const [params, setParams] = useSearchParams();
  const contractId = params.get('contract') ?? lk.contracts[0]?.id ?? '';
  const contract = lk.contract(contractId);
  const zone = lk.zone(contract?.calendarId);
  const month = params.get('month') ?? lastMonth(zone);
  const [note, setNote] = useState('');
  const navigate = useNavigate();
  const qc = useQueryClient();
  useEffect(() => setNote(''), [contractId, month]);

  const preview = useQuery<Preview>({
    queryKey: ['report-preview', contractId, month],
    queryFn: () => get<Preview>(`/reports/preview/${contractId}/${month}`),
    enabled: Boolean(contractId && /^\d{4}-\d{2}$/.test(month)),
  });
  const issue = useMutation({
    mutationFn: () => post<Meta>('/reports', { contractId, month, ...(note.trim() ? { note: note.trim() } : {}) }),
    onSuccess: (r) => {
      void qc.invalidateQueries({ queryKey: ['report-preview'] });
      void navigate(`/reports/${r.id}`);
    },
  });
  const set = (k: string, v: string) => setParams((p) => {
    const n = new URLSearchParams(p);
    n.set(k, v);
    return n;
  });
  const p = preview.data;
  const base = `/reports/preview/${contractId}/${month}`;
  return (
    <Stack>
      <Title order={1} size="h2">{t('reports.title')}</Title>
      <Group align="end">
        <NativeSelect
          label={t('reports.contract')} value={contractId} onChange={(e) => set('contract', e.currentTarget.value)}
          data={lk.contracts.map((c) => ({ value: c.id, label: `${lk.client(c.clientId)?.name ?? ''} ${c.name}` }))}
        />
        <TextInput label={t('reports.month')} type="month" value={month} onChange={(e) => e.currentTarget.value && set('month', e.currentTarget.value)} />
      </Group>
      {preview.error && <ErrorAlert error={asApiError(preview.error)} />}
      {p && (
        <>
          <Group justify="space-between">
            <Title order={2} size="h4">{p.clientName} {p.contractName} — {monthLabel(p.month, lang)} <Badge color="yellow" ml="xs">{t('reports.preview')}</Badge></Title>
            <Text size="sm" c="dimmed">{t('reports.asOf', { at: formatInstant(p.asOf, p.timeZone, lang) })}</Text>
          </Group>
          <SummaryCards s={p.summary} />
          <Title order={3} size="h5">{t('reports.issued')}</Title>
          <IssuedTable items={p.issued} zone={p.timeZone} to={(id) => `/reports/${id}`} />
          <Group align="end">
            {p.issued.length > 0 && <TextInput label={t('reports.note')} value={note} onChange={(e) => setNote(e.currentTarget.value)} w={320} />}
            <Button onClick={() => issue.mutate()} loading={issue.isPending} data-testid="issue-report">
              {p.issued.length ? t('reports.issueRevision') : t('reports.issue')}
            </Button>
          </Group>
          {issue.error && <ErrorAlert error={asApiError(issue.error)} />}
          <Downloads base={base} pdfAvailable={p.pdfAvailable} />
          <ReportFrame src={`/api/v1${base}/html?lang=${lang}`} />
        </>
      )}
      {!p && !preview.error && contractId && <Alert color="gray">…</Alert>}
    </Stack>
  );
}
