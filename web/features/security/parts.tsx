/** Pieces both the console and the portal show: the heading, status, the report clock, the instants, reminders, scope, reports, timeline. */
import { Alert, Anchor, Badge, Card, Grid, Group, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Lang } from '../../i18n/index.ts';
import { formatInstant, formatSpan, SLA_COLOURS } from '../../lib/time.ts';
import type { SecurityIncident, SecurityIncidentDetail } from './api.ts';

const STATUS_COLOURS: Record<SecurityIncident['status'], string> = { open: 'red', contained: 'orange', threat_removed: 'teal', closed: 'gray' };

export function SecurityStatusBadge({ status }: { status: SecurityIncident['status'] }) {
  const { t } = useTranslation();
  return <Badge color={STATUS_COLOURS[status]} variant="light" size="sm" data-status={status}>{t(`security.status.${status}`)}</Badge>;
}

export function KindBadge({ kind }: { kind: SecurityIncident['kind'] }) {
  const { t } = useTranslation();
  return <Badge color="grape" variant="outline" size="sm">{t(`security.kind.${kind}`)}</Badge>;
}

/** Breadcrumb (back to `back`, named `backLabel`), number and title, status and kind badges and any more (`children`), the description. */
export function SecurityHeader({ inc, back, backLabel, children }: { inc: SecurityIncidentDetail; back: string; backLabel: string; children?: ReactNode }) {
  return (
    <div>
      <Text size="sm" c="dimmed"><Anchor component={Link} to={back}>{backLabel}</Anchor> / S-{inc.number}</Text>
      <Title order={1} size="h2">S-{inc.number} {inc.title}</Title>
      <Group gap="xs" mt={4}><SecurityStatusBadge status={inc.status} /><KindBadge kind={inc.kind} />{children}</Group>
      {inc.description && <Text mt="xs" size="sm" style={{ whiteSpace: 'pre-wrap' }}>{inc.description}</Text>}
    </div>
  );
}

/** A bordered card with a section heading. */
export function SectionCard({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="sm">{title}</Title>
      {children}
    </Card>
  );
}

/** The clock's state as of `now` (the stored instants decide; a running clock turns at-risk / overdue live). */
export function liveClockState(c: SecurityIncident['reportClock'], now: number): SecurityIncident['reportClock']['state'] {
  if (c.state === 'met' || c.state === 'metLate' || c.state === 'pending' || !c.dueAt) return c.state;
  if (now > Date.parse(c.dueAt)) return 'breached';
  if (c.atRiskAt && now >= Date.parse(c.atRiskAt)) return 'atRisk';
  return 'ok';
}

export function ClockBadge({ inc, now, compact = false }: { inc: SecurityIncident; now: number; compact?: boolean }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const c = inc.reportClock;
  if (c.excluded) return <Text size="xs" c="dimmed">{t('security.scope.outOfScope')}</Text>;
  const state = liveClockState(c, now);
  const remaining = c.dueAt ? Date.parse(c.dueAt) - now : 0;
  const running = state === 'ok' || state === 'atRisk' || state === 'breached';
  return (
    <Group gap={6} wrap="nowrap" data-testid="report-clock" data-clock-state={state}>
      <Badge color={SLA_COLOURS[state]} variant={state === 'met' ? 'light' : 'filled'} size={compact ? 'xs' : 'sm'}>{t(`security.clock.state.${state}`)}</Badge>
      {running && (
        <Text size="xs" ff="monospace" c={remaining < 0 ? 'red' : undefined}>
          {t(remaining >= 0 ? 'security.clock.left' : 'security.clock.over', { time: formatSpan(remaining, lang, { seconds: true }) })}
        </Text>
      )}
    </Group>
  );
}

export function ClockCard({ inc, now }: { inc: SecurityIncidentDetail; now: number }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const target = inc.reportClock.target;
  const targetText = target.kind === 'calendar' && target.minutes % 60 === 0
    ? t('security.target.calendarHours', { hours: target.minutes / 60 })
    : t(`security.target.${target.kind}`, { minutes: 'minutes' in target ? target.minutes : undefined, n: 'n' in target ? target.n : undefined });
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="xs">{t('security.clock.title')}</Title>
      <Group justify="space-between">
        <ClockBadge inc={inc} now={now} />
        <Text size="sm">{t('security.clock.due')}: {formatInstant(inc.reportClock.dueAt, inc.timeZone, lang)}</Text>
      </Group>
      <Text size="xs" c="dimmed" mt={4}>{inc.reportClock.excluded ? t('security.clock.excluded') : t('security.clock.rule', { target: targetText })}</Text>
    </Card>
  );
}

export function InstantsCard({ inc }: { inc: SecurityIncidentDetail }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const keys = ['occurred', 'discovered', 'recognized', 'reported', 'contained', 'threatRemoved', 'closed'] as const;
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="xs">{t('security.instants')}</Title>
      <Grid>
        {keys.map((k) => {
          const v = inc.instants[k];
          return (
            <Grid.Col key={k} span={{ base: 6, md: 3 }} data-instant={k}>
              <Text size="xs" c="dimmed">{t(`security.instant.${k}`)}</Text>
              <Text size="sm">{formatInstant(v?.at, inc.timeZone, lang)}</Text>
              {v && <Text size="xs" c="dimmed">{t('security.by', { name: v.by.name ?? t('security.timeline.system') })}</Text>}
            </Grid.Col>
          );
        })}
      </Grid>
    </Card>
  );
}

export function RegulatoryCard({ inc }: { inc: SecurityIncidentDetail }) {
  const { t } = useTranslation();
  const r = inc.regulatory;
  if (!r) return null;
  return (
    <Alert color="yellow" title={t('security.regulatory.title')} data-testid="regulatory">
      <Stack gap={4}>
        <Text size="sm">{t('security.regulatory.preliminary', { from: r.preliminaryFrom, by: r.preliminaryBy })}</Text>
        <Text size="sm">{t('security.regulatory.final', { by: r.finalBy, days: r.finalDays })}</Text>
        <Text size="xs" c="dimmed">{t('security.regulatory.note')}</Text>
      </Stack>
    </Alert>
  );
}

export function ScopeLine({ inc }: { inc: SecurityIncidentDetail }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const s = inc.scope;
  return (
    <Stack gap={2} data-testid="scope">
      <Group gap="xs">
        <Badge color={s.inScope ? 'blue' : 'gray'} variant="light">{s.inScope ? t('security.scope.inScope') : t('security.scope.outOfScope')}</Badge>
        {s.condition && <Text size="sm">{t(`security.scope.condition.${s.condition}`)}</Text>}
      </Group>
      {s.reason && <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>{s.reason}</Text>}
      {s.decidedAt && <Text size="xs" c="dimmed">{t('security.scope.decided', { name: s.decidedBy?.name ?? '', at: formatInstant(s.decidedAt, inc.timeZone, lang) })}</Text>}
      {!s.inScope && <Text size="xs" c="dimmed">{t('security.scope.stays')}</Text>}
    </Stack>
  );
}

export function ReportsList({ inc, extra }: { inc: SecurityIncidentDetail; extra?: (r: SecurityIncidentDetail['reports'][number]) => ReactNode }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  if (inc.reports.length === 0) return <Text size="sm" c="dimmed">{t('security.reports.none')}</Text>;
  return (
    <Stack>
      {inc.reports.map((r) => (
        <Card key={r.id} withBorder padding="sm" data-testid="report" data-report-kind={r.kind} component="article">
          <Group justify="space-between" wrap="nowrap">
            <Group gap="xs"><Badge variant="filled" color={r.kind === 'final' ? 'teal' : 'indigo'}>{t(`security.reports.kind.${r.kind}`)}</Badge><Title order={3} size="h5">{r.title}</Title></Group>
            <Text size="xs" c="dimmed">{t('security.reports.issuedBy', { at: formatInstant(r.issuedAt, inc.timeZone, lang), name: r.issuedBy.name ?? '' })}</Text>
          </Group>
          <Text size="sm" mt="xs" style={{ whiteSpace: 'pre-wrap' }}>{r.body}</Text>
          {extra?.(r)}
        </Card>
      ))}
    </Stack>
  );
}

export function TimelineList({ inc }: { inc: SecurityIncidentDetail }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  return (
    <Stack gap="xs" data-testid="security-timeline">
      {inc.timeline.map((e) => (
        <Group key={e.id} align="flex-start" wrap="nowrap" gap="sm" data-event={e.event ?? 'action'}>
          <Text size="xs" c="dimmed" w={170} style={{ flexShrink: 0 }}>{formatInstant(e.at, inc.timeZone, lang)}</Text>
          <div>
            <Group gap={6}>
              {e.event && <Text size="sm" fw={600}>{t(`security.timeline.event.${e.event}`, { defaultValue: e.event })}</Text>}
              {e.params.condition && <Text size="sm">{t(`security.scope.condition.${e.params.condition}`)}</Text>}
              {e.visibility === 'internal' && <Badge size="xs" color="gray">{t('security.timeline.internal')}</Badge>}
              <Text size="xs" c="dimmed">{e.author?.name ?? t('security.timeline.system')}</Text>
            </Group>
            {e.body && <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>{e.body}</Text>}
          </div>
        </Group>
      ))}
    </Stack>
  );
}
