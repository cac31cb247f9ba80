/** One incident as the client sees it: status, deadlines, its e-mails and attachments, resolution account, public timeline, reply. */
import { Anchor, Card, Grid, Group, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useIncident } from '../../api/hooks.ts';
import type { TimelineEntry } from '../../api/types.ts';
import type { Lang } from '../../i18n/index.ts';
import { NotFoundPage } from '../../pages/NotFoundPage.tsx';
import { zoneName } from '../../lib/format.ts';
import { formatInstant, useNow } from '../../lib/time.ts';
import { ErrorAlert } from '../incidents/FieldErrors.tsx';
import { MailCard } from '../incidents/MailCard.tsx';
import { ResolutionCard } from '../incidents/ResolutionCard.tsx';
import { MessageForm } from '../incidents/IncidentPage.tsx';
import { PriorityBadge, StatusBadge } from '../incidents/labels.tsx';
import { useLookup } from '../incidents/lookup.ts';
import { SlaBadge } from '../incidents/SlaBadge.tsx';
import { Timeline } from '../incidents/Timeline.tsx';
import { Attachments } from '../attachments/Attachments.tsx';

export function PortalIncidentPage() {
  const { id } = useParams();
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const q = useIncident(id);
  const lk = useLookup(false);
  const now = useNow(1000);
  if (q.error?.notFound) return <NotFoundPage />;
  if (q.error) return <ErrorAlert error={q.error} />;
  if (!q.data) return <Text>{t('common.loading')}</Text>;
  const inc = q.data;
  const zone = lk.zone(inc.calendarId);
  // Staff by their name, the client by theirs (an e-mail from the client: the reporter), jobs as the system.
  const author = (e: TimelineEntry) => (e.authorKind === 'system'
    ? t('incident.system_actor')
    : e.authorName ?? (e.authorKind === 'contact' ? inc.reporter.name ?? lk.contact(inc.reporter.contactId)?.name : null) ?? t('incident.desk'));
  return (
    <Stack>
      <div>
        <Text size="sm" c="dimmed"><Anchor component={Link} to="/portal">{t('nav.portal')}</Anchor> / #{inc.number}</Text>
        <Title order={1} size="h2">#{inc.number} {inc.title}</Title>
        <Group gap="xs" mt={4}><StatusBadge status={inc.status} /><PriorityBadge priority={inc.priority} /></Group>
      </div>
      <Card withBorder>
        <Grid>
          <Grid.Col span={{ base: 6, md: 3 }}><Text size="xs" c="dimmed">{t('incident.contract')}</Text>{lk.contract(inc.contractId)?.name}</Grid.Col>
          <Grid.Col span={{ base: 6, md: 3 }}><Text size="xs" c="dimmed">{t('incident.received')}</Text>{formatInstant(inc.receivedAt, zone, lang)}</Grid.Col>
          <Grid.Col span={{ base: 6, md: 3 }}><Text size="xs" c="dimmed">{t('incident.recognized')}</Text>{formatInstant(inc.recognizedAt, zone, lang)}</Grid.Col>
          <Grid.Col span={{ base: 6, md: 3 }}><Text size="xs" c="dimmed">{t('incident.resolvedAt')}</Text>{formatInstant(inc.resolvedAt, zone, lang)}</Grid.Col>
        </Grid>
        {inc.description && <Text mt="sm" size="sm" style={{ whiteSpace: 'pre-wrap' }}>{inc.description}</Text>}
        <Text size="xs" c="dimmed" mt="xs">{t('common.timesIn', { zone: zoneName(zone, lang) })}</Text>
      </Card>
      <MailCard incidentId={inc.id} zone={zone} notViaDesignatedContact={false} />
      <Attachments incidentId={inc.id} zone={zone} staff={false} />
      <Card withBorder>
        <Title order={2} size="h4" mb="xs">{t('portal.entitled')}</Title>
        <Stack gap="xs">
          {inc.targets.map((tg) => (
            <Group key={tg.kind} justify="space-between">
              <SlaBadge target={tg} now={now} zone={zone} />
              <Text size="sm">{t('sla.due')}: {tg.dueAt ? formatInstant(tg.dueAt, zone, lang) : t('sla.noDeadline')}</Text>
            </Group>
          ))}
        </Stack>
      </Card>
      {inc.resolution && <ResolutionCard resolution={inc.resolution} />}
      <Card withBorder>
        <Title order={2} size="h4" mb="sm">{t('incident.timeline')}</Title>
        <Timeline entries={inc.timeline} zone={zone} author={author} />
        <MessageForm incidentId={inc.id} staff={false} />
      </Card>
    </Stack>
  );
}
