/**
 * The live dashboard, for the agent's home (/dashboard, every client) and the portal's
 * (the contact's own contracts): polled every few seconds (TanStack Query), so a new breach
 * shows without a reload. The charts are the server's ECharts SVG — the same as the
 * monthly report's — shown as images.
 */
import { Alert, Anchor, Badge, Card, Group, Image, NativeSelect, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { DASHBOARD_STATES } from '../../../src/contract/dashboard.ts';
import { monthLabel } from '../../../src/contract/reports.ts';
import { PRIORITIES } from '../../../src/contract/vocabulary.ts';
import { DASHBOARD_REFRESH_MS, svgDataUrl, useDashboard, type Dashboard } from '../../api/dashboard.ts';
import type { Lang } from '../../i18n/index.ts';
import { formatInstant, formatSpan } from '../../lib/time.ts';
import { formatInstantRange } from '../../lib/format.ts';
import { ONE_LINE, WHOLE_WORDS } from '../../lib/table.ts';
import type { Lookup } from '../incidents/lookup.ts';

const STATE_COLOR = { breached: 'red', atRisk: 'orange', ok: 'green', paused: 'gray', outOfScope: 'gray' } as const;

export function DashboardView({ lk, portal }: { lk: Lookup; portal: boolean }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const [contractId, setContractId] = useState('');
  const q = useDashboard({ contractId: contractId || undefined, lang });
  const d = q.data;
  const zone = d?.timeZone ?? 'Asia/Tokyo';
  const incidentPath = (id: string) => (portal ? `/portal/incidents/${id}` : `/incidents/${id}`);
  const contractName = (id: string) => lk.contract(id)?.name ?? '';
  return (
    <Stack data-testid="dashboard">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={portal ? 2 : 1} size={portal ? 'h3' : 'h2'}>{portal ? t('dashboard.portalTitle') : t('dashboard.title')}</Title>
          {d && (
            <Text size="xs" c="dimmed" data-testid="dashboard-updated">
              {t('dashboard.live', { seconds: DASHBOARD_REFRESH_MS / 1000, time: formatInstant(d.asOf, zone, lang) })}
            </Text>
          )}
        </div>
        <NativeSelect aria-label={t('dashboard.contract')} value={contractId} onChange={(e) => setContractId(e.currentTarget.value)}
          data={[{ value: '', label: t('dashboard.allContracts') }, ...lk.contracts.map((c) => ({ value: c.id, label: c.name }))]} />
      </Group>
      {q.error && <Alert color="red">{q.error.message}</Alert>}
      {d && <Body d={d} lang={lang} zone={zone} incidentPath={incidentPath} contractName={contractName} portal={portal} />}
    </Stack>
  );
}

function Stat({ label, value, color, testId, sub }: { label: string; value: number; color?: string; testId: string; sub?: string }) {
  return (
    <Card withBorder padding="sm">
      <Text size="xs" c="dimmed">{label}</Text>
      <Text size="xl" fw={700} c={color} data-testid={testId}>{value}</Text>
      {sub && <Text size="xs" c="dimmed">{sub}</Text>}
    </Card>
  );
}

function Chart({ svg, alt }: { svg: string; alt: string }) {
  return <Image src={svgDataUrl(svg)} alt={alt} fit="contain" mah={280} />;
}

function Body({ d, lang, zone, incidentPath, contractName, portal }: {
  d: Dashboard; lang: Lang; zone: string; incidentPath: (id: string) => string; contractName: (id: string) => string; portal: boolean;
}) {
  const { t } = useTranslation();
  const at = (iso: string) => formatInstant(iso, zone, lang);
  return (
    <>
      <SimpleGrid cols={{ base: 2, md: 5 }}>
        <Stat label={t('dashboard.openTotal')} value={d.open.total} testId="stat-open" />
        <Stat label={t('dashboard.state.breached')} value={d.open.byState.breached} color={d.open.byState.breached ? 'red' : undefined} testId="stat-breached" />
        <Stat label={t('dashboard.state.atRisk')} value={d.open.byState.atRisk} color={d.open.byState.atRisk ? 'orange' : undefined} testId="stat-at-risk" />
        <Stat label={t('dashboard.thisMonth', { month: monthLabel(d.breaches.thisMonth.month, lang) })} value={d.breaches.thisMonth.total} testId="stat-breaches-month"
          sub={`${t('dashboard.lastMonth', { month: monthLabel(d.breaches.lastMonth.month, lang) })}: ${d.breaches.lastMonth.total}`} />
        <Stat label={t('dashboard.systemsDown')} value={d.systemsDown.length} color={d.systemsDown.length ? 'red' : undefined} testId="stat-down" />
      </SimpleGrid>

      {/* Side by side only where the state table fits its half (by the page's own width, not the
          window's: at 1280 px the two cards were too narrow and the 計 column scrolled out of view). */}
      <SimpleGrid type="container" cols={{ base: 1, '1060px': 2 }}>
        <Card withBorder>
          <Title order={3} size="h5" mb="xs">{t('dashboard.byStateAndPriority')}</Title>
          {/* Headers whole (期限超過, not 期限超/過) and the 計 column always there: tighter cells fit the
              Japanese headers on one line in the half-width card at 1366 px; narrower, the table scrolls. */}
          <Table.ScrollContainer minWidth={420}>
            <Table fz="sm" withTableBorder horizontalSpacing={8} styles={{ th: WHOLE_WORDS }} data-testid="dashboard-open">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('dashboard.priority')}</Table.Th>
                  {DASHBOARD_STATES.map((s) => <Table.Th key={s}>{t(`dashboard.state.${s}`)}</Table.Th>)}
                  <Table.Th>{t('dashboard.total')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {PRIORITIES.map((p) => (
                  <Table.Tr key={p} data-priority={p}>
                    <Table.Td style={ONE_LINE}>{t(`priority.${p}`)}</Table.Td>
                    {DASHBOARD_STATES.map((s) => (
                      <Table.Td key={s} data-state={s}>{d.open.byPriority[p][s] ? <Badge color={STATE_COLOR[s]} variant="light">{d.open.byPriority[p][s]}</Badge> : '0'}</Table.Td>
                    ))}
                    <Table.Td>{DASHBOARD_STATES.reduce((n, s) => n + d.open.byPriority[p][s], 0)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <Chart svg={d.charts.open} alt={t('dashboard.byStateAndPriority')} />
        </Card>
        <Card withBorder>
          <Title order={3} size="h5" mb="xs">{t('dashboard.atRisk')}</Title>
          {d.atRisk.length === 0 ? <Text c="dimmed" size="sm">{t('dashboard.noneAtRisk')}</Text> : (
            // Scrolls sideways on a phone: squeezed into 390 px, the time left was cut off at the card's edge.
            <Table.ScrollContainer minWidth={480}>
              <Table fz="sm" styles={{ td: WHOLE_WORDS }} data-testid="dashboard-at-risk">
                <Table.Thead>
                  <Table.Tr><Table.Th>#</Table.Th><Table.Th>{t('dashboard.target')}</Table.Th><Table.Th>{t('dashboard.due')}</Table.Th><Table.Th>{t('dashboard.left')}</Table.Th></Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {d.atRisk.map((x) => (
                    <Table.Tr key={`${x.incidentId}-${x.kind}`}>
                      <Table.Td>
                        <Anchor component={Link} to={incidentPath(x.incidentId)}>#{x.number} {x.title}</Anchor>
                        <Text size="xs" c="dimmed">{contractName(x.contractId)}</Text>
                      </Table.Td>
                      <Table.Td style={ONE_LINE}>{t(`priority.${x.priority}`)} · {t(`sla.target.${x.kind}`)}</Table.Td>
                      <Table.Td>{at(x.dueAt)}</Table.Td>
                      <Table.Td><Text size="sm" fw={600} c={x.state === 'atRisk' ? 'orange.8' : 'green.8'} style={ONE_LINE}>{formatSpan(x.msLeft, lang)}</Text></Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </Card>
      </SimpleGrid>

      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <Card withBorder>
          <Title order={3} size="h5" mb="xs">{t('dashboard.breaches')}</Title>
          <Chart svg={d.charts.breaches} alt={t('dashboard.breaches')} />
        </Card>
        <Card withBorder>
          <Title order={3} size="h5" mb="xs">{t('dashboard.trend')}</Title>
          <Chart svg={d.charts.trend} alt={t('dashboard.trend')} />
          {/* Scrolls sideways on a phone: in English (November 2026, Met late) the rate column stood past the card's edge at 390 px. */}
          <Table.ScrollContainer minWidth={360}>
            <Table fz="xs" data-testid="dashboard-trend">
              <Table.Thead>
                <Table.Tr><Table.Th>{t('dashboard.month')}</Table.Th><Table.Th>{t('dashboard.met')}</Table.Th><Table.Th>{t('dashboard.metLate')}</Table.Th><Table.Th>{t('dashboard.breachedCount')}</Table.Th><Table.Th>{t('dashboard.rate')}</Table.Th></Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {d.trend.map((m) => (
                  <Table.Tr key={m.month}>
                    <Table.Td style={ONE_LINE}>{monthLabel(m.month, lang)}</Table.Td><Table.Td>{m.met}</Table.Td><Table.Td>{m.metLate}</Table.Td><Table.Td>{m.breached}</Table.Td>
                    <Table.Td>{m.rate === null ? '—' : `${(m.rate * 100).toFixed(1)}%`}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Card>
      </SimpleGrid>

      <SimpleGrid cols={{ base: 1, lg: portal ? 2 : 3 }}>
        <Card withBorder data-testid="dashboard-down">
          <Title order={3} size="h5" mb="xs">{t('dashboard.systemsDown')}</Title>
          {d.systemsDown.length === 0 ? <Text c="dimmed" size="sm">{t('dashboard.noneDown')}</Text> : d.systemsDown.map((x) => (
            <Text key={x.outageId} size="sm">
              <Badge color="red" variant="filled" mr="xs">{t('dashboard.down')}</Badge>{x.systemName}（{contractName(x.contractId)}）{t('dashboard.since')} {at(x.startedAt)}
              {x.incidentId && <> · <Anchor component={Link} to={incidentPath(x.incidentId)}>→</Anchor></>}
            </Text>
          ))}
        </Card>
        <Card withBorder data-testid="dashboard-maintenance">
          <Title order={3} size="h5" mb="xs">{t('dashboard.maintenance')}</Title>
          {/* The title on a line, when and which contract under it: written on one line, the end's time ran into the title (… 23:00 CR-2 出荷指示画面に…). */}
          {d.maintenance.length === 0 ? <Text c="dimmed" size="sm">{t('dashboard.noneMaintenance')}</Text> : d.maintenance.map((m) => (
            <div key={m.id} data-testid="dashboard-maintenance-item">
              <Text size="sm">
                {m.title}
                {!portal && <Badge ml="xs" size="xs" variant="light" color={m.status === 'draft' ? 'gray' : 'blue'}>{t(m.status === 'draft' ? 'dashboard.draft' : 'dashboard.announced')}</Badge>}
              </Text>
              <Text size="xs" c="dimmed" mb={4} data-testid="dashboard-maintenance-when">
                {formatInstantRange(m.startsAt, m.endsAt, zone, lang)} · <span style={WHOLE_WORDS}>{contractName(m.contractId)}</span>
              </Text>
            </div>
          ))}
        </Card>
        {!portal && (
          <Card withBorder data-testid="dashboard-notices">
            <Title order={3} size="h5" mb="xs">{t('dashboard.noticesDue')}</Title>
            {d.noticesDue.length === 0 ? <Text c="dimmed" size="sm">{t('dashboard.noneNotices')}</Text> : d.noticesDue.map((n) => (
              <Text key={n.windowId} size="sm">
                {n.title}（{contractName(n.contractId)}）{t('dashboard.latest')} {at(n.latestAnnouncementAt)}
                {n.late && <Badge ml="xs" size="xs" color="red">{t('dashboard.late')}</Badge>}
              </Text>
            ))}
          </Card>
        )}
      </SimpleGrid>
    </>
  );
}
