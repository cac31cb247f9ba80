/** The console navigation's count of risks whose review is overdue (escalated), so it shows on every page. */
import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useRisks } from './api.ts';

export function RiskNavBadge() {
  const { t } = useTranslation();
  const overdue = useRisks({ status: 'open', review: 'overdue' });
  const n = overdue.data?.length ?? 0;
  if (n === 0) return null;
  return <Badge size="sm" color="red" circle title={t('risks.overdueCount', { count: n })} data-testid="risk-overdue-count">{n}</Badge>;
}
