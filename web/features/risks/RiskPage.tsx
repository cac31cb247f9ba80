/**
 * One risk in the agent console: ratings on its criteria version, review (record one), rescore,
 * close / reopen, controls (add, present to the client), the client's acknowledgements and
 * acceptances, the discussion with internal notes, links and the score history.
 */
import { Anchor, Badge, Button, Card, Checkbox, Grid, Group, NativeSelect, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { RISK_CATEGORIES, RISK_LINK_KINDS, RISK_TREATMENTS } from '../../../src/contract/risks.ts';
import { useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../../api/client.ts';
import { useSession } from '../../api/hooks.ts';
import type { Lang } from '../../i18n/index.ts';
import { joinList } from '../../lib/format.ts';
import { formatInstant } from '../../lib/time.ts';
import { ErrorAlert, fieldErrors } from '../incidents/FieldErrors.tsx';
import { useLookup } from '../incidents/lookup.ts';
import type { RiskDetail } from './api.ts';
import { AcceptancesCard, ControlsCard, ReviewBadge, RiskFrame, RiskRatings, ThreadCard, useRiskPost, ZONE } from './RiskParts.tsx';
import { ScaleSelect } from './RisksPage.tsx';
import { WHOLE_WORDS } from '../../lib/table.ts';

export function RiskPage() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const lk = useLookup(true);
  return (
    <RiskFrame back="/risks" backLabel={t('risks.title')} badges={(r) => <ReviewBadge review={r.review} />}>{(r) => (
      <>
        <Card withBorder>
          <Grid>
            <Grid.Col span={{ base: 12, md: 6 }}>
              <RiskRatings risk={r} />
            </Grid.Col>
            <Grid.Col span={{ base: 6, md: 3 }}>
              <Text size="xs" c="dimmed">{t('risks.client')}</Text>{lk.client(r.clientId)?.name}
              <Text size="xs" c="dimmed" mt={4}>{t('risks.owner')}</Text>{r.ownerName}
              <Text size="xs" c="dimmed" mt={4}>{t('risks.category')}</Text>{t(`risks.categories.${r.category}`)}
            </Grid.Col>
            <Grid.Col span={{ base: 6, md: 3 }}>
              <Text size="xs" c="dimmed">{t('risks.source')}</Text>{t(`risks.sources.${r.source}`)}
              <Text size="xs" c="dimmed" mt={4}>{t('risks.nextReview')}</Text>{formatInstant(r.review.nextReviewAt, ZONE, lang)}
              <Text size="xs" c="dimmed" mt={4}>{t('risks.lastReview')}</Text>{formatInstant(r.review.lastReviewedAt, ZONE, lang)}
            </Grid.Col>
          </Grid>
          {r.description && <Text mt="sm" size="sm" style={{ whiteSpace: 'pre-wrap' }}>{r.description}</Text>}
          {r.affectedSystemIds.length > 0 && <Text size="sm" mt="xs">{t('risks.systems')}: {joinList(r.affectedSystemIds.map((s) => lk.system(s)?.name ?? s), lang)}</Text>}
        </Card>
        {r.status === 'open' && <EditCard risk={r} owners={lk.users.filter((u) => u.role !== 'contact' && !u.disabled)} systems={lk.contract(r.contractId)?.systemIds ?? []} systemName={(id) => lk.system(id)?.name ?? id} />}
        <ActionsCard risk={r} />
        <ControlsCard risk={r} staff>
          {r.status === 'open' && <AddControl risk={r} owners={lk.users.filter((u) => u.role !== 'contact')} />}
        </ControlsCard>
        <AcceptancesCard risk={r} staff />
        <ThreadCard risk={r} staff />
        <LinksCard risk={r} />
        <HistoryCard risk={r} />
      </>
    )}</RiskFrame>
  );
}

/** Title, description, systems, category, owner and treatment (staff). */
function EditCard({ risk, owners, systems, systemName }: { risk: RiskDetail; owners: Array<{ id: string; name: string }>; systems: string[]; systemName: (id: string) => string }) {
  const { t } = useTranslation();
  const act = useRiskPost(risk.id);
  const [f, setF] = useState({ title: risk.title, description: risk.description, category: risk.category, ownerId: risk.ownerId, treatment: risk.treatment });
  const [systemIds, setSystemIds] = useState(risk.affectedSystemIds);
  const errs = fieldErrors(act.error);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    await act.run('', { ...f, affectedSystemIds: systemIds }, 'PATCH');
  };
  return (
    <Card withBorder component="section" aria-labelledby="edit-risk">
      <Title order={2} size="h4" mb="xs" id="edit-risk">{t('risks.edit')}</Title>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack gap="xs">
          <TextInput label={t('risks.titleField')} value={f.title} onChange={(e) => setF({ ...f, title: e.currentTarget.value })} error={errs.title} />
          <Textarea label={t('risks.description')} value={f.description} onChange={(e) => setF({ ...f, description: e.currentTarget.value })} autosize minRows={2} />
          {systems.length > 0 && (
            <Checkbox.Group label={t('risks.systems')} value={systemIds} onChange={setSystemIds}>
              <Group gap="md" mt={4}>{systems.map((id) => <Checkbox key={id} value={id} label={systemName(id)} />)}</Group>
            </Checkbox.Group>
          )}
          <Group grow>
            <NativeSelect label={t('risks.category')} value={f.category} onChange={(e) => setF({ ...f, category: e.currentTarget.value as typeof f.category })} data={RISK_CATEGORIES.map((c) => ({ value: c, label: t(`risks.categories.${c}`) }))} />
            <NativeSelect label={t('risks.owner')} value={f.ownerId} onChange={(e) => setF({ ...f, ownerId: e.currentTarget.value })} error={errs.ownerId} data={owners.map((u) => ({ value: u.id, label: u.name }))} />
            <NativeSelect label={t('risks.treatment')} value={f.treatment} onChange={(e) => setF({ ...f, treatment: e.currentTarget.value as typeof f.treatment })} data={RISK_TREATMENTS.map((c) => ({ value: c, label: t(`risks.treatments.${c}`) }))} />
          </Group>
          <Group justify="flex-end"><Button type="submit" loading={act.busy}>{t('common.save')}</Button></Group>
          {act.error && <ErrorAlert error={act.error} labels={{ title: t('risks.titleField'), ownerId: t('risks.owner') }} />}
        </Stack>
      </form>
    </Card>
  );
}

function ActionsCard({ risk }: { risk: RiskDetail }) {
  const { t } = useTranslation();
  const act = useRiskPost(risk.id);
  const [note, setNote] = useState('');
  const [reason, setReason] = useState('');
  const [closeReason, setCloseReason] = useState('');
  const cur = (r: RiskDetail['inherent'] | null) => ({ l: String(r?.likelihood ?? 1), i: String(r?.impact ?? 1) });
  const [inh, setInh] = useState(cur(risk.inherent));
  const [res, setRes] = useState(cur(risk.residual ?? risk.inherent));
  const [withResidual, setWithResidual] = useState(risk.residual !== null);
  const errs = fieldErrors(act.error);
  if (risk.status === 'closed') {
    return <Group><Button variant="default" loading={act.busy} onClick={() => void act.run('/reopen')}>{t('risks.reopen')}</Button><ErrorAlert error={act.error} /></Group>;
  }
  const rescore = async (e: FormEvent) => {
    e.preventDefault();
    if (await act.run('/score', {
      inherent: { likelihood: Number(inh.l), impact: Number(inh.i) },
      residual: withResidual ? { likelihood: Number(res.l), impact: Number(res.i) } : null, reason,
    })) setReason('');
  };
  // Rescoring always uses the current criteria; the risk's own scale is shown until then.
  const doc = risk.criteria;
  return (
    <Card withBorder>
      <Stack gap="sm">
        <Group align="flex-end">
          <TextInput label={t('risks.reviewNote')} value={note} onChange={(e) => setNote(e.currentTarget.value)} style={{ flex: 1 }} />
          <Button loading={act.busy} onClick={() => void act.run('/review', note ? { note } : {}).then((ok) => ok && setNote(''))}>{t('risks.recordReview')}</Button>
        </Group>
        <form onSubmit={(e) => void rescore(e)} noValidate>
          <Title order={3} size="h5">{t('risks.rescore')}</Title>
          <Group grow align="flex-end">
            <ScaleSelect label={`${t('risks.inherent')}: ${t('risks.likelihood')}`} steps={doc.likelihood} value={inh.l} onChange={(l) => setInh((x) => ({ ...x, l }))} error={errs['inherent.likelihood']} />
            <ScaleSelect label={`${t('risks.inherent')}: ${t('risks.impact')}`} steps={doc.impact} value={inh.i} onChange={(i) => setInh((x) => ({ ...x, i }))} error={errs['inherent.impact']} />
          </Group>
          <Checkbox my="xs" label={t('risks.withResidual')} checked={withResidual} onChange={(e) => setWithResidual(e.currentTarget.checked)} />
          {withResidual && (
            <Group grow>
              <ScaleSelect label={`${t('risks.residual')}: ${t('risks.likelihood')}`} steps={doc.likelihood} value={res.l} onChange={(l) => setRes((x) => ({ ...x, l }))} error={errs['residual.likelihood']} />
              <ScaleSelect label={`${t('risks.residual')}: ${t('risks.impact')}`} steps={doc.impact} value={res.i} onChange={(i) => setRes((x) => ({ ...x, i }))} error={errs['residual.impact']} />
            </Group>
          )}
          <Group align="flex-end" mt="xs">
            <TextInput label={t('risks.rescoreReason')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} error={errs.reason} style={{ flex: 1 }} />
            <Button type="submit" loading={act.busy}>{t('risks.rescoreSubmit')}</Button>
          </Group>
        </form>
        <Group align="flex-end">
          <TextInput label={t('risks.closeReason')} value={closeReason} onChange={(e) => setCloseReason(e.currentTarget.value)} style={{ flex: 1 }} />
          <Button color="gray" loading={act.busy} disabled={!closeReason.trim()} onClick={() => void act.run('/close', { reason: closeReason })}>{t('risks.close')}</Button>
        </Group>
        {act.error && <ErrorAlert error={act.error} labels={{ reason: t('risks.rescoreReason') }} />}
      </Stack>
    </Card>
  );
}

function AddControl({ risk, owners }: { risk: RiskDetail; owners: Array<{ id: string; name: string }> }) {
  const { t } = useTranslation();
  const act = useRiskPost(risk.id);
  const me = useSession().data?.user.id ?? '';
  const [f, setF] = useState({ title: '', description: '', ownerId: me, dueOn: '' });
  const [present, setPresent] = useState(true);
  const errs = fieldErrors(act.error);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const ok = await act.run('/controls', {
      title: f.title, ...(f.description ? { description: f.description } : {}), ownerId: f.ownerId || me,
      ...(f.dueOn ? { dueOn: f.dueOn } : {}), present,
    });
    if (ok) setF({ title: '', description: '', ownerId: me, dueOn: '' });
  };
  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <Stack gap="xs" mt="md">
        <Title order={3} size="h5">{t('risks.addControl')}</Title>
        <TextInput label={t('risks.controlTitle')} value={f.title} onChange={(e) => setF({ ...f, title: e.currentTarget.value })} error={errs.title} />
        <TextInput label={t('risks.description')} value={f.description} onChange={(e) => setF({ ...f, description: e.currentTarget.value })} />
        <Group grow>
          <NativeSelect label={t('risks.owner')} value={f.ownerId} onChange={(e) => setF({ ...f, ownerId: e.currentTarget.value })} data={owners.map((u) => ({ value: u.id, label: u.name }))} />
          <TextInput type="date" label={t('risks.dueOn')} value={f.dueOn} onChange={(e) => setF({ ...f, dueOn: e.currentTarget.value })} error={errs.dueOn} />
        </Group>
        <Group justify="space-between">
          <Checkbox label={t('risks.presentNow')} checked={present} onChange={(e) => setPresent(e.currentTarget.checked)} />
          <Button type="submit" loading={act.busy}>{t('risks.addControl')}</Button>
        </Group>
        {act.error && !errs.title && <ErrorAlert error={act.error} />}
      </Stack>
    </form>
  );
}

function LinksCard({ risk }: { risk: RiskDetail }) {
  const { t } = useTranslation();
  const act = useRiskPost(risk.id);
  const [kind, setKind] = useState<string>('incident');
  const [targetId, setTargetId] = useState('');
  const qc = useQueryClient();
  const unlink = async (linkId: string) => {
    act.setError(null);
    try {
      await api('DELETE', `/risks/${risk.id}/links/${linkId}`);
      await qc.invalidateQueries({ queryKey: ['risk', risk.id] });
    } catch (e) {
      act.setError(e instanceof ApiError ? e : new ApiError(0, 'network', String(e)));
    }
  };
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="xs">{t('risks.links')}</Title>
      {risk.links.length === 0 && <Text size="sm" c="dimmed">{t('risks.noLinks')}</Text>}
      <Stack gap={4}>
        {risk.links.map((l) => (
          <Group key={l.id} gap="xs">
            <Badge variant="light">{t(`risks.linkKind.${l.kind}`)}</Badge>
            {l.kind === 'incident' ? <Anchor component={Link} to={`/incidents/${l.targetId}`}>{l.targetId}</Anchor> : <Text size="sm">{l.targetId}</Text>}
            <Button size="compact-xs" variant="subtle" color="gray" onClick={() => void unlink(l.id)}>{t('risks.unlink')}</Button>
          </Group>
        ))}
      </Stack>
      <form onSubmit={(e) => { e.preventDefault(); void act.run('/links', { kind, targetId }).then((ok) => ok && setTargetId('')); }} noValidate>
        <Group align="flex-end" mt="sm">
          <NativeSelect label={t('risks.links')} value={kind} onChange={(e) => setKind(e.currentTarget.value)} data={RISK_LINK_KINDS.map((k) => ({ value: k, label: t(`risks.linkKind.${k}`) }))} />
          <TextInput label={t('risks.linkTarget')} value={targetId} onChange={(e) => setTargetId(e.currentTarget.value)} style={{ flex: 1 }} />
          <Button type="submit" loading={act.busy} disabled={!targetId.trim()}>{t('risks.addLink')}</Button>
        </Group>
        <ErrorAlert error={act.error} labels={{ targetId: t('risks.linkTarget') }} />
      </form>
    </Card>
  );
}

function HistoryCard({ risk }: { risk: RiskDetail }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="xs">{t('risks.history')}</Title>
      <Table.ScrollContainer minWidth={560}>
        <Table styles={{ th: WHOLE_WORDS }} data-testid="history">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('risks.revision')}</Table.Th><Table.Th>{t('risks.at')}</Table.Th><Table.Th>{t('risks.criteria')}</Table.Th>
              <Table.Th>{t('risks.inherent')}</Table.Th><Table.Th>{t('risks.residual')}</Table.Th><Table.Th>{t('risks.reason')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {risk.history.map((h) => (
              <Table.Tr key={h.revision}>
                <Table.Td>{h.revision}</Table.Td>
                <Table.Td>{formatInstant(h.at, ZONE, lang)}</Table.Td>
                <Table.Td>v{h.criteriaVersion}</Table.Td>
                <Table.Td>{h.inherent.score} ({t(`risks.level_.${h.inherent.level}`)})</Table.Td>
                <Table.Td>{h.residual ? `${h.residual.score} (${t(`risks.level_.${h.residual.level}`)})` : '—'}</Table.Td>
                <Table.Td>{h.reason === 'registered' ? t('risks.registered') : h.reason}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Card>
  );
}
