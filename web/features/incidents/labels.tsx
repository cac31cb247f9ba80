import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Priority, Status } from '../../api/types.ts';

const PRIORITY_COLOURS: Record<Priority, string> = { urgent: 'red', important: 'orange', minor: 'blue' };
const STATUS_COLOURS: Record<Status, string> = {
  new: 'pink', recognized: 'violet', in_progress: 'blue', waiting_for_client: 'yellow', solution_proposed: 'cyan', resolved: 'teal', closed: 'gray',
};

export function PriorityBadge({ priority }: { priority: Priority }) {
  const { t } = useTranslation();
  return <Badge color={PRIORITY_COLOURS[priority]} variant="outline" size="sm" style={{ flexShrink: 0, overflow: 'visible' }}>{t(`priority.${priority}`)}</Badge>;
}

export function StatusBadge({ status }: { status: Status }) {
  const { t } = useTranslation();
  return <Badge color={STATUS_COLOURS[status]} variant="light" size="sm" data-status={status} style={{ flexShrink: 0, overflow: 'visible' }}>{t(`status.${status}`)}</Badge>;
}
