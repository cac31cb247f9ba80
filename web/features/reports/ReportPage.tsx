/**
 * One issued report, for staff and contacts: number, revision, who issued it and who
 * acknowledged it, the frozen report in a frame with PDF/CSV downloads; staff also see
 * "changed since issue" with the figures that moved, and send it by e-mail; a contact
 * acknowledges it.
 */
import { Alert, Anchor, Badge, Button, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { z } from 'zod';
import { monthLabel, type IssuedReport } from '../../../src/contract/reports.ts';
import { asApiError, get, post } from '../../api/client.ts';
import { useSession } from '../../api/hooks.ts';
import type { Lang } from '../../i18n/index.ts';
import { joinList } from '../../lib/format.ts';
import { formatInstant } from '../../lib/time.ts';
import { ErrorAlert } from '../incidents/FieldErrors.tsx';
import { useLookup } from '../incidents/lookup.ts';
import { Downloads, ReportFrame, SummaryCards } from './ReportParts.tsx';

type Issued = z.infer<typeof IssuedReport>;

export function ReportPage() {
  const { id } = useParams();
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const role = useSession().data?.user.role;
  const staff = role === 'admin' || role === 'agent';
  const lk = useLookup(staff);
  const qc = useQueryClient();
  const q = useQuery<Issued>({ queryKey: ['report', id, lang], queryFn: () => get<Issued>(`/reports/${id}?lang=${lang === 'en' ? 'en' : 'ja'}`), enabled: Boolean(id) });
  const ack = useMutation({ mutationFn: () => post(`/reports/${id}/acknowledge`), onSuccess: () => void qc.invalidateQueries({ queryKey: ['report', id] }) });
  const send = useMutation({ mutationFn: () => post(`/reports/${id}/send`), onSuccess: () => void qc.invalidateQueries({ queryKey: ['report', id] }) });
  if (q.error) return <ErrorAlert error={asApiError(q.error)} />;
  const r = q.data;
  if (!r) return null;
  const m = r.report;
  const zone = lk.zone(lk.contract(m.contractId)?.calendarId);
  const at = (iso: string) => formatInstant(iso, zone, lang);
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">{t('reports.title')} {monthLabel(m.month, lang)}</Title>
        {staff && <Anchor component={Link} to={`/reports?contract=${m.contractId}&month=${m.month}`}>{t('reports.preview')}</Anchor>}
      </Group>
      <Text>{r.clientName} {r.contractName}</Text>
      <Group gap="xs">
        <Badge>{t('reports.numberValue', { number: m.number })}</Badge>
        <Badge variant="light">{t('reports.revisionValue', { revision: m.revision })}</Badge>
        <Text size="sm">{t('reports.issuedAt')}: {at(m.issuedAt)} ({m.issuedByName})</Text>
        {m.acknowledgedAt
          ? <Badge color="green" data-testid="acknowledged">{t('reports.acknowledgedBy', { name: m.acknowledgedByName ?? '', at: at(m.acknowledgedAt) })}</Badge>
          : <Badge color="gray">{t('reports.notAcknowledged')}</Badge>}
      </Group>
      {m.note && <Text size="sm" c="dimmed">{t('reports.note')}: {m.note}</Text>}
      {role === 'contact' && !m.acknowledgedAt && (
        <Group><Button onClick={() => ack.mutate()} loading={ack.isPending} data-testid="acknowledge">{t('reports.acknowledge')}</Button></Group>
      )}
      {ack.error && <ErrorAlert error={asApiError(ack.error)} />}
      <SummaryCards s={r.summary} />
      {r.changes && (r.changes.length
        ? (
          <Alert color="orange" title={t('reports.changed')} data-testid="changed-since-issue">
            <Text size="sm" mb="xs">{t('reports.changedHint')}</Text>
            <Table>
              <Table.Thead><Table.Tr><Table.Th>{t('reports.figure')}</Table.Th><Table.Th>{t('reports.issuedValue')}</Table.Th><Table.Th>{t('reports.nowValue')}</Table.Th></Table.Tr></Table.Thead>
              <Table.Tbody>{r.changes.map((c) => <Table.Tr key={c.key}><Table.Td>{c.label}</Table.Td><Table.Td>{c.issuedText}</Table.Td><Table.Td>→ {c.nowText}</Table.Td></Table.Tr>)}</Table.Tbody>
            </Table>
          </Alert>
        )
        : <Text size="sm" c="dimmed">{t('reports.unchanged')}</Text>)}
      {staff && (
        <Group>
          <Button variant="default" onClick={() => send.mutate()} loading={send.isPending}>{t('reports.send')}</Button>
          {r.sends.map((s) => <Text key={s.id} size="sm" c="dimmed">{t('reports.sent', { at: at(s.sentAt), to: joinList(s.recipients, lang) })}</Text>)}
        </Group>
      )}
      {send.error && <ErrorAlert error={asApiError(send.error)} />}
      <Downloads base={`/reports/${m.id}`} pdfAvailable={r.pdfAvailable || r.files.some((f) => f.name.endsWith('.pdf'))} />
      <ReportFrame src={`/api/v1/reports/${m.id}/html?lang=${lang === 'en' ? 'en' : 'ja'}`} />
    </Stack>
  );
}
