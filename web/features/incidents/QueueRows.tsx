/**
 * The queue's rows: a table on a desk screen, cards on a phone (≤ 600 px), never a table
 * to scroll sideways. The title is the column that gives way (one line, ellipsis, the
 * whole title on hover); badges, the deadline and the assignee keep their natural width.
 */
import { Anchor, Card, Group, Stack, Table, Text } from '@mantine/core';
import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Incident } from '../../api/types.ts';
import type { Lang } from '../../i18n/index.ts';
import { formatInstant, nextDue } from '../../lib/time.ts';
import { PriorityBadge, StatusBadge } from './labels.tsx';
import type { Lookup } from './lookup.ts';
import { LiveSlaBadge } from './SlaBadge.tsx';
import { ONE_LINE } from '../../lib/table.ts';

/** A badge clips its label when squeezed; a max-content box keeps its column at least as wide as its badges. */
const WHOLE = { width: 'max-content' } as const;
/** The title cell takes what the other columns leave (max-width 0 + width 100%: the table-cell ellipsis idiom). */
const TITLE_CELL = { maxWidth: 0, width: '100%' } as const;
const ELLIPSIS = { overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap', display: 'block' } as const;

interface RowsProps { items: Incident[]; lang: Lang; lk: Lookup }
interface RowProps { i: Incident; lang: Lang; lk: Lookup }

/**
 * Client · contract · channel, and the warnings after them. The names give way (ellipsis); the
 * warnings go to a line of their own, and wrap, rather than be cut: at the line's end they had read
 * 窓口担… on a desk screen and 窓… on a phone, and not at all in English.
 */
function Meta({ i, lk }: { i: Incident; lk: Lookup }) {
  const { t } = useTranslation();
  const warnings = !i.inScope || i.notViaDesignatedContact;
  return (
    <Group gap={0} wrap="wrap" data-testid="queue-meta">
      <Text size="xs" c="dimmed" style={{ ...ELLIPSIS, maxWidth: '100%' }}>
        {lk.client(i.clientId)?.name ?? ''} · {lk.contract(i.contractId)?.name ?? ''} · {t(`channel.${i.channel}`)}
      </Text>
      {warnings && (
        <Text size="xs" style={{ maxWidth: '100%' }} data-testid="queue-warnings">
          {!i.inScope && <><Text span c="dimmed" size="xs">&nbsp;· </Text><Text span c="orange" size="xs">{t('queue.outOfScope')}</Text></>}
          {i.notViaDesignatedContact && <><Text span c="dimmed" size="xs">&nbsp;· </Text><Text span c="red" size="xs">{t('incident.notDesignated')}</Text></>}
        </Text>
      )}
    </Group>
  );
}

/**
 * Rows are memoised: the page re-renders on every keystroke in its search and jump boxes,
 * and a thousand loaded rows must not follow (TanStack keeps unchanged incidents the same objects).
 */
const QueueRow = memo(function QueueRow({ i, lang, lk }: RowProps) {
  const { t } = useTranslation();
  const zone = lk.zone(i.calendarId);
  const next = nextDue(i.targets)?.dueAt ?? null;
  return (
    <Table.Tr data-incident={i.number}>
      <Table.Td style={ONE_LINE}>#{i.number}</Table.Td>
      <Table.Td style={TITLE_CELL}>
        <Anchor component={Link} to={`/incidents/${i.id}`} fw={500} title={i.title} style={ELLIPSIS} data-testid="queue-title">{i.title}</Anchor>
        <Meta i={i} lk={lk} />
      </Table.Td>
      <Table.Td style={ONE_LINE}><div style={WHOLE}><PriorityBadge priority={i.priority} /></div></Table.Td>
      <Table.Td style={ONE_LINE}><div style={WHOLE}><StatusBadge status={i.status} /></div></Table.Td>
      {/* The SLA cell may break a countdown onto its own line (the title needs the width more); its badges stay whole. */}
      <Table.Td data-testid="queue-sla">
        <Stack gap={2}>
          {i.targets.map((tg) => <LiveSlaBadge key={tg.kind} target={tg} zone={zone} compact />)}
        </Stack>
      </Table.Td>
      <Table.Td style={ONE_LINE} visibleFrom="lg"><Text size="sm">{next ? formatInstant(next, zone, lang) : '—'}</Text></Table.Td>
      <Table.Td style={ONE_LINE} data-testid="queue-assignee"><Text size="sm" style={WHOLE}>{lk.user(i.assigneeId)?.name ?? t('queue.unassigned')}</Text></Table.Td>
    </Table.Tr>
  );
});

export function QueueTable({ items, lang, lk }: RowsProps) {
  const { t } = useTranslation();
  return (
    <Table striped highlightOnHover verticalSpacing="xs" data-testid="queue">
      <Table.Thead>
        <Table.Tr>
          <Table.Th style={ONE_LINE}>{t('queue.number')}</Table.Th>
          <Table.Th style={TITLE_CELL}>{t('queue.incident')}</Table.Th>
          <Table.Th style={ONE_LINE}>{t('queue.priority')}</Table.Th>
          <Table.Th style={ONE_LINE}>{t('queue.status')}</Table.Th>
          <Table.Th style={ONE_LINE}>{t('queue.slaState')}</Table.Th>
          <Table.Th style={ONE_LINE} visibleFrom="lg">{t('queue.next')}</Table.Th>
          <Table.Th style={ONE_LINE}>{t('queue.assignee')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {items.map((i) => <QueueRow key={i.id} i={i} lang={lang} lk={lk} />)}
      </Table.Tbody>
    </Table>
  );
}

const QueueCard = memo(function QueueCard({ i, lang, lk }: RowProps) {
  const { t } = useTranslation();
  const zone = lk.zone(i.calendarId);
  const next = nextDue(i.targets)?.dueAt ?? null;
  return (
    <Card withBorder padding="sm" data-incident={i.number}>
      <Group justify="space-between" wrap="nowrap" gap="xs">
        <Text size="sm" c="dimmed" style={ONE_LINE}>#{i.number}</Text>
        <Group gap={4} wrap="nowrap"><PriorityBadge priority={i.priority} /><StatusBadge status={i.status} /></Group>
      </Group>
      <Anchor component={Link} to={`/incidents/${i.id}`} fw={500} title={i.title} lineClamp={2} data-testid="queue-title" style={{ overflowWrap: 'anywhere' }}>{i.title}</Anchor>
      <Meta i={i} lk={lk} />
      <Stack gap={2} mt={4} data-testid="queue-sla">
        {i.targets.map((tg) => <LiveSlaBadge key={tg.kind} target={tg} zone={zone} compact />)}
      </Stack>
      {/* The deadline and the assignee share a line when they fit and stack when not: neither is cut by the card. */}
      <Group justify="space-between" mt={4} wrap="wrap" gap="xs">
        <Text size="xs" c="dimmed" style={ONE_LINE}>{t('queue.next')}: {next ? formatInstant(next, zone, lang) : '—'}</Text>
        <Text size="sm" data-testid="queue-assignee" style={ONE_LINE}>{lk.user(i.assigneeId)?.name ?? t('queue.unassigned')}</Text>
      </Group>
    </Card>
  );
});

export function QueueCards({ items, lang, lk }: RowsProps) {
  return (
    <Stack gap="xs" data-testid="queue-cards">
      {items.map((i) => <QueueCard key={i.id} i={i} lang={lang} lk={lk} />)}
    </Stack>
  );
}
