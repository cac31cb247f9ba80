/**
 * Mail triage (staff): the triage and unparseable queues with "file under contract",
 * each message's raw source, and the intake's health per mailbox with its alerts.
 */
import { Alert, Anchor, Badge, Button, Card, Code, Group, Modal, NativeSelect, ScrollArea, SegmentedControl, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { z } from 'zod';
import type { MailSource as MailSourceSchema } from '../../../src/contract/admin.ts';
import type { MailIntakeStatus as MailIntakeStatusSchema, MailMessage as MailMessageSchema, MailAssignResult as MailAssignResultSchema } from '../../../src/contract/mail.ts';
import { ApiError, asApiError, get, post, qs } from '../../api/client.ts';
import { useContracts, useClients } from '../../api/hooks.ts';
import type { Lang } from '../../i18n/index.ts';
import { formatInstant } from '../../lib/time.ts';
import { ErrorAlert } from '../incidents/FieldErrors.tsx';

type MailMessage = z.infer<typeof MailMessageSchema>;
type IntakeStatus = z.infer<typeof MailIntakeStatusSchema>;
type Assigned = z.infer<typeof MailAssignResultSchema>;
const ZONE = 'Asia/Tokyo';

export function TriagePage() {
  const { t } = useTranslation();
  const [status, setStatus] = useState<'triage' | 'unparseable'>('triage');
  const [cursor, setCursor] = useState<string | null>(null);
  const list = useQuery({
    queryKey: ['mail-messages', status, cursor],
    queryFn: () => get<{ items: MailMessage[]; nextCursor: string | null }>(`/mail/messages${qs({ status, cursor, limit: 50 })}`),
    refetchInterval: 30_000,
  });
  const [source, setSource] = useState<string | null>(null);
  return (
    <Stack>
      <Title order={1} size="h2">{t('adm.triage.title')}</Title>
      <IntakeHealth />
      <Group justify="space-between">
        <SegmentedControl value={status} onChange={(v) => { setStatus(v as 'triage' | 'unparseable'); setCursor(null); }}
          data={[{ value: 'triage', label: t('adm.triage.queue') }, { value: 'unparseable', label: t('adm.triage.unparseable') }]} />
        {cursor && <Button size="xs" variant="default" onClick={() => setCursor(null)}>{t('adm.first')}</Button>}
      </Group>
      {list.data && list.data.items.length === 0 && <Text c="dimmed">{t('adm.triage.empty')}</Text>}
      <Stack gap="sm">
        {(list.data?.items ?? []).map((m) => <TriageCard key={m.id} m={m} onSource={() => setSource(m.id)} />)}
      </Stack>
      {list.data?.nextCursor && <Group justify="center"><Button variant="default" onClick={() => setCursor(list.data.nextCursor)}>{t('adm.older')}</Button></Group>}
      <SourceModal id={source} onClose={() => setSource(null)} />
    </Stack>
  );
}

function TriageCard({ m, onSource }: { m: MailMessage; onSource: () => void }) {
  const { t, i18n } = useTranslation();
  const contracts = useContracts();
  const clients = useClients();
  const qc = useQueryClient();
  const [contractId, setContractId] = useState('');
  const [err, setErr] = useState<ApiError | null>(null);
  const [filed, setFiled] = useState<Assigned | null>(null);
  const clientName = (id: string) => clients.data?.find((c) => c.id === id)?.name ?? '';
  const file = async () => {
    if (!contractId) return setErr(new ApiError(400, 'required', t('adm.triage.pickContract')));
    try {
      setFiled(await post<Assigned>(`/mail/messages/${m.id}/assign`, { contractId }));
      setErr(null);
      await qc.invalidateQueries({ queryKey: ['incidents'] });
    } catch (x) {
      setErr(asApiError(x));
    }
  };
  return (
    <Card withBorder data-testid="triage-mail">
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Stack gap={2} style={{ minWidth: 0 }}>
          <Text fw={600} truncate="end">{m.subject ?? t('adm.triage.noSubject')}</Text>
          <Text size="sm" c="dimmed" style={{ wordBreak: 'break-all' }}>
            {m.fromName ? `${m.fromName} <${m.fromAddress ?? ''}>` : (m.fromAddress ?? '—')} · {formatInstant(m.receivedAt, ZONE, i18n.language as Lang)}
          </Text>
          {m.reason && <Text size="sm"><Badge size="xs" variant="light" color="orange" mr={4}>{t('adm.triage.reason')}</Badge>{m.reason}</Text>}
          {m.authentication?.verdict === 'fail' && <Badge color="red" size="sm">{t('adm.triage.authFail')}</Badge>}
        </Stack>
        <Button size="compact-sm" variant="default" onClick={onSource}>{t('adm.triage.source')}</Button>
      </Group>
      {m.text && <Text size="sm" mt="xs" lineClamp={4} style={{ whiteSpace: 'pre-wrap' }}>{m.text}</Text>}
      {filed ? (
        <Alert color="green" mt="xs">
          {t('adm.triage.filed')} <Anchor component={Link} to={`/incidents/${filed.incidentId}`}>#{filed.number}</Anchor>
        </Alert>
      ) : (
        <Group mt="xs" align="flex-end" gap="xs">
          <NativeSelect size="sm" label={t('adm.triage.contract')} value={contractId} onChange={(e) => setContractId(e.currentTarget.value)}
            data={[{ value: '', label: '—' }, ...(contracts.data ?? []).map((c) => ({ value: c.id, label: `${clientName(c.clientId)} / ${c.name}` }))]} />
          <Button size="sm" onClick={() => void file()}>{t('adm.triage.file')}</Button>
        </Group>
      )}
      {err && <ErrorAlert error={err} />}
    </Card>
  );
}

function SourceModal({ id, onClose }: { id: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const src = useQuery({ queryKey: ['mail-source', id], queryFn: () => get<z.infer<typeof MailSourceSchema>>(`/mail/messages/${id}/source`), enabled: Boolean(id) });
  return (
    <Modal opened={id !== null} onClose={onClose} title={t('adm.triage.source')} size="xl">
      {src.error && <ErrorAlert error={asApiError(src.error)} />}
      {src.data && (
        <ScrollArea.Autosize mah={480}>
          <Code block data-testid="mail-source" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>{src.data.source}</Code>
        </ScrollArea.Autosize>
      )}
    </Modal>
  );
}

function IntakeHealth() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const s = useQuery({ queryKey: ['mail-status'], queryFn: () => get<IntakeStatus>('/mail/status'), refetchInterval: 60_000 });
  if (!s.data) return null;
  const d = s.data;
  return (
    <Card withBorder data-testid="intake-health">
      <Group justify="space-between">
        <Text fw={600}>{t('adm.triage.health')}</Text>
        {d.alert ? <Badge color="red">{t('adm.triage.alert')}</Badge> : <Badge color="green" variant="light">{t('adm.triage.healthy')}</Badge>}
      </Group>
      {d.alert && <Alert color="red" mt="xs" title={t('adm.triage.alertTitle')}>{t('adm.triage.alertBody', { failed: d.failedJobs })}</Alert>}
      <Group gap="xs" mt="xs">
        {Object.entries(d.counts).map(([k, n]) => <Badge key={k} variant="outline" color="gray">{t(`adm.triage.status.${k}`, { defaultValue: k })}: {n}</Badge>)}
      </Group>
      {d.mailboxes.length > 0 && (
        <Table.ScrollContainer minWidth={600} mt="xs">
          <Table fz="sm">
            <Table.Thead>
              <Table.Tr><Table.Th>{t('adm.triage.mailbox')}</Table.Th><Table.Th>{t('adm.triage.lastOk')}</Table.Th><Table.Th>{t('adm.triage.errors')}</Table.Th><Table.Th>{t('adm.triage.lastError')}</Table.Th></Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {d.mailboxes.map((m) => (
                <Table.Tr key={m.mailbox}>
                  <Table.Td style={{ wordBreak: 'break-all' }}>{m.mailbox} {m.alertSince && <Badge color="red" size="xs">{t('adm.triage.alert')}</Badge>}</Table.Td>
                  <Table.Td>{formatInstant(m.lastOkAt, ZONE, lang)}</Table.Td>
                  <Table.Td>{m.consecutiveErrors}</Table.Td>
                  <Table.Td>{m.lastError ? `${m.lastError} (${formatInstant(m.lastErrorAt, ZONE, lang)})` : '—'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Card>
  );
}
