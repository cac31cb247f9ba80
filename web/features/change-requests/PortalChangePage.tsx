/**
 * The contact's pages: file a change request, and one request with the decision screen —
 * exactly the version on offer (price with tax, window, validity, its SHA-256), approve or
 * reject it with a comment (the designated contact only), answer a question, confirm the
 * finished work (検収). The decision sends the version number and hash shown, so the
 * server refuses it if anything else is on offer by then.
 */
import { Alert, Button, Card, Group, MultiSelect, NativeSelect, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { ApiError, asApiError } from '../../api/client.ts';
import { fileChangeRequest, useChangeCommand, useChangeRequest } from '../../api/change-requests.ts';
import type { Lang } from '../../i18n/index.ts';
import { formatInstant } from '../../lib/time.ts';
import { ErrorAlert, fieldErrors } from '../incidents/FieldErrors.tsx';
import { useLookup } from '../incidents/lookup.ts';
import { ApprovalTrail, ChangeStatusBadge, ChangeTimeline, ProposalView, ResultCard, TextCommandButton, WindowCard } from './ChangeParts.tsx';

export function PortalNewChangePage({ base = '/portal/changes' }: { base?: string }) {
  const { t } = useTranslation();
  const lk = useLookup(false);
  const navigate = useNavigate();
  const [v, setV] = useState({ contractId: '', systemIds: [] as string[], title: '', description: '', reason: '', desiredDate: '' });
  const [err, setErr] = useState<ApiError | null>(null);
  const contractId = v.contractId || lk.contracts[0]?.id || '';
  const contract = lk.contract(contractId);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      const d = await fileChangeRequest({
        contractId, systemIds: v.systemIds, title: v.title, description: v.description, reason: v.reason, ...(v.desiredDate ? { desiredDate: v.desiredDate } : {}),
      });
      void navigate(`${base}/${d.id}`);
    } catch (x) {
      setErr(asApiError(x));
    }
  };
  const e = fieldErrors(err);
  return (
    <Stack maw={720}>
      <Title order={1} size="h2">{t('change.newTitle')}</Title>
      <form onSubmit={(x) => void submit(x)} noValidate data-testid="new-change-form">
        <Stack gap="xs">
          <NativeSelect label={t('change.contract')} value={contractId} error={e.contractId} onChange={(x) => setV({ ...v, contractId: x.currentTarget.value, systemIds: [] })}
            data={lk.contracts.map((c) => ({ value: c.id, label: c.name }))} />
          <MultiSelect label={t('change.systems')} value={v.systemIds} onChange={(s) => setV({ ...v, systemIds: s })}
            data={(contract?.systemIds ?? []).map((s) => ({ value: s, label: lk.system(s)?.name ?? s }))} />
          <TextInput label={t('change.requestTitle')} required value={v.title} error={e.title} onChange={(x) => setV({ ...v, title: x.currentTarget.value })} data-testid="change-title" />
          <Textarea label={t('change.description')} autosize minRows={3} value={v.description} error={e.description} onChange={(x) => setV({ ...v, description: x.currentTarget.value })} data-testid="change-description" />
          <Textarea label={t('change.reason')} autosize minRows={2} value={v.reason} error={e.reason} onChange={(x) => setV({ ...v, reason: x.currentTarget.value })} data-testid="change-reason" />
          <TextInput type="date" label={t('change.desiredDate')} value={v.desiredDate} error={e.desiredDate} onChange={(x) => setV({ ...v, desiredDate: x.currentTarget.value })} />
          {err && <ErrorAlert error={err} />}
          <Group justify="flex-end"><Button type="submit" data-testid="change-submit">{t('change.submit')}</Button></Group>
        </Stack>
      </form>
    </Stack>
  );
}

export function PortalChangePage() {
  const { id } = useParams();
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const q = useChangeRequest(id);
  const run = useChangeCommand(id ?? '');
  const lk = useLookup(false);
  const d = q.data;
  if (q.error) return <ErrorAlert error={q.error} />;
  if (!d) return null;
  const zone = lk.zone(lk.contract(d.contractId)?.calendarId);
  const offered = d.proposals.find((p) => p.status === 'sent');
  return (
    <Stack>
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={1} size="h2">CR-{d.number} {d.title}</Title>
          <Text size="sm" c="dimmed">{lk.contract(d.contractId)?.name} · {t('change.received')} {formatInstant(d.receivedAt, zone, lang)}</Text>
        </div>
        <ChangeStatusBadge status={d.status} />
      </Group>
      {d.feasibility && (
        <Card withBorder data-testid="feasibility">
          <Text fw={700}>{t('change.feasibility')}: {d.feasibility === 'feasible' ? t('change.feasible') : t('change.notFeasible')}</Text>
          {d.feasibilityReason && <Text size="sm">{d.feasibilityReason}</Text>}
        </Card>
      )}
      <Group gap="xs">
        {d.commands.includes('clarify') && <TextCommandButton testId="clarify" label={t('change.answer')} required color="blue" run={(text) => run('POST', '/clarify', { text })} />}
        {d.commands.includes('withdraw') && <TextCommandButton testId="withdraw" label={t('change.commands.withdraw')} required run={(text) => run('POST', '/withdraw', { text })} />}
        <TextCommandButton testId="comment" label={t('change.addComment')} required run={(text) => run('POST', '/comments', { body: text })} />
      </Group>

      {offered && d.status === 'proposal_sent' && <DecisionCard d={d} zone={zone} />}
      {offered && d.status !== 'proposal_sent' && (
        <Card withBorder>
          <Title order={2} size="h4">{t('change.proposals')} — {t('change.version', { v: offered.version })}</Title>
          <ProposalView p={offered} zone={zone} />
        </Card>
      )}

      {d.status === 'awaiting_confirmation' && (
        <Card withBorder data-testid="confirm-card">
          <Title order={2} size="h4">{t('change.confirmTitle')}</Title>
          <ResultCard d={d} zone={zone} />
          {d.commands.includes('confirm') && (
            <Group mt="sm"><TextCommandButton testId="confirm" label={t('change.confirm')} required={false} color="green" run={(text) => run('POST', '/confirm', text.trim() ? { text } : {})} /></Group>
          )}
        </Card>
      )}
      {d.status !== 'awaiting_confirmation' && <ResultCard d={d} zone={zone} />}
      <WindowCard d={d} zone={zone} />

      <Title order={2} size="h3">{t('change.approvals')}</Title>
      <ApprovalTrail approvals={d.approvals} zone={zone} />
      <Title order={2} size="h3">{t('change.timeline')}</Title>
      <ChangeTimeline d={d} zone={zone} />
    </Stack>
  );
}

function DecisionCard({ d, zone }: { d: NonNullable<ReturnType<typeof useChangeRequest>['data']>; zone: string }) {
  const { t } = useTranslation();
  const run = useChangeCommand(d.id);
  const offered = d.proposals.find((p) => p.status === 'sent')!;
  const [comment, setComment] = useState('');
  const [err, setErr] = useState<ApiError | null>(null);
  const decide = async (decision: 'approve' | 'reject') => {
    try {
      // Exactly what is shown: the server refuses it when another version is on offer by now.
      await run('POST', `/${decision}`, { version: offered.version, contentHash: offered.contentHash, comment });
      setErr(null);
      setComment('');
    } catch (x) {
      setErr(asApiError(x));
    }
  };
  return (
    <Card withBorder shadow="sm" data-testid="decision-card" data-version={offered.version}>
      <Title order={2} size="h3">{t('change.approveTitle')}</Title>
      <Text size="sm" mb="xs">{t('change.approveLead', { v: offered.version })}</Text>
      <ProposalView p={offered} zone={zone} />
      <Alert color="blue" variant="light" my="xs">{t('change.emailNote')}</Alert>
      {d.mayApprove ? (
        <>
          <Textarea label={t('change.comment')} autosize minRows={2} value={comment} onChange={(x) => setComment(x.currentTarget.value)} data-testid="decision-comment" />
          {err && <ErrorAlert error={err} />}
          <Group mt="sm">
            <Button color="teal" onClick={() => void decide('approve')} data-testid="approve">{t('change.approve')}</Button>
            <Button color="red" variant="outline" onClick={() => void decide('reject')} data-testid="reject">{t('change.reject')}</Button>
          </Group>
        </>
      ) : <Text size="sm" c="dimmed">{t('change.notDesignated')}</Text>}
    </Card>
  );
}
