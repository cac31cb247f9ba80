/**
 * One risk as the client sees it: its ratings, the controls presented to them (acknowledge each),
 * formal acceptance of the residual risk with an expiry date, and the discussion (協議).
 */
import { Card, Grid, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Lang } from '../../i18n/index.ts';
import { formatInstant } from '../../lib/time.ts';
import { AcceptancesCard, ControlsCard, RiskFrame, RiskRatings, ThreadCard, ZONE } from './RiskParts.tsx';

export function PortalRiskPage() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  return (
    <RiskFrame back="/portal/risks" backLabel={t('risks.portalTitle')}>{(r) => (
      <>
        <Card withBorder>
          <Grid>
            <Grid.Col span={{ base: 12, md: 7 }}>
              <RiskRatings risk={r} />
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 5 }}>
              <Text size="xs" c="dimmed">{t('risks.owner')}</Text>{r.ownerName}
              <Text size="xs" c="dimmed" mt={4}>{t('risks.nextReview')}</Text>{formatInstant(r.review.nextReviewAt, ZONE, lang)}
            </Grid.Col>
          </Grid>
          {r.description && <Text mt="sm" size="sm" style={{ whiteSpace: 'pre-wrap' }}>{r.description}</Text>}
        </Card>
        <ControlsCard risk={r} staff={false} />
        <AcceptancesCard risk={r} staff={false} />
        <ThreadCard risk={r} staff={false} />
      </>
    )}</RiskFrame>
  );
}
