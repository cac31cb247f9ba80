/** A contact's issued monthly reports (their own client's only), newest month first. */
import { Stack, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { get } from '../../api/client.ts';
import { DEFAULT_ZONE } from '../incidents/lookup.ts';
import { IssuedTable, type Meta } from './ReportsPage.tsx';

export function PortalReportsPage() {
  const { t } = useTranslation();
  const q = useQuery({ queryKey: ['reports'], queryFn: () => get<{ items: Meta[] }>('/reports') });
  return (
    <Stack>
      <Title order={1} size="h2">{t('reports.title')}</Title>
      <IssuedTable items={q.data?.items ?? []} zone={DEFAULT_ZONE} to={(id) => `/portal/reports/${id}`} />
    </Stack>
  );
}
