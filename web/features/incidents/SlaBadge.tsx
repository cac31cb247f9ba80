import { Badge, Group, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { IncidentTarget, SlaState } from '../../api/types.ts';
import type { Lang } from '../../i18n/index.ts';
import { formatInstant, formatSpan, liveState, SLA_COLOURS, useClock } from '../../lib/time.ts';
import { ONE_LINE } from '../../lib/table.ts';

export function StateBadge({ state, size = 'sm' }: { state: SlaState; size?: 'xs' | 'sm' | 'md' | 'lg' }) {
  const { t } = useTranslation();
  return (
    <Badge color={SLA_COLOURS[state]} variant={state === 'met' || state === 'pending' ? 'light' : 'filled'} size={size} data-sla-state={state}>
      {t(`sla.${state}`)}
    </Badge>
  );
}

/** One target: "着手 [注意] 残り 57分08秒" (in lists by the minute: "残り 57分") with the due instant in the calendar zone on hover. */
export function SlaBadge({ target, now, zone, compact = false, minutes = false }: { target: IncidentTarget; now: number; zone: string; compact?: boolean; minutes?: boolean }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const state = liveState(target, now);
  const running = target.dueAt && !target.metAt && state !== 'pending';
  const remaining = target.dueAt ? Date.parse(target.dueAt) - now : 0;
  const label = `${t(`sla.target.${target.kind}`)}: ${t(`sla.${state}`)}`;
  const due = target.dueAt ? `${t('sla.due')} ${formatInstant(target.dueAt, zone, lang)}` : undefined;
  const body = (
    // In a compact badge the countdown may go onto a second line; the name and its badge stay together.
    <Group gap={4} wrap={compact ? 'wrap' : 'nowrap'} style={compact ? ONE_LINE : undefined} aria-label={label} data-target={target.kind} data-sla-state={state} title={compact ? due : undefined}>
      {/* max-content: a narrow column grows to fit the name and its badge rather than squeezing the badge to a dot. */}
      <Group gap={4} wrap="nowrap" style={{ width: 'max-content' }}>
        <Text size="xs" c="dimmed">{t(`sla.target.${target.kind}`)}</Text>
        <StateBadge state={state} size={compact ? 'xs' : 'sm'} />
      </Group>
      {running && !target.paused && (
        <Text size="xs" ff="monospace" c={remaining < 0 ? 'red' : undefined}>
          {t(remaining >= 0 ? 'sla.left' : 'sla.over', { time: formatSpan(remaining, lang, { seconds: !minutes }) })}
        </Text>
      )}
      {target.paused && <Text size="xs" c="dimmed">({t('sla.paused')})</Text>}
      {target.excluded && <Text size="xs" c="dimmed">({t('sla.excluded')})</Text>}
    </Group>
  );
  // Compact badges fill lists (two per row, a thousand rows): the browser's own tooltip costs nothing per render.
  return compact ? body : <Tooltip label={due} disabled={!due} withArrow>{body}</Tooltip>;
}

/** Whether the clock changes what a target shows (its state or its countdown). */
const ticks = (t: IncidentTarget) => Boolean(t.dueAt && !t.metAt && !t.paused && t.state !== 'pending');

/** A list's clock: minutes are shown, so a tick every 15 s is on time to a quarter of a minute. */
const LIST_TICK = 15_000;

/**
 * A badge for lists: only a running target reads the shared clock, counting down by the minute.
 * A page-wide one-second tick re-rendered (and re-laid out) a thousand rows every second and
 * starved the browser's main thread once the queue held hundreds of rows.
 */
export function LiveSlaBadge(props: { target: IncidentTarget; zone: string; compact?: boolean }) {
  return ticks(props.target) ? <TickingSlaBadge {...props} /> : <SlaBadge {...props} now={Date.now()} />;
}

function TickingSlaBadge(props: { target: IncidentTarget; zone: string; compact?: boolean }) {
  return <SlaBadge {...props} now={useClock(LIST_TICK)} minutes />;
}
