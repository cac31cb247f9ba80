/**
 * The desk's page of one change request: the request, the feasibility answer and its
 * deadline, the proposal versions side by side with what changed, the approval trail,
 * the window with what else is planned in it, the result, and the history. The buttons
 * are the commands the lifecycle table allows now (the server's `commands`).
 */
import { Alert, Anchor, Button, Card, Checkbox, Group, Modal, NativeSelect, NumberInput, SimpleGrid, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError, asApiError } from '../../api/client.ts';
import { useChangeCommand, useChangeRequest, type ChangeProposal, type ChangeRequestDetail } from '../../api/change-requests.ts';
import type { Lang } from '../../i18n/index.ts';
import { formatDate, joinList, zoneName } from '../../lib/format.ts';
import { formatInstant, toLocalInput } from '../../lib/time.ts';
import { ErrorAlert, fieldErrors } from '../incidents/FieldErrors.tsx';
import { useLookup } from '../incidents/lookup.ts';
import { fromLocalInput } from '../maintenance/MaintenancePage.tsx';
import { ApprovalTrail, ChangeStatusBadge, ChangeTimeline, ProposalsSideBySide, ResultCard, TextCommandButton, WindowCard } from './ChangeParts.tsx';

const TEXT_COMMANDS: Record<string, { path: string; required: boolean; color?: string }> = {
  judge_feasible: { path: 'feasible', required: false, color: 'teal' },
  judge_not_feasible: { path: 'not-feasible', required: true, color: 'red' },
  ask_clarification: { path: 'clarification', required: true },
  clarify: { path: 'clarify', required: true },
  start: { path: 'start', required: false, color: 'orange' },
  confirm: { path: 'confirm', required: false, color: 'green' },
  close: { path: 'close', required: false },
  withdraw: { path: 'withdraw', required: true },
};

export function ChangeDetailPage() {
  const { id } = useParams();
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const q = useChangeRequest(id);
  const run = useChangeCommand(id ?? '');
  const lk = useLookup(true);
  const d = q.data;
  if (q.error) return <ErrorAlert error={q.error} />;
  if (!d) return null;
  const zone = lk.zone(lk.contract(d.contractId)?.calendarId);
  const latest = d.proposals[0];
  const f = d.feasibilityTarget;
  return (
    <Stack>
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={1} size="h2">CR-{d.number} {d.title}</Title>
          <Text size="sm" c="dimmed">{lk.client(d.clientId)?.name} · {lk.contract(d.contractId)?.name}</Text>
        </div>
        <ChangeStatusBadge status={d.status} />
      </Group>

      <Group gap="xs" data-testid="change-commands">
        {d.commands.filter((c) => c in TEXT_COMMANDS).map((c) => (
          <TextCommandButton key={c} testId={c} label={t(`change.commands.${c}`)} required={TEXT_COMMANDS[c]!.required} color={TEXT_COMMANDS[c]!.color}
            run={(text) => run('POST', `/${TEXT_COMMANDS[c]!.path}`, text.trim() ? { text } : {})} />
        ))}
        {(d.commands.includes('send_proposal') || d.commands.includes('revise_proposal')) && (
          <ProposalForm latest={latest} zone={zone} run={run} label={latest ? t('change.editVersion') : t('change.newVersion')} />
        )}
        {d.commands.includes('schedule') && <ScheduleForm d={d} zone={zone} run={run} />}
        {d.commands.includes('finish') && <FinishForm run={run} unit={d.proposals.find((p) => p.status === 'sent')?.effortUnit ?? 'hours'} />}
      </Group>

      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Card withBorder>
          <Text size="sm"><b>{t('change.requestedBy')}:</b> {d.requestedBy.staff ? t('change.staffRequest') : ''} {d.requestedBy.contactId ? lk.contact(d.requestedBy.contactId)?.name : ''}</Text>
          <Text size="sm"><b>{t('change.received')}:</b> {formatInstant(d.receivedAt, zone, lang)}</Text>
          <Text size="sm"><b>{t('change.systems')}:</b> {joinList(d.systemIds.map((s) => lk.system(s)?.name), lang) || '—'}</Text>
          <Text size="sm"><b>{t('change.desiredDate')}:</b> {formatDate(d.desiredDate, lang)}</Text>
          {d.sourceIncidentId && <Text size="sm"><b>{t('change.fromIncident')}:</b> <Anchor component={Link} to={`/incidents/${d.sourceIncidentId}`}>↗</Anchor></Text>}
          <Text size="sm" mt="xs" fw={600}>{t('change.reason')}</Text>
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>{d.reason || '—'}</Text>
          <Text size="sm" mt="xs" fw={600}>{t('change.description')}</Text>
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>{d.description || '—'}</Text>
        </Card>
        <Card withBorder data-testid="feasibility">
          <Title order={2} size="h4">{t('change.feasibility')}</Title>
          {d.feasibility && <Text fw={700}>{d.feasibility === 'feasible' ? t('change.feasible') : t('change.notFeasible')} · {formatInstant(d.feasibilityAt, zone, lang)}</Text>}
          {d.feasibilityReason && <Text size="sm">{d.feasibilityReason}</Text>}
          {f && <Text size="sm" mt="xs" data-feasibility-state={f.state}>{t('change.feasibilityDue')}: {formatInstant(f.dueAt, zone, lang)} — {t(`change.feasibilityState.${f.state}`)}</Text>}
        </Card>
      </SimpleGrid>

      <WindowCard d={d} zone={zone} maintenanceHref="/maintenance" />
      <ResultCard d={d} zone={zone} />

      <Title order={2} size="h3">{t('change.proposals')}</Title>
      <ProposalsSideBySide proposals={d.proposals} approvals={d.approvals} zone={zone} actions={(p) => p.status === 'draft' && d.commands.includes('send_proposal') ? (
        <Button size="xs" mt={4} data-testid="send-draft" onClick={() => void run('POST', `/proposals/${p.version}/send`)}>{t('change.sendDraft')}</Button>
      ) : null} />

      <Title order={2} size="h3">{t('change.approvals')}</Title>
      <ApprovalTrail approvals={d.approvals} zone={zone} />

      <Title order={2} size="h3">{t('change.timeline')}</Title>
      <ChangeTimeline d={d} zone={zone} />
    </Stack>
  );
}

type Run = ReturnType<typeof useChangeCommand>;

function useSubmit(run: () => Promise<unknown>, close: () => void) {
  const [err, setErr] = useState<ApiError | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await run();
      setErr(null);
      close();
    } catch (x) {
      setErr(asApiError(x));
    }
  };
  return { err, submit };
}

function ProposalForm({ latest, zone, run, label }: { latest: ChangeProposal | undefined; zone: string; run: Run; label: string }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const [open, setOpen] = useState(false);
  const init = () => ({
    effortAmount: latest?.effortAmount ?? 1, effortUnit: latest?.effortUnit ?? 'person_days', amountJpy: latest?.amountJpy ?? 0,
    taxRatePercent: latest?.taxRatePercent ?? 10, plan: latest?.plan ?? '', impact: latest?.impact ?? '', backout: latest?.backout ?? '',
    start: latest?.windowStartsAt ? toLocalInput(Date.parse(latest.windowStartsAt), zone) : '', end: latest?.windowEndsAt ? toLocalInput(Date.parse(latest.windowEndsAt), zone) : '',
    affectsService: latest?.affectsService ?? true, validUntil: latest?.validUntil ?? '', send: true,
  });
  const [v, setV] = useState(init);
  const iso = (local: string) => {
    if (!local) return null;
    const ms = fromLocalInput(local, zone);
    return ms === null ? local : new Date(ms).toISOString();
  };
  const { err, submit } = useSubmit(() => run('POST', '/proposals', {
    effortAmount: Number(v.effortAmount), effortUnit: v.effortUnit, amountJpy: Number(v.amountJpy), taxRatePercent: Number(v.taxRatePercent),
    plan: v.plan, impact: v.impact, backout: v.backout, windowStartsAt: iso(v.start), windowEndsAt: iso(v.end),
    affectsService: v.affectsService, validUntil: v.validUntil, send: v.send,
  }), () => setOpen(false));
  const e = fieldErrors(err);
  return (
    <>
      <Button size="sm" color="violet" onClick={() => { setV(init()); setOpen(true); }} data-command="proposal">{label}</Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={label} size="lg">
        <form onSubmit={(x) => void submit(x)} noValidate data-testid="proposal-form">
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
            <NumberInput label={t('change.effort')} required min={0} decimalScale={2} value={v.effortAmount} error={e.effortAmount} onChange={(x) => setV({ ...v, effortAmount: Number(x) })} data-testid="effortAmount" />
            <NativeSelect label={t('change.effort')} value={v.effortUnit} onChange={(x) => setV({ ...v, effortUnit: x.currentTarget.value as typeof v.effortUnit })}
              data={[{ value: 'person_days', label: t('change.effortUnit.person_days') }, { value: 'hours', label: t('change.effortUnit.hours') }]} />
            <NumberInput label={t('change.amount')} required min={0} thousandSeparator="," value={v.amountJpy} error={e.amountJpy} onChange={(x) => setV({ ...v, amountJpy: Number(x) })} data-testid="amountJpy" />
            <NumberInput label={t('change.taxRate')} min={0} max={100} value={v.taxRatePercent} error={e.taxRatePercent} onChange={(x) => setV({ ...v, taxRatePercent: Number(x) })} />
            <TextInput type="datetime-local" label={`${t('change.window')} (${joinList([t('change.windowStart'), zoneName(zone, lang)], lang)})`} value={v.start} error={e.windowStartsAt} onChange={(x) => setV({ ...v, start: x.currentTarget.value })} data-testid="windowStart" />
            <TextInput type="datetime-local" label={`${t('change.window')} (${t('change.windowEnd')})`} value={v.end} error={e.windowEndsAt} onChange={(x) => setV({ ...v, end: x.currentTarget.value })} data-testid="windowEnd" />
            <TextInput type="date" label={t('change.validUntil')} required value={v.validUntil} error={e.validUntil} onChange={(x) => setV({ ...v, validUntil: x.currentTarget.value })} data-testid="validUntil" />
            <Checkbox mt="lg" label={t('change.affectsService')} checked={v.affectsService} onChange={(x) => setV({ ...v, affectsService: x.currentTarget.checked })} />
          </SimpleGrid>
          <Textarea label={t('change.plan')} required autosize minRows={2} value={v.plan} error={e.plan} onChange={(x) => setV({ ...v, plan: x.currentTarget.value })} data-testid="plan" />
          <Textarea label={t('change.impact')} required autosize minRows={2} value={v.impact} error={e.impact} onChange={(x) => setV({ ...v, impact: x.currentTarget.value })} data-testid="impact" />
          <Textarea label={t('change.backout')} required autosize minRows={2} value={v.backout} error={e.backout} onChange={(x) => setV({ ...v, backout: x.currentTarget.value })} data-testid="backout" />
          <Checkbox mt="xs" label={t('change.sendNow')} checked={v.send} onChange={(x) => setV({ ...v, send: x.currentTarget.checked })} data-testid="sendNow" />
          {err && <ErrorAlert error={err} />}
          <Group justify="flex-end" mt="sm"><Button type="submit" data-testid="proposal-submit">{label}</Button></Group>
        </form>
      </Modal>
    </>
  );
}

function ScheduleForm({ d, zone, run }: { d: ChangeRequestDetail; zone: string; run: Run }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const [open, setOpen] = useState(false);
  const current = d.proposals.find((p) => p.status === 'sent');
  const init = () => ({
    start: current?.windowStartsAt ? toLocalInput(Date.parse(current.windowStartsAt), zone) : '',
    end: current?.windowEndsAt ? toLocalInput(Date.parse(current.windowEndsAt), zone) : '',
    affectsService: current?.affectsService ?? true, emergencyReason: '',
  });
  const [v, setV] = useState(init);
  const iso = (local: string) => {
    const ms = fromLocalInput(local, zone);
    return ms === null ? local : new Date(ms).toISOString();
  };
  const { err, submit } = useSubmit(() => run('POST', '/schedule', {
    startsAt: iso(v.start), endsAt: iso(v.end), affectsService: v.affectsService, ...(v.emergencyReason.trim() ? { emergencyReason: v.emergencyReason } : {}),
  }), () => setOpen(false));
  const e = fieldErrors(err);
  return (
    <>
      <Button size="sm" color="indigo" onClick={() => { setV(init()); setOpen(true); }} data-command="schedule">{t('change.commands.schedule')}</Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={t('change.scheduleTitle')}>
        <form onSubmit={(x) => void submit(x)} noValidate data-testid="schedule-form">
          <TextInput type="datetime-local" label={`${t('change.windowStart')} (${zoneName(zone, lang)})`} required value={v.start} error={e.startsAt} onChange={(x) => setV({ ...v, start: x.currentTarget.value })} />
          <TextInput type="datetime-local" label={t('change.windowEnd')} required value={v.end} error={e.endsAt} onChange={(x) => setV({ ...v, end: x.currentTarget.value })} />
          <Checkbox mt="xs" label={t('change.affectsService')} checked={v.affectsService} onChange={(x) => setV({ ...v, affectsService: x.currentTarget.checked })} />
          {err && <Alert color="red" mt="xs" data-testid="schedule-error" data-code={err.code}>{err.message}</Alert>}
          <Group justify="flex-end" mt="sm"><Button type="submit" data-testid="schedule-submit">{t('change.scheduleSubmit')}</Button></Group>
        </form>
      </Modal>
    </>
  );
}

function FinishForm({ run, unit }: { run: Run; unit: string }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [v, setV] = useState({ outcome: 'done', actual: 1, notes: '' });
  const { err, submit } = useSubmit(() => run('POST', '/finish', { outcome: v.outcome, actualEffortAmount: Number(v.actual), resultNotes: v.notes }), () => setOpen(false));
  const e = fieldErrors(err);
  return (
    <>
      <Button size="sm" color="green" onClick={() => setOpen(true)} data-command="finish">{t('change.commands.finish')}</Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={t('change.finishTitle')}>
        <form onSubmit={(x) => void submit(x)} noValidate data-testid="finish-form">
          <NativeSelect label={t('change.outcome')} value={v.outcome} onChange={(x) => setV({ ...v, outcome: x.currentTarget.value })}
            data={(['done', 'failed', 'backed_out'] as const).map((o) => ({ value: o, label: t(`change.outcomes.${o}`) }))} />
          <NumberInput label={`${t('change.actualEffort')} (${t(`change.effortUnit.${unit}`)})`} required min={0} decimalScale={2} value={v.actual} error={e.actualEffortAmount} onChange={(x) => setV({ ...v, actual: Number(x) })} />
          <Textarea label={t('change.resultNotes')} required autosize minRows={3} value={v.notes} error={e.resultNotes} onChange={(x) => setV({ ...v, notes: x.currentTarget.value })} data-testid="resultNotes" />
          {err && !e.resultNotes && <ErrorAlert error={err} />}
          <Group justify="flex-end" mt="sm"><Button type="submit" data-testid="finish-submit">{t('change.submitDone')}</Button></Group>
        </form>
      </Modal>
    </>
  );
}
