import { Card, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { IncidentDetail } from '../../api/types.ts';

/** The resolution account (cause, fix, course of events) that agents write and clients read. */
export function ResolutionCard({ resolution }: { resolution: NonNullable<IncidentDetail['resolution']> }) {
  const { t } = useTranslation();
  return (
    <Card withBorder data-testid="resolution">
      <Title order={2} size="h4" mb="xs">{t('incident.resolution')}</Title>
      <Text size="sm"><b>{t('incident.cause')}:</b> {resolution.cause}</Text>
      <Text size="sm"><b>{t('incident.fix')}:</b> {resolution.fix}</Text>
      <Text size="sm"><b>{t('incident.courseOfEvents')}:</b> {resolution.courseOfEvents}</Text>
    </Card>
  );
}
