import { Button, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <Stack align="flex-start" data-testid="not-found">
      <Title order={1}>{t('common.notFound')}</Title>
      <Text>{t('common.notFoundText')}</Text>
      <Button component={Link} to="/" variant="light">{t('common.back')}</Button>
    </Stack>
  );
}
