/** The client's own risk register in the portal: heat map and list. */
import { Card, SimpleGrid, Stack, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useHeatMap, useRisks } from './api.ts';
import { HeatMapCard } from './RiskParts.tsx';
import { RiskTable } from './RisksPage.tsx';

export function PortalRisksPage() {
  const { t } = useTranslation();
  const risks = useRisks();
  const heat = useHeatMap();
  return (
    <Stack>
      <Title order={1} size="h2">{t('risks.portalTitle')}</Title>
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <HeatMapCard map={heat.data} />
      </SimpleGrid>
      <Card withBorder>
        <Title order={2} size="h4" mb="xs">{t('risks.list')}</Title>
        <RiskTable risks={risks.data ?? []} lk={null} base="/portal/risks" />
      </Card>
    </Stack>
  );
}
