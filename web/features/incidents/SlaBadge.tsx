import { Badge, Group, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { IncidentTarget, SlaState } from '../../api/types.ts';
import type { Lang } from '../../i18n/index.ts';
import { formatInstant, formatSpan, liveState, SLA_COLOURS } from '../../lib/time.ts';

export function StateBadge({ state, size = 'sm' }: { state: SlaState; size?: 'xs' | 'sm' | 'md' | 'lg' }) {
  const { t } = useTranslation();
  return (
    <Badge color={SLA_COLOURS[state]} variant={state === 'met' || state === 'pending' ? 'light' : 'filled'} size={size} data-sla-state={state}>
      {t(`sla.${state}`)}
    </Badge>
  );
}

/** One target: "着手 [注意] 残り 1:04" with the due instant in the calendar zone on hover. */
export function SlaBadge({ target, now, zone, compact = false }: { target: IncidentTarget; now: number; zone: string; compact?: boolean }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const state = liveState(target, now);
  const running = target.dueAt && !target.metAt && state !== 'pending';
  const remaining = target.dueAt ? Date.parse(target.dueAt) - now : 0;
  const label = `${t(`sla.target.${target.kind}`)}: ${t(`sla.${state}`)}`;
  return (
    <Tooltip label={`${t('sla.due')} ${formatInstant(target.dueAt, zone, lang)}`} disabled={!target.dueAt} withArrow>
      <Group gap={4} wrap="nowrap" aria-label={label} data-target={target.kind} data-sla-state={state}>
        <Text size="xs" c="dimmed">{t(`sla.target.${target.kind}`)}</Text>
        <StateBadge state={state} size={compact ? 'xs' : 'sm'} />
        {running && !target.paused && (
          <Text size="xs" ff="monospace" c={remaining < 0 ? 'red' : undefined}>
            {remaining >= 0 ? t('sla.left', { time: formatSpan(remaining, lang) }) : t('sla.over', { time: formatSpan(remaining, lang) })}
          </Text>
        )}
        {target.paused && <Text size="xs" c="dimmed">({t('sla.paused')})</Text>}
        {target.excluded && <Text size="xs" c="dimmed">({t('sla.excluded')})</Text>}
      </Group>
    </Tooltip>
  );
}
