/**
 * One security incident as the client sees it: the reports (第一報・続報・最終報告) — each
 * marked read when shown here (a command the page sends once per report, since a GET
 * never writes) — the recorded times, the report deadline, the client's own regulatory
 * reminders, the scope decision, the public timeline and the evidence shared with them.
 */
import { Anchor, Stack, Text } from '@mantine/core';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import type { Lang } from '../../i18n/index.ts';
import { NotFoundPage } from '../../pages/NotFoundPage.tsx';
import { zoneName } from '../../lib/format.ts';
import { formatInstant, useNow } from '../../lib/time.ts';
import { pendingView } from '../incidents/FieldErrors.tsx';
import { evidenceUrl, useSecurityAction, useSecurityIncident } from './api.ts';
import { ClockCard, InstantsCard, RegulatoryCard, ReportsList, ScopeLine, SectionCard, SecurityHeader, TimelineList } from './parts.tsx';

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
  const pending = pendingView(q, t('common.loading'), <NotFoundPage />);
  if (pending || !q.data) return pending;
  const inc = q.data;
  return (
    <Stack>
      <SecurityHeader inc={inc} back="/portal/security" backLabel={t('security.portalTitle')} />
      <SectionCard title={t('security.reports.title')}>
        <ReportsList inc={inc} extra={(r) => (r.reads[0] ? <Text size="xs" c="dimmed" mt={4}>{t('security.reports.readByYou', { at: formatInstant(r.reads[0].at, inc.timeZone, lang) })}</Text> : null)} />
      </SectionCard>
      <RegulatoryCard inc={inc} />
      <ClockCard inc={inc} now={now} />
      <InstantsCard inc={inc} />
      <SectionCard title={t('security.scope.title')}><ScopeLine inc={inc} /></SectionCard>
      <SectionCard title={t('security.timeline.title')}><TimelineList inc={inc} /></SectionCard>
      {inc.evidence.length > 0 && (
        <SectionCard title={t('security.evidence.title')}>
          <Stack gap="xs">
            {inc.evidence.map((e) => (
              <div key={e.id} data-testid="evidence">
                <Anchor href={evidenceUrl(inc.id, e.id)} download={e.fileName}>{e.fileName}</Anchor>
                <Text size="xs" ff="monospace">SHA-256 {e.sha256}</Text>
              </div>
            ))}
          </Stack>
        </SectionCard>
      )}
      <Text size="xs" c="dimmed">{t('common.timesIn', { zone: zoneName(inc.timeZone, lang) })}</Text>
    </Stack>
  );
}
