/**
 * One security incident as the client sees it: the reports (第一報・続報・最終報告) — each
 * marked read when shown here (a command the page sends once per report, since a GET
 * never writes) — the recorded times, the report deadline, the client's own regulatory
 * reminders, the scope decision, the public timeline and the evidence shared with them.
 */
import { Anchor, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { Lang } from '../../i18n/index.ts';
import { NotFoundPage } from '../../pages/NotFoundPage.tsx';
import { formatInstant, useNow } from '../../lib/time.ts';
import { ErrorAlert } from '../incidents/FieldErrors.tsx';
import { evidenceUrl, useSecurityAction, useSecurityIncident } from './api.ts';
import { ClockCard, InstantsCard, KindBadge, RegulatoryCard, ReportsList, ScopeLine, SecurityStatusBadge, TimelineList } from './parts.tsx';

export function PortalSecurityPage() {
  const { id } = useParams();
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const q = useSecurityIncident(id);
  const act = useSecurityAction(id ?? '');
  const now = useNow(1000);
  const sent = useRef(new Set<string>());
  const unread = (q.data?.reports ?? []).filter((r) => r.reads.length === 0 && !sent.current.has(r.id)).map((r) => r.id);
  useEffect(() => {
    for (const reportId of unread) {
      sent.current.add(reportId);
      act.mutate({ path: `reports/${reportId}/read` });
    }
    // Keyed by the unread ids: `act` does the same thing on every render.
  }, [unread.join(',')]);
  if (q.error?.notFound) return <NotFoundPage />;
  if (q.error) return <ErrorAlert error={q.error} />;
  if (!q.data) return <Text>{t('common.loading')}</Text>;
  const inc = q.data;
  return (
    <Stack>
      <div>
        <Text size="sm" c="dimmed"><Anchor component={Link} to="/portal/security">{t('security.portalTitle')}</Anchor> / S-{inc.number}</Text>
        <Title order={1} size="h2">S-{inc.number} {inc.title}</Title>
        <Group gap="xs" mt={4}><SecurityStatusBadge status={inc.status} /><KindBadge kind={inc.kind} /></Group>
        {inc.description && <Text mt="xs" size="sm" style={{ whiteSpace: 'pre-wrap' }}>{inc.description}</Text>}
      </div>
      <Card withBorder>
        <Title order={2} size="h4" mb="sm">{t('security.reports.title')}</Title>
        <ReportsList inc={inc} extra={(r) => (r.reads[0] ? <Text size="xs" c="dimmed" mt={4}>{t('security.reports.readByYou', { at: formatInstant(r.reads[0].at, inc.timeZone, lang) })}</Text> : null)} />
      </Card>
      <RegulatoryCard inc={inc} />
      <ClockCard inc={inc} now={now} />
      <InstantsCard inc={inc} />
      <Card withBorder>
        <Title order={2} size="h4" mb="sm">{t('security.scope.title')}</Title>
        <ScopeLine inc={inc} />
      </Card>
      <Card withBorder>
        <Title order={2} size="h4" mb="sm">{t('security.timeline.title')}</Title>
        <TimelineList inc={inc} />
      </Card>
      {inc.evidence.length > 0 && (
        <Card withBorder>
          <Title order={2} size="h4" mb="sm">{t('security.evidence.title')}</Title>
          <Stack gap="xs">
            {inc.evidence.map((e) => (
              <div key={e.id} data-testid="evidence">
                <Anchor href={evidenceUrl(inc.id, e.id)} download={e.fileName}>{e.fileName}</Anchor>
                <Text size="xs" ff="monospace">SHA-256 {e.sha256}</Text>
              </div>
            ))}
          </Stack>
        </Card>
      )}
      <Text size="xs" c="dimmed">{t('common.timesIn', { zone: inc.timeZone })}</Text>
    </Stack>
  );
}
