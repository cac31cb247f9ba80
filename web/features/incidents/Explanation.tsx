import { Alert, Loader, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useExplanation } from '../../api/hooks.ts';
import type { TargetKind } from '../../api/types.ts';
import type { Lang } from '../../i18n/index.ts';
import { formatSpan } from '../../lib/time.ts';

/** "2026-05-01T09:00:00+09:00" → "2026-05-01 09:00". */
export const shortLocal = (s: string) => s.slice(0, 16).replace('T', ' ');

/** The calendar intervals the core counted for one deadline (GET …/targets/:kind/explanation). */
export function Explanation({ incidentId, kind }: { incidentId: string; kind: TargetKind }) {
  const { t, i18n } = useTranslation();
  const q = useExplanation(incidentId, kind, true);
  if (q.isPending) return <Loader size="xs" />;
  if (q.error) return <Alert color="gray">{q.error.message}</Alert>;
  const x = q.data;
  return <CountedTable counted={x.counted} paused={x.paused} totalSeconds={x.totalSeconds} due={x.due} zone={x.timeZone} lang={i18n.language as Lang} t={t} />;
}

export function CountedTable({ counted, paused, totalSeconds, due, zone, lang, t }: {
  counted: { from: string; to: string; seconds: number }[]; paused: { from: string; to: string }[]; totalSeconds: number; due: string; zone: string; lang: Lang;
  t: (k: string, o?: Record<string, unknown>) => string;
}) {
  return (
    <div data-testid="explanation">
      <Text size="sm">{t('sla.due')}: <b>{shortLocal(due)}</b> ({zone}) — {t('sla.totalWorking', { time: formatSpan(totalSeconds * 1000, lang) })}</Text>
      <Table withTableBorder fz="xs" mt={4} captionSide="top">
        <Table.Caption>{t('sla.counted')}</Table.Caption>
        <Table.Thead>
          <Table.Tr><Table.Th>{t('sla.from')}</Table.Th><Table.Th>{t('sla.to')}</Table.Th><Table.Th>{t('sla.minutes')}</Table.Th></Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {counted.slice(0, 60).map((c) => (
            <Table.Tr key={c.from}><Table.Td>{shortLocal(c.from)}</Table.Td><Table.Td>{shortLocal(c.to)}</Table.Td><Table.Td>{Math.round(c.seconds / 60)}</Table.Td></Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {paused.length > 0 && (
        <Text size="xs" mt={4}>{t('sla.pausedIntervals')}: {paused.map((p) => `${shortLocal(p.from)} → ${shortLocal(p.to)}`).join(', ')}</Text>
      )}
    </div>
  );
}
