/**
 * Pieces both the staff console and the portal show of a change request: its status,
 * a proposal version as the client sees it (price with tax, window, validity, hash),
 * the versions side by side with what changed, the approval trail, the history, and
 * what else is planned in the same window. All instants in the contract's zone.
 */
import { Alert, Badge, Button, Card, Group, Modal, ScrollArea, SimpleGrid, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, asApiError } from '../../api/client.ts';
import type { ChangeApproval, ChangeProposal, ChangeRequestDetail } from '../../api/change-requests.ts';
import type { Lang } from '../../i18n/index.ts';
import { formatInstant } from '../../lib/time.ts';
import { formatDate } from '../../lib/format.ts';
import { WHOLE_WORDS } from '../../lib/table.ts';
import { ErrorAlert, fieldErrors } from '../incidents/FieldErrors.tsx';

/** A proposal version's state: its own status, or the client's decision on it. */
const PROPOSAL_COLOURS: Record<string, string> = { approved: 'teal', rejected: 'red', sent: 'violet', draft: 'gray', superseded: 'dark' };

const STATUS_COLOURS: Record<string, string> = {
  requested: 'blue', needs_clarification: 'yellow', feasible: 'cyan', not_feasible: 'gray', proposal_sent: 'violet', approved: 'teal',
  rejected: 'red', scheduled: 'indigo', in_progress: 'orange', awaiting_confirmation: 'grape', failed: 'red', backed_out: 'pink', closed: 'green', withdrawn: 'gray',
};

export function ChangeStatusBadge({ status }: { status: string }) {
  const { t } = useTranslation();
  // The label never shrinks to an ellipsis: 提案提示中 cut to 提案提… hid from the client that a proposal waits for them.
  return <Badge color={STATUS_COLOURS[status] ?? 'gray'} variant="light" data-change-status={status} styles={{ label: { overflow: 'visible' } }}>{t(`change.statusLabel.${status}`)}</Badge>;
}

export function useYen() {
  const { t, i18n } = useTranslation();
  return (n: number) => t('change.yen', { n: n.toLocaleString(i18n.language === 'en' ? 'en-US' : 'ja-JP') });
}

/** The fields of a version as rows, in the order the client reads them; `key` is what the diff compares. */
function rows(p: ChangeProposal, t: (k: string, o?: Record<string, unknown>) => string, yen: (n: number) => string, zone: string, lang: Lang): Array<{ key: string; label: string; value: ReactNode; cmp: string }> {
  const win = p.windowStartsAt ? `${formatInstant(p.windowStartsAt, zone, lang)} – ${formatInstant(p.windowEndsAt, zone, lang)}` : '—';
  const effort = `${p.effortAmount} ${t(`change.effortUnit.${p.effortUnit}`)}`;
  return [
    { key: 'effort', label: t('change.effort'), value: effort, cmp: effort },
    { key: 'amount', label: t('change.amount'), value: yen(p.amountJpy), cmp: String(p.amountJpy) },
    { key: 'tax', label: `${t('change.tax')} (${p.taxRatePercent}%)`, value: yen(p.taxJpy), cmp: `${p.taxJpy}/${p.taxRatePercent}` },
    { key: 'total', label: t('change.total'), value: <Text fw={700} span data-testid="proposal-total">{yen(p.totalJpy)}</Text>, cmp: String(p.totalJpy) },
    { key: 'window', label: t('change.window'), value: win, cmp: win },
    { key: 'affects', label: t('change.affectsService'), value: p.affectsService ? '✓' : '—', cmp: String(p.affectsService) },
    { key: 'validUntil', label: t('change.validUntil'), value: <span data-testid="proposal-valid-until">{formatDate(p.validUntil, lang)}</span>, cmp: p.validUntil },
    { key: 'plan', label: t('change.plan'), value: <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>{p.plan}</Text>, cmp: p.plan },
    { key: 'impact', label: t('change.impact'), value: <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>{p.impact}</Text>, cmp: p.impact },
    { key: 'backout', label: t('change.backout'), value: <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>{p.backout}</Text>, cmp: p.backout },
  ];
}

/** One version exactly as offered. */
export function ProposalView({ p, zone }: { p: ChangeProposal; zone: string }) {
  const { t, i18n } = useTranslation();
  const yen = useYen();
  return (
    <Table fz="sm" withRowBorders={false} data-testid="proposal-view" data-version={p.version}>
      <Table.Tbody>
        {rows(p, t, yen, zone, i18n.language as Lang).map((r) => (
          <Table.Tr key={r.key}><Table.Th w={200}>{r.label}</Table.Th><Table.Td>{r.value}</Table.Td></Table.Tr>
        ))}
        {p.contentHash && (
          <Table.Tr><Table.Th>{t('change.hash')}</Table.Th><Table.Td><Text size="xs" ff="monospace" style={{ wordBreak: 'break-all' }}>{p.contentHash}</Text></Table.Td></Table.Tr>
        )}
      </Table.Tbody>
    </Table>
  );
}

/** Every version side by side, newest first; a field that differs from the previous version is marked. */
export function ProposalsSideBySide({ proposals, approvals = [], zone, actions }: {
  proposals: ChangeProposal[]; approvals?: ChangeApproval[]; zone: string; actions?: (p: ChangeProposal) => ReactNode;
}) {
  const { t, i18n } = useTranslation();
  // A version the client decided on reads as decided (承認済み / 却下), not still on offer; a voided decision no longer counts.
  const decided = new Map(approvals.filter((a) => a.voidedAt === null).map((a) => [a.version, a.decision] as const));
  const yen = useYen();
  const lang = i18n.language as Lang;
  if (!proposals.length) return null;
  const table = proposals.map((p) => rows(p, t, yen, zone, lang));
  const keys = table[0]!;
  return (
    <ScrollArea>
      <Table withColumnBorders fz="sm" data-testid="proposal-versions" miw={300 * proposals.length}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th />
            {proposals.map((p) => (
              <Table.Th key={p.id} data-version={p.version}>
                <Group gap="xs">
                  <Text fw={700}>{t('change.version', { v: p.version })}</Text>
                  <Badge size="sm" variant="light" data-proposal-status color={PROPOSAL_COLOURS[decided.get(p.version) ?? p.status] ?? 'dark'}>
                    {t(`change.proposalStatus.${decided.get(p.version) ?? p.status}`)}
                  </Badge>
                </Group>
                {p.sentAt && <Text size="xs" c="dimmed">{formatInstant(p.sentAt, zone, lang)}</Text>}
                {actions?.(p)}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {keys.map((k, i) => (
            <Table.Tr key={k.key}>
              <Table.Th>{k.label}</Table.Th>
              {table.map((r, col) => {
                const older = table[col + 1]?.[i];
                const changed = older !== undefined && older.cmp !== r[i]!.cmp;
                return (
                  <Table.Td key={proposals[col]!.id} data-changed={changed ? 'true' : undefined}
                    style={changed ? { background: 'var(--mantine-color-yellow-1)' } : undefined}>
                    {r[i]!.value}
                    {changed && <Badge size="xs" color="yellow" variant="filled" ml={4}>{t('change.changed')}</Badge>}
                  </Table.Td>
                );
              })}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollArea>
  );
}

export function ApprovalTrail({ approvals, zone }: { approvals: ChangeApproval[]; zone: string }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  if (!approvals.length) return <Text size="sm" c="dimmed">{t('change.noApprovals')}</Text>;
  return (
    <Stack gap="xs" data-testid="approval-trail">
      {approvals.map((a) => (
        <Card key={a.id} withBorder padding="xs" data-decision={a.decision} data-voided={a.voidedAt ? 'true' : 'false'}>
          <Group gap="xs">
            <Badge color={a.voidedAt ? 'gray' : a.decision === 'approved' ? 'teal' : 'red'} variant="light">{t(`change.decision.${a.decision}`)}</Badge>
            <Text size="sm" td={a.voidedAt ? 'line-through' : undefined}>
              {t('change.approvedBy', { name: a.decidedBy.name, v: a.version, decision: t(`change.decision.${a.decision}`) })}
            </Text>
            <Text size="xs" c="dimmed">{formatInstant(a.decidedAt, zone, lang)}</Text>
          </Group>
          {a.comment && <Text size="sm" mt={4}>{a.comment}</Text>}
          <Text size="xs" c="dimmed" ff="monospace" style={{ wordBreak: 'break-all' }}>SHA-256 {a.contentHash}</Text>
          {a.voidedAt && <Text size="xs" c="red">{t('change.voided', { v: a.voidedByVersion ?? '?' })} ({formatInstant(a.voidedAt, zone, lang)})</Text>}
        </Card>
      ))}
    </Stack>
  );
}

export function ChangeTimeline({ d, zone }: { d: ChangeRequestDetail; zone: string }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const label = (kind: string) => {
    const key = `change.events.${kind.replace('.', '_')}`;
    return i18n.exists(key) ? t(key) : kind;
  };
  return (
    <Table fz="sm" data-testid="change-timeline">
      <Table.Tbody>
        {d.timeline.map((e) => (
          <Table.Tr key={e.id} data-kind={e.kind}>
            <Table.Td w={190}><Text size="xs">{formatInstant(e.at, zone, lang)}</Text></Table.Td>
            <Table.Td w={180}><Text size="sm" fw={600}>{label(e.kind)}{typeof e.data.version === 'number' ? ` (${t('change.version', { v: e.data.version })})` : ''}</Text></Table.Td>
            <Table.Td w={140} style={WHOLE_WORDS}><Text size="sm" data-testid="change-timeline-actor">{e.actorName ?? ''}</Text></Table.Td>
            <Table.Td><Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>{e.body}</Text></Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

export function WindowCard({ d, zone, maintenanceHref }: { d: ChangeRequestDetail; zone: string; maintenanceHref?: string }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  if (!d.windowStartsAt && !d.conflicts.length) return null;
  return (
    <Card withBorder data-testid="change-window">
      <Title order={2} size="h4">{t('change.scheduled')}</Title>
      {d.windowStartsAt && <Text>{formatInstant(d.windowStartsAt, zone, lang)} – {formatInstant(d.windowEndsAt, zone, lang)}</Text>}
      {d.maintenanceWindowId && maintenanceHref && <Text size="sm"><a href={maintenanceHref}>{t('change.maintenanceLink')}</a></Text>}
      <Text fw={600} size="sm" mt="xs">{t('change.conflicts')}</Text>
      {d.conflicts.length === 0 ? <Text size="sm" c="dimmed">{t('change.noConflicts')}</Text> : (
        <Stack gap={2} data-testid="change-conflicts">
          {d.conflicts.map((c) => (
            <Text size="sm" key={c.id}>
              <Badge size="xs" variant="light" color="orange" mr={4}>{t(`change.conflictKind.${c.kind}`)}</Badge>
              {c.number ? `CR-${c.number} ` : ''}{c.title} · {formatInstant(c.startsAt, zone, lang)} – {formatInstant(c.endsAt, zone, lang)}
            </Text>
          ))}
        </Stack>
      )}
    </Card>
  );
}

/** A command that carries a text (a reason, an answer, a comment), in a small dialog. */
export function TextCommandButton({ label, required, color, run, testId }: {
  label: string; required: boolean; color?: string; run: (text: string) => Promise<unknown>; testId: string;
}) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [text, setText] = useState('');
  const [err, setErr] = useState<ApiError | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await run(text);
      setOpen(false);
      setText('');
      setErr(null);
    } catch (x) {
      setErr(asApiError(x));
    }
  };
  return (
    <>
      <Button size="sm" variant={color ? 'filled' : 'default'} color={color} onClick={() => setOpen(true)} data-command={testId}>{label}</Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={label}>
        <form onSubmit={(e) => void submit(e)} noValidate>
          <Textarea label={required ? t('change.textRequired') : t('change.text')} required={required} autosize minRows={3} value={text}
            error={fieldErrors(err).text} onChange={(e) => setText(e.currentTarget.value)} data-testid="command-text" />
          {err && !fieldErrors(err).text && <ErrorAlert error={err} />}
          <Group justify="flex-end" mt="sm"><Button type="submit" data-testid="command-submit">{label}</Button></Group>
        </form>
      </Modal>
    </>
  );
}

export function ResultCard({ d, zone }: { d: ChangeRequestDetail; zone: string }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const current = d.proposals.find((p) => p.status === 'sent');
  if (!d.outcome) return null;
  return (
    <Card withBorder data-testid="change-result">
      <Title order={2} size="h4">{t('change.result')}</Title>
      <SimpleGrid cols={{ base: 1, sm: 2 }} mt="xs">
        <Text size="sm">{t('change.outcome')}: <b>{t(`change.outcomes.${d.outcome}`)}</b></Text>
        <Text size="sm">{t('change.actualEffort')}: {d.actualEffortAmount} {current ? t(`change.effortUnit.${current.effortUnit}`) : ''}
          {current ? ` (${t('change.estimate')}: ${current.effortAmount})` : ''}</Text>
      </SimpleGrid>
      <Text size="sm" mt="xs" style={{ whiteSpace: 'pre-wrap' }}>{d.resultNotes}</Text>
      {d.confirmationDueAt && !d.closedAt && <Alert mt="xs" color="grape">{t('change.confirmationDue')}: {formatInstant(d.confirmationDueAt, zone, lang)}</Alert>}
      {d.confirmedAt && <Text size="sm" mt="xs">{t('change.confirmedAt')}: {formatInstant(d.confirmedAt, zone, lang)}</Text>}
      {d.autoClosed && <Text size="sm" mt="xs" c="dimmed">{t('change.autoClosed')}</Text>}
    </Card>
  );
}
