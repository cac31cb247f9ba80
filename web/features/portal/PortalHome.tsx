/** A contact's home: their client's incidents and inquiries, and their contracts with the SLA in words. */
import { Anchor, Button, Card, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { TARGET_KINDS } from '../../../src/contract/vocabulary.ts';
import { useIncidents, useSlaPolicies } from '../../api/hooks.ts';
import type { Contract, SlaPolicy } from '../../api/types.ts';
import type { Lang } from '../../i18n/index.ts';
import { DateRange } from '../../lib/DateRange.tsx';
import { EmailAddress } from '../../lib/EmailAddress.tsx';
import { joinList } from '../../lib/format.ts';
import { formatInstant, nextDue, useNow } from '../../lib/time.ts';
import { PriorityBadge, StatusBadge } from '../incidents/labels.tsx';
import { useLookup, type Lookup } from '../incidents/lookup.ts';
import { SlaBadge } from '../incidents/SlaBadge.tsx';
import { DashboardView } from '../dashboard/DashboardView.tsx';
import { ONE_LINE, WHOLE_WORD_TABLE } from '../../lib/table.ts';

export function PortalHome() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const q = useIncidents({}, { refetchMs: 30_000 });
  const lk = useLookup(false);
  const policies = useSlaPolicies();
  const now = useNow(1000);
  const items = q.data?.items ?? [];
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">{t('portal.title')}</Title>
        <Button component={Link} to="/portal/new">{t('portal.newInquiry')}</Button>
      </Group>
      <DashboardView lk={lk} portal />
      <Table.ScrollContainer minWidth={700}>
        <Table striped verticalSpacing="xs" styles={WHOLE_WORD_TABLE} data-testid="portal-incidents">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('queue.number')}</Table.Th><Table.Th>{t('queue.incident')}</Table.Th><Table.Th>{t('queue.status')}</Table.Th>
              <Table.Th>{t('queue.priority')}</Table.Th><Table.Th>{t('portal.entitled')}</Table.Th><Table.Th>{t('queue.received')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((i) => {
              const zone = lk.zone(i.calendarId);
              const next = nextDue(i.targets);
              return (
                <Table.Tr key={i.id} data-incident={i.number}>
                  <Table.Td>#{i.number}</Table.Td>
                  <Table.Td>
                    <Anchor component={Link} to={`/portal/incidents/${i.id}`}>{i.title}</Anchor>
                    <Text size="xs" c="dimmed">{lk.contract(i.contractId)?.name}</Text>
                  </Table.Td>
                  <Table.Td><StatusBadge status={i.status} /></Table.Td>
                  <Table.Td><PriorityBadge priority={i.priority} /></Table.Td>
                  <Table.Td>{next ? <SlaBadge target={next} now={now} zone={zone} compact /> : '—'}</Table.Td>
                  <Table.Td><Text size="sm">{formatInstant(i.receivedAt, zone, lang)}</Text></Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {q.data && items.length === 0 && <Text c="dimmed">{t('portal.noIncidents')}</Text>}

      <Title order={2} size="h3">{t('portal.contracts')}</Title>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        {lk.contracts.map((c) => <ContractCard key={c.id} c={c} lk={lk} policy={policies.data?.find((p) => p.id === c.slaPolicyId)} />)}
      </SimpleGrid>
    </Stack>
  );
}

/**
 * A target as people say it: "7日 (24時間)", "営業時間 9時間", not "10080 分". Whole days only on the
 * 24/7 clock (a business day is the calendar's opening hours, not 24 hours).
 */
export function targetText(t: (k: string, o?: Record<string, unknown>) => string, clock: { kind: string; minutes?: number; n?: number }): string {
  const m = clock.minutes;
  const span = m === undefined ? ''
    : clock.kind === 'calendar' && m >= 1440 && m % 1440 === 0 ? t('admin.span.days', { n: m / 1440 })
      : m >= 60 && m % 60 === 0 ? t('admin.span.hours', { n: m / 60 })
        : t('admin.span.minutes', { n: m });
  return t(`admin.targetText.${clock.kind}`, { minutes: m, span, n: clock.n });
}


function ContractCard({ c, lk, policy }: { c: Contract; lk: Lookup; policy: SlaPolicy | undefined }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const primary = lk.contact(c.primaryContactId);
  return (
    <Card withBorder data-testid="contract-summary">
      <Group justify="space-between">
        <Title order={3} size="h4">{c.name}</Title>
        <Button component={Link} to={`/portal/contracts/${c.id}/sla-document`} size="compact-sm" variant="light">{t('slaDocument.open')}</Button>
      </Group>
      <Text size="sm" c="dimmed">{joinList(c.systemIds.map((id) => lk.system(id)?.name), lang)}</Text>
      {/* At 390 px the headings stay whole (システム利用者数, not システ/ム利用/者数) and so does the desk's phone number (not 03-/0000-1111). */}
      <Table fz="sm" mt="xs" withRowBorders={false} styles={{ th: ONE_LINE }}>
        <Table.Tbody>
          <Table.Tr><Table.Th>{t('portal.period')}</Table.Th><Table.Td data-testid="contract-period"><DateRange from={c.startsOn} to={c.endsOn} lang={lang} /></Table.Td></Table.Tr>
          <Table.Tr><Table.Th>{t('portal.users')}</Table.Th><Table.Td>{c.contractedUsers ?? '—'}</Table.Td></Table.Tr>
          <Table.Tr><Table.Th>{t('portal.backupWindow')}</Table.Th><Table.Td>{c.backupWindow ? `${c.backupWindow.start}–${c.backupWindow.end}` : '—'}</Table.Td></Table.Tr>
          <Table.Tr><Table.Th>{t('portal.desk')}</Table.Th><Table.Td>
            {c.contactEmail && <EmailAddress address={c.contactEmail} />}
            {c.contactEmail && c.contactPhone && ' / '}
            {c.contactPhone && <span style={ONE_LINE}>{c.contactPhone}</span>}
          </Table.Td></Table.Tr>
          <Table.Tr><Table.Th>{t('admin.primaryContact')}</Table.Th><Table.Td>{primary?.name ?? '—'}</Table.Td></Table.Tr>
          <Table.Tr><Table.Th>{t('portal.inScope')}</Table.Th><Table.Td>{c.inScopeNotes}</Table.Td></Table.Tr>
          <Table.Tr><Table.Th>{t('portal.outOfScope')}</Table.Th><Table.Td>{c.outOfScopeNotes}</Table.Td></Table.Tr>
        </Table.Tbody>
      </Table>
      {policy && (
        <>
          <Text size="sm" fw={600} mt="xs">{t('portal.sla')} — {policy.name} ({t('incident.policy', { version: c.slaPolicyVersion })})</Text>
          <Table fz="xs" withTableBorder styles={{ th: ONE_LINE }}>
            <Table.Tbody>
              {(['urgent', 'important', 'minor'] as const).map((p) => (
                <Table.Tr key={p}>
                  <Table.Th>{t(`priority.${p}`)}</Table.Th>
                  <Table.Td>
                    {TARGET_KINDS.flatMap((k) => {
                      const spec = policy.document.priorities[p][k];
                      return spec ? [`${t(`sla.target.${k}`)}: ${targetText(t, spec.clock)} (${t('admin.from')} ${t(`admin.anchor.${spec.from}`)})`] : [];
                    }).join(' / ')}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </>
      )}
    </Card>
  );
}
