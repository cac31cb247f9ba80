import { Alert, Loader, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useExplanation } from '../../api/hooks.ts';
import type { TargetKind } from '../../api/types.ts';
import type { Lang } from '../../i18n/index.ts';
import { formatInstant, formatSpan, joinList } from '../../lib/format.ts';
import { ONE_LINE } from '../../lib/table.ts';

/** The calendar intervals the core counted for one deadline (GET …/targets/:kind/explanation). */
export function Explanation({ incidentId, kind }: { incidentId: string; kind: TargetKind }) {
  const { t, i18n } = useTranslation();
  const q = useExplanation(incidentId, kind, true);
  if (q.isPending) return <Loader size="xs" />;
  if (q.error) return <Alert color="gray">{q.error.message}</Alert>;
  const x = q.data;
  return <CountedTable counted={x.counted} paused={x.paused} totalSeconds={x.totalSeconds} due={x.due} zone={x.timeZone} lang={i18n.language as Lang} t={t} />;
}


/**
 * The due instant and the counted intervals (local times with their offset, "2026-05-01T09:00:00+09:00")
 * written like every other instant: the due one with the zone's short name (JST), the table's rows
 * without it. The counted time is working time: hours and minutes, never days of 24 hours.
 */
export function CountedTable({ counted, paused, totalSeconds, due, zone, lang, t }: {
  counted: { from: string; to: string; seconds: number }[]; paused: { from: string; to: string }[]; totalSeconds: number; due: string; zone: string; lang: Lang;
  t: (k: string, o?: Record<string, unknown>) => string;
}) {
  const at = (local: string) => formatInstant(local, zone, lang, false);
  return (
    <div data-testid="explanation">
      <Text size="sm">
        {t('sla.due')}: <b data-testid="explanation-due">{formatInstant(due, zone, lang)}</b> — <span data-testid="explanation-total" style={ONE_LINE}>{t('sla.totalWorking', { time: formatSpan(totalSeconds * 1000, lang, { days: false }) })}</span>
      </Text>
      <Table withTableBorder fz="xs" mt={4} captionSide="top">
        <Table.Caption>{t('sla.counted')}</Table.Caption>
        <Table.Thead>
          <Table.Tr><Table.Th>{t('sla.from')}</Table.Th><Table.Th>{t('sla.to')}</Table.Th><Table.Th>{t('sla.length')}</Table.Th></Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {counted.slice(0, 60).map((c) => (
            <Table.Tr key={c.from}><Table.Td>{at(c.from)}</Table.Td><Table.Td>{at(c.to)}</Table.Td><Table.Td style={ONE_LINE}>{formatSpan(c.seconds * 1000, lang, { days: false })}</Table.Td></Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {paused.length > 0 && (
        <Text size="xs" mt={4}>{t('sla.pausedIntervals')}: {joinList(paused.map((p) => `${at(p.from)} → ${at(p.to)}`), lang)}</Text>
      )}
    </div>
  );
}
