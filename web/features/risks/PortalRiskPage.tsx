/**
 * One risk as the client sees it: its ratings, the controls presented to them (acknowledge each),
 * formal acceptance of the residual risk with an expiry date, and the discussion (協議).
 */
import { Anchor, Badge, Card, Grid, Group, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { Lang } from '../../i18n/index.ts';
import { formatInstant } from '../../lib/time.ts';
import { NotFoundPage } from '../../pages/NotFoundPage.tsx';
import { ErrorAlert } from '../incidents/FieldErrors.tsx';
import { useRisk } from './api.ts';
import { AcceptancesCard, ClosedAlert, ControlsCard, RatingLine, ThreadCard, ZONE } from './RiskParts.tsx';

export function PortalRiskPage() {
  const { id } = useParams();
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const q = useRisk(id);
  if (q.error?.notFound) return <NotFoundPage />;
  if (q.error) return <ErrorAlert error={q.error} />;
  if (!q.data) return <Text>{t('common.loading')}</Text>;
  const r = q.data;
  return (
    <Stack>
      <div>
        <Text size="sm" c="dimmed"><Anchor component={Link} to="/portal/risks">{t('risks.portalTitle')}</Anchor> / R-{r.number}</Text>
        <Title order={1} size="h2">R-{r.number} {r.title}</Title>
        <Group gap="xs" mt={4}>
          <Badge variant="light">{t(`risks.statuses.${r.status}`)}</Badge>
          <Badge variant="outline">{t(`risks.treatments.${r.treatment}`)}</Badge>
          <Badge variant="outline" color="gray">{t('risks.criteriaVersion', { version: r.criteriaVersion })}</Badge>
        </Group>
      </div>
      <ClosedAlert risk={r} />
      <Card withBorder>
        <Grid>
          <Grid.Col span={{ base: 12, md: 7 }}>
            <Stack gap={6}>
              <RatingLine label={t('risks.inherent')} rating={r.inherent} criteria={r.criteria} />
              <RatingLine label={t('risks.residual')} rating={r.residual} criteria={r.criteria} />
            </Stack>
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
    </Stack>
  );
}
