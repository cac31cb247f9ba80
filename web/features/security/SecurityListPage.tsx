/** The security incidents: the desk's list with the form to record one, or a contact's list of their client's. */
import { Anchor, Button, Card, Checkbox, Group, NativeSelect, SimpleGrid, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { CreateSecurityIncidentBody, SECURITY_KINDS } from '../../../src/contract/security-incidents.ts';
import { post } from '../../api/client.ts';
import { useWrite } from '../../api/hooks.ts';
import type { Lang } from '../../i18n/index.ts';
import { formatInstant, useNow } from '../../lib/time.ts';
import { ErrorAlert, fieldErrors } from '../incidents/FieldErrors.tsx';
import { useLookup } from '../incidents/lookup.ts';
import { useSecurityIncidents, type SecurityIncidentDetail } from './api.ts';
import { ClockBadge, KindBadge, SecurityStatusBadge } from './parts.tsx';
import { WHOLE_WORD_TABLE } from '../../lib/table.ts';

export function SecurityListPage({ portal = false }: { portal?: boolean }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const q = useSecurityIncidents();
  const lk = useLookup(!portal);
  const now = useNow(1000);
  const items = q.data ?? [];
  const to = (id: string) => (portal ? `/portal/security/${id}` : `/security/${id}`);
  return (
    <Stack>
      <Title order={1} size="h2">{portal ? t('security.portalTitle') : t('security.title')}</Title>
      {!portal && <RecordForm />}
      <Table.ScrollContainer minWidth={760}>
        <Table striped verticalSpacing="xs" styles={WHOLE_WORD_TABLE} data-testid="security-incidents">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('security.number')}</Table.Th><Table.Th>{t('security.incident')}</Table.Th><Table.Th>{t('security.kindLabel')}</Table.Th>
              <Table.Th>{t('security.statusLabel')}</Table.Th><Table.Th>{t('security.clockLabel')}</Table.Th><Table.Th>{t('security.discovered')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((i) => (
              <Table.Tr key={i.id} data-security-incident={i.number}>
                <Table.Td>S-{i.number}</Table.Td>
                <Table.Td>
                  <Anchor component={Link} to={to(i.id)}>{i.title}</Anchor>
                  <Text size="xs" c="dimmed">{lk.contract(i.contractId)?.name}</Text>
                </Table.Td>
                <Table.Td><KindBadge kind={i.kind} /></Table.Td>
                <Table.Td><SecurityStatusBadge status={i.status} /></Table.Td>
                <Table.Td><ClockBadge inc={i} now={now} compact /></Table.Td>
                <Table.Td><Text size="sm">{formatInstant(i.discoveredAt, i.timeZone, lang)}</Text></Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {q.data && items.length === 0 && <Text c="dimmed">{t('security.none')}</Text>}
    </Stack>
  );
}

function RecordForm() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const lk = useLookup(true);
  const [contractId, setContractId] = useState('');
  const [kind, setKind] = useState<string>('malware');
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [discovered, setDiscovered] = useState('');
  const [personalData, setPersonalData] = useState(false);
  const write = useWrite((body: object) => post<SecurityIncidentDetail>('/security-incidents', body), [['security-incidents']]);
  const [checked, setChecked] = useState<ReturnType<typeof CreateSecurityIncidentBody.safeParse>['error'] | null>(null);
  const errors = { ...fieldErrors(write.error), ...fieldErrors(checked) };
  const zone = lk.zone(lk.contract(contractId)?.calendarId);
  const submit = async () => {
    // A wall time typed in the contract calendar's zone: the browser's own zone must not move it.
    const discoveredAt = discovered ? zonedToIso(discovered, zone) : undefined;
    const body = { contractId, kind, title, ...(description ? { description } : {}), ...(discoveredAt ? { discoveredAt } : {}), personalData };
    // Checked in the page with the API's own schema first: the same words, without a round trip.
    const r = CreateSecurityIncidentBody.safeParse(body);
    setChecked(r.success ? null : r.error);
    if (!r.success) return;
    const created = await write.mutateAsync(body).catch(() => null);
    if (created) void navigate(`/security/${created.id}`);
  };
  return (
    <Card withBorder component="form" noValidate onSubmit={(e) => { e.preventDefault(); void submit(); }}>
      <Title order={2} size="h4" mb="sm">{t('security.record')}</Title>
      <Stack gap="sm">
        <SimpleGrid cols={{ base: 1, md: 3 }}>
          <NativeSelect label={t('security.contract')} required value={contractId} error={errors.contractId} onChange={(e) => setContractId(e.currentTarget.value)}
            data={[{ value: '', label: '—' }, ...lk.contracts.map((c) => ({ value: c.id, label: `${lk.client(c.clientId)?.name ?? ''} / ${c.name}` }))]} />
          <NativeSelect label={t('security.kindLabel')} value={kind} onChange={(e) => setKind(e.currentTarget.value)}
            data={SECURITY_KINDS.map((k) => ({ value: k, label: t(`security.kind.${k}`) }))} />
          <TextInput label={t('security.discoveredAt')} type="datetime-local" value={discovered} error={errors.discoveredAt} onChange={(e) => setDiscovered(e.currentTarget.value)} />
        </SimpleGrid>
        <TextInput label={t('security.titleField')} required value={title} error={errors.title} onChange={(e) => setTitle(e.currentTarget.value)} />
        <Textarea label={t('security.description')} autosize minRows={2} value={description} onChange={(e) => setDescription(e.currentTarget.value)} />
        <Checkbox label={t('security.personalData')} checked={personalData} onChange={(e) => setPersonalData(e.currentTarget.checked)} />
        <ErrorAlert error={write.error} labels={{ contractId: t('security.contract'), title: t('security.titleField'), discoveredAt: t('security.discoveredAt') }} />
        <Group><Button type="submit" color="red" loading={write.isPending}>{t('security.recordButton')}</Button></Group>
      </Stack>
    </Card>
  );
}

/** "YYYY-MM-DDTHH:MM" as wall time in `zone` → an ISO instant with that zone's offset at the time. */
export function zonedToIso(local: string, zone: string): string {
  const guess = Date.parse(`${local}:00Z`);
  const offsetAt = (ms: number) => {
    const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' }).formatToParts(new Date(ms));
    const m = /GMT([+-])(\d{2}):(\d{2})/.exec(parts.find((p) => p.type === 'timeZoneName')?.value ?? '');
    return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
  };
  return new Date(guess - offsetAt(guess - offsetAt(guess) * 60_000) * 60_000).toISOString();
}
