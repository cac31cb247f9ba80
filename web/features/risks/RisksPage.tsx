/**
 * The risk register in the agent console: the heat map, the list (review due / overdue flagged,
 * filterable), CSV export and the form to register a risk on the current criteria.
 */
import { Anchor, Button, Card, Checkbox, Group, NativeSelect, SegmentedControl, SimpleGrid, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { RISK_CATEGORIES, RISK_SOURCES, RISK_TREATMENTS } from '../../../src/contract/risks.ts';
import { API, ApiError, post } from '../../api/client.ts';
import { useSession } from '../../api/hooks.ts';
import type { Lang } from '../../i18n/index.ts';
import { formatInstantDate } from '../../lib/format.ts';
import { ErrorAlert, fieldErrors } from '../incidents/FieldErrors.tsx';
import { useLookup, type Lookup } from '../incidents/lookup.ts';
import { useCurrentCriteria, useHeatMap, useRisks, type Risk, type RiskFilter, type ScaleStep } from './api.ts';
import { HeatMapCard, LevelBadge, ReviewBadge, ZONE } from './RiskParts.tsx';
import { ONE_LINE, WHOLE_WORD_TABLE } from '../../lib/table.ts';

export function RisksPage() {
  const { t } = useTranslation();
  const lk = useLookup(true);
  const [clientId, setClientId] = useState('');
  const [review, setReview] = useState<'' | 'due' | 'overdue'>('');
  const filter: RiskFilter = { ...(clientId ? { clientId } : {}), ...(review ? { review } : {}) };
  const risks = useRisks(filter);
  const heat = useHeatMap(clientId || undefined);
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">{t('risks.title')}</Title>
        <Group>
          <NativeSelect aria-label={t('risks.client')} value={clientId} onChange={(e) => setClientId(e.currentTarget.value)}
            data={[{ value: '', label: t('risks.filterAll') }, ...lk.clients.map((c) => ({ value: c.id, label: c.name }))]} />
          <Anchor component={Link} to="/risk-criteria">{t('risks.criteriaTitle')}</Anchor>
          <Anchor href={`${API}/risks/export.csv${clientId ? `?clientId=${clientId}` : ''}`} download>{t('risks.exportCsv')}</Anchor>
        </Group>
      </Group>
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <HeatMapCard map={heat.data} />
        <RegisterForm lk={lk} />
      </SimpleGrid>
      <Card withBorder>
        <Group justify="space-between" mb="xs">
          <Title order={2} size="h4">{t('risks.list')}</Title>
          <SegmentedControl value={review} onChange={(v) => setReview(v as typeof review)} aria-label={t('risks.filterReview')}
            data={[{ value: '', label: t('risks.filterAll') }, { value: 'due', label: t('risks.reviewStates.due') }, { value: 'overdue', label: t('risks.reviewStates.overdue') }]} />
        </Group>
        <RiskTable risks={risks.data ?? []} lk={lk} base="/risks" />
      </Card>
    </Stack>
  );
}

export function RiskTable({ risks, lk, base }: { risks: Risk[]; lk: Lookup | null; base: string }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  if (risks.length === 0) return <Text size="sm" c="dimmed">{t('risks.empty')}</Text>;
  return (
    // Scrolls sideways on a phone: squeezed into 390 px, the headers broke a character a line and 状態 was cut off.
    <Table.ScrollContainer minWidth={760}>
      <Table striped highlightOnHover styles={WHOLE_WORD_TABLE} data-testid="risk-list">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('risks.number')}</Table.Th>
            <Table.Th>{t('risks.titleField')}</Table.Th>
            {lk && <Table.Th>{t('risks.client')}</Table.Th>}
            <Table.Th>{t('risks.level')}</Table.Th>
            <Table.Th>{t('risks.score')}</Table.Th>
            <Table.Th>{t('risks.treatment')}</Table.Th>
            <Table.Th>{t('risks.owner')}</Table.Th>
            <Table.Th>{t('risks.nextReview')}</Table.Th>
            <Table.Th>{t('risks.status')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {risks.map((r) => {
            const now = r.residual ?? r.inherent;
            return (
              <Table.Tr key={r.id}>
                <Table.Td style={ONE_LINE}>R-{r.number}</Table.Td>
                <Table.Td><Anchor component={Link} to={`${base}/${r.id}`}>{r.title}</Anchor></Table.Td>
                {lk && <Table.Td>{lk.client(r.clientId)?.name}</Table.Td>}
                <Table.Td><LevelBadge level={now.level} /></Table.Td>
                <Table.Td>{now.score} <Text span size="xs" c="dimmed">(v{r.criteriaVersion})</Text></Table.Td>
                <Table.Td>{t(`risks.treatments.${r.treatment}`)}</Table.Td>
                <Table.Td>{r.ownerName}</Table.Td>
                <Table.Td>
                  <Stack gap={2}>
                    <Text size="sm">{formatInstantDate(r.review.nextReviewAt, ZONE, lang)}</Text>
                    <ReviewBadge review={r.review} />
                  </Stack>
                </Table.Td>
                <Table.Td style={ONE_LINE}>{t(`risks.statuses.${r.status}`)}</Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

export function ScaleSelect({ label, steps, value, onChange, error }: { label: string; steps: ScaleStep[]; value: string; onChange: (v: string) => void; error?: string | undefined }) {
  const { i18n } = useTranslation();
  const lang = i18n.language as Lang;
  return <NativeSelect label={label} value={value} onChange={(e) => onChange(e.currentTarget.value)} error={error} data={steps.map((s) => ({ value: String(s.value), label: `${s.value} ${s[lang]}` }))} />;
}

function RegisterForm({ lk }: { lk: Lookup }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const criteria = useCurrentCriteria();
  const staff = lk.users.filter((u) => u.role !== 'contact' && !u.disabled);
  // The one registering owns it unless they pick someone else.
  const me = useSession().data?.user.id ?? '';
  const [f, setF] = useState({ contractId: '', title: '', description: '', category: 'operational', source: 'vendor', sourceId: '', ownerId: me, treatment: 'mitigate', il: '3', ii: '3', rl: '2', ri: '2' });
  const [withResidual, setWithResidual] = useState(false);
  const [systemIds, setSystemIds] = useState<string[]>([]);
  const contractSystems = lk.contract(f.contractId)?.systemIds ?? [];
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (k: keyof typeof f) => (v: string) => setF((x) => ({ ...x, [k]: v }));
  const errs = fieldErrors(error);
  const doc = criteria.data?.document;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body = {
        contractId: f.contractId, title: f.title, description: f.description, category: f.category, source: f.source,
        affectedSystemIds: systemIds.filter((x) => contractSystems.includes(x)),
        ...(f.sourceId ? { sourceId: f.sourceId } : {}), ownerId: f.ownerId || me, treatment: f.treatment,
        inherent: { likelihood: Number(f.il), impact: Number(f.ii) },
        ...(withResidual ? { residual: { likelihood: Number(f.rl), impact: Number(f.ri) } } : {}),
      };
      const created = await post<{ id: string }>('/risks', body);
      await qc.invalidateQueries({ queryKey: ['risks'] });
      void navigate(`/risks/${created.id}`);
    } catch (x) {
      setError(x instanceof ApiError ? x : new ApiError(0, 'network', String(x)));
    } finally {
      setBusy(false);
    }
  };
  const labels = { contractId: t('risks.contract'), title: t('risks.titleField'), ownerId: t('risks.owner'), sourceId: t('risks.sourceId'), 'inherent.likelihood': t('risks.likelihood'), 'inherent.impact': t('risks.impact') };
  return (
    <Card withBorder component="section" aria-labelledby="register-risk">
      <Title order={2} size="h4" mb="xs" id="register-risk">{t('risks.register')}</Title>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack gap="xs">
          <NativeSelect label={t('risks.contract')} value={f.contractId} onChange={(e) => set('contractId')(e.currentTarget.value)} error={errs.contractId}
            data={[{ value: '', label: '—' }, ...lk.contracts.map((c) => ({ value: c.id, label: `${lk.client(c.clientId)?.name ?? ''} / ${c.name}` }))]} />
          {contractSystems.length > 0 && (
            <Checkbox.Group label={t('risks.systems')} value={systemIds} onChange={setSystemIds}>
              <Group gap="md" mt={4}>{contractSystems.map((id) => <Checkbox key={id} value={id} label={lk.system(id)?.name ?? id} />)}</Group>
            </Checkbox.Group>
          )}
          <TextInput label={t('risks.titleField')} value={f.title} onChange={(e) => set('title')(e.currentTarget.value)} error={errs.title} />
          <Textarea label={t('risks.description')} value={f.description} onChange={(e) => set('description')(e.currentTarget.value)} autosize minRows={2} />
          <Group grow>
            <NativeSelect label={t('risks.category')} value={f.category} onChange={(e) => set('category')(e.currentTarget.value)} data={RISK_CATEGORIES.map((c) => ({ value: c, label: t(`risks.categories.${c}`) }))} />
            <NativeSelect label={t('risks.source')} value={f.source} onChange={(e) => set('source')(e.currentTarget.value)} data={RISK_SOURCES.map((c) => ({ value: c, label: t(`risks.sources.${c}`) }))} />
          </Group>
          {f.source !== 'vendor' && f.source !== 'client' && <TextInput label={t('risks.sourceId')} value={f.sourceId} onChange={(e) => set('sourceId')(e.currentTarget.value)} error={errs.sourceId} />}
          <Group grow>
            <NativeSelect label={t('risks.owner')} value={f.ownerId} onChange={(e) => set('ownerId')(e.currentTarget.value)} error={errs.ownerId} data={staff.map((u) => ({ value: u.id, label: u.name }))} />
            <NativeSelect label={t('risks.treatment')} value={f.treatment} onChange={(e) => set('treatment')(e.currentTarget.value)} data={RISK_TREATMENTS.map((c) => ({ value: c, label: t(`risks.treatments.${c}`) }))} />
          </Group>
          {doc && (
            <>
              <Text size="sm" fw={500}>{t('risks.inherent')} <Text span size="xs" c="dimmed">{t('risks.criteriaVersion', { version: criteria.data?.version })}</Text></Text>
              <Group grow>
                <ScaleSelect label={t('risks.likelihood')} steps={doc.likelihood} value={f.il} onChange={set('il')} error={errs['inherent.likelihood']} />
                <ScaleSelect label={t('risks.impact')} steps={doc.impact} value={f.ii} onChange={set('ii')} error={errs['inherent.impact']} />
              </Group>
              <Checkbox label={t('risks.withResidual')} checked={withResidual} onChange={(e) => setWithResidual(e.currentTarget.checked)} />
              {withResidual && (
                <Group grow>
                  <ScaleSelect label={`${t('risks.residual')}: ${t('risks.likelihood')}`} steps={doc.likelihood} value={f.rl} onChange={set('rl')} />
                  <ScaleSelect label={`${t('risks.residual')}: ${t('risks.impact')}`} steps={doc.impact} value={f.ri} onChange={set('ri')} />
                </Group>
              )}
            </>
          )}
          <ErrorAlert error={error} labels={labels} />
          <Button type="submit" loading={busy}>{t('risks.registerSubmit')}</Button>
        </Stack>
      </form>
    </Card>
  );
}
